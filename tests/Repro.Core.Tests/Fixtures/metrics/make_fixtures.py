#!/usr/bin/python3
"""Generates the reference fixtures for tests/Repro.Core.Tests/Metrics (never run by CI).

Run:  /usr/bin/python3 make_fixtures.py        (from this folder; writes *.json here)
Made with SciPy 1.10.1 and NumPy 1.24.2 (Debian python3-scipy); the versions actually used
are also written into every JSON file under "versions".

Each value's provenance:
  ks2samp.json  statistic, pvalue = scipy.stats.ks_2samp(x, y)            (method='auto', two-sided)
                method = 'asymp' when ks_2samp warned "Switching to method=asymp" or max(n,m) > 10000
  kstest.json   statistic, pvalue = scipy.stats.kstest(x, scipy.stats.norm.cdf)   (two-sided, auto)
  kstwo.json    sf = scipy.stats.kstwo.sf(d, n); smirnov = scipy.special.smirnov(n, d)
  mmd.json      plain NumPy float64 (mmd_numpy below), independent of the C# blocking
  ksd.json      plain NumPy float64 (ksd_numpy below), IMQ kernel c=1, beta=-1/2
(mode_weights.json comes from make_mode_weights.py beside this file.)
All inputs are rounded to a few decimals so the JSON stays small and every value round-trips exactly.
"""
import json, time, warnings
import numpy as np, scipy, scipy.stats as st, scipy.special as sp

rng = np.random.default_rng(20240611)
VERSIONS = {"scipy": scipy.__version__, "numpy": np.__version__}


def dump(name, cases):
    with open(name, "w") as f:
        json.dump({"versions": VERSIONS, "cases": cases}, f, separators=(",", ":"))


def r(a, dec=5):
    return np.round(np.asarray(a, dtype=float), dec)


# ---------------------------------------------------------------- ks_2samp
def ks2(x, y):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        res = st.ks_2samp(x, y)
    method = "exact" if max(len(x), len(y)) <= 10000 else "asymp"
    if any("Switching to method=asymp" in str(m.message) for m in w):
        method = "asymp"
    return {"x": list(map(float, x)), "y": list(map(float, y)), "statistic": float(res.statistic),
            "pvalue": float(res.pvalue), "method": method}

ks2_cases = []
ks2_cases.append(ks2([0.5], [0.25]))
ks2_cases.append(ks2([0.5], [0.5]))
ks2_cases.append(ks2([1.0, 2.0], [3.0]))
ks2_cases.append(ks2([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]))
ks2_cases.append(ks2([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]))
ks2_cases.append(ks2([1.0, 1.0, 2.0], [1.0, 2.0, 2.0, 2.0]))
ks2_cases.append(ks2(r(rng.integers(0, 5, 30), 0), r(rng.integers(0, 6, 45), 0)))  # heavy ties
for n, m, shift, dec in [(5, 7, 0.0, 3), (10, 10, 0.5, 3), (37, 53, 0.3, 3), (100, 100, 0.0, 2),
                         (100, 150, 1.0, 3), (250, 400, 0.1, 4), (1000, 1000, 0.05, 4),
                         (1000, 1500, 0.0, 4), (3000, 2000, 2.0, 4), (2500, 2500, 3.0, 4),
                         (500, 800, 1.5, 4), (10000, 10000, 0.02, 4), (10000, 7000, 0.03, 4),
                         (10001, 10001, 0.03, 4), (12000, 9000, 0.0, 4), (15000, 20000, 0.05, 4),
                         (11000, 300, 0.8, 4)]:
    ks2_cases.append(ks2(r(rng.normal(0, 1, n), dec), r(rng.normal(shift, 1, m), dec)))
dump("ks2samp.json", ks2_cases)

# ---------------------------------------------------------------- kstest vs norm.cdf
ks1_cases = []
for n, shift in [(1, 0.0), (1, 3.0), (2, 0.0), (3, 0.5), (5, 0.0), (10, 0.2), (20, 1.0), (50, 0.0),
                 (100, 0.1), (141, 0.0), (200, 0.3), (500, 0.0), (1000, 0.05), (2000, 0.2),
                 (5000, 0.0), (10000, 0.01), (10001, 0.02), (20000, 0.0), (20000, 0.03)]:
    x = r(rng.normal(shift, 1, n), 6)
    res = st.kstest(x, st.norm.cdf)
    ks1_cases.append({"x": list(map(float, x)), "statistic": float(res.statistic), "pvalue": float(res.pvalue)})
dump("kstest.json", ks1_cases)

# ---------------------------------------------------------------- kstwo.sf grid and smirnov
kstwo_cases = []
for n in [1, 2, 3, 5, 10, 50, 100, 140, 141, 500, 1000, 5000, 10000, 50000, 100000]:
    for d in [0.001, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.45, 0.5, 0.6, 0.9, 0.99]:
        kstwo_cases.append({"n": n, "d": d, "sf": float(st.kstwo.sf(d, n)), "smirnov": float(sp.smirnov(n, d))})
    for z in [0.3, 0.6, 0.9, 1.2, 1.6, 2.5, 4.0]:
        d = float(r(z / np.sqrt(n), 8))
        if d < 1:
            kstwo_cases.append({"n": n, "d": d, "sf": float(st.kstwo.sf(d, n)), "smirnov": float(sp.smirnov(n, d))})
dump("kstwo.json", kstwo_cases)

# ---------------------------------------------------------------- MMD (plain NumPy)
def mmd_numpy(x, y, h):
    def gram(a, b):
        d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
        return np.exp(-d2 / (2 * h * h))
    kxx, kyy, kxy = gram(x, x), gram(y, y), gram(x, y)
    n, m = len(x), len(y)
    u = ((kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
         - 2 * kxy.mean())
    b = kxx.mean() + kyy.mean() - 2 * kxy.mean()
    return float(u), float(b)

def median_numpy(x, y):
    z = np.vstack([x, y])
    d = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(-1))
    iu = np.triu_indices(len(z), 1)
    return float(np.median(d[iu]))

