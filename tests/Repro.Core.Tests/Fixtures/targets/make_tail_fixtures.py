"""Reference values for the tail tests (TailTruthTests.cs): the noisy segment's smoothed score
and the truncated-normal mass G far from the data, at 400 significant digits with mpmath, whose
exponent range is unbounded (so nothing underflows where float64 does).

Run: /usr/bin/python3 make_tail_fixtures.py   (mpmath 1.2.1, Debian 12's python3-mpmath)
Writes tail.json beside this script.
"""
import json
import mpmath as mp

mp.mp.dps = 400  # 1e300 + 0.25 must keep its 0.25, with 80 digits to spare


def Q(t):
    """Upper tail 1 - Phi(t): mpmath's erfc below 1e6; above, where its own series check overflows,
    the asymptotic Mills series phi(t)/t * sum_k (-1)^k (2k-1)!!/t^(2k) summed to 1e-90."""
    t = mp.mpf(t)
    if t < 10**6:
        return mp.erfc(t / mp.sqrt(2)) / 2
    term, total, k = mp.mpf(1), mp.mpf(1), 0
    while abs(term) > mp.mpf("1e-90"):
        k += 1
        term *= -(2 * k - 1) / (t * t)
        total += term
    return mp.npdf(t) / t * total


def Phi(z):
    return Q(-mp.mpf(z))


def phi(z):
    return mp.npdf(z)


def truncated(a, width):
    """log(Phi(b) - Phi(a)) and G = (phi(b) - phi(a))/(Phi(b) - Phi(a)) with b = a + width."""
    a = mp.mpf(a)
    b = a + mp.mpf(width)
    # Use the tail that does not cancel.
    if a >= 0:
        mass = Phi(-a) - Phi(-b)
    else:
        mass = Phi(b) - Phi(a)
    return mass, (phi(b) - phi(a)) / mass


def segment_score(x, y, frm, to, k, c, s, a, sigma):
    """The closed form of NoisySegmentComponent's remarks, in mpmath arithmetic."""
    x, y = mp.mpf(x), mp.mpf(y)
    a, sigma, s, k, c = map(mp.mpf, (a, sigma, s, k, c))
    frm, to = mp.mpf(frm), mp.mpf(to)
    tau2 = a * a * s * s + sigma * sigma
    tau = mp.sqrt(tau2)
    V = tau2 + k * k * sigma * sigma
    yp = y - a * c
    r = yp - k * x
    w = x * tau2 + k * yp * sigma * sigma
    den = sigma * tau * mp.sqrt(V)
    alpha = (a * V * frm - w) / den
    beta = (a * V * to - w) / den
    _, G = truncated(alpha, beta - alpha)
    return [k * r / V - G * tau / (sigma * mp.sqrt(V)), -r / V - G * k * sigma / (tau * mp.sqrt(V))]


def f(v):
    """A float64 number; one beyond the double range is written as the string "-Infinity"/"Infinity"."""
    v = float(v)
    return v if v == v and abs(v) != float("inf") else str(v).replace("inf", "Infinity")


out = {"truncated": [], "segment": []}
for a in ["-1e300", "-1e200", "-1e154", "-1e100", "-1e16", "-1e8", "-40", "-5", "-0.5", "3", "37", "1e8", "1e100", "1e200", "1e300"]:
    for width in ["0.25", "3"]:
        mass, G = truncated(a, width)
        out["truncated"].append({"a": f(mp.mpf(a)), "width": f(mp.mpf(width)), "logMass": f(mp.log(mass)), "g": f(G)})

# The dsm-2d-blob-line experiment's segment: x ~ U[0, 10], y = 0.4 x - 5 + 0.2 eta, at its training sigma 1.2.
seg = dict(frm=0, to=10, k=0.4, c=-5, s=0.2)
for scale in ["1", "1e3", "1e16", "1e50", "1e100", "1e154", "1e200", "1e300"]:
    for ux, uy in [(1, 0), (-1, 0), (0, 1), (0, -1), (0.6, -0.8), (-0.28, 0.96)]:
        x = mp.mpf(scale) * ux
        y = mp.mpf(scale) * uy
        sx, sy = segment_score(x, y, a=1, sigma=1.2, **seg)
        out["segment"].append({"x": f(x), "y": f(y), "sigma": 1.2, "score": [f(sx), f(sy)]})

with open("tail.json", "w") as fh:
    json.dump(out, fh, indent=1, allow_nan=False)
    fh.write("\n")
