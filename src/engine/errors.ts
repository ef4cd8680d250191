/**
 * Errors the engine throws for input it cannot work with. The message always names
 * the value and the rule it breaks, e.g. `nSamples=3 should be >= nClusters=5`.
 * Recoverable findings are returned as `warnings: string[]` instead.
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}

/** Thrown when a long computation sees its cancel flag set. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

/** Throws an EngineError with `message` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new EngineError(message);
}

/** Progress and cancellation hooks that long computations accept. */
export interface RunControl {
  /** Called at most every ~100 ms with a fraction in [0, 1] and a short phrase. */
  onProgress?: (fraction: number, message: string) => void;
  /** Checked between iterations; when it returns true the computation throws CancelledError. */
  isCancelled?: () => boolean;
}

/** Throws CancelledError when the control says so. Cheap enough to call once per iteration. */
export function throwIfCancelled(control: RunControl | undefined): void {
  if (control?.isCancelled?.()) throw new CancelledError();
}
