/** Request bookkeeping: one settlement per request, time-outs, late replies ignored. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PendingRequests, RemoteError, RequestTimeoutError, replyOf } from '../../../src/protocol/rpc';

describe('PendingRequests', () => {
  it('settles each request exactly once and ignores late or unknown replies', async () => {
    const p = new PendingRequests<number>();
    const a = p.create('A', 0);
    const b = p.create('B', 0);
    assert.notEqual(a.id, b.id);
    assert.equal(p.size, 2);
    assert.equal(p.settle(a.id, { ok: true, value: 1 }), true);
    assert.equal(p.settle(a.id, { ok: true, value: 2 }), false, 'a second reply is ignored');
    assert.equal(p.settle(999, { ok: true, value: 3 }), false, 'an unknown id is ignored');
    assert.equal(await a.promise, 1);
    assert.equal(p.settle(b.id, { ok: false, error: 'no such column' }), true);
    await assert.rejects(b.promise, (e: unknown) => e instanceof RemoteError && e.message === 'no such column');
    assert.equal(p.size, 0);
  });

  it('times out a request that gets no answer, naming it and the wait', async () => {
    const p = new PendingRequests<number>();
    const r = p.create('Save PNG', 20);
    await assert.rejects(r.promise, (e: unknown) => e instanceof RequestTimeoutError && e.message === 'Save PNG got no answer within 20 ms');
    assert.equal(p.has(r.id), false);
    assert.equal(p.settle(r.id, { ok: true, value: 1 }), false, 'a reply after the time-out is ignored');
  });

  it('touch restarts the time-out (progress keeps a long job alive)', async () => {
    const p = new PendingRequests<string>();
    const r = p.create('Job', 60);
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(p.touch(r.id), true);
    }
    // 120 ms have passed, more than the time-out, but it was touched every 30 ms.
    p.resolve(r.id, 'done');
    assert.equal(await r.promise, 'done');
  });

  it('rejectAll fails every pending request with the given error', async () => {
    const p = new PendingRequests<number>();
    const rs = [p.create('a', 0), p.create('b', 1000)];
    p.rejectAll(new Error('worker crashed'));
    for (const r of rs) await assert.rejects(r.promise, /worker crashed/);
    assert.equal(p.size, 0);
  });
});

describe('replyOf', () => {
  it('turns a value, a throw and a rejection into one reply each', async () => {
    assert.deepEqual(await replyOf(() => 5), { ok: true, value: 5 });
    assert.deepEqual(await replyOf(() => { throw new Error('first line\n    at stack'); }), { ok: false, error: 'first line' });
    assert.deepEqual(await replyOf(() => Promise.reject(new Error('async failure'))), { ok: false, error: 'async failure' });
  });
});
