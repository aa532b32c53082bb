#!/usr/bin/python3
"""Reference values for the 3D targets, by direct numerical integration in SciPy (independent of the
closed forms in Repro.Core): writes shells.json and rotated-template.json beside this script.

Run: /usr/bin/python3 tests/Repro.Core.Tests/Fixtures/targets/make_fixtures.py   (SciPy 1.10, NumPy 1.24, Debian 12)

- Noisy shell (x = rho*u + sqrt(v)*eta, u uniform on the sphere): p(x) = (1/4pi) * integral over the
  sphere of N(x; rho*u, v I), by scipy.integrate.dblquad in (polar, azimuth); the score is
  integral of N * (rho*u - x)/v over the same, divided by p.
- Matrix-Fisher constant c(F) = E_Haar[exp(tr(F^T R))] and the rotated-template density
  p(X) = E_Haar[N(X; a M R^T, v I)], by scipy.integrate.tplquad over ZYZ Euler angles with the Haar
  density sin(beta)/(8 pi^2).
"""
import json
import os

import numpy as np
import scipy
from scipy import integrate

HERE = os.path.dirname(os.path.abspath(__file__))
OPTS = dict(epsabs=0, epsrel=1e-11)


def shell_case(radius, jitter, a, sigma, x):
    rho, v = a * radius, a * a * jitter * jitter + sigma * sigma
    x = np.asarray(x, float)
    # Shift the exponent by its maximum over the sphere so the integrand stays O(1).
    nx = np.linalg.norm(x)
    shift = -(nx - rho) ** 2 / (2 * v)

    def log_n(th, ph):
        u = np.array([np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)])
        return -np.sum((x - rho * u) ** 2) / (2 * v) - shift, u

    def f(ph, th, j):
        ln, u = log_n(th, ph)
        w = np.exp(ln) * np.sin(th) / (4 * np.pi)
        return w if j < 0 else w * (rho * u[j] - x[j]) / v

    p = integrate.dblquad(lambda ph, th: f(ph, th, -1), 0, np.pi, 0, 2 * np.pi, **OPTS)[0]
    grad = [integrate.dblquad(lambda ph, th: f(ph, th, j), 0, np.pi, 0, 2 * np.pi, **OPTS)[0] for j in range(3)]
    logp = np.log(p) + shift - 1.5 * np.log(2 * np.pi * v)
    return dict(radius=radius, jitter=jitter, scale=a, sigma=sigma, x=list(x), logp=logp, score=[g / p for g in grad],
                call="dblquad over the sphere of N(x; rho u, v I)/(4 pi), epsrel 1e-11")


def euler_zyz(al, be, ga):
    def rz(t):
        c, s = np.cos(t), np.sin(t)
        return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])

    c, s = np.cos(be), np.sin(be)
    ry = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return rz(al) @ ry @ rz(ga)


def haar_expectation(g, shift):
    """E_Haar[exp(g(R) - shift)] by tplquad over ZYZ Euler angles."""
    f = lambda ga, be, al: np.exp(g(euler_zyz(al, be, ga)) - shift) * np.sin(be) / (8 * np.pi ** 2)
    return integrate.tplquad(f, 0, 2 * np.pi, 0, np.pi, 0, 2 * np.pi, epsabs=0, epsrel=1e-10)[0]


def fisher_case(F):
    F = np.asarray(F, float)
    shift = np.linalg.svd(F, compute_uv=False).sum()  # an upper bound of tr(F^T R)
    c = haar_expectation(lambda R: np.sum(F * R), shift)
    return dict(f=F.reshape(-1).tolist(), logc=float(np.log(c) + shift),
                call="tplquad over ZYZ Euler angles of exp(tr(F^T R)) sin(beta)/(8 pi^2), epsrel 1e-10")


def template_case(points, jitter, a, sigma, X):
    M = np.asarray(points, float)
    M = M - M.mean(0)
    X = np.asarray(X, float).reshape(-1, 3)
    K = M.shape[0]
    v = a * a * jitter * jitter + sigma * sigma
    F = a / v * X.T @ M
    shift = np.linalg.svd(F, compute_uv=False).sum()
    c = haar_expectation(lambda R: np.sum(F * R), shift)
    logp = -1.5 * K * np.log(2 * np.pi * v) - (np.sum(X * X) + a * a * np.sum(M * M)) / (2 * v) + np.log(c) + shift
    return dict(points=np.asarray(points, float).tolist(), jitter=jitter, scale=a, sigma=sigma, x=X.reshape(-1).tolist(),
                logp=float(logp), call="tplquad over ZYZ Euler angles of N(X; a M R^T, v I) sin(beta)/(8 pi^2), epsrel 1e-10")


def main():
    shells = [
        shell_case(2.0, 0.3, 1.0, 0.0, [0.5, -1.2, 1.4]),
        shell_case(2.0, 0.3, 1.0, 0.0, [0.0, 0.0, 0.1]),
        shell_case(2.0, 0.3, 1.0, 0.5, [2.5, 0.3, -0.4]),
        shell_case(2.0, 0.3, 0.8, 0.6, [-0.3, 0.2, 0.1]),
        shell_case(5.0, 0.5, 1.0, 0.0, [3.0, 4.0, 0.2]),
        shell_case(0.5, 1.0, 1.0, 2.0, [1.0, 1.0, 1.0]),
    ]
    meta = dict(scipy=scipy.__version__, numpy=np.__version__)
    with open(os.path.join(HERE, "shells.json"), "w") as f:
        json.dump(dict(meta=meta, cases=shells), f, indent=1)

    fisher = [
        fisher_case([[1.0, 0, 0], [0, 0.5, 0], [0, 0, -0.3]]),
        fisher_case([[0.4, -1.1, 0.3], [0.9, 0.2, -0.5], [0.1, 0.7, 1.3]]),
        fisher_case([[4.0, 0.5, 0], [-0.5, 3.0, 0.2], [0.1, 0.3, -2.0]]),
    ]
    chiral = [[0.0, 0.0, 0.0], [1.5, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.7]]
    rng = np.random.default_rng(16)
    templates = []
    for a, sigma in [(1.0, 0.0), (1.0, 0.5), (0.8, 0.6), (1.0, 1.5)]:
        X = np.asarray(chiral) - np.mean(chiral, 0)
        X = X @ euler_zyz(0.3, 1.1, -0.7).T + 0.4 * rng.standard_normal(X.shape)
        templates.append(template_case(chiral, 0.8, a, sigma, X))
    with open(os.path.join(HERE, "rotated-template.json"), "w") as f:
        json.dump(dict(meta=meta, fisher=fisher, templates=templates), f, indent=1)


if __name__ == "__main__":
    main()
