/**
 * "Density (DBSCAN)…": the k-distance curve of the file (to choose eps), then DBSCAN or
 * HDBSCAN with the parameters chosen in the panel's Density view, each in the clustering
 * worker with a cancellable progress notification. The numbers are those of `centroid dbscan`.
 */
import * as vscode from 'vscode';
import { densitySummary, type DensityOutput, type DensityRequest } from '../protocol/density';
import { limitsFromConfig } from './config';
import type { ClusterController } from './controller';
import { JobFailure, type JobHandle, type JobRunner } from './jobRunner';
import { sentence, type Log } from './log';

export class DensityController implements vscode.Disposable {
  private readonly running = new Map<string, { handle: JobHandle<DensityOutput>; superseded: boolean }>();

  constructor(
    private readonly runner: JobRunner,
    private readonly clusters: ClusterController,
    private readonly log: Log,
  ) {}

  /**
   * Runs `request` on `uri` and shows it in the panel's Density view. Resolves to the output,
   * or undefined when cancelled or failed (the user has been told why in one sentence).
   */
  async run(uri: vscode.Uri, request: DensityRequest): Promise<DensityOutput | undefined> {
    const key = uri.toString();
    const name = uri.path.split('/').pop() ?? uri.fsPath;
    if (uri.scheme !== 'file') {
      this.log.error(`Centroid reads CSV files from disk, and ${name} is not a file on disk; save it as a .csv file first.`);
      return undefined;
    }
    const settings = this.clusters.settingsFor(uri);
    const config = vscode.workspace.getConfiguration('centroid');
    const limits = limitsFromConfig((k) => config.get(k));
    const previous = this.running.get(key);
    if (previous) {
      previous.superseded = true;
      previous.handle.cancel();
    }
    this.clusters.openPanel(uri).showDensity({ type: 'panel/densityStart', request, fileName: name });
    const title = request.mode === 'kdistance' ? `k-distances of ${name}` : `${request.mode === 'dbscan' ? 'DBSCAN' : 'HDBSCAN'} on ${name}`;
    try {
      const output = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
          let reported = 0;
          const handle = this.runner.startDensity(uri.fsPath, settings, request, limits, (fraction, message) => {
            if (fraction !== null) {
              const percent = Math.round(fraction * 100);
              progress.report({ increment: Math.max(0, percent - reported), message });
              reported = Math.max(reported, percent);
            }
            this.clusters.panelOf(uri)?.showDensity({ type: 'panel/densityProgress', fraction, message });
          });
          const run = { handle, superseded: false };
          this.running.set(key, run);
          const sub = token.onCancellationRequested(() => handle.cancel());
          try {
            return await handle.result;
          } catch (e) {
            if (run.superseded) throw new JobFailure('superseded', 'cancelled');
            throw e;
          } finally {
            sub.dispose();
            if (this.running.get(key) === run) this.running.delete(key);
          }
        },
      );
      this.log.info(`${uri.fsPath}: ${title}: ${output.mode === 'kdistance'
        ? `suggested eps ${output.suggestedEps ?? '-'} (${output.why})`
        : `${output.nClusters} clusters, ${output.nNoise} noise rows`}`);
      // A DBSCAN or HDBSCAN result becomes the file's current result, drawn like any other.
      if (output.mode !== 'kdistance') this.clusters.showDensityResult(uri, output, settings);
      this.clusters.panelOf(uri)?.showDensity({ type: 'panel/densityResult', output: densitySummary(output) });
      return output;
    } catch (e) {
      const failure = e instanceof JobFailure ? e : new JobFailure(sentence(e), 'internal', (e as Error).stack);
      if (failure.message === 'superseded') return undefined;
      if (failure.kind === 'cancelled') {
        this.log.info(failure.message);
        vscode.window.setStatusBarMessage(`Centroid: ${failure.message}`, 5000);
      } else {
        this.log.error(failure.message, failure.detail);
      }
      this.clusters.panelOf(uri)?.showDensity({ type: 'panel/densityFailed', message: failure.message, cancelled: failure.kind === 'cancelled' });
      return undefined;
    }
  }

  cancel(uri: vscode.Uri): void {
    this.running.get(uri.toString())?.handle.cancel();
  }

  dispose(): void {
    for (const r of this.running.values()) r.handle.cancel();
    this.running.clear();
  }
}
