/**
 * "Export…" builders and writer: the labelled CSV and centroids CSV read back as the same
 * table, formula-like cells are neutralised, a second export gets numbered names and leaves
 * the first files untouched, the report names the files as written, and the Python script
 * says what the fit did (expectations come from the fit's options and the file's header,
 * not from the builder).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../../src/csv/read';
import { fitTable } from '../../../src/pipeline/fit';
import { addedColumns, centroidsCsv, labelledCsv, pythonScript, pyString, reportMarkdown } from '../../../src/pipeline/exports';
import { studyLabels } from '../../../src/pipeline/labelMap';
import { modelFromFit, parseModel } from '../../../src/pipeline/model';
import { writeExports } from '../../../src/node/exportFiles';
import { labelColumn } from '../../../src/csv/dataset';

const ROOT = join(__dirname, '../../..');

const SOURCE = [
  'name,x,y,note',
  'alpha,1.5,-2,"has, comma"',
  'beta,2,3,"two\nlines"',
  'gamma,,4,plain',
  'délta,-0.25,1e3,"quote ""inside"""',
].join('\n') + '\n';

describe('labelled CSV', () => {
  const table = parseCsv(SOURCE, { header: 'auto' });
  const labels = [1, 0, null, 1];
  const distances = [0.5, 0.125, null, 1 / 3];
  const mapping = ['first', null];

  it('reads back as the source table plus cluster, distance and mapped label', () => {
    const back = parseCsv(labelledCsv(table, labels, distances, mapping), { header: 'auto' });
    assert.deepEqual(back.header, ['name', 'x', 'y', 'note', 'cluster', 'distance_to_centre', 'mapped_label']);
    assert.equal(back.rows.length, 4);
    for (let i = 0; i < 4; i++) {
      assert.deepEqual(back.rows[i].slice(0, 4), table.rows[i], `row ${i}: original fields`);
    }
    assert.deepEqual(back.rows.map((r) => r[4]), ['1', '0', '', '1']);
    assert.deepEqual(back.rows.map((r) => r[5] === '' ? null : Number(r[5])), distances, 'distances read back as the same doubles');
    // Cluster 1 maps to "first"; cluster 0 is unmatched; the dropped row has no label.
    assert.deepEqual(back.rows.map((r) => r[6]), labels.map((c) => (c === 0 ? 'first' : '')));
  });

  it('without a mapping has no mapped_label column', () => {
    const back = parseCsv(labelledCsv(table, labels, distances), { header: 'auto' });
    assert.deepEqual(back.header, ['name', 'x', 'y', 'note', 'cluster', 'distance_to_centre']);
  });

  it('neutralises formula-like text but keeps negative numbers as numbers', () => {
    const hostile = parseCsv('a,b\n=HYPERLINK("x"),-3\n@SUM(1),+cmd|x\n', { header: 'auto' });
    const text = labelledCsv(hostile, [0, 0], [1, 2], ['=evil()']);
    const back = parseCsv(text, { header: 'auto' });
    assert.deepEqual(back.rows[0], ["'=HYPERLINK(\"x\")", '-3', '0', '1', "'=evil()"]);
    assert.deepEqual(back.rows[1].slice(0, 2), ["'@SUM(1)", "'+cmd|x"]);
  });

  it('renames the added columns when the file already has them', () => {
    const t = parseCsv('cluster,distance_to_centre,cluster_2,v\nx,y,z,1\n', { header: 'auto' });
    assert.deepEqual(addedColumns(t), { cluster: 'cluster_3', distance: 'distance_to_centre_2', mappedLabel: 'mapped_label' });
  });

  it('pads short rows and writes a header for a headerless file', () => {
    const t = parseCsv('1,2,3\n4,5\n6,7,8\n', { header: 'auto' });
    assert.equal(t.header, null);
    const back = parseCsv(labelledCsv(t, [0, 1, 0], [0, 0, 0]), { header: 'auto' });
    assert.deepEqual(back.header, ['column1', 'column2', 'column3', 'cluster', 'distance_to_centre']);
    assert.deepEqual(back.rows[1], ['4', '5', '', '1', '0']);
  });
});

describe('centroids CSV', () => {
  it('reads back the same doubles, sizes and classes', () => {
    const centers = [[0.1 + 0.2, -1e-300, 12345.678901234567], [1 / 3, 2 / 3, -0]];
    const text = centroidsCsv(['a', 'rows', 'c'], centers, [7, 3], ['-x', null]);
    const back = parseCsv(text, { header: 'auto' });
    assert.deepEqual(back.header, ['cluster', 'rows_2', 'mapped_label', 'a', 'rows', 'c']);
    assert.deepEqual(back.rows.map((r) => r.slice(0, 3)), [['0', '7', "'-x"], ['1', '3', '']]);
    back.rows.forEach((r, j) => r.slice(3).forEach((cell, t) => assert.equal(Number(cell), centers[j][t] === 0 ? 0 : centers[j][t])));
  });
});

describe('writeExports', () => {
  it('writes beside the source, numbers a second export and never overwrites the first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centroid-export-'));
    try {
      const source = join(dir, 'animals.csv');
      const text = readFileSync(join(ROOT, 'examples/animals.csv'), 'utf8');
      writeFileSync(source, text);
      const table = parseCsv(text, { header: 'auto' });
      const outcome = fitTable(table, { k: 3, seed: 0, label: 'animal' });
      const study = studyLabels(labelColumn(table, 'animal').values, outcome.report.labels, 3, 'animal');
      const labels = { study, mapping: study.oneToOne, basis: 'oneToOne' as const };
      const model = modelFromFit(outcome, '0.0.0-test', null);
      const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);
      const kinds = new Set(['labelledCsv', 'centroidsCsv', 'model', 'report', 'python'] as const);
      const first = writeExports({ sourcePath: source, table, report: outcome.report, labels, model, chartPng: png, kinds });
      const names = first.map((w) => w.path.slice(dir.length + 1));
      assert.deepEqual(names, ['animals.clusters.csv', 'animals.centroids.csv', 'animals.centroid.json', 'animals.report.md', 'animals.chart.png', 'animals.reproduce.py']);
      const before = new Map(first.map((w) => [w.path, readFileSync(w.path)]));

      const second = writeExports({ sourcePath: source, table, report: outcome.report, labels, model, chartPng: png, kinds });
      assert.deepEqual(second.map((w) => w.path.slice(dir.length + 1)), [
        'animals.clusters (2).csv', 'animals.centroids (2).csv', 'animals.centroid (2).json', 'animals.report (2).md',
        'animals.chart (2).png', 'animals.reproduce (2).py',
      ]);
      for (const [path, bytes] of before) assert.deepEqual(readFileSync(path), bytes, `${path} was changed by the second export`);
      assert.equal(readdirSync(dir).filter((n) => n.endsWith('.tmp')).length, 0, 'a temporary file was left behind');

      // The second report and script refer to the numbered files.
      const report = readFileSync(join(dir, 'animals.report (2).md'), 'utf8');
      assert.ok(report.includes('](animals.chart%20%282%29.png)'), 'the report links its own chart image');
      const script = readFileSync(join(dir, 'animals.reproduce (2).py'), 'utf8');
      assert.ok(script.includes('"animals.clusters (2).csv"') && script.includes('"animals.centroids (2).csv"'));

      // Exported files read back: the labelled CSV has the source's rows verbatim.
      const back = parseCsv(readFileSync(first[0].path, 'utf8'), { header: 'auto' });
      assert.deepEqual(back.header, [...(table.header as string[]), 'cluster', 'distance_to_centre', 'mapped_label']);
      back.rows.forEach((r, i) => {
        assert.deepEqual(r.slice(0, 4), table.rows[i]);
        assert.equal(Number(r[4]), outcome.report.labels[i]);
        assert.equal(r[6], study.oneToOne[outcome.report.labels[i] as number] ?? '');
      });
      assert.deepEqual(readFileSync(join(dir, 'animals.chart.png')), Buffer.from(png));
      const saved = parseModel(JSON.parse(readFileSync(join(dir, 'animals.centroid.json'), 'utf8')));
      assert.deepEqual(saved.clusterCenters, outcome.report.clusterCenters);
      assert.equal(readFileSync(source, 'utf8'), text, 'the source CSV was changed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds the two CSVs the script reads when only the script is asked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centroid-export-'));
    try {
      const source = join(dir, 'd.csv');
      writeFileSync(source, 'a,b\n1,2\n3,4\n10,10\n');
      const table = parseCsv(readFileSync(source, 'utf8'), { header: 'auto' });
      const outcome = fitTable(table, { k: 2 });
      const written = writeExports({ sourcePath: source, table, report: outcome.report, labels: null, kinds: new Set(['python'] as const) });
      assert.deepEqual(written.map((w) => w.kind), ['labelledCsv', 'centroidsCsv', 'python']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the report', () => {
  it('leads with the clustering metrics and gives the accuracy only with its caveat', () => {
    const text = readFileSync(join(ROOT, 'examples/animals.csv'), 'utf8');
    const table = parseCsv(text, { header: 'auto' });
    const outcome = fitTable(table, { k: 3, seed: 0, label: 'animal' });
    const study = studyLabels(labelColumn(table, 'animal').values, outcome.report.labels, 3, 'animal');
    const md = reportMarkdown(outcome.report, { source: 'animals.csv' }, { study, mapping: study.manyToOne, basis: 'manyToOne' });
    const order = ['Homogeneity', 'Completeness', 'V-measure', 'Adjusted Rand index', 'Adjusted mutual information', 'Normalized mutual information', 'Accuracy after mapping'];
    const at = order.map((w) => md.indexOf(w));
    assert.ok(at.every((i) => i >= 0), `missing: ${order.filter((_, i) => at[i] < 0).join(', ')}`);
    assert.deepEqual([...at].sort((a, b) => a - b), at, 'metrics in order, accuracy last');
    assert.match(md, /many-to-one/);
    assert.match(md, /optimistic/);
    // 3 clusters, 4 classes: said in words.
    assert.match(md, /3 clusters but 4 classes/);
    assert.ok(!md.includes('!['), 'no image link without a chart');
  });

  it('calls a many-to-one mapping flattering when clusters share a class (6 clusters, 4 classes)', () => {
    const table = parseCsv(readFileSync(join(ROOT, 'examples/animals.csv'), 'utf8'), { header: 'auto' });
    const outcome = fitTable(table, { k: 6, seed: 0, label: 'animal' });
    const study = studyLabels(labelColumn(table, 'animal').values, outcome.report.labels, 6, 'animal');
    const md = reportMarkdown(outcome.report, { source: 'animals.csv', chartPng: 'a b.png' }, { study, mapping: study.manyToOne, basis: 'manyToOne' });
    assert.match(md, /flatters it further/);
    assert.match(md, /6 clusters but only 4 classes/);
    assert.ok(md.includes('![Rows by cluster](a%20b.png)'));
  });
});

describe('the Python script', () => {
  it('uses the fit\'s columns, scaling, k, seed, restarts, algorithm and the exported files', () => {
    const text = readFileSync(join(ROOT, 'examples/iris.csv'), 'utf8');
    const table = parseCsv(text, { header: 'auto' });
    const options = { k: 4, seed: 11, init: 'random' as const, nInit: 5, algorithm: 'elkan' as const, scale: 'standard' as const, label: 'species', tol: 1e-5, maxIter: 123 };
    const { report } = fitTable(table, options);
    const script = pythonScript(report, { source: 'iris.csv', labelledCsv: 'iris.clusters.csv', centroidsCsv: 'iris.centroids.csv' }, addedColumns(table));
    const features = (table.header as string[]).filter((h) => h !== 'species');
    assert.ok(script.includes(`FEATURES = [${features.map((f) => `"${f}"`).join(', ')}]`), 'the feature columns');
    assert.ok(script.includes('K, SEED, N_INIT, MAX_ITER, TOL = 4, 11, 5, 123, 0.00001'), 'k, seed, n_init, max_iter, tol');
    assert.ok(script.includes('StandardScaler().fit(X)'), 'standard scaling');
    assert.ok(script.includes('init="random"') && script.includes('algorithm="elkan"') && script.includes('random_state=SEED'));
    assert.ok(script.includes('init=start, n_init=1'), 'a refit from the exported centres');
    assert.ok(script.includes('HERE / "iris.clusters.csv"') && script.includes('HERE / "iris.centroids.csv"'));
    assert.ok(script.includes('keep = ~np.isnan(X).any(axis=1)'), 'rows with missing values are dropped, as in the fit');
    assert.ok(!script.includes('MinMaxScaler') && !script.includes('Normalizer'));
  });

  it('imputes means, scales to [0, 1] and normalises rows for a cosine fit', () => {
    const table = parseCsv('a,b\n1,2\n2,1\n,3\n5,6\n6,5\n', { header: 'auto' });
    const { report } = fitTable(table, { k: 2, scale: 'minmax', missing: 'mean', metric: 'cosine' });
    const script = pythonScript(report, { source: 's.csv', labelledCsv: 'l.csv', centroidsCsv: 'c.csv' }, addedColumns(table));
    assert.ok(script.includes('np.nanmean(X, axis=0)'));
    assert.ok(script.includes('MinMaxScaler().fit(X)'));
    assert.ok(script.includes('Xs = Xs / np.linalg.norm(Xs, axis=1, keepdims=True)'));
  });

  it('writes Python string literals that cannot break out', () => {
    assert.equal(pyString('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(pyString('é\n'), '"\\xe9\\x0a"');
    assert.equal(pyString('😀'), '"\\U0001f600"');
  });
});
