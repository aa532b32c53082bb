#!/usr/bin/python3
"""Writes the NPY/NPZ fixtures of NpyFile (Repro.Results) with NumPy itself, beside CSV copies of the
same numbers, so the tests check our reader against NumPy's writer (NPY format versions 1.0, 2.0
and 3.0, C and Fortran order, little- and big-endian, float32 and float64, npz plain and
compressed) and check its refusals.

Run from this folder: /usr/bin/python3 make_npy.py   (Debian 12: NumPy 1.24; seed 20261129)
"""
import json
import os

import numpy as np
from numpy.lib import format as npformat

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def csv(name, x):
    with open(path(name), "w") as f:
        f.write(",".join(f"x{k + 1}" for k in range(x.shape[1])) + "\n")
        for row in x:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def write_version(name, x, version):
    with open(path(name), "wb") as f:
        npformat.write_array(f, x, version=version)


def main():
    rng = np.random.default_rng(20261129)
    # Two blobs like dsm-2d-two-blobs: (-5, 0) and (3, 0), unit covariance.
    x = rng.standard_normal((300, 2)) + np.where(rng.random((300, 1)) < 0.5, [-5.0, 0.0], [3.0, 0.0])
    x32 = x.astype(np.float32)

    np.save(path("samples-f8.npy"), x)
    csv("samples-f8.csv", x)
    np.save(path("samples-f4.npy"), x32)
    csv("samples-f4.csv", x32.astype(np.float64))
    np.save(path("samples-fortran.npy"), np.asfortranarray(x))
    write_version("samples-v2.npy", x, (2, 0))
    write_version("samples-v3.npy", x, (3, 0))
    np.save(path("samples-big-endian.npy"), x.astype(">f8"))
    np.savez(path("samples.npz"), samples=x)
    np.savez_compressed(path("samples-compressed.npz"), x)
    np.save(path("samples-1d-column.npy"), x[:, :1].copy())
    csv("samples-1d-column.csv", x[:, :1])

    bad = {}
    np.save(path("int64.npy"), np.arange(10, dtype=np.int64).reshape(5, 2))
    bad["int64.npy"] = ["'<i8'", "float32", "float64", "astype"]
    np.save(path("flat.npy"), x[:, 0].copy())
    bad["flat.npy"] = ["shape (300,)", "n × d", "reshape(-1, 1)"]
    np.save(path("cube.npy"), np.zeros((2, 3, 4)))
    bad["cube.npy"] = ["shape (2, 3, 4)", "n × d"]
    y = x.copy()
    y[7, 1] = np.nan
    np.save(path("nan.npy"), y)
    bad["nan.npy"] = ["row 8", "x2", "NaN"]
    with open(path("samples-f8.npy"), "rb") as f:
        whole = f.read()
    with open(path("truncated.npy"), "wb") as f:
        f.write(whole[: len(whole) - 100])
    bad["truncated.npy"] = ["4800 bytes of data", "4700"]
    with open(path("not-npy.npy"), "w") as f:
        f.write("x1,x2\n1,2\n")
    bad["not-npy.npy"] = ["not a NumPy .npy file"]
    np.save(path("objects.npy"), np.array([[1, "a"]], dtype=object), allow_pickle=True)
    bad["objects.npy"] = ["'|O'", "float64"]
    np.save(path("empty.npy"), np.zeros((0, 2)))
    bad["empty.npy"] = ["no points"]
    np.savez(path("two-arrays.npz"), a=x, b=x)
    bad["two-arrays.npz"] = ["a, b", "samples"]
    with open(path("expected-errors.json"), "w") as f:
        json.dump(bad, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