mmd_cases = []
for d, n, m, shift, h in [(1, 50, 70, 0.0, 0.7), (1, 120, 80, 0.8, 1.3), (2, 100, 100, 0.0, 1.0),
                          (2, 150, 90, 0.5, 0.5), (2, 200, 300, 1.0, 2.0), (3, 80, 130, 0.3, 1.5),
                          (3, 160, 160, 0.0, 0.9), (2, 2, 3, 0.0, 1.0)]:
    x = r(rng.normal(0, 1, (n, d)), 5)
    y = r(rng.normal(0, 1, (m, d)) + shift, 5)
    u, b = mmd_numpy(x, y, h)
    hm = median_numpy(x, y)
    um, bm = mmd_numpy(x, y, hm)
    mmd_cases.append({"d": d, "x": list(map(float, x.ravel())), "y": list(map(float, y.ravel())), "bandwidth": h,
                      "mmd2u": u, "mmd2b": b, "median": hm, "mmd2u_median": um, "mmd2b_median": bm})
dump("mmd.json", mmd_cases)

# ---------------------------------------------------------------- KSD (plain NumPy, IMQ c=1 beta=-1/2)
def ksd_numpy(x, s, c=1.0, beta=-0.5):
    n, d = x.shape
    rr = x[:, None, :] - x[None, :, :]
    r2 = (rr ** 2).sum(-1)
    q = c * c + r2
    k = q ** beta
    term1 = (s @ s.T) * k
    term2 = -2 * beta * q ** (beta - 1) * np.einsum("ik,ijk->ij", s, rr)   # s(x_i)·∇_{x_j} k
    term3 = 2 * beta * q ** (beta - 1) * np.einsum("jk,ijk->ij", s, rr)    # s(x_j)·∇_{x_i} k
    term4 = -2 * beta * (d * q ** (beta - 1) + 2 * (beta - 1) * q ** (beta - 2) * r2)
    u = term1 + term2 + term3 + term4
    return float((u.sum() - np.trace(u)) / (n * (n - 1)))

def mixture_score(x, w, mus, sig):
    # isotropic Gaussian mixture sum_k w_k N(mu_k, sig^2 I): score = sum_k r_k (mu_k - x)/sig^2
    logs = np.stack([np.log(wk) - ((x - mk) ** 2).sum(-1) / (2 * sig * sig) for wk, mk in zip(w, mus)], -1)
    resp = np.exp(logs - logs.max(-1, keepdims=True))
    resp /= resp.sum(-1, keepdims=True)
    return sum(resp[:, [k]] * (np.asarray(mus[k]) - x) for k in range(len(w))) / (sig * sig)

ksd_cases = []
for d, n, shift, target in [(1, 100, 0.0, "normal"), (1, 150, 0.7, "normal"), (2, 120, 0.0, "normal"),
                            (2, 200, 0.5, "mixture"), (3, 90, 0.0, "normal"), (3, 140, 0.2, "mixture")]:
    x = r(rng.normal(0, 1, (n, d)) + shift, 5)
    if target == "normal":
        s = -x
    else:
        mus = [np.full(d, -1.0), np.full(d, 1.5)]
        s = mixture_score(x, [0.3, 0.7], mus, 0.8)
    ksd_cases.append({"d": d, "target": target, "x": list(map(float, x.ravel())),
                      "score": list(map(float, s.ravel())), "ksd2u": ksd_numpy(x, s)})
dump("ksd.json", ksd_cases)

# ---------------------------------------------------------------- timings (reported, not tested)
def timeit(f, reps=3):
    best = 1e9
    for _ in range(reps):
        t = time.perf_counter(); f(); best = min(best, time.perf_counter() - t)
    return best

if __name__ == "__main__":
    a, b = rng.normal(size=100000), rng.normal(size=100000)
    t_ks = timeit(lambda: st.ks_2samp(a, b))
    x, y = rng.normal(size=(2000, 2)), rng.normal(size=(2000, 2))
    def mmd_perm():
        z = np.vstack([x, y]); N = len(z)
        d2 = ((z[:, None, :] - z[None, :, :]) ** 2).sum(-1)
        K = np.exp(-d2 / 2); np.fill_diagonal(K, 0)
        E = np.zeros((N, 201)); E[:2000, 0] = 1
        for bb in range(1, 201):
            E[rng.permutation(N)[:2000], bb] = 1
        q = np.einsum("ib,ib->b", E, K @ E)   # the one matrix product
        return q
    t_mmd = timeit(mmd_perm)
    xs = rng.normal(size=(2000, 2))
    def ksd_boot():
        n = len(xs); s = -xs
        rr = xs[:, None, :] - xs[None, :, :]; r2 = (rr ** 2).sum(-1); q = 1 + r2
        u = (s @ s.T) * q ** -0.5 + q ** -1.5 * (np.einsum("ik,ijk->ij", s, rr) - np.einsum("jk,ijk->ij", s, rr)) \
            + (2 * q ** -1.5 - 3 * q ** -2.5 * r2)
        np.fill_diagonal(u, 0)
        W = rng.choice([-1.0, 1.0], size=(n, 500))
        return np.einsum("ib,ib->b", W, u @ W) / (n * (n - 1))
    t_ksd = timeit(ksd_boot)
    print(json.dumps({"versions": VERSIONS, "ks_2samp_n100000_s": t_ks, "mmd_2000x2_200perm_s": t_mmd,
                      "ksd_2000x2_500boot_s": t_ksd}))
