/** Guards of the host/worker/webview protocol: valid messages pass, anything else is named and refused. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SETTINGS, ProtocolError, assertNever, isHostToWebview, parseHostToWorker, parseRunSettings,
  parseWebviewMessage, parseWorkerMessage, transferablesOf, type JobOutput, type RunSettings,
} from '../../../src/protocol/messages';

const settings = (patch: Record<string, unknown> = {}): Record<string, unknown> => ({ ...DEFAULT_SETTINGS, ...patch });

describe('parseRunSettings', () => {
  it('accepts the defaults and returns an equal copy', () => {
    const parsed = parseRunSettings(structuredClone(DEFAULT_SETTINGS));
    assert.deepEqual(parsed, DEFAULT_SETTINGS);
  });

  it('keeps a full explicit choice and drops unknown fields', () => {
    const input = settings({
      k: 7, scale: 'standard', seed: 42, init: 'random', nInit: 10, algorithm: 'elkan', metric: 'cosine', missing: 'mean',
      label: { mode: 'column', name: 'species', extra: 1 }, columns: ['a', 'b'], view: { method: 'columns', x: 'a', y: 'b' },
      unknown: 'dropped',
    });
    const expected: RunSettings = {
      k: 7, scale: 'standard', seed: 42, init: 'random', nInit: 10, algorithm: 'elkan', metric: 'cosine', missing: 'mean',
      label: { mode: 'column', name: 'species' }, columns: ['a', 'b'], view: { method: 'columns', x: 'a', y: 'b' },
    };
    assert.deepEqual(parseRunSettings(input), expected);
  });

  it('names the value and the rule when a field is wrong', () => {
    assert.throws(() => parseRunSettings(settings({ k: 0 })), { name: 'ProtocolError', message: 'settings: k=0 should be a whole number from 1 to 1000' });
    assert.throws(() => parseRunSettings(settings({ k: 2.5 })), /k=2.5 should be a whole number/);
    assert.throws(() => parseRunSettings(settings({ k: '3' })), /k="3" should be a whole number/);
    assert.throws(() => parseRunSettings(settings({ scale: 'log' })), /scale="log" should be one of auto, none, standard, minmax/);
    assert.throws(() => parseRunSettings(settings({ nInit: 0 })), /nInit=0 should be a whole number from 1 to 1000/);
    assert.throws(() => parseRunSettings(settings({ columns: [] })), /columns should be null/);
    assert.throws(() => parseRunSettings(settings({ columns: [1] })), /columns should be null/);
    assert.throws(() => parseRunSettings(settings({ label: { mode: 'column' } })), /"name" is missing/);
    assert.throws(() => parseRunSettings(settings({ view: { method: 'tsne' } })), /method="tsne" should be one of pca, columns/);
    const { metric: _metric, ...noMetric } = settings();
    assert.throws(() => parseRunSettings(noMetric), /"metric" is missing/);
    assert.throws(() => parseRunSettings(null), /settings should be an object/);
  });
});

describe('parseWebviewMessage', () => {
  it('accepts every webview message', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'webview/ready' }), { type: 'webview/ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'webview/cancel', junk: 1 }), { type: 'webview/cancel' });
    assert.deepEqual(parseWebviewMessage({ type: 'webview/revealRow', row: 17 }), { type: 'webview/revealRow', row: 17 });
    assert.deepEqual(parseWebviewMessage({ type: 'webview/rerun', id: 3, settings: DEFAULT_SETTINGS }), { type: 'webview/rerun', id: 3, settings: DEFAULT_SETTINGS });
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    assert.deepEqual(parseWebviewMessage({ type: 'webview/savePng', id: 4, dataUrl: png }), { type: 'webview/savePng', id: 4, dataUrl: png });
    assert.deepEqual(parseWebviewMessage({ type: 'webview/error', message: 'x' }), { type: 'webview/error', message: 'x' });
  });

  it('refuses unknown tags, bad rows, bad settings and non-PNG data', () => {
    assert.throws(() => parseWebviewMessage({ type: 'job/start' }), { name: 'ProtocolError', message: 'unknown webview message type "job/start"' });
    assert.throws(() => parseWebviewMessage('webview/ready'), /should be an object/);
    assert.throws(() => parseWebviewMessage({}), /"type" is missing/);
    assert.throws(() => parseWebviewMessage({ type: 'webview/revealRow', row: -1 }), /row=-1 should be a whole number/);
    assert.throws(() => parseWebviewMessage({ type: 'webview/revealRow', row: '3' }), /row="3"/);
    assert.throws(() => parseWebviewMessage({ type: 'webview/rerun', id: 1, settings: settings({ k: 1001 }) }), /k=1001/);
    assert.throws(() => parseWebviewMessage({ type: 'webview/rerun', settings: DEFAULT_SETTINGS }), /"id" is missing/);
    assert.throws(() => parseWebviewMessage({ type: 'webview/savePng', id: 1, dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' }), /should start with data:image\/png;base64,/);
  });
});

describe('worker messages', () => {
  it('checks the envelope of worker replies', () => {
    assert.equal(parseWorkerMessage({ type: 'job/progress', id: 1, fraction: 0.5, message: 'half' }).type, 'job/progress');
    assert.equal(parseWorkerMessage({ type: 'job/progress', id: 1, fraction: null, message: 'reading' }).type, 'job/progress');
    assert.equal(parseWorkerMessage({ type: 'job/error', id: 2, ok: false, error: 'bad', kind: 'input' }).type, 'job/error');
    assert.equal(parseWorkerMessage({ type: 'job/result', id: 2, ok: true, value: {} }).type, 'job/result');
    assert.throws(() => parseWorkerMessage({ type: 'job/result', id: 2, ok: false, value: {} }), /ok: true/);
    assert.throws(() => parseWorkerMessage({ type: 'job/error', id: 2, ok: false, error: 'x', kind: 'weird' }), /kind="weird"/);
    assert.throws(() => parseWorkerMessage({ type: 'job/progress', message: 'x', fraction: 0 }), /"id" is missing/);
    assert.throws(() => parseWorkerMessage({ type: 'job/start', id: 1 }), /unknown worker message type "job\/start"/);
  });

  it('checks job/start on the worker side, including the shared cancel flag', () => {
    const cancelFlag = new SharedArrayBuffer(4);
    const start = { type: 'job/start', id: 9, file: '/tmp/a.csv', settings: DEFAULT_SETTINGS, maxBytes: 100, maxPoints: 10, cancelFlag };
    const parsed = parseHostToWorker(start);
    assert.equal(parsed.type, 'job/start');
    if (parsed.type === 'job/start') assert.equal(parsed.cancelFlag, cancelFlag);
    assert.throws(() => parseHostToWorker({ ...start, cancelFlag: new ArrayBuffer(4) }), /cancelFlag should be a SharedArrayBuffer/);
    assert.throws(() => parseHostToWorker({ ...start, maxBytes: 0 }), /maxBytes=0/);
    assert.deepEqual(parseHostToWorker({ type: 'job/cancel', id: 9 }), { type: 'job/cancel', id: 9 });
  });

  it('lists each whole buffer of a job output once, and leaves out views on part of a buffer', () => {
    const shared = new Float64Array(8);
    const part = new Int32Array(new ArrayBuffer(64), 8, 4);
    const labels = new Int32Array(3);
    const output = {
      labels, distances: shared, file: { rowLine: part },
      model: { featureColumns: new Int32Array(2), offset: new Float64Array(2), scale: new Float64Array(2), centers: shared },
      view: { plot: { points: new Float32Array(4), rows: new Int32Array(2), lines: new Int32Array(2), labels: new Int32Array(2), centers: new Float32Array(2), values: new Float64Array(2) } },
    } as unknown as JobOutput;
    const list = transferablesOf(output);
    assert.equal(list.length, 11); // 13 arrays: one buffer used twice, one view on part of a buffer
    assert.ok(list.includes(labels.buffer as ArrayBuffer));
    assert.ok(!list.includes(part.buffer as ArrayBuffer));
    assert.equal(new Set(list).size, list.length);
  });
});

describe('webview side', () => {
  it('recognises host messages by tag only', () => {
    assert.ok(isHostToWebview({ type: 'panel/running', fraction: null, message: '' }));
    assert.ok(isHostToWebview({ type: 'host/reply', id: 1, ok: true, value: null }));
    assert.ok(!isHostToWebview({ type: 'webview/ready' }));
    assert.ok(!isHostToWebview(null));
    assert.ok(!isHostToWebview({ data: 1 }));
  });

  it('assertNever throws a ProtocolError naming the tag', () => {
    assert.throws(() => assertNever({ type: 'mystery' } as never), (e: unknown) => e instanceof ProtocolError && e.message === 'unexpected message "mystery"');
  });
});
