/**
 * Centroid's entry point: registers the commands, the panel serializer, the annotations
 * and the status bar, and starts clustering workers on demand (dist/worker.js). Activated
 * by its commands and by opening a CSV file, never at start-up.
 */
import * as vscode from 'vscode';
import type { ExportKind } from '../node/exportFiles';
import type { FitReport } from '../pipeline/types';
import { AnnotationManager } from './annotations';
import { ChooseKController } from './chooseK';
import { ownArgument } from './commandArgs';
import { DensityController } from './density';
import { DEFAULT_MIN_SAMPLES } from '../pipeline/kdistance';
import { ClusterController } from './controller';
import { Exporter } from './exportCommand';
import { LabelMapper } from './labelsCommand';
import { JobRunner } from './jobRunner';
import { startFromKnownCentres } from './knownCommand';
import { Log, sentence } from './log';
import { parseSweepRequest, type SweepRequest } from '../protocol/sweep';
import { ModelManager } from './models';
import { ModelJobRunner } from './modelRunner';
import { PANEL_VIEW_TYPE, type PanelPersistedState } from './panel';
import { registerTestHooks } from './testHooks';
import { startClusterWorker } from './workerLimits';

/** What activate returns, for integration tests and other extensions. */
export interface CentroidApi {
  /** The report of the last run for `uri` (URI string or file path), or of the last run at all. */
  lastReport(uri?: string): FitReport | undefined;
}

const CSV_EXTENSION = /\.(csv|tsv)$/i;

