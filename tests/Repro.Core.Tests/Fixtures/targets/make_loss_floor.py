#!/usr/bin/python3
"""Reference values of the DSM loss floor (d/sigma^2 - J(p_sigma))/d, J = integral of |grad p_sigma|^2 / p_sigma,
for the seed experiments' targets, by adaptive SciPy quadrature (scipy.integrate.quad in 1D, dblquad in 2D),
independent of Repro.Core's closed forms and of its trapezoid grid: writes loss_floor.json beside this script.

Run: /usr/bin/python3 tests/Repro.Core.Tests/Fixtures/targets/make_loss_floor.py   (SciPy 1.10, NumPy 1.24, Debian 12)

- Gaussian components: N(m, C + sigma^2 I), density and gradient by hand.
- The noisy segment x ~ U[from, to], y = k x + c + s*eta, smoothed by N(0, sigma^2 I): given the position t on the
  segment the point is N((t, k t + c), diag(sigma^2, s^2 + sigma^2)); the t-integral is a Gaussian in t (completed
  square: precision A, mean m), so p = (1/L) N-normaliser * exp(-(C - B^2/A)/2) sqrt(2 pi/A) * P(t in [from, to]),
  and grad p = p * ((E[t] - x)/sigma^2, (k E[t] + c - y)/(s^2 + sigma^2)) with E[t] the mean of that Gaussian
  truncated to [from, to] (scipy.stats.truncnorm). Checked below against scipy.integrate.quad over t at a few points.
- The outer integral runs over a box that leaves out less than 1e-20 of the mass (asserted: the density integrates
  to 1 within 1e-10 over the same box by the same rule).
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import integrate, special, stats

HERE = os.path.dirname(os.path.abspath(__file__))
OPTS = dict(epsabs=1e-13, epsrel=1e-12)


def gaussian(mean, var_diag, sigma):
    """Axis-aligned Gaussian (the seed experiments' covariances are diagonal) smoothed by sigma."""
    mean = np.asarray(mean, float)
    v = np.asarray(var_diag, float) + sigma * sigma

    def f(x):
        x = np.asarray(x, float)
        logp = -0.5 * np.sum((x - mean) ** 2 / v) - 0.5 * np.sum(np.log(2 * np.pi * v))
        return logp, -(x - mean) / v

    return f


def segment(lo, hi, k, c, s, sigma):
    tau2 = s * s + sigma * sigma
    A = 1 / sigma**2 + k * k / tau2
    L = hi - lo

    def f(x):
        px, py = x
        B = px / sigma**2 + k * (py - c) / tau2
        C = px * px / sigma**2 + (py - c) ** 2 / tau2
        m = B / A
        sd = 1 / math.sqrt(A)
        a, b = (lo - m) / sd, (hi - m) / sd
        # log P(t in [lo, hi]) for t ~ N(m, 1/A), on the side where it does not cancel.
        if a > 0:
            logmass = special.log_ndtr(-a) + math.log1p(-math.exp(special.log_ndtr(-b) - special.log_ndtr(-a)))
        else:
            logmass = special.log_ndtr(b) + math.log1p(-math.exp(special.log_ndtr(a) - special.log_ndtr(b)))
        logp = (-math.log(L) - math.log(2 * math.pi * sigma * math.sqrt(tau2)) - 0.5 * (C - B * B / A)
                + 0.5 * math.log(2 * math.pi / A) + logmass)
        et = stats.truncnorm.mean(a, b, loc=m, scale=sd)
        return logp, np.array([(et - px) / sigma**2, (k * et + c - py) / tau2])

    def by_quad(x):
        """p and grad p by quadrature over t, for the check."""
        px, py = x
        norm = 1 / (L * 2 * math.pi * sigma * math.sqrt(tau2))
        g = lambda t: norm * math.exp(-(px - t) ** 2 / (2 * sigma**2) - (py - k * t - c) ** 2 / (2 * tau2))
        p = integrate.quad(g, lo, hi, epsabs=0, epsrel=1e-13)[0]
        gx = integrate.quad(lambda t: g(t) * (t - px) / sigma**2, lo, hi, epsabs=0, epsrel=1e-13)[0]
        gy = integrate.quad(lambda t: g(t) * (k * t + c - py) / tau2, lo, hi, epsabs=0, epsrel=1e-13)[0]
        return p, np.array([gx, gy])

    f.by_quad = by_quad
    return f


def mixture(weights, parts):
    def f(x):
        logs, scores = zip(*(part(x) for part in parts))
        logs = np.array(logs) + np.log(weights)
        top = logs.max()
        r = np.exp(logs - top)
        logp = top + math.log(r.sum())
        r /= r.sum()
        return logp, sum(ri * si for ri, si in zip(r, scores))

    return f


def fisher_and_mass(f, box):
    def fisher(*x):
        logp, score = f(np.array(x[::-1]))  # dblquad passes (y, x)
        return math.exp(logp) * float(score @ score)

    def density(*x):
        return math.exp(f(np.array(x[::-1]))[0])

    if len(box) == 1:
        (lo, hi), = box
        J = integrate.quad(lambda x: fisher(x), lo, hi, limit=500, **OPTS)[0]
        mass = integrate.quad(lambda x: density(x), lo, hi, limit=500, **OPTS)[0]
    else:
        (xlo, xhi), (ylo, yhi) = box
        J = integrate.dblquad(fisher, xlo, xhi, ylo, yhi, **OPTS)[0]
        mass = integrate.dblquad(density, xlo, xhi, ylo, yhi, **OPTS)[0]
    return J, mass


def case(name, d, sigma, f, box, targets):
    J, mass = fisher_and_mass(f, box)
    assert abs(mass - 1) < 1e-10, (name, sigma, mass)
    floor = (d / sigma**2 - J) / d
    print(f"{name} sigma={sigma}: J={J!r} floor={floor!r} mass-1={mass - 1:.2e}")
    return dict(name=name, sigma=sigma, dimension=d, fisher_information=J, floor=floor, components=targets,
                call=("quad" if d == 1 else "dblquad") + f" over {box} of |grad p_sigma|^2/p_sigma, epsabs 1e-13, epsrel 1e-12")


def main():
    cases = []
    two_gaussians = [dict(kind="gaussian", weight=0.5, mean=[-2], variance=[1]), dict(kind="gaussian", weight=0.5, mean=[2], variance=[1])]
    for sigma in (1.25, 0.5):
        f = mixture([0.5, 0.5], [gaussian([-2], [1], sigma), gaussian([2], [1], sigma)])
        w = 2 + 14 * math.sqrt(1 + sigma * sigma)
        cases.append(case("dsm-1d-two-gaussians", 1, sigma, f, [(-w, w)], two_gaussians))

    two_blobs = [dict(kind="gaussian", weight=0.5, mean=[-5, 0], variance=[1, 1]), dict(kind="gaussian", weight=0.5, mean=[3, 0], variance=[1, 1])]
    for sigma in (1.25, 0.5, 2.0):
        f = mixture([0.5, 0.5], [gaussian([-5, 0], [1, 1], sigma), gaussian([3, 0], [1, 1], sigma)])
        w = 12 * math.sqrt(1 + sigma * sigma)
        cases.append(case("dsm-2d-two-blobs", 2, sigma, f, [(-5 - w, 3 + w), (-w, w)], two_blobs))

    blob_line = [dict(kind="gaussian", weight=0.5, mean=[-5, 0], variance=[1, 1]),
                 dict(kind="noisy-segment", weight=0.5, **{"from": 0, "to": 10}, slope=0.4, intercept=-5, noise=0.2)]
    for sigma in (1.2,):
        seg = segment(0, 10, 0.4, -5, 0.2, sigma)
        for x in ([3.0, -3.5], [-1.0, 2.0], [12.0, 1.0], [5.0, -1.0]):
            logp, score = seg(np.array(x))
            p, grad = seg.by_quad(x)
            assert abs(math.exp(logp) / p - 1) < 1e-10 and np.allclose(score, grad / p, rtol=1e-9, atol=1e-12), (x, logp, score, p, grad)
        f = mixture([0.5, 0.5], [gaussian([-5, 0], [1, 1], sigma), seg])
        w = 12 * math.sqrt(1 + sigma * sigma)
        cases.append(case("dsm-2d-blob-line", 2, sigma, f, [(-5 - w, 10 + w), (-5 - w, w)], blob_line))

    with open(os.path.join(HERE, "loss_floor.json"), "w") as out:
        json.dump(dict(generator="make_loss_floor.py", scipy=scipy.__version__, numpy=np.__version__, cases=cases), out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
