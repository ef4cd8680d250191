/**
 * "Choose Columns…": two Quick Picks, the feature columns (numeric ones pre-selected, text
 * columns listed as such but not offered as features) and the label column, remembered
 * per file, then a run with them. The columns come from the last fit of the file, or
 * from the first rows of the file when it has not been clustered yet.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { showError } from './notify';
import { inspectTable } from '../csv/inspect';
import { parseCsv } from '../csv/read';
import { openRegularFileAsync, readPrefixAsync } from '../node/files';
import type { ColumnInfo, LabelChoice, RunSettings } from '../protocol/messages';

/** Bytes of the file read to find its columns when it has no fit yet. */
const HEAD_BYTES = 256 * 1024;

/** Columns of the file from its first rows: names (or column1..n) and which are numeric. */
export async function columnsFromHead(path: string): Promise<ColumnInfo[]> {
  // A pipe would block the open, a device give endless bytes: regular files only.
  const { handle, size } = await openRegularFileAsync(path, { name: basename(path), noun: 'CSV file' });
  let text: string;
  try {
    const head = await readPrefixAsync(handle, Math.min(size, HEAD_BYTES));
    text = head.toString('utf8');
    // Whole lines only, unless the file fits (then keep its last line).
    if (size > HEAD_BYTES) text = text.slice(0, Math.max(0, text.lastIndexOf('\n')));
  } finally {
    await handle.close();
  }
  const table = parseCsv(text, { header: 'auto' });
  const info = inspectTable(table);
  const numeric = new Set(info.numericColumns);
  const n = table.header?.length ?? info.nColumns;
  const out: ColumnInfo[] = [];
  for (let c = 0; c < n; c++) out.push({ name: table.header?.[c] ?? `column${c + 1}`, numeric: numeric.has(c) });
  return out;
}

interface ColumnItem extends vscode.QuickPickItem {
  column?: string;
}

interface LabelItem extends vscode.QuickPickItem {
  choice: LabelChoice;
}

/**
 * Asks for the feature columns and the label column. Resolves to the updated settings, or
 * undefined when the user pressed Escape. Each pick starts from `settings`, so Enter keeps them.
 */
export async function pickColumns(fileName: string, columns: ColumnInfo[], settings: RunSettings): Promise<RunSettings | undefined> {
  const numeric = columns.filter((c) => c.numeric);
  const text = columns.filter((c) => !c.numeric);
  if (numeric.length === 0) {
    void showError(`${fileName} has no numeric column to cluster on.`);
    return undefined;
  }
  // Without a choice of the user's, the features of the last fit (the column rules) are ticked.
  const chosen = new Set(settings.columns ?? numeric.filter((c) => c.role === undefined || c.role === 'feature').map((c) => c.name));
  const featureItems: ColumnItem[] = numeric.map((c) => ({
    label: c.name, column: c.name, picked: chosen.has(c.name),
    description: c.role === undefined || c.role === 'feature' || c.role === 'unused' ? 'numeric' : `numeric; ${c.reason ?? c.role}`,
  }));
  const items: ColumnItem[] = [...featureItems];
  if (text.length > 0) {
    items.push({ label: 'text columns (not features)', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: text.map((c) => c.name).join(', '), description: 'text: can be the label column in the next step', alwaysShow: true });
  }
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `Feature columns of ${fileName} (1/2)`,
    placeHolder: 'Columns to cluster on; the features of the last fit are pre-selected',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  const names = picked.map((i) => i.column).filter((n): n is string => n !== undefined);
  if (names.length === 0) {
    void showError('Choose at least one feature column.');
    return undefined;
  }

  const labelItems: LabelItem[] = [
    { label: 'Guess', description: 'a column that looks like classes (class, target, species…; text with few values)', choice: { mode: 'auto' } },
    { label: 'None', description: 'no comparison with known classes', choice: { mode: 'none' } },
    ...[...text, ...numeric.filter((c) => !names.includes(c.name))].map((c): LabelItem => ({
      label: c.name, description: c.numeric ? 'numeric' : 'text', choice: { mode: 'column', name: c.name },
    })),
  ];
  const current = settings.label;
  const active = labelItems.find((i) => i.choice.mode === current.mode
    && (current.mode !== 'column' || (i.choice.mode === 'column' && i.choice.name === current.name)));
  const label = await new Promise<LabelItem | undefined>((resolve) => {
    const qp = vscode.window.createQuickPick<LabelItem>();
    qp.items = labelItems;
    qp.title = `Label column of ${fileName} (2/2)`;
    qp.placeholder = 'A column of known classes, compared with the clusters';
    qp.ignoreFocusOut = true;
    if (active) qp.activeItems = [active];
    let done = false;
    qp.onDidAccept(() => {
      done = true;
      resolve(qp.selectedItems[0] ?? qp.activeItems[0]);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
  if (!label) return undefined;
  return {
    ...settings,
    columns: names.length === numeric.length ? null : names,
    label: label.choice,
  };
}
