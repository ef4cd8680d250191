/**
 * Our side of the silhouette rows: the exact mean silhouette of the first NUSE rows
 * with their generating labels (scikit-learn's silhouette_score, no sampling), with the
 * kernel pool installed as the CLI and the worker install it (CENTROID_WASM=0 keeps the
 * JavaScript pair sums).
 *
 *   node silhouette.js X.f64 NROWS NCOLS LABELS.i32 NUSE
 */
import { readI32 } from '../gen';
import { silhouetteScore } from '../../src/engine/metrics/internal';
import { installPool, loadMatrix, printResult } from './io';

const [xPath, , nColsS, labelsPath, nUseS] = process.argv.slice(2);
const nUse = Number(nUseS);
const X = loadMatrix(xPath, nUse, Number(nColsS));
const labels = readI32(labelsPath, nUse);

const threads = installPool();
const t0 = performance.now();
const result = silhouetteScore(X, labels, { sampleSize: nUse });
const seconds = (performance.now() - t0) / 1000;
if (result.sampled !== null) throw new Error(`silhouette was sampled (${result.sampled} rows), expected exact`);
printResult({ threads, seconds, value: result.value });