export function activate(context: vscode.ExtensionContext): CentroidApi {
  const log = new Log();
  const workerPath = context.asAbsolutePath('dist/worker.js');
  const runner = new JobRunner(() => startClusterWorker(workerPath), { log: (line) => log.info(line) });
  const annotations = new AnnotationManager(log);
  const controller = new ClusterController(context, runner, annotations, log);
  const labelMapper = new LabelMapper(controller, annotations, log);
  const exporter = new Exporter(controller, labelMapper, log);
  controller.labelsHost = {
    setMapping: (panel, mapping, basis) => labelMapper.setMapping(panel, mapping, basis),
    exportFrom: (panel) => void exporter.exportFiles(panel.uri),
  };
  const chooseK = new ChooseKController(runner, controller, log);
  controller.attachSweeps(chooseK);
  const density = new DensityController(runner, controller, log);
  controller.attachDensity(density);
  const modelRunner = new ModelJobRunner(() => startClusterWorker(workerPath), { log: (line) => log.info(line) });
  context.subscriptions.push(
    { dispose: () => modelRunner.dispose() },
    new ModelManager(context, controller, modelRunner, log),
    log,
    { dispose: () => runner.dispose() },
    annotations,
    controller,
    chooseK,
    density,
    vscode.commands.registerCommand('centroid.density', (arg?: unknown) => {
      const uri = targetUri(arg, controller);
      if (!uri) {
        log.error('Open a CSV file, or right-click one in the Explorer, then run "Density (DBSCAN)…".');
        return Promise.resolve(undefined);
      }
      // The k-distance curve first: the panel's Density view then asks for eps and min_samples.
      return density.run(uri, { mode: 'kdistance', minSamples: DEFAULT_MIN_SAMPLES });
    }),
    vscode.commands.registerCommand('centroid.chooseK', (arg?: unknown, second?: unknown) => {
      const uri = targetUri(arg, controller);
      if (!uri) {
        log.error('Open a CSV file, or right-click one in the Explorer, then run "Choose k…".');
        return Promise.resolve(undefined);
      }
      // A sweep as second argument (from other extensions and tests) skips the prompts.
      const sweep = own(second);
      let given: SweepRequest | undefined;
      if (sweep !== undefined) {
        try {
          given = parseSweepRequest(sweep, 'the sweep');
        } catch (e) {
          log.error(`Choose k: ${sentence(e)}.`);
          return Promise.resolve(undefined);
        }
      }
      return chooseK.run(uri, given);
    }),
    vscode.commands.registerCommand('centroid.startFromKnownCentres', (arg?: unknown, second?: unknown) => {
      const uri = targetUri(arg, controller);
      if (!uri) {
        log.error('Open a CSV file, or right-click one in the Explorer, then run "Start from Known Centres…".');
        return Promise.resolve(undefined);
      }
      const centres = own(second);
      return startFromKnownCentres(controller, log, uri, typeof centres === 'string' ? centres : undefined);
    }),
    vscode.commands.registerCommand('centroid.clusterFile', (arg?: unknown) => {
      const uri = targetUri(arg, controller);
      if (!uri) {
        log.error('Open a CSV file, or right-click one in the Explorer, then run "Cluster this CSV".');
        return Promise.resolve(undefined);
      }
      return controller.cluster(uri);
    }),
    vscode.commands.registerCommand('centroid.showPanel', (arg?: unknown) => {
      const uri = targetUri(arg, controller);
      if (!uri) {
        log.error('Open a CSV file first: the cluster panel belongs to a CSV file.');
        return Promise.resolve();
      }
      return controller.showPanel(uri);
    }),
    vscode.commands.registerCommand('centroid.chooseColumns', (arg?: unknown) => {
      const uri = targetUri(arg, controller);
      if (!uri) {
        log.error('Open a CSV file first, then choose its columns.');
        return Promise.resolve(undefined);
      }
      return controller.chooseColumns(uri);
    }),
    vscode.commands.registerCommand('centroid.mapLabels', (arg?: unknown, second?: unknown) => {
      const uri = targetUri(arg, controller);
      if (!uri) {
        log.error('Open a CSV file first, then map its clusters to labels.');
        return Promise.resolve(undefined);
      }
      const column = own(second);
      return labelMapper.mapLabels(uri, typeof column === 'string' ? column : undefined);
    }),
    vscode.commands.registerCommand('centroid.export', (arg?: unknown, second?: unknown) => {
      const uri = targetUri(arg, controller);
      if (!uri) {
        log.error('Open a CSV file that you have clustered, then export its results.');
        return Promise.resolve(undefined);
      }
      const kinds = own(second);
      const given = Array.isArray(kinds) ? kinds.filter((k): k is ExportKind => typeof k === 'string') as ExportKind[] : undefined;
      return exporter.exportFiles(uri, given);
    }),
    vscode.commands.registerCommand('centroid.toggleAnnotations', async () => {
      const config = vscode.workspace.getConfiguration('centroid');
      const next = !config.get<boolean>('annotations.enabled', true);
      await config.update('annotations.enabled', next, vscode.ConfigurationTarget.Global);
      vscode.window.setStatusBarMessage(`Centroid: cluster annotations ${next ? 'shown' : 'hidden'}`, 3000);
    }),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const file = isPersisted(state) ? state.file : undefined;
        if (!file) {
          panel.dispose();
          return Promise.resolve();
        }
        controller.restorePanel(panel, vscode.Uri.parse(file, true));
        return Promise.resolve();
      },
    }),
  );
  context.subscriptions.push(...registerTestHooks(runner, log));
  return { lastReport: (uri?: string) => controller.lastReport(uri) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/** A command's own second argument; menus pass a selection or group context there (commandArgs.ts). */
function own(second: unknown): unknown {
  return ownArgument(second, (x) => x instanceof vscode.Uri);
}

/**
 * The file a command is about: a Uri argument (Explorer, editor title and context menus pass
 * one), else the active editor's CSV, else the file of the active cluster panel.
 */
function targetUri(arg: unknown, controller: ClusterController): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return arg.includes('://') ? vscode.Uri.parse(arg, true) : vscode.Uri.file(arg);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && (CSV_EXTENSION.test(doc.uri.path) || doc.languageId === 'csv' || doc.languageId === 'tsv')) return doc.uri;
  return controller.activePanelUri() ?? doc?.uri;
}

function isPersisted(x: unknown): x is PanelPersistedState {
  return typeof x === 'object' && x !== null && typeof (x as { file?: unknown }).file === 'string';
}
