/**
 * "Export…": a Quick Pick of what to write (several at once), then the files beside the CSV
 * under free names (never overwriting), atomically, and a notification with Open buttons.
 * The labelled CSV and the report use the mapping in use (edited in the panel, if it was);
 * the report's chart image comes from the panel's canvas.
 */
import * as vscode from 'vscode';
import { showInformation } from './notify';
import { version as engineVersion } from '../../package.json';
import { labelColumn } from '../csv/dataset';
import { EXPORT_KINDS, withDependencies, writeExports, type ExportKind, type WrittenFile } from '../node/exportFiles';
import { FileError, writeFileUnique } from '../node/files';
import { medoidsItemsCsv } from '../pipeline/medoidsExport';
import { readSourceTable } from '../node/sourceTable';
import { densityLabelledCsv, type MappingInUse } from '../pipeline/exports';
import type { ClustersOutput } from '../protocol/density';
import { mappingRecord, studyLabels } from '../pipeline/labelMap';
import { modelFromFit } from '../pipeline/model';
import { limitsFromConfig } from './config';
import type { ClusterController } from './controller';
import { capitalised, type LabelMapper } from './labelsCommand';
import { sentence, type Log } from './log';
import { toFitReport } from './report';

const ITEMS: Record<ExportKind, { label: string; detail: string; picked: boolean }> = {
  labelledCsv: { label: 'Labelled CSV', detail: 'The original columns plus cluster, distance to centre and mapped label', picked: true },
  centroidsCsv: { label: 'Centroids CSV', detail: 'One row per cluster: size, class and centre in the original units', picked: true },
  model: { label: 'Model JSON', detail: 'Centres, scaling and settings, for Predict and Add Rows (*.centroid.json)', picked: false },
  report: { label: 'Markdown report', detail: 'Metrics, sizes, centroids, mapping, and the chart as a PNG beside it', picked: true },
  python: { label: 'Reproduce in Python', detail: 'A scikit-learn script that refits from the exported CSVs (adds them)', picked: false },
};

const OPEN: Partial<Record<WrittenFile['kind'], string>> = {
  labelledCsv: 'Open Labelled CSV',
  report: 'Open Report',
  python: 'Open Script',
  centroidsCsv: 'Open Centroids',
  model: 'Open Model',
};

export class Exporter {
  constructor(
    private readonly controller: ClusterController,
    private readonly labels: LabelMapper,
    private readonly log: Log,
  ) {}

