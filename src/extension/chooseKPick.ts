/**
 * The "Choose k…" prompts: the range of k (an input box whose default Enter accepts), the
 * starting methods and distances to cross it with (a multi-select Quick Pick on the file's
 * settings) and the seeds per setting (a Quick Pick on 3). Undefined when the user backs out.
 */
import * as vscode from 'vscode';
import type { RunSettings } from '../protocol/messages';
import type { SweepRequest } from '../protocol/sweep';
import { DEFAULT_K_RANGE, DEFAULT_SEEDS, fitsOf, readKRange, SEED_CHOICES } from './sweepInput';

type Choice = vscode.QuickPickItem & { group?: 'init' | 'metric'; value?: string };

export async function askSweep(fileName: string, settings: RunSettings): Promise<SweepRequest | undefined> {
  const rangeText = await vscode.window.showInputBox({
    title: `Choose k for ${fileName} (1/3)`,
    prompt: 'Range of k to try, from..to (k from 1 to 1000)',
    value: DEFAULT_K_RANGE,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const r = readKRange(text);
      return 'error' in r ? r.error : null;
    },
  });
  if (rangeText === undefined) return undefined;
  const range = readKRange(rangeText);
  if ('error' in range) return undefined;

  const items: Choice[] = [
    { label: 'Starting method', kind: vscode.QuickPickItemKind.Separator },
    { label: 'k-means++', description: 'spread-out starting centres', group: 'init', value: 'k-means++', picked: settings.init === 'k-means++' },
    { label: 'random', description: 'random rows as starting centres', group: 'init', value: 'random', picked: settings.init === 'random' },
    { label: 'Distance', kind: vscode.QuickPickItemKind.Separator },
    { label: 'euclidean', description: 'k-means', group: 'metric', value: 'euclidean', picked: settings.metric === 'euclidean' },
    { label: 'cosine', description: 'spherical k-means', group: 'metric', value: 'cosine', picked: settings.metric === 'cosine' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Choose k for ${fileName} (2/3): starting methods and distances`,
    placeHolder: 'Each one picked is crossed with every k; Enter keeps the file\'s settings',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (picked === undefined) return undefined;
  const of = (group: 'init' | 'metric'): string[] => picked.filter((p) => p.group === group).map((p) => p.value as string);
  const inits = of('init') as SweepRequest['inits'];
  const metrics = of('metric') as SweepRequest['metrics'];
  // A group left empty keeps the file's setting rather than sweeping nothing.
  if (inits.length === 0) inits.push(settings.init);
  if (metrics.length === 0) metrics.push(settings.metric);

  const nSeeds = await pickSeeds(fileName, range.kMin, range.kMax, inits.length, metrics.length);
  if (nSeeds === undefined) return undefined;
  return { kMin: range.kMin, kMax: range.kMax, inits, metrics, nSeeds };
}

function pickSeeds(fileName: string, kMin: number, kMax: number, nInits: number, nMetrics: number): Promise<number | undefined> {
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { seeds: number }>();
  quickPick.title = `Choose k for ${fileName} (3/3): seeds per setting`;
  quickPick.placeholder = 'Several seeds measure how stable each k is (mean pairwise adjusted Rand index)';
  quickPick.ignoreFocusOut = true;
  quickPick.items = SEED_CHOICES.map((seeds) => ({
    seeds,
    label: `${seeds} seed${seeds === 1 ? '' : 's'}`,
    description: seeds === 1 ? 'fastest; no stability score' : seeds === DEFAULT_SEEDS ? 'default' : undefined,
    detail: `${fitsOf(kMin, kMax, nInits, nMetrics, seeds).toLocaleString('en-US')} fits in all`,
  }));
  quickPick.activeItems = quickPick.items.filter((i) => i.seeds === DEFAULT_SEEDS);
  return new Promise((resolve) => {
    let done = false;
    quickPick.onDidAccept(() => {
      done = true;
      resolve(quickPick.selectedItems[0]?.seeds ?? quickPick.activeItems[0]?.seeds ?? DEFAULT_SEEDS);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      if (!done) resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}
