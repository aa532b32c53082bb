#!/usr/bin/python3
"""Reference values for ModeWeights.Test's mean-responsibility Wald test (never run by CI).

Run:  /usr/bin/python3 make_mode_weights.py      (from this folder; writes mode_weights.json)
Made with SciPy 1.10.1 and NumPy 1.24.2 (Debian python3-scipy).

Each case: n rows of responsibilities (Dirichlet draws, rounded to 4 decimals and renormalised so
every row sums to 1 in float64 as closely as rounding allows), weights w, and
  mean       = R.mean(axis=0)
  statistic  = n * d' inv(S) d,  d = mean[:-1] - w[:-1],  S = numpy.cov(R[:, :-1], rowvar=False, ddof=1)
  pvalue     = scipy.stats.chi2.sf(statistic, K - 1)
computed on the first K - 1 columns, where S is invertible: an independent route to the same number
as the C# pseudo-inverse over all K columns (the Wald statistic is invariant to dropping one).
"""
import json
import numpy as np, scipy, scipy.stats as st

rng = np.random.default_rng(20261129)
cases = []
for K, n, alpha, w in [(2, 40, [1.0, 1.0], [0.5, 0.5]), (2, 300, [2.0, 0.8], [0.7, 0.3]),
                       (3, 200, [1.0, 1.0, 1.0], [0.2, 0.3, 0.5]), (3, 500, [5.0, 3.0, 2.0], [0.5, 0.3, 0.2]),
                       (4, 250, [0.5, 0.5, 0.5, 0.5], [0.25, 0.25, 0.25, 0.25]), (2, 1000, [0.3, 0.3], [0.45, 0.55])]:
    R = np.round(rng.dirichlet(alpha, size=n), 4)
    R[:, -1] = 1.0 - R[:, :-1].sum(axis=1)
    R = np.round(R, 4)
    mean = R.mean(axis=0)
    d = mean[:-1] - np.asarray(w[:-1])
    S = np.atleast_2d(np.cov(R[:, :-1], rowvar=False, ddof=1))
    stat = float(n * d @ np.linalg.solve(S, d))
    cases.append({"k": K, "n": n, "weights": w, "r": [float(v) for v in R.ravel()],
                  "mean": [float(v) for v in mean], "statistic": stat, "pvalue": float(st.chi2.sf(stat, K - 1))})
with open("mode_weights.json", "w") as f:
    json.dump({"versions": {"scipy": scipy.__version__, "numpy": np.__version__}, "cases": cases}, f, separators=(",", ":"))
