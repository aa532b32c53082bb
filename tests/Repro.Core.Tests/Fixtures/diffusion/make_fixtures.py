#!/usr/bin/python3
"""Reference values for the exact truth at every noise level: log p, grad log p and Laplacian of
log p of the law of a*x0 + sigma*eps (x0 ~ p0 of each seed experiment, eps ~ N(0, I)) at the noise
levels of a VE, a VP and an EDM schedule, sigma from 0.01 to 50.

    /usr/bin/python3 tests/Repro.Core.Tests/Fixtures/diffusion/make_fixtures.py

writes truth-levels.json beside this script. Needs python3-scipy (Debian); tests only read the JSON.

Independent of Repro's code: Gaussian components through scipy.stats.multivariate_normal (mixture by
scipy.special.logsumexp); the noisy segment (u ~ U[from, to], y = k u + c + s*eta) by adaptive
quadrature (scipy.integrate.quad) over u of the Gaussian kernel N(x; (a u, a(k u + c)),
diag(sigma^2, a^2 s^2 + sigma^2)), its gradient and its Hessian trace. The VP a(t), sigma(t) are
score_sde's VPSDE.marginal_prob (beta linear 0.1 -> 20), the EDM levels EDM's eq. 5 with rho = 7.
"""
import json, os
import numpy as np
from scipy import integrate, stats, special

HERE = os.path.dirname(os.path.abspath(__file__))
EXPERIMENTS = os.path.join(HERE, "..", "..", "..", "..", "experiments")
SEED_EXPERIMENTS = ["dsm-1d-two-gaussians", "dsm-2d-two-blobs", "dsm-2d-blob-line", "ncsn-mode-weights"]

def gaussian_terms(comp, x, a, sigma):
    mu = np.array(comp["mean"], float)
    cov = np.array(comp["covariance"], float)
    c = a * a * cov + sigma * sigma * np.eye(len(mu))
    logp = stats.multivariate_normal(mean=a * mu, cov=c).logpdf(x)
    ci = np.linalg.inv(c)
    score = -ci @ (x - a * mu)
    lap = -np.trace(ci)
    return logp, score, lap

def segment_terms(comp, x, a, sigma):
    lo, hi, k, c0, s = comp["from"], comp["to"], comp["slope"], comp["intercept"], comp["noise"]
    v0, v1 = sigma * sigma, a * a * s * s + sigma * sigma
    def expo(u):
        d0, d1 = x[0] - a * u, x[1] - a * (k * u + c0)
        return -0.5 * (d0 * d0 / v0 + d1 * d1 / v1), d0, d1
    grid = np.linspace(lo, hi, 20001)
    values = [expo(u)[0] for u in grid]
    shift = max(values)
    peak = float(grid[int(np.argmax(values))])
    # Split at the peak of the kernel in u (width about sigma / a) so quad cannot step over it.
    width = 40 * np.sqrt(v0 + v1) / a
    cuts = sorted({lo, hi, *[float(np.clip(peak + w, lo, hi)) for w in (-width, -1e-2 * width, -1e-4 * width, 0.0, 1e-4 * width, 1e-2 * width, width)]})
    def integral(f):
        return sum(integrate.quad(f, l, h, limit=2000, epsabs=0, epsrel=1e-13)[0] for l, h in zip(cuts, cuts[1:]) if h > l)
    def kernel(u):
        e, d0, d1 = expo(u)
        return np.exp(e - shift), d0 / v0, d1 / v1
    p = integral(lambda u: kernel(u)[0])
    g0 = integral(lambda u: kernel(u)[0] * kernel(u)[1])
    g1 = integral(lambda u: kernel(u)[0] * kernel(u)[2])
    h = integral(lambda u: kernel(u)[0] * (kernel(u)[1] ** 2 + kernel(u)[2] ** 2 - 1 / v0 - 1 / v1))
    norm = -np.log(hi - lo) - 0.5 * np.log(2 * np.pi * v0) - 0.5 * np.log(2 * np.pi * v1)
    logp = shift + np.log(p) + norm
    score = -np.array([g0, g1]) / p
    lap = h / p - score @ score
    return logp, score, lap

