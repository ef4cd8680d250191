/**
 * Our side of the MiniBatch row: miniBatchFit from the given centres with a fixed
 * number of steps (no early stop), the same batch size and number of steps as
 * scikit-learn's MiniBatchKMeans(max_iter=EPOCHS) takes: floor(EPOCHS * n / batch).
 *
 *   node minibatch.js X.f64 NROWS NCOLS INIT.f64 K BATCH EPOCHS OUT_PREFIX
 */
import { writeTyped } from '../gen';
import { miniBatchFit } from '../../src/engine/minibatch';
import { installPool, loadMatrix, printResult } from './io';

const [xPath, nRowsS, nColsS, initPath, kS, batchS, epochsS, outPrefix] = process.argv.slice(2);
const nRows = Number(nRowsS);
const nCols = Number(nColsS);
const k = Number(kS);
const batchSize = Number(batchS);
const threads = installPool();
const X = loadMatrix(xPath, nRows, nCols);
const init = loadMatrix(initPath, k, nCols);
const maxSteps = Math.floor((Number(epochsS) * nRows) / batchSize);

const t0 = performance.now();
const result = miniBatchFit(X, { nClusters: k, init, batchSize, maxSteps, seed: 0, tol: 0, maxNoImprovement: maxSteps + 1, reassignmentRatio: 0 });
const seconds = (performance.now() - t0) / 1000;
writeTyped(`${outPrefix}.labels.i32`, result.labels);
printResult({ threads, seconds, inertia: result.inertia, nSteps: maxSteps, nIter: result.nIter });
