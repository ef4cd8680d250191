/**
 * "Choose k…": asks for the range (and optionally starting methods, distances and seeds),
 * sweeps the file in the clustering worker with a cancellable progress notification, and
 * streams every scored setting to the Choose k view of the file's cluster panel. Picking a k
 * there fits it through the ordinary "Cluster this CSV" run.
 */
import * as vscode from 'vscode';
import type { SweepOutput, SweepRequest } from '../protocol/sweep';
import { askSweep } from './chooseKPick';
import { limitsFromConfig } from './config';
import type { ClusterController } from './controller';
import { JobFailure, type JobHandle, type JobRunner } from './jobRunner';
import { askDistanceChoice } from './distanceChoice';
import { unansweredMessage } from './distanceChoiceText';
import { sentence, type Log } from './log';

interface Running {
  handle: JobHandle<SweepOutput>;
  superseded: boolean;
}

export class ChooseKController implements vscode.Disposable {
  private readonly running = new Map<string, Running>();
  private readonly results = new Map<string, SweepOutput>();

  constructor(
    private readonly runner: JobRunner,
    private readonly clusters: ClusterController,
    private readonly log: Log,
  ) {}

  /** The last finished sweep of `uri` (URI string or file path), for tests and other extensions. */
  lastSweep(uri: string): SweepOutput | undefined {
    for (const [key, output] of this.results) if (key === uri || vscode.Uri.parse(key).fsPath === uri) return output;
    return undefined;
  }

  /**
   * Sweeps `uri`: asks for the range and options unless `given`, then runs in the worker.
   * Resolves to the output, or undefined when the user backed out, cancelled, or the sweep
   * failed (the user has been told why in one sentence).
   */
  async run(uri: vscode.Uri, given?: SweepRequest): Promise<SweepOutput | undefined> {
    const key = uri.toString();
    const name = fileName(uri);
    if (uri.scheme !== 'file') {
      this.log.error(`Centroid reads CSV files from disk, and ${name} is not a file on disk; save it as a .csv file first.`);
      return undefined;
    }
    const settings = this.clusters.settingsFor(uri);
    const request = given ?? await askSweep(name, settings);
    if (!request) return undefined;
    const config = vscode.workspace.getConfiguration('centroid');
    const limits = limitsFromConfig((k) => config.get(k));

    const previous = this.running.get(key);
    if (previous) {
      previous.superseded = true;
      previous.handle.cancel();
    }
    const panel = this.clusters.openPanel(uri);
    panel.showSweep({ type: 'panel/sweepStart', sweep: request, fileName: name });
    const grid = `k=${request.kMin}..${request.kMax}`;
    try {
      const output = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Choosing k for ${name}`, cancellable: true },
        async (progress, token) => {
          let reported = 0;
          const handle = this.runner.startSweep(uri.fsPath, settings, request, limits, (fraction, message) => {
            if (fraction !== null) {
              const percent = Math.round(fraction * 100);
              progress.report({ increment: Math.max(0, percent - reported), message });
              reported = Math.max(reported, percent);
            } else {
              progress.report({ message });
            }
            this.clusters.panelOf(uri)?.showSweep({ type: 'panel/sweepProgress', fraction, message });
          }, (row, index, total) => {
            this.clusters.panelOf(uri)?.showSweep({ type: 'panel/sweepRow', row, index, total });
          });
          const run: Running = { handle, superseded: false };
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
      this.results.set(key, output);
      const r = output.report;
      this.log.info(`${uri.fsPath}: Choose k ${grid}, ${r.results.length} settings, ${output.nRows} rows, ${Math.round(output.elapsedMs)} ms; `
        + `suggested k ${r.suggestedK ?? '-'}: ${r.why}`);
      this.clusters.panelOf(uri)?.showSweep({ type: 'panel/sweepResult', output });
      vscode.window.setStatusBarMessage(`Centroid: ${r.suggestedK === null ? 'no k suggested' : `suggested k=${r.suggestedK}`} for ${name}`, 8000);
      return output;
    } catch (e) {
      const failure = e instanceof JobFailure ? e : new JobFailure(sentence(e), 'internal', (e as Error).stack);
      if (failure.message === 'superseded') return undefined;
      if (failure.choice && failure.kind === 'input') {
        // A file of distances raised a question: ask it, remember the answer, sweep again.
        const next = await askDistanceChoice(name, failure.choice, settings);
        if (next) {
          await this.clusters.rememberSettings(uri, next);
          return this.run(uri, request);
        }
        const message = unansweredMessage(name, failure.choice, failure.message);
        this.log.error(message, failure.detail);
        this.clusters.panelOf(uri)?.showSweep({ type: 'panel/sweepFailed', message, cancelled: false });
        return undefined;
      }
      if (failure.kind === 'cancelled') {
        this.log.info(failure.message);
        vscode.window.setStatusBarMessage(`Centroid: ${failure.message}`, 5000);
      } else {
        this.log.error(failure.message, failure.detail);
      }
      this.clusters.panelOf(uri)?.showSweep({ type: 'panel/sweepFailed', message: failure.message, cancelled: failure.kind === 'cancelled' });
      return undefined;
    }
  }

  /** Stops the sweep of `uri`, if one is going. */
  cancel(uri: vscode.Uri): void {
    this.running.get(uri.toString())?.handle.cancel();
  }

  dispose(): void {
    for (const r of this.running.values()) r.handle.cancel();
    this.running.clear();
  }
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.fsPath;
}
