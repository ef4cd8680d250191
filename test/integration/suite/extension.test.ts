/**
 * Centroid inside a real extension host (VS Code 1.100 through code-server, or the desktop
 * VS Code of @vscode/test-electron). The workspace holds a copy of examples/ and the files
 * test/integration/workspace.ts adds. Expected numbers are computed here, in the test, by the
 * same pipeline code the worker runs (bundled into this file), for the same file and options.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { parseCsv } from '../../../src/csv/read';
import { runFit } from '../../../src/pipeline/fit';
import type { FitOptions, FitReport } from '../../../src/pipeline/types';

const EXTENSION_ID = 'centroid.centroid';
/** Commands issue 2 requires; the manifest may contribute more. */
const COMMANDS = ['centroid.clusterFile', 'centroid.showPanel', 'centroid.toggleAnnotations'];

interface CentroidApi {
  lastReport(uri?: string): FitReport | undefined;
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Resolves when `predicate` holds, polling every 50 ms; rejects after `ms` (UI state catches up asynchronously). */
async function eventually(what: string, predicate: () => boolean, ms = 5_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error(`${what}: not true after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function tabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
}

/** The options "Cluster this CSV" uses for a file with no remembered panel settings: the configuration's. */
function optionsFromConfiguration(label: string | undefined): FitOptions {
  const c = vscode.workspace.getConfiguration('centroid');
  return {
    k: c.get<number>('defaultK', 3),
    seed: c.get<number>('seed', 0),
    init: c.get<'k-means++' | 'random'>('init', 'k-means++'),
    nInit: c.get<number | 'auto'>('nInit', 'auto'),
    algorithm: c.get<'lloyd' | 'elkan'>('algorithm', 'lloyd'),
    metric: c.get<'euclidean' | 'cosine'>('metric', 'euclidean'),
    scale: c.get<'none' | 'standard' | 'minmax'>('scale', 'none'),
    missing: c.get<'drop' | 'mean'>('missing', 'drop'),
    label,
  };
}

/** Caret/tilde/>= ranges of a `engines.vscode` field: is `version` inside? */
function satisfies(version: string, range: string): boolean {
  const v = version.split('.').map(Number);
  const m = /^\s*(\^|~|>=)?\s*(\d+)\.(\d+)\.(\d+)\s*$/.exec(range);
  if (!m) throw new Error(`engines.vscode="${range}" is not a range these tests understand (^x.y.z, ~x.y.z, >=x.y.z or x.y.z)`);
  const min = [Number(m[2]), Number(m[3]), Number(m[4])];
  const cmp = (a: number[], b: number[]): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  if (cmp(v, min) < 0) return false;
  switch (m[1]) {
    case '^': return min[0] === 0 ? v[0] === 0 && v[1] === min[1] : v[0] === min[0];
    case '~': return v[0] === min[0] && v[1] === min[1];
    case '>=': return true;
    default: return cmp(v, min) === 0;
  }
}

describe('Centroid in VS Code', function () {
  let api: CentroidApi;

  before(async function () {
    const ext = vscode.extensions.getExtension<CentroidApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed (engines.vscode too new, or the manifest did not load?)`);
    api = await ext.activate();
  });

  it('is present, activates and returns its API', () => {
    const ext = vscode.extensions.getExtension<CentroidApi>(EXTENSION_ID);
    assert.ok(ext?.isActive, 'extension is not active after activate()');
    assert.equal(typeof api.lastReport, 'function');
  });

  it('registers every command its manifest contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = ((ext?.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);
    for (const command of COMMANDS) assert.ok(contributed.includes(command), `command ${command} is not contributed`);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of contributed) assert.ok(registered.has(command), `command ${command} is contributed but not registered`);
  });

  it('declares engines.vscode that VS Code 1.100 (and this host) satisfies, with @types/vscode no newer', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { engines: { vscode: string }; devDependencies?: Record<string, string> };
    const range = manifest.engines.vscode;
    assert.ok(satisfies('1.100.0', range), `engines.vscode="${range}" excludes VS Code 1.100.0`);
    assert.ok(satisfies(vscode.version.replace(/-.*$/, ''), range), `engines.vscode="${range}" excludes this VS Code ${vscode.version}`);
    const types = manifest.devDependencies?.['@types/vscode'];
    if (types !== undefined) {
      const t = /(\d+)\.(\d+)\.(\d+)/.exec(types);
      const e = /(\d+)\.(\d+)\.(\d+)/.exec(range);
      assert.ok(t && e, `cannot read versions from @types/vscode="${types}" and engines.vscode="${range}"`);
      const newer = Number(t[1]) > Number(e[1]) || (Number(t[1]) === Number(e[1]) && Number(t[2]) > Number(e[2]));
      assert.ok(!newer, `@types/vscode="${types}" is newer than engines.vscode="${range}"`);
    }
  });

  it('clusters iris.csv from a command with the same labels, inertia and silhouette as the pipeline', async () => {
    const uri = workspaceFile('iris.csv');
    const report = await vscode.commands.executeCommand<FitReport | undefined>('centroid.clusterFile', uri);
    assert.ok(report, 'centroid.clusterFile resolved to no report');

    // iris's label column is "species" (test/fixtures/README.md); it is text, so never a feature.
    const table = parseCsv(fs.readFileSync(uri.fsPath, 'utf8'), { header: 'auto' });
    const expected = runFit(table, optionsFromConfiguration('species'));
    assert.equal(report.labels.length, 150);
    assert.deepEqual(report.labels, expected.labels);
    assert.deepEqual(report.counts, expected.counts);
    // The same code on the same machine: bit-identical, not merely close.
    assert.equal(report.inertia, expected.inertia);
    assert.equal(report.metrics.silhouette, expected.metrics.silhouette);
    assert.deepEqual(report.clusterCenters, expected.clusterCenters);
    assert.deepEqual(report.featureNames, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);

    assert.deepEqual(api.lastReport(uri.toString())?.labels, report.labels, 'the API reports another run');
  });

  it('opens the "Clusters: iris.csv" panel beside the CSV', async () => {
    await eventually('the panel tab "Clusters: iris.csv" is open', () => tabLabels().includes('Clusters: iris.csv'));
    await eventually('iris.csv is open in an editor', () => tabLabels().includes('iris.csv'));
    const panelGroup = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.label === 'Clusters: iris.csv'));
    const csvGroup = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.label === 'iris.csv'));
    assert.notEqual(panelGroup?.viewColumn, csvGroup?.viewColumn, 'the panel should open beside the CSV, not over it');
  });

  it('clusters a file given as a path, with k from the configuration', async () => {
    const config = vscode.workspace.getConfiguration('centroid');
    await config.update('defaultK', 4, vscode.ConfigurationTarget.Global);
    try {
      const uri = workspaceFile('animals.csv');
      const report = await vscode.commands.executeCommand<FitReport | undefined>('centroid.clusterFile', uri.fsPath);
      assert.ok(report, 'centroid.clusterFile resolved to no report');
      // animals.csv: three numeric features and the class column "animal" (test/fixtures/README.md).
      const table = parseCsv(fs.readFileSync(uri.fsPath, 'utf8'), { header: 'auto' });
      const expected = runFit(table, optionsFromConfiguration('animal'));
      assert.equal(report.options.k, 4);
      assert.deepEqual(report.labels, expected.labels);
      assert.equal(report.inertia, expected.inertia);
      assert.equal(report.metrics.adjustedRand, expected.metrics.adjustedRand, 'the class column was not used as labels');
      await eventually('the panel tab "Clusters: animals.csv" is open', () => tabLabels().includes('Clusters: animals.csv'));
    } finally {
      await config.update('defaultK', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('resolves to undefined, without throwing, for a CSV with no numeric column', async () => {
    const report = await vscode.commands.executeCommand<FitReport | undefined>('centroid.clusterFile', workspaceFile('no_numbers.csv'));
    assert.equal(report, undefined);
  });
});