def mixture_terms(components, x, a, sigma):
    logs, scores, laps = [], [], []
    for comp in components:
        f = gaussian_terms if comp["kind"] == "gaussian" else segment_terms
        lp, sc, la = f(comp, x, a, sigma)
        logs.append(np.log(comp["weight"]) + lp); scores.append(sc); laps.append(la)
    logs = np.array(logs); total = special.logsumexp(logs)
    r = np.exp(logs - total)
    score = sum(ri * si for ri, si in zip(r, scores))
    lap = sum(ri * (li + si @ si) for ri, li, si in zip(r, laps, scores)) - score @ score
    return float(total), score, float(lap)

def sample(components, n, a, sigma, rng):
    out = []
    weights = [c["weight"] for c in components]
    for _ in range(n):
        comp = components[rng.choice(len(components), p=weights)]
        if comp["kind"] == "gaussian":
            x0 = rng.multivariate_normal(comp["mean"], comp["covariance"])
        else:
            u = rng.uniform(comp["from"], comp["to"])
            x0 = np.array([u, comp["slope"] * u + comp["intercept"] + comp["noise"] * rng.standard_normal()])
        out.append(a * x0 + sigma * rng.standard_normal(len(x0)))
    return out

def levels():
    # VE: sigma(t) = 0.01 * (50 / 0.01)^t at t = 0, 0.25, 0.5, 0.75, 1.
    for t in [0.0, 0.25, 0.5, 0.75, 1.0]:
        yield {"schedule": "ve(sigmaMin=0.01,sigmaMax=50)", "t": t, "a": 1.0, "sigma": 0.01 * (50 / 0.01) ** t}
    # VP (score_sde VPSDE.marginal_prob): log a = -t^2 (b1 - b0) / 4 - t b0 / 2, sigma = sqrt(1 - a^2).
    b0, b1 = 0.1, 20.0
    for t in [1e-3, 0.05, 0.2, 0.5, 1.0]:
        log_a = -0.25 * t * t * (b1 - b0) - 0.5 * t * b0
        yield {"schedule": "vp(betaMin=0.1,betaMax=20)", "t": t, "a": float(np.exp(log_a)), "sigma": float(np.sqrt(-np.expm1(2 * log_a)))}
    # EDM (a = 1, sigma = t): eq. 5 levels with sigma_min = 0.01, sigma_max = 50, rho = 7, N = 4.
    lo, hi, rho = 0.01, 50.0, 7.0
    for i in range(5):
        s = (hi ** (1 / rho) + i / 4 * (lo ** (1 / rho) - hi ** (1 / rho))) ** rho
        yield {"schedule": "edm(sigmaMin=0.01,sigmaMax=50)", "t": s, "a": 1.0, "sigma": float(s)}

rng = np.random.default_rng(20261129)
cases = []
for name in SEED_EXPERIMENTS:
    components = json.load(open(os.path.join(EXPERIMENTS, name + ".json")))["data"]["components"]
    d = len(components[0]["mean"]) if "mean" in components[0] else 2
    for level in levels():
        a, sigma = level["a"], level["sigma"]
        points = sample(components, 3, a, sigma, rng) + [np.full(d, 0.5)]
        rows = []
        for x in points:
            logp, score, lap = mixture_terms(components, np.asarray(x, float), a, sigma)
            rows.append({"x": [float(v) for v in x], "logp": logp, "score": [float(v) for v in score], "laplacian": lap})
        cases.append({"experiment": name, **level, "points": rows})
        print(name, level["schedule"], level["t"], a, sigma, rows[0]["logp"])

with open(os.path.join(HERE, "truth-levels.json"), "w") as f:
    json.dump({"script": "make_fixtures.py", "scipy": __import__("scipy").__version__, "numpy": np.__version__,
               "seed": 20261129, "cases": cases}, f, indent=1)
