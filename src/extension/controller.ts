/**
 * Runs "Cluster this CSV" end to end for a file: settings, size check, worker job with a
 * cancellable progress notification, then the panel, the annotations and the status bar.
 * Keeps the last result per file (for the panel, the annotations and the test API).
 */
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { showInformation, showWarning } from './notify';
import type { FitReport } from '../pipeline/types';
import { fileTooLargeMessage } from '../protocol/format';
import type { MappingBasisTag } from '../protocol/labels';
import { parseRunSettings, type JobOutput, type RunSettings } from '../protocol/messages';
import type { WebviewFitK } from '../protocol/sweep';
import type { ClustersOutput, DensityRequest } from '../protocol/density';
import type { AnnotationManager } from './annotations';
import { columnsFromHead, pickColumns } from './columnsPick';
import { chartPngPath, pngBytes, suggestedChartPath } from '../node/chartPng';
import { notRegularMessage, numberedPath, specialKind, writeFileAtomic } from '../node/files';
import { askDistanceChoice } from './distanceChoice';
import { unansweredMessage } from './distanceChoiceText';
import { limitsFromConfig, settingsFromConfig } from './config';
import { JobFailure, type JobHandle, type JobRunner } from './jobRunner';
import { sentence, type Log } from './log';
import { ClusterPanel, type PanelHost } from './panel';
import { densityStatusText, statusText, toFitReport } from './report';

/** Per-file settings from the panel's form are remembered under this workspaceState key prefix. */
const SETTINGS_KEY = 'centroid.settings:';

interface FileResult {
  uri: vscode.Uri;
  output: JobOutput;
  settings: RunSettings;
  report: FitReport | undefined;
}

/** A DBSCAN or HDBSCAN result shown for a file (in place of a k-means result: a file has one current result). */
interface DensityResult {
  uri: vscode.Uri;
  output: ClustersOutput;
  settings: RunSettings;
}

interface Running {
  handle: JobHandle;
  /** Set when a newer run of the same file replaces this one. */
  superseded: boolean;
}

