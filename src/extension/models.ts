/**
 * The model commands: Save Model…, Load Model…, Predict with Model…, Add Rows to Model… and
 * Watch This File. Keeps the current model (the last fit, loaded or adopted model), runs the
 * model jobs in a worker (ModelJobRunner) and shows predictions through the cluster panel and
 * the annotations, and the three ways of adding rows in the Add Rows panel.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { showInformation, showWarning } from './notify';
import { version as engineVersion } from '../../package.json';
import type { SavedModel } from '../pipeline/model';
import type { AddWay } from '../pipeline/modelRows';
import type { JobOutput } from '../protocol/messages';
import type { AddRowsRequest, AddRowsResult, PredictRequest } from '../protocol/models';
import { classifyChange, snapshotFile, type FileSnapshot } from '../node/appendWatch';
import { relationToFitted, sha256OfPrefix, type FittedBytes } from '../node/fittedFile';
import { chooseFitted, planNewRows, type FileRelation, type FittedCandidate, type FittedRows, type NewRowsPlan } from '../pipeline/newRows';
import { writeFileAtomic } from '../node/files';
import { splitCsvLine } from './assign';
import { columnsFromHead } from './columnsPick';
import { limitsFromConfig } from './config';
import type { ClusterController } from './controller';
import { JobFailure } from './jobRunner';
import { sentence, type Log } from './log';
import {
  defaultModelPath, missingColumnsMessage, modelFromOutput, modelJson, readModelFile, sha256OfFile, settingsFromModel, updatedModelName,
} from './modelFile';
import type { ModelJobRunner } from './modelRunner';
import { AddRowsPanel } from './modelsPanel';

/** The model the commands work on. */
interface CurrentModel {
  model: SavedModel;
  /** How the user knows it: the model file's name, or "the fit of data.csv". */
  name: string;
  /** The CSV it was fitted on (found and checked by its SHA-256 for a loaded model); undefined when not available. */
  csv: vscode.Uri | undefined;
  /** Data rows of `csv` the model has seen (rows after them are new); null when unknown. */
  fittedRows: number | null;
  /** What identifies the fitted bytes, to tell whether a file is them (or them with rows appended); undefined when unknown. */
  fittedBytes?: FittedBytes;
  /** Why `csv` is undefined (the fitted file is missing or changed), for messages. */
  unavailable?: string;
  /** The fit it came from, for the file's delimiter and width. */
  output?: JobOutput;
}

interface Candidates {
  run: number;
  models: Map<AddWay, SavedModel>;
  /** The CSV whose rows the candidates have seen (first its fitted rows, then new ones), if any. */
  csv: vscode.Uri | undefined;
  /** Data rows of `csv` that the candidates have seen (null when no CSV was part of it). */
  csvRows: number | null;
}

interface Watching {
  uri: vscode.Uri;
  snapshot: FileSnapshot;
  delimiter: string;
  nColumns: number;
  watcher: vscode.FileSystemWatcher;
  timer: ReturnType<typeof setTimeout> | undefined;
  busy: boolean;
  again: boolean;
}

const CSV_EXTENSION = /\.(csv|tsv)$/i;

