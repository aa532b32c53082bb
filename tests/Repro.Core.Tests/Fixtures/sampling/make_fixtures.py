#!/usr/bin/python3
"""Reference values for MetropolisCheck: the mean Metropolis-Hastings rejection of unadjusted
Langevin moves x -> y = x + (eta/2) s(x) + sqrt(eta) z on p = N(0, s2), at ULA's own stationary
law N(0, v), v = s2 / (1 - eta / (4 s2)), computed by adaptive quadrature (SciPy), not by sampling.

    /usr/bin/python3 tests/Repro.Core.Tests/Fixtures/sampling/make_fixtures.py

writes mala-rejection.json beside this script. Needs python3-scipy (Debian); tests only read the JSON.
"""
import json, os
import numpy as np, scipy
from scipy import integrate, stats

def rejection(s2, eta):
    v = s2 / (1 - eta / (4 * s2))
    a = 1 - eta / (2 * s2)
    def integrand(z, x):
        y = a * x + np.sqrt(eta) * z
        log_ratio = -(y * y - x * x) / (2 * s2) - (x - a * y) ** 2 / (2 * eta) + z * z / 2
        return (1 - min(1.0, np.exp(min(log_ratio, 0.0)))) * stats.norm.pdf(x, scale=np.sqrt(v)) * stats.norm.pdf(z)
    lim = 12
    value, err = integrate.dblquad(integrand, -lim * np.sqrt(v), lim * np.sqrt(v), -lim, lim, epsabs=1e-13, epsrel=1e-9)
    return value, err

cases = []
for s2, eta in [(1.0, 0.01), (1.0, 0.1), (1.0, 1.0), (2.5625, 0.01), (2.5625, 0.1)]:
    value, err = rejection(s2, eta)
    cases.append({"variance": s2, "stepSize": eta, "rejection": value, "quadratureError": err})
    print(s2, eta, value, err)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mala-rejection.json")
with open(out, "w") as f:
    json.dump({"versions": {"numpy": np.__version__, "scipy": scipy.__version__}, "cases": cases}, f, indent=1)
    f.write("\n")
