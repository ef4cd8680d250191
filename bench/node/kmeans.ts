/**
 * Our side of the fixed-work k-means rows: Lloyd or Elkan from the given centres,
 * tol 0, exactly `maxIter` iterations (scikit-learn's KMeans(init=C, n_init=1,
 * max_iter, tol=0)). Times kmeansFit only and writes labels and centres for the
 * runner's agreement check.
 *
 *   node kmeans.js X.f64 NROWS NCOLS INIT.f64 K MAXITER lloyd|elkan OUT_PREFIX
 */
import { writeTyped } from '../gen';
import { kmeansFit } from '../../src/engine/kmeans';
import { installPool, loadMatrix, printResult } from './io';

const [xPath, nRowsS, nColsS, initPath, kS, maxIterS, algorithm, outPrefix] = process.argv.slice(2);
const nCols = Number(nColsS);
const k = Number(kS);
const threads = installPool();
const X = loadMatrix(xPath, Number(nRowsS), nCols);
const init = loadMatrix(initPath, k, nCols);
if (algorithm !== 'lloyd' && algorithm !== 'elkan') throw new Error(`algorithm=${algorithm} should be lloyd or elkan`);

const t0 = performance.now();
const result = kmeansFit(X, { nClusters: k, init, nInit: 1, maxIter: Number(maxIterS), tol: 0, algorithm });
const seconds = (performance.now() - t0) / 1000;
writeTyped(`${outPrefix}.labels.i32`, result.labels);
writeTyped(`${outPrefix}.centers.f64`, result.clusterCenters.data);
printResult({ threads, seconds, inertia: result.inertia, nIter: result.nIter });