export class ModelManager implements vscode.Disposable {
  private current: CurrentModel | undefined;
  private panel: AddRowsPanel | undefined;
  private candidates: Candidates | undefined;
  private running: { cancel(): void } | undefined;
  private watching: Watching | undefined;
  private readonly watchStatus: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: ClusterController,
    private readonly runner: ModelJobRunner,
    private readonly log: Log,
  ) {
    this.watchStatus = vscode.window.createStatusBarItem('centroid.watch', vscode.StatusBarAlignment.Right, 99);
    this.watchStatus.name = 'Centroid watch';
    this.watchStatus.command = 'centroid.toggleWatch';
    this.disposables.push(
      this.watchStatus,
      controller.onDidFit(({ uri, output }) => this.setCurrent({
        model: modelFromOutput(output, engineVersion, null), name: `the fit of ${fileName(uri)}`, csv: uri, fittedRows: output.labels.length, output,
      })),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('centroid.watch.enabled')) void this.syncWatch();
      }),
      vscode.commands.registerCommand('centroid.saveModel', () => this.saveModel()),
      vscode.commands.registerCommand('centroid.loadModel', (arg?: unknown) => this.loadModel(asUri(arg))),
      vscode.commands.registerCommand('centroid.predictWithModel', (arg?: unknown) => this.predict(asUri(arg))),
      vscode.commands.registerCommand('centroid.addRowsToModel', (arg?: unknown) => this.addRows(asUri(arg))),
      vscode.commands.registerCommand('centroid.toggleWatch', () => this.toggleWatch()),
    );
    this.updateContext();
  }

  /** The current model, for tests and other commands. */
  currentModel(): SavedModel | undefined {
    return this.current?.model;
  }

  dispose(): void {
    this.stopWatch();
    this.running?.cancel();
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  // Save and load ---------------------------------------------------------------------------

  /** "Save Model…": the current model to `<csv>.centroid.json` (or a numbered name) through a save dialog. */
  async saveModel(): Promise<string | undefined> {
    const current = this.current;
    if (!current) {
      this.log.error('There is no model to save yet: cluster a CSV file or load a model first.');
      return undefined;
    }
    const near = current.csv?.scheme === 'file' ? current.csv.fsPath : activeCsv()?.fsPath;
    const defaultUri = near ? vscode.Uri.file(defaultModelPath(near)) : undefined;
    const target = await vscode.window.showSaveDialog({
      defaultUri, filters: { 'Centroid model': ['json'] }, saveLabel: 'Save Model', title: `Save ${current.name} as a Centroid model`,
    });
    if (!target) return undefined;
    const model = { ...current.model };
    if (current.output && current.csv && current.model.data === null) model.data = await this.dataOf(current.csv, current.output);
    try {
      // The save dialog asked before pointing at an existing file: replacing it is the user's choice.
      writeFileAtomic(target.fsPath, modelJson(model), { replace: true });
    } catch (e) {
      this.log.error(`Cannot save the model: ${sentence(e)}.`, (e as Error).stack);
      return undefined;
    }
    this.current = { ...current, model, name: basename(target.fsPath) };
    this.log.info(`saved ${current.name} to ${target.fsPath}`);
    void showInformation(`Saved the model (k=${model.fitCenters.length}, ${model.featureNames.length} features) to ${basename(target.fsPath)}.`);
    return target.fsPath;
  }

  /** What identifies the fitted CSV: its hash when the file on disk is still the one fitted. */
  private async dataOf(csv: vscode.Uri, output: JobOutput): Promise<SavedModel['data']> {
    try {
      const st = await vscode.workspace.fs.stat(csv);
      if (st.size !== output.file.bytes) {
        this.log.info(`${csv.fsPath} changed since it was clustered; the model is saved without the data's hash`);
        return null;
      }
      return { sha256: await sha256OfFile(csv.fsPath), nRows: output.labels.length, file: fileName(csv) };
    } catch (e) {
      this.log.info(`could not hash ${csv.fsPath}: ${sentence(e)}`);
      return null;
    }
  }

  /** "Load Model…": an open dialog for `*.centroid.json`, then schema, version and column checks. */
  async loadModel(given?: vscode.Uri): Promise<SavedModel | undefined> {
    let uri = given;
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false, filters: { 'Centroid model': ['json'] }, openLabel: 'Load Model', title: 'Load a Centroid model (*.centroid.json)',
        defaultUri: activeCsv() ? vscode.Uri.joinPath(activeCsv() as vscode.Uri, '..') : undefined,
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    let model: SavedModel;
    try {
      model = await readModelFile(uri.fsPath);
    } catch (e) {
      this.log.error(`${sentence(e)}.`.replace(/\.\.$/, '.'), (e as Error).stack);
      return undefined;
    }
    const name = fileName(uri);
    const csv = activeCsv();
    if (csv) {
      try {
        const missing = missingColumnsMessage(model, name, (await columnsFromHead(csv.fsPath)).map((c) => c.name), fileName(csv));
        if (missing !== undefined) {
          this.log.error(missing);
          return undefined;
        }
      } catch (e) {
        this.log.info(`could not read the columns of ${csv.fsPath}: ${sentence(e)}`);
      }
    }
    // The model's rows are those of the file it was fitted on, wherever that is now, never the active CSV's.
    const fitted = await this.locateFitted(uri, model);
    const next: CurrentModel = {
      model, name, fittedBytes: model.data ? { sha256: model.data.sha256 } : undefined,
      ...(fitted.kind === 'file' ? { csv: vscode.Uri.file(fitted.path), fittedRows: fitted.nRows } : { csv: undefined, fittedRows: null, unavailable: fitted.why }),
    };
    this.setCurrent(next);
    const what = `k=${model.fitCenters.length}, features ${model.featureNames.join(', ')}`;
    if (fitted.kind === 'file') {
      const where = vscode.workspace.asRelativePath(fitted.path);
      void showInformation(`Loaded ${name}: ${what}; fitted on the ${fitted.nRows} data rows of ${where}.`);
    } else if (model.data === null) {
      void showInformation(`Loaded ${name}: ${what}. It does not record the file it was fitted on, so Add Rows to Model uses only the new rows.`);
    } else {
      const choose = 'Choose the Fitted CSV…';
      void showWarning(
        `Loaded ${name} (${what}), but ${fitted.why}. Choose that file, or Add Rows to Model will use only the new rows.`, choose,
      ).then((answer) => (answer === choose && this.current === next ? this.chooseFittedFile(next) : undefined));
    }
    return model;
  }

  /**
   * The file a loaded model was fitted on: a file of the recorded name beside the model file,
   * open in the editor or in the workspace, whose bytes hash to the recorded SHA-256 (or start
   * with those bytes: rows appended since). Hashes are computed as streams.
   */
  private async locateFitted(modelUri: vscode.Uri, model: SavedModel): Promise<FittedRows> {
    const data = model.data;
    if (!data) return chooseFitted(null, [], '');
    const paths: string[] = [];
    const add = (path: string): void => {
      if (!paths.includes(path)) paths.push(path);
    };
    if (modelUri.scheme === 'file' && existsSync(join(dirname(modelUri.fsPath), data.file))) add(join(dirname(modelUri.fsPath), data.file));
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === 'file' && fileName(doc.uri) === data.file) add(doc.uri.fsPath);
    try {
      const found = await vscode.workspace.findFiles(`**/${globLiteral(data.file)}`, '**/node_modules/**', 50);
      for (const f of found) if (f.scheme === 'file') add(f.fsPath);
    } catch (e) {
      this.log.info(`could not search the workspace for ${data.file}: ${sentence(e)}`);
    }
    const candidates: FittedCandidate[] = [];
    for (const path of paths) {
      try {
        const relation = await relationToFitted(path, { sha256: data.sha256 });
        candidates.push({ path, relation });
        if (relation !== 'other') break;
      } catch (e) {
        this.log.info(`could not read ${path}: ${sentence(e)}`);
      }
    }
    return chooseFitted(data, candidates, 'beside the model or in the workspace');
  }

  /** Asks for the file a model was fitted on and checks its SHA-256; true when it is that file. */
  private async chooseFittedFile(current: CurrentModel): Promise<boolean> {
    const data = current.model.data;
    if (!data) return false;
    const picked = (await vscode.window.showOpenDialog({
      canSelectMany: false, filters: { 'CSV files': ['csv', 'tsv'] }, openLabel: 'Use as the Fitted CSV', title: `Where is ${data.file}, the file ${current.name} was fitted on?`,
    }))?.[0];
    if (!picked) return false;
    let relation: FileRelation;
    try {
      relation = await relationToFitted(picked.fsPath, { sha256: data.sha256 });
    } catch (e) {
      this.log.error(`Cannot read ${fileName(picked)}: ${sentence(e)}.`, (e as Error).stack);
      return false;
    }
    if (relation === 'other') {
      this.log.error(`${fileName(picked)} is not the file ${current.name} was fitted on: its SHA-256 differs from the one the model records.`);
      return false;
    }
    if (this.current !== current) return false;
    this.setCurrent({ ...current, csv: picked, fittedRows: data.nRows, unavailable: undefined });
    vscode.window.setStatusBarMessage(`Centroid: ${current.name} was fitted on the first ${data.nRows} data rows of ${fileName(picked)}`, 8000);
    return true;
  }

  // Predict ---------------------------------------------------------------------------------

  /** "Predict with Model…": rows of a CSV assigned to the current model's centres, shown like a fit. */
  async predict(given?: vscode.Uri): Promise<JobOutput | undefined> {
    const current = this.requireModel('predict');
    if (!current) return undefined;
    const uri = given ?? await pickCsv('Predict which CSV with the model?', current.csv);
    if (!uri) return undefined;
    const settings = settingsFromModel(current.model, this.controller.settingsFor(uri));
    const request: PredictRequest = { kind: 'predict', file: uri.fsPath, model: current.model, modelName: current.name, settings };
    const output = await this.runJob<JobOutput>(request, `Predicting ${fileName(uri)} with ${current.name}`);
    if (!output) return undefined;
    await this.controller.showOutput(uri, output, settings);
    const assigned = output.labels.reduce((s, l) => s + (l >= 0 ? 1 : 0), 0);
    vscode.window.setStatusBarMessage(`Centroid: ${assigned} rows of ${fileName(uri)} predicted with ${current.name}`, 8000);
    return output;
  }

  // Add rows --------------------------------------------------------------------------------

  /** "Add Rows to Model…": computes the three ways in the worker and shows them in the Add Rows panel. */
  async addRows(given?: vscode.Uri): Promise<AddRowsResult | undefined> {
    const current = this.requireModel('add rows to');
    if (!current) return undefined;
    if (current.model.metric !== 'euclidean') {
      this.log.error(`Adding rows works with Euclidean models, and ${current.name} uses cosine distance; cluster the file again instead.`);
      return undefined;
    }
    const sources = await this.pickNewRows(current, given);
    if (!sources) return undefined;
    const config = vscode.workspace.getConfiguration('centroid');
    const nSeeds = clampInt(config.get<number>('addRows.seeds', 5), 1, 100, 5);
    const request: AddRowsRequest = { kind: 'addRows', model: current.model, modelName: current.name, sources: sources.sources, nSeeds };
    const title = `Add Rows: ${fileName(vscode.Uri.file(sources.sources[sources.sources.length - 1].file))}`;
    if (!this.panel) {
      this.panel = new AddRowsPanel(title, this.context.extensionUri, { adopt: (run, way) => this.adopt(run, way), cancel: () => this.running?.cancel() }, this.log);
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    } else {
      this.panel.title = title;
      this.panel.reveal();
    }
    const panel = this.panel;
    panel.running(0, 'Starting');
    const result = await this.runJob<AddRowsResult>(request, `Adding rows to ${current.name}`, (f, m) => panel.running(f, m), (m) => panel.failed(m));
    if (!result) return undefined;
    const models = new Map<AddWay, SavedModel>();
    for (const w of result.outcome.ways) models.set(w.way, w.model);
    const view = {
      fileName: sources.sources.map((s) => basename(s.file)).join(' + '),
      modelName: current.name,
      nOld: result.outcome.nOld,
      nNew: result.outcome.nNew,
      inertiaBefore: result.outcome.inertiaBefore,
      newInertiaBefore: result.outcome.newInertiaBefore,
      ways: result.outcome.ways.map(({ model: _model, ...rest }) => rest),
      warnings: [...sources.warnings, ...result.outcome.warnings],
      nSeeds,
    };
    const run = panel.show(view);
    const csvIndex = sources.csvIndex;
    this.candidates = {
      run, models, csv: csvIndex === null ? undefined : vscode.Uri.file(sources.sources[csvIndex].file), csvRows: csvIndex === null ? null : result.dataRows[csvIndex],
    };
    return result;
  }

  /**
   * Which rows are new: the rows after the fitted ones in the model's CSV, or the rows of
   * another CSV (with the fitted file's rows as the model's). A file that is the fitted one,
   * checked by its SHA-256, adds only the rows after the fitted ones, so no row counts twice.
   */
  private async pickNewRows(current: CurrentModel, given?: vscode.Uri): Promise<Extract<NewRowsPlan, { ok: true }> | undefined> {
    let model = current;
    let chosen = given;
    while (!chosen) {
      const csv = model.csv?.scheme === 'file' ? model.csv : undefined;
      interface Item extends vscode.QuickPickItem { pick: 'end' | 'other' | 'locate' }
      const items: Item[] = [];
      if (csv && model.fittedRows !== null) {
        items.push({ pick: 'end', label: `Rows added at the end of ${fileName(csv)}`, description: `after its first ${model.fittedRows} data rows` });
      }
      if (!csv && model.model.data) {
        items.push({ pick: 'locate', label: `Choose ${model.model.data.file}, the file ${model.name} was fitted on…`, description: model.unavailable });
      }
      items.push({
        pick: 'other', label: 'Rows of another CSV file…',
        description: csv ? `added to the rows of ${fileName(csv)}` : `only the new rows: the model's own rows are not available`,
      });
      const choice = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: `Add rows to ${model.name}`, placeHolder: 'Which rows are new?' });
      if (!choice) return undefined;
      if (choice.pick === 'locate') {
        if (!await this.chooseFittedFile(model) || !this.current) return undefined;
        model = this.current;
        continue;
      }
      chosen = choice.pick === 'end' && csv ? csv : await pickCsv('Which CSV holds the new rows?', undefined, csv);
      if (!chosen) return undefined;
    }
    const fitted: FittedRows = model.csv?.scheme === 'file' && model.fittedRows !== null
      ? { kind: 'file', path: model.csv.fsPath, name: fileName(model.csv), nRows: model.fittedRows }
      : { kind: 'unavailable', why: model.unavailable ?? `it is not known which file ${model.name} was fitted on`, nRows: model.model.data?.nRows ?? null };
    let relation: FileRelation | null = null;
    try {
      const bytes = await this.fittedBytesOf(model);
      if (bytes) relation = await relationToFitted(chosen.fsPath, bytes);
    } catch (e) {
      this.log.info(`could not compare ${chosen.fsPath} with the fitted file: ${sentence(e)}`);
    }
    const plan = planNewRows(model.name, fitted, { path: chosen.fsPath, name: fileName(chosen), relation });
    if (!plan.ok) {
      this.log.error(`${plan.message}.`);
      return undefined;
    }
    return plan;
  }

  /** The fitted bytes' hash (and length): as recorded, or, for a fit made here, of the first bytes of the fitted file as long as it was. */
  private async fittedBytesOf(current: CurrentModel): Promise<FittedBytes | undefined> {
    if (current.fittedBytes) return current.fittedBytes;
    const csv = current.csv;
    const bytes = current.output?.file.bytes;
    if (!csv || csv.scheme !== 'file' || bytes === undefined || current.output?.predictedWith !== undefined) return undefined;
    const sha256 = await sha256OfPrefix(csv.fsPath, bytes);
    return sha256 === null ? undefined : { sha256, bytes };
  }


  /** The user chose a way in the Add Rows panel: it becomes the current model; the CSV is annotated with it. */
  async adopt(run: number, way: AddWay): Promise<string> {
    const current = this.current;
    const candidates = this.candidates;
    const model = candidates?.run === run ? candidates.models.get(way) : undefined;
    if (!current || !candidates || !model) throw new Error('These results are out of date; run Add Rows to Model again.');
    const adopted: SavedModel = { ...model, data: null };
    const csv = candidates.csv ?? current.csv;
    if (candidates.csv && candidates.csvRows !== null) {
      try {
        adopted.data = { sha256: await sha256OfFile(candidates.csv.fsPath), nRows: candidates.csvRows, file: fileName(candidates.csv) };
      } catch {
        adopted.data = null;
      }
    }
    const label = way === 'online' ? 'online update' : way === 'warm' ? 'warm refit' : 'refit from seeds';
    this.setCurrent({
      model: adopted, name: updatedModelName(current.name, way), csv, fittedRows: candidates.csvRows ?? current.fittedRows,
      output: current.output, fittedBytes: adopted.data ? { sha256: adopted.data.sha256 } : current.fittedBytes, unavailable: current.unavailable,
    });
    this.candidates = undefined;
    if (csv) void this.predict(csv);
    this.log.info(`adopted the ${label} as the current model`);
    return `Adopted the ${label}: it is now the current model (not saved yet; use "Centroid: Save Model…").`;
  }

  // Watch -----------------------------------------------------------------------------------

  private async toggleWatch(): Promise<void> {
    const config = vscode.workspace.getConfiguration('centroid');
    const next = !config.get<boolean>('watch.enabled', false);
    await config.update('watch.enabled', next, vscode.ConfigurationTarget.Global);
    await this.syncWatch();
  }

  /** Starts or stops watching the current model's CSV as the setting says. */
  private async syncWatch(): Promise<void> {
    const enabled = vscode.workspace.getConfiguration('centroid').get<boolean>('watch.enabled', false);
    const current = this.current;
    const csv = current?.csv;
    if (!enabled || !current || !csv || csv.scheme !== 'file' || current.fittedRows === null || current.model.metric !== 'euclidean') {
      if (this.watching) {
        this.log.info(`stopped watching ${this.watching.uri.fsPath}`);
        vscode.window.setStatusBarMessage(`Centroid: stopped watching ${fileName(this.watching.uri)}`, 5000);
      }
      this.stopWatch();
      if (enabled && !this.watching) {
        vscode.window.setStatusBarMessage('Centroid: watching starts when there is a Euclidean model of a CSV file (cluster it or load its model)', 8000);
      }
      return;
    }
    if (this.watching?.uri.toString() === csv.toString()) return;
    this.stopWatch();
    let delimiter = current.output?.file.delimiter;
    let nColumns = current.output?.file.nColumns;
    if (delimiter === undefined || nColumns === undefined) {
      const output = this.controller.outputOf(csv);
      delimiter = output?.file.delimiter ?? (csv.path.toLowerCase().endsWith('.tsv') ? '\t' : ',');
      nColumns = output?.file.nColumns ?? (await columnsFromHead(csv.fsPath)).length;
    }
    const snapshot = await snapshotFile(csv.fsPath);
    const dir = vscode.Uri.joinPath(csv, '..');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, fileName(csv)), true, false, true);
    const w: Watching = { uri: csv, snapshot, delimiter, nColumns, watcher, timer: undefined, busy: false, again: false };
    watcher.onDidChange(() => {
      if (w.timer) clearTimeout(w.timer);
      w.timer = setTimeout(() => void this.onWatchedChange(w), 300);
    });
    this.watching = w;
    this.updateContext();
    this.log.info(`watching ${csv.fsPath} for added rows`);
    vscode.window.setStatusBarMessage(`Centroid: watching ${fileName(csv)}; added rows update the model`, 5000);
  }

  private stopWatch(): void {
    const w = this.watching;
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    w.watcher.dispose();
    this.watching = undefined;
    this.updateContext();
  }

  private async onWatchedChange(w: Watching): Promise<void> {
    if (this.watching !== w) return;
    if (w.busy) {
      w.again = true;
      return;
    }
    w.busy = true;
    try {
      const change = await classifyChange(w.uri.fsPath, w.snapshot, w.nColumns, (line) => splitCsvLine(line, w.delimiter));
      if (this.watching !== w || change.kind === 'same') return;
      const name = fileName(w.uri);
      if (change.kind === 'changed') {
        this.stopWatch();
        await vscode.workspace.getConfiguration('centroid').update('watch.enabled', false, vscode.ConfigurationTarget.Global);
        void showWarning(`${name} changed in another way than rows added at the end (${change.why}); Centroid stopped watching it. Cluster it again, then watch it again.`);
        return;
      }
      const current = this.current;
      if (!current || current.fittedRows === null || current.csv?.toString() !== w.uri.toString()) {
        this.stopWatch();
        return;
      }
      const next = await snapshotFile(w.uri.fsPath);
      const request: AddRowsRequest = {
        kind: 'addRows', model: current.model, modelName: current.name, sources: [{ file: w.uri.fsPath, newFrom: current.fittedRows }], nSeeds: 1, ways: ['online'],
      };
      const result = await this.runJob<AddRowsResult>(request, `Adding the new rows of ${name} to ${current.name}`);
      if (!result || this.watching !== w) return;
      w.snapshot = next;
      const online = result.outcome.ways[0];
      this.setCurrent({
        model: { ...online.model, data: null }, name: updatedModelName(current.name, 'online'), csv: w.uri,
        fittedRows: result.dataRows[0], output: current.output, fittedBytes: { sha256: next.sha256, bytes: next.size },
      });
      await this.predict(w.uri);
      const lines = online.changed.slice(0, 10).map((c) => c.line).join(', ');
      const moved = online.changedCount === 0 ? 'no row moved to another cluster'
        : `${online.changedCount} row${online.changedCount === 1 ? '' : 's'} moved to another cluster (line${online.changedCount === 1 ? '' : 's'} ${lines}${online.changedCount > 10 ? ', …' : ''})`;
      void showInformation(`${name}: ${result.outcome.nNew} added row${result.outcome.nNew === 1 ? '' : 's'} updated the model online; ${moved}.`);
    } catch (e) {
      this.log.error(`Watching ${fileName(w.uri)} failed: ${sentence(e)}.`, (e as Error).stack);
    } finally {
      w.busy = false;
      if (w.again && this.watching === w) {
        w.again = false;
        void this.onWatchedChange(w);
      }
    }
  }

  // ------------------------------------------------------------------------------------------

  private setCurrent(next: CurrentModel): void {
    const before = this.current?.csv?.toString();
    this.current = next;
    this.updateContext();
    if (before !== next.csv?.toString() || !this.watching) void this.syncWatch();
  }

  private requireModel(what: string): CurrentModel | undefined {
    if (!this.current) this.log.error(`There is no model to ${what}: cluster a CSV file or run "Centroid: Load Model…" first.`);
    return this.current;
  }

  private updateContext(): void {
    const c = this.current;
    void vscode.commands.executeCommand('setContext', 'centroid.hasModel', c !== undefined);
    void vscode.commands.executeCommand('setContext', 'centroid.canAddRows', c?.model.metric === 'euclidean');
    void vscode.commands.executeCommand('setContext', 'centroid.canWatch', c?.model.metric === 'euclidean' && c.csv !== undefined && c.fittedRows !== null);
    void vscode.commands.executeCommand('setContext', 'centroid.watching', this.watching !== undefined);
    if (this.watching) {
      this.watchStatus.text = `$(eye) ${fileName(this.watching.uri)}`;
      this.watchStatus.tooltip = `Centroid is watching ${fileName(this.watching.uri)}: rows added at the end update the model online. Click to stop.`;
      this.watchStatus.show();
    } else {
      this.watchStatus.hide();
    }
  }

  /** Runs a model job with a cancellable progress notification; undefined (and the user told why) on failure. */
  private async runJob<T>(
    request: PredictRequest | AddRowsRequest, title: string,
    onProgress?: (fraction: number | null, message: string) => void, onFailure?: (message: string) => void,
  ): Promise<T | undefined> {
    const config = vscode.workspace.getConfiguration('centroid');
    const limits = limitsFromConfig((k) => config.get(k));
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      let reported = 0;
      const handle = this.runner.run<T>(request, limits, (fraction, message) => {
        if (fraction !== null) {
          const percent = Math.round(fraction * 100);
          progress.report({ increment: Math.max(0, percent - reported), message });
          reported = Math.max(reported, percent);
        } else {
          progress.report({ message });
        }
        onProgress?.(fraction, message);
      });
      this.running = handle;
      const sub = token.onCancellationRequested(() => handle.cancel());
      try {
        return await handle.result;
      } catch (e) {
        const failure = e instanceof JobFailure ? e : new JobFailure(sentence(e), 'internal', (e as Error).stack);
        const message = failure.kind === 'cancelled' ? `${title} was cancelled` : failure.message;
        if (failure.kind === 'cancelled') vscode.window.setStatusBarMessage(`Centroid: ${message}`, 5000);
        else this.log.error(`${message}.`.replace(/\.\.$/, '.'), failure.detail);
        onFailure?.(`${message}.`.replace(/\.\.$/, '.'));
        return undefined;
      } finally {
        sub.dispose();
        if (this.running === handle) this.running = undefined;
      }
    });
  }
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.fsPath;
}

function asUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return arg.includes('://') ? vscode.Uri.parse(arg, true) : vscode.Uri.file(arg);
  return undefined;
}

/** A file name as a glob that matches only itself. */
function globLiteral(name: string): string {
  return name.replace(/[[\]{}*?]/g, (c) => `[${c}]`);
}

function activeCsv(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file' && (CSV_EXTENSION.test(doc.uri.path) || doc.languageId === 'csv' || doc.languageId === 'tsv')) return doc.uri;
  return undefined;
}

function clampInt(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

/**
 * A CSV to work on: the active one, another open one, or one chosen in an open dialog.
 * `prefer` is listed first when it is open; `exclude` is left out.
 */
async function pickCsv(title: string, prefer?: vscode.Uri, exclude?: vscode.Uri): Promise<vscode.Uri | undefined> {
  interface Item extends vscode.QuickPickItem { uri?: vscode.Uri }
  const seen = new Set<string>();
  const items: Item[] = [];
  const add = (uri: vscode.Uri | undefined, description: string): void => {
    if (!uri || seen.has(uri.toString()) || uri.toString() === exclude?.toString()) return;
    seen.add(uri.toString());
    items.push({ uri, label: fileName(uri), description });
  };
  add(activeCsv(), 'active editor');
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.uri.scheme === 'file' && CSV_EXTENSION.test(doc.uri.path)) add(doc.uri, 'open');
  }
  if (prefer && seen.size === 0) add(prefer, 'the model\'s file');
  items.push({ label: 'Choose a CSV file…' });
  const choice = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title, placeHolder: 'The CSV whose rows to use' });
  if (!choice) return undefined;
  if (choice.uri) return choice.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'CSV files': ['csv', 'tsv'] }, openLabel: 'Use this CSV', title });
  return picked?.[0];
}
