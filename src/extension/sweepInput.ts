/**
 * What the "Choose k…" prompts accept, as pure functions (no vscode) so they can be tested:
 * the range of k typed in the input box, and the number of fits a grid costs.
 */
import { MAX_K } from '../protocol/messages';

/** The range the input box starts with: Enter accepts it. */
export const DEFAULT_K_RANGE = '2..10';

/** Seeds per setting the Quick Pick offers, and the one it starts on. */
export const SEED_CHOICES = [1, 3, 5, 10] as const;
export const DEFAULT_SEEDS = 3;

/**
 * Reads "from..to" (also "from-to" or "from:to", spaces allowed) as an inclusive range of k.
 * Returns the range, or one sentence saying what is wrong (for the input box's validation).
 */
export function readKRange(text: string): { kMin: number; kMax: number } | { error: string } {
  const m = /^\s*(\d+)\s*(?:\.\.|-|:)\s*(\d+)\s*$/.exec(text);
  if (!m) return { error: 'Type a range of k such as 2..10 (from..to).' };
  const kMin = Number(m[1]);
  const kMax = Number(m[2]);
  if (kMin < 1) return { error: `k starts at 1: ${kMin}..${kMax} starts at ${kMin}.` };
  if (kMax <= kMin) return { error: `The range should go up, with at least two values of k: ${kMin}..${kMax} does not.` };
  if (kMax > MAX_K) return { error: `k goes up to ${MAX_K}: ${kMin}..${kMax} goes above it.` };
  return { kMin, kMax };
}

/** The number of k-means fits a sweep runs (each seed of each setting is one fit). */
export function fitsOf(kMin: number, kMax: number, nInits: number, nMetrics: number, nSeeds: number): number {
  return (kMax - kMin + 1) * nInits * nMetrics * nSeeds;
}