export class ClusterController implements PanelHost, vscode.Disposable {
  /** The current k-means (or k-medoids, or predicted) result per file; absent when a density result is current. */
  private readonly results = new Map<string, FileResult>();
  /** The current DBSCAN or HDBSCAN result per file; absent when a k-means result is current. */
  private readonly densityResults = new Map<string, DensityResult>();
  private readonly running = new Map<string, Running>();
  private readonly panels = new Map<string, ClusterPanel>();
  private lastKey: string | undefined;
  /** Runs "Choose k…" for the panels' buttons (set once by activate). */
  private sweeps: { run(uri: vscode.Uri): Promise<unknown>; cancel(uri: vscode.Uri): void } | undefined;
  /** Runs the Density view's steps (set once by activate). */
  private densities: { run(uri: vscode.Uri, request: DensityRequest): Promise<unknown>; cancel(uri: vscode.Uri): void } | undefined;
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  /** Handles the panel's label mapping and Export button (see labelsCommand.ts, exportCommand.ts). */
  labelsHost: Pick<PanelHost, 'setMapping' | 'exportFrom'> | undefined;
  private readonly fitEmitter = new vscode.EventEmitter<{ uri: vscode.Uri; output: JobOutput }>();
  /** Fires after every finished fit (not after results shown through showOutput). */
  readonly onDidFit = this.fitEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runner: JobRunner,
    private readonly annotations: AnnotationManager,
    private readonly log: Log,
  ) {
    this.status = vscode.window.createStatusBarItem('centroid.status', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'Centroid clusters';
    this.disposables.push(
      this.status,
      this.fitEmitter,
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
    );
    this.updateStatus();
  }

  /** The report of the last finished run for `uri` (string form or fsPath), or of the last run at all. */
  lastReport(uri?: string): FitReport | undefined {
    let r: FileResult | undefined;
    if (uri === undefined) r = this.lastKey !== undefined ? this.results.get(this.lastKey) : undefined;
    else {
      r = this.results.get(uri);
      if (!r) for (const candidate of this.results.values()) if (candidate.uri.fsPath === uri || candidate.uri.toString() === uri) r = candidate;
    }
    if (!r) return undefined;
    r.report ??= toFitReport(r.output);
    return r.report;
  }

  /** The last finished run of `uri`: what the worker sent back and the settings it ran with. */
  resultOf(uri: vscode.Uri): { output: JobOutput; settings: RunSettings } | undefined {
    const r = this.results.get(uri.toString());
    return r ? { output: r.output, settings: r.settings } : undefined;
  }

  /** The open panel of `uri`, if any. */
  panelOf(uri: vscode.Uri): ClusterPanel | undefined {
    return this.panels.get(uri.toString());
  }

  hasResult(uri: vscode.Uri): boolean {
    return this.results.has(uri.toString());
  }

  /** The DBSCAN or HDBSCAN result of `uri` when it is the current one (a later k-means run removes it). */
  densityOf(uri: vscode.Uri): ClustersOutput | undefined {
    return this.densityResults.get(uri.toString())?.output;
  }

  /**
   * Makes a DBSCAN or HDBSCAN result the current one of `uri`: the cluster view, the
   * annotations and the status bar show it, Export writes it, and the k-means result it
   * replaces is dropped so that nothing shows it any more (a later k-means run replaces this
   * one the same way).
   */
  showDensityResult(uri: vscode.Uri, output: ClustersOutput, settings: RunSettings): void {
    const key = uri.toString();
    this.results.delete(key);
    this.densityResults.set(key, { uri, output, settings });
    this.lastKey = key;
    void vscode.commands.executeCommand('setContext', 'centroid.hasResults', true);
    const panel = this.panelFor(uri);
    panel.showSettings(settings, output.file.columns);
    panel.showResult(output.view, settings);
    this.annotations.setDensity(uri, output);
    this.updateStatus();
  }

  /** The file of the Centroid panel that is active, if one is. */
  activePanelUri(): vscode.Uri | undefined {
    for (const panel of this.panels.values()) if (panel.active) return panel.uri;
    return undefined;
  }

  /** Settings for a run of `uri`: what the panel's form last used for it, else the configuration. */
  settingsFor(uri: vscode.Uri): RunSettings {
    const stored = this.context.workspaceState.get<unknown>(SETTINGS_KEY + uri.toString());
    if (stored !== undefined) {
      try {
        return parseRunSettings(stored);
      } catch (e) {
        this.log.info(`ignored remembered settings for ${uri.fsPath}: ${(e as Error).message}`);
      }
    }
    const config = vscode.workspace.getConfiguration('centroid');
    const { settings, warnings } = settingsFromConfig((key) => config.get(key));
    for (const w of warnings) this.log.info(`settings: ${w}`);
    return settings;
  }

  /**
   * Clusters `uri` and shows the result. Resolves to the report, or undefined when the run
   * was cancelled or failed (the user has then been told why, in one sentence).
   */
  async cluster(uri: vscode.Uri, settings?: RunSettings): Promise<FitReport | undefined> {
    try {
      return await this.clusterOrThrow(uri, settings);
    } catch {
      // Already reported (notification, panel, output channel).
      return undefined;
    }
  }

  /** Opens (or reveals) the panel of `uri`; clusters the file first when it has no result yet. */
  async showPanel(uri: vscode.Uri): Promise<void> {
    const result = this.results.get(uri.toString()) ?? this.densityResults.get(uri.toString());
    if (!result) {
      await this.cluster(uri);
      return;
    }
    const existing = this.panels.get(uri.toString());
    if (existing) {
      existing.reveal(false);
      return;
    }
    const panel = this.panelFor(uri);
    panel.showSettings(result.settings, result.output.file.columns);
    panel.showResult(result.output.view, result.settings);
  }

  /** Adopts a panel VS Code restored after a reload, and fills it again. */
  restorePanel(webviewPanel: vscode.WebviewPanel, uri: vscode.Uri): void {
    const key = uri.toString();
    this.panels.get(key)?.dispose();
    const panel = new ClusterPanel(uri, this.context.extensionUri, this, this.log, webviewPanel);
    this.track(key, panel);
    const result = this.results.get(key) ?? this.densityResults.get(key);
    if (result) {
      panel.showSettings(result.settings, result.output.file.columns);
      panel.showResult(result.output.view, result.settings);
    } else {
      void this.clusterOrThrow(uri, undefined, panel).catch(() => undefined);
    }
  }

  /**
   * Asks for the feature and label columns of `uri` (Quick Picks), remembers them for the
   * file and runs. Resolves like cluster(); undefined also when the user backs out.
   */
  async chooseColumns(uri: vscode.Uri): Promise<FitReport | undefined> {
    const name = fileName(uri);
    let columns = this.results.get(uri.toString())?.output.file.columns;
    if (!columns) {
      try {
        columns = await columnsFromHead(uri.fsPath);
      } catch (e) {
        this.log.error(`Cannot read the columns of ${name}: ${sentence(e)}.`, (e as Error).stack);
        return undefined;
      }
    }
    const next = await pickColumns(name, columns, this.settingsFor(uri));
    if (!next) return undefined;
    await this.context.workspaceState.update(SETTINGS_KEY + uri.toString(), next);
    return this.cluster(uri, next);
  }

  /** Who runs "Choose k…" when a panel's button asks for it. */
  attachSweeps(sweeps: { run(uri: vscode.Uri): Promise<unknown>; cancel(uri: vscode.Uri): void }): void {
    this.sweeps = sweeps;
  }

  /** Who runs the Density view's k-distance, DBSCAN and HDBSCAN steps. */
  attachDensity(densities: { run(uri: vscode.Uri, request: DensityRequest): Promise<unknown>; cancel(uri: vscode.Uri): void }): void {
    this.densities = densities;
  }

  /** The panel of `uri`, opened beside the editor (without focus) when it has none. */
  openPanel(uri: vscode.Uri): ClusterPanel {
    return this.panelFor(uri);
  }

  /**
   * Shows an output computed elsewhere (rows predicted with a saved model) for `uri` as a fit
   * is shown: panel, annotations, status bar. Its panel's Run button refits as usual.
   */
  async showOutput(uri: vscode.Uri, output: JobOutput, settings: RunSettings): Promise<void> {
    const key = uri.toString();
    this.densityResults.delete(key);
    this.results.set(key, { uri, output, settings, report: undefined });
    this.lastKey = key;
    void vscode.commands.executeCommand('setContext', 'centroid.hasResults', true);
    await this.ensureEditor(uri, output.file.bytes);
    const panel = this.panelFor(uri);
    panel.showSettings(settings, output.file.columns);
    panel.showResult(output.view, settings);
    this.annotations.setResult(uri, output);
    this.updateStatus();
  }

  /** The output last shown for `uri` (a fit or a prediction). */
  outputOf(uri: vscode.Uri): JobOutput | undefined {
    return this.results.get(uri.toString())?.output;
  }

  /** Stops the run of `uri`, if one is going. */
  cancelRun(uri: vscode.Uri): void {
    this.running.get(uri.toString())?.handle.cancel();
  }

  // PanelHost ------------------------------------------------------------------------------

  async rerun(panel: ClusterPanel, settings: RunSettings): Promise<void> {
    await this.context.workspaceState.update(SETTINGS_KEY + panel.uri.toString(), settings);
    // The outcome reaches the panel as panel/result or panel/failed; failures are reported there.
    void this.clusterOrThrow(panel.uri, settings, panel).catch(() => undefined);
  }

  cancel(panel: ClusterPanel): void {
    this.cancelRun(panel.uri);
  }

  async revealRow(panel: ClusterPanel, row: number): Promise<void> {
    const result = this.results.get(panel.uri.toString()) ?? this.densityResults.get(panel.uri.toString());
    if (!result || row >= result.output.file.rowLine.length) return;
    const fitLine = result.output.file.rowLine[row];
    const lines = this.annotations.linesOf(panel.uri);
    const line = lines ? lines.lineOfRow(row, fitLine) : fitLine;
    const name = fileName(panel.uri);
    if (line < 0) {
      void showInformation(`Row ${row} of ${name} was deleted since it was clustered.`);
      return;
    }
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(panel.uri);
    } catch {
      // VS Code does not give extensions documents over 50 MB: say where the row is instead.
      void showInformation(`Row ${row} of ${name} is on line ${line + 1}; the file is too large for the editor to open here.`);
      return;
    }
    if (line >= doc.lineCount) return;
    const range = doc.lineAt(line).range;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString());
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: false,
      selection: new vscode.Selection(range.start, range.end),
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  async savePng(panel: ClusterPanel, dataUrl: string): Promise<string | null> {
    const bytes = pngBytes(dataUrl);
    // Suggest a free name, so that Enter never replaces an earlier chart; a file the user
    // picks in the dialog is theirs to replace (the dialog asks first).
    const defaultUri = panel.uri.scheme === 'file'
      ? vscode.Uri.file(suggestedChartPath(panel.uri.fsPath))
      : await freeUri(panel.uri.with({ path: chartPngPath(panel.uri.path) }));
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: { 'PNG image': ['png'] }, saveLabel: 'Save Chart' });
    if (!target) return null;
    if (target.scheme === 'file') writeFileAtomic(target.fsPath, bytes, { replace: true });
    else await vscode.workspace.fs.writeFile(target, bytes);
    this.log.info(`saved the chart of ${panel.uri.fsPath} to ${target.fsPath}`);
    return target.fsPath;
  }

  setMapping(panel: ClusterPanel, mapping: (string | null)[], basis: MappingBasisTag): Promise<void> {
    return this.labelsHost?.setMapping?.(panel, mapping, basis) ?? Promise.reject(new Error('run Map Clusters to Labels first'));
  }

  exportFrom(panel: ClusterPanel): void {
    this.labelsHost?.exportFrom?.(panel);
  }

  chooseK(panel: ClusterPanel): void {
    void this.sweeps?.run(panel.uri);
  }

  cancelSweep(panel: ClusterPanel): void {
    this.sweeps?.cancel(panel.uri);
  }

  density(panel: ClusterPanel, request: DensityRequest): void {
    void this.densities?.run(panel.uri, request);
  }

  cancelDensity(panel: ClusterPanel): void {
    this.densities?.cancel(panel.uri);
  }

  /** Fits the k picked in the Choose k view with the file's settings and that setting's init and metric. */
  fitK(panel: ClusterPanel, choice: Omit<WebviewFitK, 'type'>): void {
    // The sweep's own init, not known centres: those may not fit the k picked either.
    const { known: _known, ...base } = this.results.get(panel.uri.toString())?.settings ?? this.settingsFor(panel.uri);
    void this.rerun(panel, { ...base, k: choice.k, init: choice.init, metric: choice.metric });
  }

  dispose(): void {
    for (const r of this.running.values()) r.handle.cancel();
    for (const panel of [...this.panels.values()]) panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  // ------------------------------------------------------------------------------------------

  private panelFor(uri: vscode.Uri): ClusterPanel {
    const key = uri.toString();
    const existing = this.panels.get(key);
    if (existing) {
      if (!existing.visible) existing.reveal(true);
      return existing;
    }
    const panel = new ClusterPanel(uri, this.context.extensionUri, this, this.log);
    this.track(key, panel);
    return panel;
  }

  private track(key: string, panel: ClusterPanel): void {
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
  }

  /** As cluster(), but rejects with a JobFailure (already reported to the user) on failure. */
  private async clusterOrThrow(uri: vscode.Uri, given?: RunSettings, panelHint?: ClusterPanel): Promise<FitReport> {
    const key = uri.toString();
    const name = fileName(uri);
    const settings = given ?? this.settingsFor(uri);
    const config = vscode.workspace.getConfiguration('centroid');
    const limits = limitsFromConfig((k) => config.get(k));

    if (uri.scheme !== 'file') {
      this.refuse(key, `Centroid reads CSV files from disk, and ${name} is not a file on disk; save it as a .csv file first.`);
    }
    let size = 0;
    try {
      const st = await fsp.stat(uri.fsPath);
      if (st.isDirectory()) this.refuse(key, `${name} is a folder; choose a CSV file.`);
      // A device or a pipe (often behind a symbolic link) has no end to read: never opened.
      const kind = specialKind(st);
      if (kind !== null) this.refuse(key, `${notRegularMessage({ name, noun: 'CSV file' }, kind)}.`);
      size = st.size;
    } catch (e) {
      if (e instanceof JobFailure) throw e;
      this.refuse(key, `Cannot read ${name}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : sentence(e)}.`);
    }
    if (size > limits.maxBytes) this.refuse(key, `${fileTooLargeMessage(name, size, limits.maxBytes)}.`);

    if (!panelHint) await this.ensureEditor(uri, size);
    const panel = panelHint ?? this.panelFor(uri);
    panel.showSettings(settings, this.results.get(key)?.output.file.columns ?? []);
    panel.showRunning(0, `Starting on ${name}`);
    const dirty = vscode.workspace.textDocuments.some((d) => d.uri.toString() === key && d.isDirty);

    const previous = this.running.get(key);
    if (previous) {
      previous.superseded = true;
      previous.handle.cancel();
    }
    this.updateStatus(uri, 'running');

    let output: JobOutput;
    try {
      output = await this.runWithProgress(uri, key, name, settings, limits);
    } catch (e) {
      // A file of distances raised a question: ask it, remember the answer, run again.
      if (e instanceof JobFailure && e.choice && e.kind === 'input') return this.answerChoice(uri, settings, e, panelHint);
      throw e;
    }
    return this.finish(uri, key, name, settings, output, dirty);
  }

  /** Remembers `settings` for `uri` (as the panel's form does), e.g. the answer to a question about its distances. */
  async rememberSettings(uri: vscode.Uri, settings: RunSettings): Promise<void> {
    await this.context.workspaceState.update(SETTINGS_KEY + uri.toString(), settings);
  }

  /** Asks the question of `failure`, then runs again with the answer; Stop or Escape ends the run with its message. */
  private async answerChoice(uri: vscode.Uri, settings: RunSettings, failure: JobFailure, panelHint?: ClusterPanel): Promise<FitReport> {
    const key = uri.toString();
    const next = failure.choice ? await askDistanceChoice(fileName(uri), failure.choice, settings) : undefined;
    if (!next) {
      const message = failure.choice ? unansweredMessage(fileName(uri), failure.choice, failure.message) : failure.message;
      this.log.error(message, failure.detail);
      this.panels.get(key)?.showFailure(message, false);
      throw failure;
    }
    await this.context.workspaceState.update(SETTINGS_KEY + key, next);
    return this.clusterOrThrow(uri, next, panelHint ?? this.panels.get(key));
  }

  private async runWithProgress(
    uri: vscode.Uri, key: string, name: string, settings: RunSettings, limits: ReturnType<typeof limitsFromConfig>,
  ): Promise<JobOutput> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Clustering ${name}`, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        const handle = this.runner.start(uri.fsPath, settings, limits, (fraction, message) => {
          if (fraction !== null) {
            const percent = Math.round(fraction * 100);
            progress.report({ increment: Math.max(0, percent - reported), message });
            reported = Math.max(reported, percent);
          } else {
            progress.report({ message });
          }
          this.panels.get(key)?.showRunning(fraction, message);
        });
        const run: Running = { handle, superseded: false };
        this.running.set(key, run);
        const sub = token.onCancellationRequested(() => handle.cancel());
        try {
          return await handle.result;
        } catch (e) {
          const failure = e instanceof JobFailure ? e : new JobFailure(sentence(e), 'internal', (e as Error).stack);
          if (!run.superseded) {
            if (failure.choice && failure.kind === 'input') {
              this.log.info(`${name}: a question for the user: ${failure.message}`);
              this.panels.get(key)?.showRunning(null, 'Waiting for an answer in the Quick Pick');
            } else if (failure.kind === 'cancelled') {
              this.log.info(failure.message);
              vscode.window.setStatusBarMessage(`Centroid: ${failure.message}`, 5000);
              this.panels.get(key)?.showFailure(failure.message, true);
            } else {
              this.log.error(failure.message, failure.detail);
              this.panels.get(key)?.showFailure(failure.message, false);
            }
          }
          // A superseded run's question is not asked: the newer run asks its own.
          throw run.superseded && failure.choice ? new JobFailure(failure.message, failure.kind, failure.detail) : failure;
        } finally {
          sub.dispose();
          if (this.running.get(key) === run) this.running.delete(key);
          this.updateStatus();
        }
      },
    );
  }

  private finish(uri: vscode.Uri, key: string, name: string, settings: RunSettings, output: JobOutput, dirty: boolean): FitReport {
    if (dirty) output.view.warnings.unshift(`${name} has unsaved changes; this fit used the version saved on disk`);
    const result: FileResult = { uri, output, settings, report: undefined };
    this.densityResults.delete(key);
    this.results.set(key, result);
    this.lastKey = key;
    void vscode.commands.executeCommand('setContext', 'centroid.hasResults', true);
    const t = output.timings;
    this.log.info(`${uri.fsPath}: k=${settings.k}, ${output.labels.length} rows, inertia ${output.report.inertia}; `
      + `read ${t.readMs} ms, parse ${t.parseMs} ms, fit ${t.fitMs} ms, total ${t.totalMs} ms`);
    for (const w of output.view.warnings) this.log.info(`${name}: warning: ${w}`);
    if (output.medoids) {
      const conversion = output.view.medoids?.conversion;
      if (conversion) this.log.info(`${name}: similarities converted to distances by ${conversion}`);
      // Symmetrising changes the input: say so where it cannot be missed.
      const asymmetric = output.view.warnings.find((w) => w.startsWith('the matrix is not symmetric'));
      if (asymmetric) void showWarning(`${name}: ${asymmetric}.`);
    }

    this.panels.get(key)?.showSettings(settings, output.file.columns);
    this.panels.get(key)?.showResult(output.view, settings);
    this.annotations.setResult(uri, output);
    this.updateStatus();
    this.fitEmitter.fire({ uri, output });
    result.report = toFitReport(output);
    return result.report;
  }

  /**
   * Shows the CSV in an editor when none does, so the panel opens beside it and the
   * annotations have somewhere to go. Files over 50 MB are not opened: VS Code does not
   * hand them to extensions, and the worker reads them from disk anyway.
   */
  private async ensureEditor(uri: vscode.Uri, size: number): Promise<void> {
    if (size > 50 * 1024 * 1024) return;
    if (vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString())) return;
    try {
      await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: false, viewColumn: vscode.ViewColumn.One });
    } catch (e) {
      this.log.info(`could not open ${uri.fsPath} in an editor: ${sentence(e)}`);
    }
  }

  /** Tells the user why a run cannot start, then throws the JobFailure that ends it. */
  private refuse(key: string, message: string): never {
    this.log.error(message);
    this.panels.get(key)?.showFailure(message, false);
    throw new JobFailure(message, 'input');
  }

  private updateStatus(runningUri?: vscode.Uri, state?: 'running'): void {
    const doc = vscode.window.activeTextEditor?.document;
    const uri = runningUri ?? doc?.uri;
    if (!uri) {
      this.status.hide();
      return;
    }
    const key = uri.toString();
    if (state === 'running' || this.running.has(key)) {
      if (doc?.uri.toString() !== key) return;
      this.status.text = '$(loading~spin) clustering…';
      this.status.tooltip = `Centroid is clustering ${fileName(uri)}`;
      this.status.command = undefined;
      this.status.show();
      return;
    }
    const density = this.densityResults.get(key);
    if (density) {
      this.status.text = densityStatusText(density.output);
      this.status.tooltip = `Centroid: ${density.output.view.summary}. Click to open the cluster panel.`;
      this.status.command = { title: 'Show Cluster Panel', command: 'centroid.showPanel', arguments: [uri] };
      this.status.show();
      return;
    }
    const result = this.results.get(key);
    if (!result) {
      this.status.hide();
      return;
    }
    this.status.text = statusText(result.output);
    this.status.tooltip = `Centroid: ${result.output.view.summary}. Click to open the cluster panel.`;
    this.status.command = { title: 'Show Cluster Panel', command: 'centroid.showPanel', arguments: [uri] };
    this.status.show();
  }
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.fsPath;
}

/** `uri` when nothing is there, else its first free numbered form (as uniquePath, through workspace.fs). */
async function freeUri(uri: vscode.Uri): Promise<vscode.Uri> {
  const taken = (u: vscode.Uri): Thenable<boolean> => vscode.workspace.fs.stat(u).then(() => true, () => false);
  if (!(await taken(uri))) return uri;
  for (let n = 2; ; n++) {
    const candidate = uri.with({ path: numberedPath(uri.path, n) });
    if (!(await taken(candidate))) return candidate;
  }
}
