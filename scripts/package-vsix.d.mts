// Types of scripts/package-vsix.mjs for the TypeScript that imports it (tests).
import type { StdioOptions } from 'node:child_process';

export const VSCE_PACKAGE_OPTIONS: readonly string[];
export function packageVsix(out: string, options?: { cwd?: string; stdio?: StdioOptions }): void;
