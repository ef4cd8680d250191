/**
 * Row 5's event-loop delay: a plain Node host (standing in for the extension host) runs the
 * shipped worker, dist/worker.js, on big.csv exactly as the extension does (a `job/start`
 * message, a shared cancel flag, progress messages back) while monitorEventLoopDelay
 * samples the host's event loop every 10 ms. Prints the worst and the 99th-percentile delay
 * in milliseconds, the job's duration and how many progress messages arrived.
 *
 *   node eventloop.js DIST_WORKER_JS FILE.csv K
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_SETTINGS, type JobStart } from '../../src/protocol/messages';
import { printResult } from './io';

const [workerPath, file, kText] = process.argv.slice(2);
const histogram = monitorEventLoopDelay({ resolution: 10 });
const worker = new Worker(resolve(workerPath));
const start: JobStart = {
  type: 'job/start',
  id: 1,
  file,
  settings: { ...DEFAULT_SETTINGS, k: Number(kText) },
  maxBytes: 2 ** 31,
  maxPoints: 5000, // the extension's default centroid.plot.maxPoints
  cancelFlag: new SharedArrayBuffer(4),
};
let progress = 0;
// Timers keep the host's loop turning, as the extension host's always does; the gaps
// between them also say when the worst stalls happened.
let last = performance.now();
const gaps: [number, number][] = [];
const tick = setInterval(() => {
  const now = performance.now();
  gaps.push([now - last, (now - t0) / 1000]);
  last = now;
}, 5);
histogram.enable();
const t0 = performance.now();
worker.on('message', (message: { type: string; ok?: boolean; error?: unknown }) => {
  if (message.type === 'job/progress') {
    progress++;
    return;
  }
  if (message.type !== 'job/result' && message.type !== 'job/error') return;
  const seconds = (performance.now() - t0) / 1000;
  const resultAt = seconds;
  histogram.disable();
  clearInterval(tick);
  printResult({
    seconds,
    ok: message.type === 'job/result' && message.ok === true,
    maxDelayMs: histogram.max / 1e6,
    p99DelayMs: histogram.percentile(99) / 1e6,
    meanDelayMs: histogram.mean / 1e6,
    progressMessages: progress,
    // The three longest gaps between 5 ms ticks: [ms, seconds after the start].
    worstGaps: gaps.sort((a, b) => b[0] - a[0]).slice(0, 3).map(([g, at]) => [Math.round(g), Number(at.toFixed(2))]),
    resultAt: Number(resultAt.toFixed(2)),
    error: message.type === 'job/error' ? JSON.stringify(message.error).slice(0, 200) : undefined,
  });
  void worker.terminate();
});
worker.postMessage(start);
