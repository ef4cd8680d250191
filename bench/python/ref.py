"""Reference side of the Centroid benchmarks: scikit-learn 1.2.1 and pandas.

Run only with /usr/bin/python3 (Debian's python3-sklearn / python3-pandas). The
runner (bench/run.ts) starts one process per measurement, with OpenBLAS and
OpenMP limited to 2 threads, and reads the one JSON line printed on stdout.

    ref.py kmeans X.f64 NROWS NCOLS INIT.f64 K MAXITER ALGORITHM LABELS_OUT.i32
    ref.py minibatch X.f64 NROWS NCOLS INIT.f64 K BATCH MAXITER LABELS_OUT.i32
    ref.py silhouette X.f64 NROWS NCOLS LABELS.i32 NUSE
    ref.py readcsv FILE.csv
    ref.py fit FILE.csv K          # the whole-process end-to-end script

Times are taken with time.perf_counter around the measured call only; the
runner also times the whole process and reads its peak memory.
"""
import json
import sys
import time

import numpy as np


def blas_info():
    from threadpoolctl import threadpool_info

    out = []
    for pool in threadpool_info():
        out.append(
            {
                "api": pool.get("internal_api"),
                "version": pool.get("version"),
                "architecture": pool.get("architecture"),
                "threads": pool.get("num_threads"),
            }
        )
    return out


def load(path, n_rows, n_cols):
    X = np.fromfile(path, dtype="<f8", count=n_rows * n_cols)
    return X.reshape(n_rows, n_cols)


def cmd_kmeans(args):
    from sklearn.cluster import KMeans

    path, n_rows, n_cols, init_path, k, max_iter, algorithm, labels_out = args
    n_rows, n_cols, k, max_iter = int(n_rows), int(n_cols), int(k), int(max_iter)
    X = load(path, n_rows, n_cols)
    C = load(init_path, k, n_cols)
    km = KMeans(n_clusters=k, init=C, n_init=1, max_iter=max_iter, tol=0.0, algorithm=algorithm)
    t0 = time.perf_counter()
    km.fit(X)
    seconds = time.perf_counter() - t0
    km.labels_.astype("<i4").tofile(labels_out)
    return {"seconds": seconds, "inertia": float(km.inertia_), "nIter": int(km.n_iter_), "blas": blas_info()}


def cmd_minibatch(args):
    from sklearn.cluster import MiniBatchKMeans

    path, n_rows, n_cols, init_path, k, batch, max_iter, labels_out = args
    n_rows, n_cols, k, batch, max_iter = int(n_rows), int(n_cols), int(k), int(batch), int(max_iter)
    X = load(path, n_rows, n_cols)
    C = load(init_path, k, n_cols)
    # Same work as ours: a fixed number of steps, no early stop, no random reassignment.
    km = MiniBatchKMeans(
        n_clusters=k,
        init=C,
        n_init=1,
        batch_size=batch,
        max_iter=max_iter,
        tol=0.0,
        max_no_improvement=None,
        reassignment_ratio=0.0,
        random_state=0,
    )
    t0 = time.perf_counter()
    km.fit(X)
    seconds = time.perf_counter() - t0
    km.labels_.astype("<i4").tofile(labels_out)
    return {
        "seconds": seconds,
        "inertia": float(km.inertia_),
        "nSteps": int(km.n_steps_),
        "blas": blas_info(),
    }


def cmd_silhouette(args):
    from sklearn.metrics import silhouette_score

    path, n_rows, n_cols, labels_path, n_use = args
    n_rows, n_cols, n_use = int(n_rows), int(n_cols), int(n_use)
    X = load(path, n_rows, n_cols)[:n_use]
    labels = np.fromfile(labels_path, dtype="<i4", count=n_rows)[:n_use]
    t0 = time.perf_counter()
    value = silhouette_score(X, labels)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "value": float(value), "blas": blas_info()}


def cmd_readcsv(args):
    import pandas as pd

    (path,) = args
    t0 = time.perf_counter()
    X = pd.read_csv(path).to_numpy(dtype=np.float64)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "nRows": int(X.shape[0]), "nCols": int(X.shape[1]), "sum": float(X.sum())}


def cmd_fit(args):
    import pandas as pd
    from sklearn.cluster import KMeans

    path, k = args
    t0 = time.perf_counter()
    X = pd.read_csv(path).to_numpy(dtype=np.float64)
    km = KMeans(n_clusters=int(k), n_init=1, random_state=0).fit(X)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "inertia": float(km.inertia_), "nIter": int(km.n_iter_), "blas": blas_info()}


COMMANDS = {
    "kmeans": cmd_kmeans,
    "minibatch": cmd_minibatch,
    "silhouette": cmd_silhouette,
    "readcsv": cmd_readcsv,
    "fit": cmd_fit,
}

if __name__ == "__main__":
    result = COMMANDS[sys.argv[1]](sys.argv[2:])
    sys.stdout.write(json.dumps(result) + "\n")
