/**
 * Bookkeeping for requests that expect one reply: ids, time-outs and the guarantee that
 * every request is settled exactly once (by its reply, a time-out, or `rejectAll` when the
 * other side goes away). Late or duplicate replies are ignored and reported as such.
 * Used by the host for worker jobs and by the webview for its requests to the host.
 */
import type { Reply } from './messages';

/** A request that got no reply in time; the message says which and how long it waited. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
}

/** The other side answered `{ ok: false, error }`. */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
}

interface Pending<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  timeoutMs: number;
  what: string;
}

export class PendingRequests<T = unknown> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending<T>>();

  /** Number of requests still waiting. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Registers a new request and returns its id and a promise for its reply. The promise
   * rejects with RequestTimeoutError when no reply (nor `touch`) came for `timeoutMs`
   * (0 or Infinity: never times out).
   */
  create(what: string, timeoutMs: number): { id: number; promise: Promise<T> } {
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, timer: undefined, timeoutMs, what });
    });
    this.arm(id);
    return { id, promise };
  }

  /** Restarts the time-out of request `id` (e.g. on a progress message). False when unknown. */
  touch(id: number): boolean {
    if (!this.pending.has(id)) return false;
    this.arm(id);
    return true;
  }

  /** Whether request `id` is still waiting. */
  has(id: number): boolean {
    return this.pending.has(id);
  }

  /** Settles request `id` with a reply; false when it was not pending (late or unknown reply). */
  settle(id: number, reply: Reply<T>): boolean {
    return reply.ok ? this.resolve(id, reply.value) : this.reject(id, new RemoteError(reply.error));
  }

  resolve(id: number, value: T): boolean {
    const p = this.take(id);
    if (!p) return false;
    p.resolve(value);
    return true;
  }

  reject(id: number, error: Error): boolean {
    const p = this.take(id);
    if (!p) return false;
    p.reject(error);
    return true;
  }

  /** Rejects every pending request (the other side closed or crashed). */
  rejectAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.reject(id, error);
  }

  private take(id: number): Pending<T> | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    if (p.timer !== undefined) clearTimeout(p.timer);
    return p;
  }

  private arm(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    if (p.timer !== undefined) clearTimeout(p.timer);
    p.timer = undefined;
    if (p.timeoutMs > 0 && Number.isFinite(p.timeoutMs)) {
      p.timer = setTimeout(() => {
        const seconds = p.timeoutMs >= 1000 ? `${Math.round(p.timeoutMs / 1000)} s` : `${p.timeoutMs} ms`;
        this.reject(id, new RequestTimeoutError(`${p.what} got no answer within ${seconds}`));
      }, p.timeoutMs);
    }
  }
}

/**
 * Runs `handler` and turns its outcome, value or throw, into exactly one Reply. The error
 * text is the thrown error's message (first line), never a stack.
 */
export async function replyOf<T>(handler: () => T | Promise<T>): Promise<Reply<T>> {
  try {
    return { ok: true, value: await handler() };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: message.split('\n')[0] || 'unknown error' };
  }
}
