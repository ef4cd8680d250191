/** Small helpers shared by our benchmark programs (bundled with each one). */
import { readF64 } from '../gen';
import type { Matrix } from '../../src/engine/matrix';

/** The first `nRows` rows of a raw float64 file as a Matrix. */
export function loadMatrix(file: string, nRows: number, nCols: number): Matrix {
  return { data: readF64(file, nRows * nCols), nRows, nCols };
}

/** Prints the one JSON line the runner reads. */
export function printResult(result: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}