  /**
   * Runs "Export…" for `uri`. `kinds` skips the Quick Pick. Resolves to the files written,
   * or undefined when there was nothing to export, the user backed out, or it failed (the
   * user has been told why).
   */
  async exportFiles(uri: vscode.Uri, kinds?: readonly ExportKind[]): Promise<string[] | undefined> {
    const name = fileName(uri);
    // A DBSCAN or HDBSCAN result is the current one: its labels (noise -1), in one labelled CSV.
    const density = this.controller.densityOf(uri);
    if (density) return this.exportDensity(uri, density);
    const result = this.controller.resultOf(uri);
    if (!result) {
      this.log.error(`Nothing to export for ${name} yet: run Cluster this CSV on it first.`);
      return undefined;
    }
    // A file of distances: its items (not its rows) have clusters, so one items CSV.
    if (result.output.medoids) return this.exportItems(uri, result.output.medoids);
    let chosen: Set<ExportKind>;
    if (kinds) chosen = new Set(kinds.filter((k) => (EXPORT_KINDS as readonly string[]).includes(k)));
    else {
      const picked = await vscode.window.showQuickPick(EXPORT_KINDS.map((what) => ({ what, ...ITEMS[what] })), {
        title: `Export the clusters of ${name}`,
        placeHolder: 'What to write beside the CSV (Enter writes the ticked ones; nothing is overwritten)',
        canPickMany: true,
        ignoreFocusOut: true,
      });
      if (!picked) return undefined;
      chosen = new Set(picked.map((p) => p.what));
    }
    if (chosen.size === 0) return undefined;
    const { output } = result;
    const config = vscode.workspace.getConfiguration('centroid');
    const limits = limitsFromConfig((k) => config.get(k));

    let written: WrittenFile[];
    try {
      written = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Exporting ${name}`, cancellable: true },
        async (progress, token) => {
          progress.report({ message: `reading ${name}` });
          const source = readSourceTable(uri.fsPath, { bytes: output.file.bytes, nRows: output.labels.length }, limits.maxBytes);
          if (token.isCancellationRequested) return [];
          let mapping: MappingInUse | null = this.labels.current(uri) ?? null;
          if (!mapping && output.labelColumn) {
            const study = studyLabels(labelColumn(source.table, output.labelColumn.name).values, output.labels, output.report.options.k, output.labelColumn.name);
            mapping = this.labels.adopt(uri, output, study);
          }
          const all = withDependencies(chosen);
          let chartPng: Uint8Array | null = null;
          if (all.has('report')) {
            progress.report({ message: 'getting the chart' });
            const dataUrl = await this.controller.panelOf(uri)?.chartPng();
            if (dataUrl) chartPng = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
          }
          if (token.isCancellationRequested) return [];
          const report = toFitReport(output);
          const model = all.has('model') ? {
            ...modelFromFit({
              report,
              scaler: { kind: report.options.scale, offset: output.model.offset, scale: output.model.scale },
              fitCenters: { data: output.model.centers, nRows: report.options.k, nCols: report.featureNames.length },
              counts: Float64Array.from(report.counts),
            }, engineVersion, { sha256: source.sha256, nRows: source.table.rows.length, file: name }),
            ...(mapping ? { labelColumn: mapping.study.column, mapping: { clusterToLabel: mappingRecord(mapping.mapping) } } : {}),
          } : null;
          progress.report({ message: 'writing' });
          return writeExports({ sourcePath: uri.fsPath, table: source.table, report, labels: mapping, model, chartPng, kinds: chosen });
        },
      );
    } catch (e) {
      const message = e instanceof FileError ? capitalised(sentence(e)) : `Cannot export ${name}: ${sentence(e)}`;
      this.log.error(`${message}.`.replace(/\.\.$/, '.'), (e as Error).stack);
      return undefined;
    }
    if (written.length === 0) {
      vscode.window.setStatusBarMessage(`Centroid: export of ${name} cancelled`, 5000);
      return undefined;
    }
    const paths = written.map((w) => w.path);
    this.log.info(`exported ${name}: ${paths.join(', ')}`);
    void this.notify(name, written);
    return paths;
  }

  /**
   * Writes `<file>.clusters.csv` beside the CSV, never overwriting: the rows with the density
   * result's cluster (-1 for noise), a `noise` marker and HDBSCAN's membership strength.
   */
  private exportDensity(uri: vscode.Uri, output: ClustersOutput): string[] | undefined {
    const name = fileName(uri);
    const config = vscode.workspace.getConfiguration('centroid');
    const limits = limitsFromConfig((k) => config.get(k));
    let target: string;
    try {
      const source = readSourceTable(uri.fsPath, { bytes: output.file.bytes, nRows: output.labels.length }, limits.maxBytes);
      target = writeFileUnique(uri.fsPath.replace(/\.[^./\\]*$/, '') + '.clusters.csv', densityLabelledCsv(source.table, output.labels, output.probabilities));
    } catch (e) {
      this.log.error(`${e instanceof FileError ? capitalised(sentence(e)) : `Cannot export ${name}: ${sentence(e)}`}.`.replace(/\.\.$/, '.'), (e as Error).stack);
      return undefined;
    }
    this.log.info(`exported the ${output.mode === 'dbscan' ? 'DBSCAN' : 'HDBSCAN'} result of ${name}: ${target}`);
    void this.notify(name, [{ kind: 'labelledCsv', path: target }]);
    return [target];
  }

  /** Writes `<file>.clusters.csv` (item, cluster, medoid, distance) beside a file of distances, never overwriting. */
  private exportItems(uri: vscode.Uri, medoids: Parameters<typeof medoidsItemsCsv>[0]): string[] | undefined {
    const name = fileName(uri);
    let target: string;
    try {
      target = writeFileUnique(uri.fsPath.replace(/\.[^./\\]*$/, '') + '.clusters.csv', medoidsItemsCsv(medoids));
    } catch (e) {
      this.log.error(`${e instanceof FileError ? capitalised(sentence(e)) : `Cannot export ${name}: ${sentence(e)}`}.`.replace(/\.\.$/, '.'), (e as Error).stack);
      return undefined;
    }
    this.log.info(`exported ${name}: ${target}`);
    void this.notify(name, [{ kind: 'labelledCsv', path: target }]);
    return [target];
  }

  private async notify(name: string, written: WrittenFile[]): Promise<void> {
    const buttons = written.filter((w) => OPEN[w.kind] !== undefined).slice(0, 3);
    const list = written.map((w) => w.path.split(/[\\/]/).pop()).join(', ');
    const pick = await showInformation(
      `Exported ${written.length} file${written.length === 1 ? '' : 's'} beside ${name}: ${list}.`,
      ...buttons.map((w) => OPEN[w.kind] as string),
    );
    const target = buttons.find((w) => OPEN[w.kind] === pick);
    if (!target) return;
    const uri = vscode.Uri.file(target.path);
    if (target.kind === 'report') await vscode.commands.executeCommand('markdown.showPreview', uri);
    else await vscode.window.showTextDocument(uri, { preview: false });
  }
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.fsPath;
}
