/**
 * "Start from Known Centres…": an open dialog for a centres file (header of feature columns,
 * one row per known centre, empty cells not known), k (an input box whose default Enter
 * accepts), whether the given coordinates stay fixed (a Quick Pick, No first), then a run in
 * the worker like any other. The choice is remembered for the file, so the panel's form runs
 * from the same centres until its Init is switched back.
 */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { FileError, readRegularFileAsync } from '../node/files';
import { checkKnownColumns, checkKnownCount, readKnownCentres, type KnownCentresTable } from '../pipeline/knownCentres';
import { MAX_K, type ColumnInfo, type RunSettings } from '../protocol/messages';
import type { FitReport } from '../pipeline/types';
import { columnsFromHead } from './columnsPick';
import { sentence, type Log } from './log';

/** Centres files larger than this are refused: they hold at most MAX_K rows. */
const MAX_CENTRES_BYTES = 16 * 1024 * 1024;

/** What the command needs from the controller. */
export interface KnownHost {
  settingsFor(uri: vscode.Uri): RunSettings;
  resultOf(uri: vscode.Uri): { output: { file: { columns: ColumnInfo[] } } } | undefined;
  rememberSettings(uri: vscode.Uri, settings: RunSettings): Promise<void>;
  cluster(uri: vscode.Uri, settings?: RunSettings): Promise<FitReport | undefined>;
}

/**
 * Runs the command for the data file `uri`. `centres` (a path, from other extensions and tests)
 * skips the open dialog. Resolves to the report, or undefined when the user backs out or a
 * check fails (then one sentence has said why).
 */
export async function startFromKnownCentres(host: KnownHost, log: Log, uri: vscode.Uri, centres?: string): Promise<FitReport | undefined> {
  const dataName = basename(uri.fsPath);
  let centresPath = centres;
  if (centresPath === undefined) {
    const picked = await vscode.window.showOpenDialog({
      title: `Known centres for ${dataName}`,
      openLabel: 'Start from These Centres',
      canSelectMany: false,
      canSelectFiles: true,
      canSelectFolders: false,
      defaultUri: uri.scheme === 'file' ? vscode.Uri.file(dirname(uri.fsPath)) : undefined,
      filters: { 'Centres (CSV, TSV)': ['csv', 'tsv'] },
    });
    if (!picked || picked.length === 0) return undefined;
    centresPath = picked[0].fsPath;
  }

  let known: KnownCentresTable;
  try {
    known = await readCentresFile(centresPath);
    const columns = host.resultOf(uri)?.output.file.columns ?? await columnsFromHead(uri.fsPath);
    checkKnownColumns(known, dataName, columns);
  } catch (e) {
    log.error(`${sentence(e)}.`, (e as Error).stack);
    return undefined;
  }

  const base = host.settingsFor(uri);
  const kDefault = Math.max(known.rows.length, base.k);
  const kText = await vscode.window.showInputBox({
    title: `Start ${dataName} from ${known.fileName} (1/2): clusters`,
    prompt: `Number of clusters (k), at least the ${known.rows.length} centre row${known.rows.length === 1 ? '' : 's'} of ${known.fileName}; more are placed by k-means++`,
    value: String(kDefault),
    ignoreFocusOut: true,
    validateInput: (text) => kError(text, known),
  });
  if (kText === undefined || kError(kText, known) !== null) return undefined;
  const k = Number(kText.trim());

  const freeze = await askFreeze(dataName, known.fileName);
  if (freeze === undefined) return undefined;

  const settings: RunSettings = {
    ...base,
    k,
    known: { fileName: known.fileName, columns: known.columns, rows: known.rows, freeze },
  };
  await host.rememberSettings(uri, settings);
  log.info(`${uri.fsPath}: starting from ${centresPath} (${known.rows.length} centres, k=${k}${freeze ? ', given coordinates fixed' : ''})`);
  return host.cluster(uri, settings);
}

/** Why `text` is not a usable k for `known`, or null. */
export function kError(text: string, known: KnownCentresTable): string | null {
  const t = text.trim();
  const k = Number(t);
  if (!/^\d+$/.test(t) || k < 1 || k > MAX_K) return `k should be a whole number from 1 to ${MAX_K}`;
  try {
    checkKnownCount(known, k);
  } catch (e) {
    return sentence(e);
  }
  return null;
}

async function readCentresFile(path: string): Promise<KnownCentresTable> {
  const name = basename(path);
  let text: string;
  try {
    const bytes = await readRegularFileAsync(path, { name, noun: 'centres file' }, MAX_CENTRES_BYTES,
      (size) => `${name} is ${Math.round(size / 1048576)} MB, too large for a file of centres (at most ${MAX_K} rows)`);
    text = bytes.toString('utf8');
  } catch (e) {
    if (e instanceof FileError) throw new Error(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`Cannot read ${name}: the file does not exist`);
    if (code === 'EACCES') throw new Error(`Cannot read ${name}: permission denied`);
    throw e;
  }
  return readKnownCentres(text, name);
}

function askFreeze(dataName: string, centresName: string): Promise<boolean | undefined> {
  const items: (vscode.QuickPickItem & { freeze: boolean })[] = [
    { label: 'No', description: 'the given coordinates are where the centres start; all of them move while iterating', freeze: false },
    { label: 'Yes', description: 'the given coordinates stay as they are; only the others move', freeze: true },
  ];
  return Promise.resolve(vscode.window.showQuickPick(items, {
    title: `Start ${dataName} from ${centresName} (2/2)`,
    placeHolder: 'Keep the given coordinates fixed while iterating?',
    ignoreFocusOut: true,
  })).then((pick) => pick?.freeze);
}
