#!/usr/bin/python3
"""Exact skewness and excess kurtosis of float64 samples (never run by CI).

Run:  /usr/bin/python3 make_moments_exact.py      (from this folder; writes moments_exact.json)
Each sample is a list of float64 values; the reference is computed in exact rational arithmetic
(fractions.Fraction of the stored doubles): mean = Σx/n, m_p = Σ(x − mean)^p / n, g1 = m3/m2^1.5,
g2 = m4/m2² − 3 (the biased estimators of scipy.stats.skew / kurtosis), rounded once to float64.
Python 3.11, NumPy 1.24.2 (for the draws only).
"""
import json
from fractions import Fraction
import numpy as np

rng = np.random.default_rng(20261129)
cases = []
def add(name, xs):
    xs = [float(v) for v in xs]
    f = [Fraction(v) for v in xs]
    n = len(f)
    mean = sum(f) / n
    m2 = sum((v - mean) ** 2 for v in f) / n
    m3 = sum((v - mean) ** 3 for v in f) / n
    m4 = sum((v - mean) ** 4 for v in f) / n
    skew = float(m3) / float(m2) ** 1.5  # m3 and m2 exact, then rounded: relative error ~1e-16
    kurt = float(m4 / (m2 * m2)) - 3
    cases.append({"name": name, "x": xs, "skewness": skew, "excess_kurtosis": kurt, "variance": float(m2)})

add("offset 1e8 plus N(0,1)", np.round(1e8 + rng.normal(0, 1, 200), 6))
add("offset 1e6 plus exponential", np.round(1e6 + rng.exponential(1.0, 300), 8))
add("1 + k 2^-30, skewed", [1 + k * 2.0 ** -30 for k in [0, 0, 0, 1, 1, 2, 5, 9]])
add("scaled by 2^50", [v * 2.0 ** 50 for v in np.round(rng.gamma(2.0, 1.0, 100), 6)])
add("scaled by 2^-50", [v * 2.0 ** -50 for v in np.round(rng.gamma(2.0, 1.0, 100), 6)])
with open("moments_exact.json", "w") as fh:
    json.dump({"cases": cases}, fh, separators=(",", ":"))
for c in cases: print(c["name"], c["skewness"], c["excess_kurtosis"])
