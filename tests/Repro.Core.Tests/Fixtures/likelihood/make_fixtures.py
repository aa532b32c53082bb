#!/usr/bin/python3
"""Reference values for the probability-flow ODE likelihood of a Gaussian p0 = N(mu, Sigma) in 2-D, where every
piece is closed form: under x_t = a(t) x0 + sigma(t) eps the marginal is p_t = N(a mu, C_t), C_t = a^2 Sigma + sigma^2 I,
and the probability-flow ODE dx/dt = f x - g^2/2 grad log p_t carries x_eps to
    x_T = a_T mu + C_T^(1/2) C_eps^(-1/2) (x_eps - a_eps mu)
(in Sigma's eigenbasis each coordinate y obeys dy/dt = (c'/2c) y, c = a^2 lambda + sigma^2), with the accumulated
divergence l = log det(C_T^(1/2) C_eps^(-1/2)) = (log det C_T - log det C_eps)/2, so that log p_eps(x) = log p_T(x_T) + l.

    /usr/bin/python3 tests/Repro.Core.Tests/Fixtures/likelihood/make_fixtures.py

writes gaussian-flow.json beside this script: for 16 points (numpy default_rng(20261130), drawn from p0) and three
schedules (VE sigma 0.01 -> 20 with t in [0, 1]; EDM sigma = t from 0.01 to 20; VP beta 0.1 -> 20 with eps = 1e-3, as
score_sde's VPSDE.marginal_prob), each point's latent x_T, l, log N(x_T; 0, s^2 I) (s = sigma_T; 1 for VP),
log p_T(x_T), log p_eps(x), log p0(x) and the decomposition terms (total, time floor, prior, solver = 0). Log-densities
by scipy.stats.multivariate_normal, matrix square roots by scipy.linalg.sqrtm. Needs python3-scipy (Debian); the
tests only read the JSON.
"""
import json, os
import numpy as np
from scipy import linalg, stats

HERE = os.path.dirname(os.path.abspath(__file__))
MU = np.array([1.0, -0.5])
SIGMA = np.array([[1.5, 0.4], [0.4, 0.6]])

def ve(sigma_min, sigma_max):
    sig = lambda t: sigma_min * (sigma_max / sigma_min) ** t
    return dict(text=f"ve(sigmaMin={sigma_min},sigmaMax={sigma_max})", a=lambda t: 1.0, sigma=sig, t_min=0.0, t_max=1.0, prior=sigma_max)

def edm(sigma_min, sigma_max):
    return dict(text=f"edm(sigmaMin={sigma_min},sigmaMax={sigma_max},rho=7)", a=lambda t: 1.0, sigma=lambda t: t,
                t_min=sigma_min, t_max=sigma_max, prior=sigma_max)

def vp(beta_min, beta_max, eps):
    log_a = lambda t: -0.25 * t * t * (beta_max - beta_min) - 0.5 * t * beta_min
    return dict(text=f"vp(betaMin={beta_min},betaMax={beta_max},epsilon={eps})", a=lambda t: np.exp(log_a(t)),
                sigma=lambda t: np.sqrt(-np.expm1(2 * log_a(t))), t_min=eps, t_max=1.0, prior=1.0)

def marginal(s, t):
    a, sg = s["a"](t), s["sigma"](t)
    return a * MU, a * a * SIGMA + sg * sg * np.eye(2)

def main():
    rng = np.random.default_rng(20261130)
    x = rng.multivariate_normal(MU, SIGMA, size=16)
    out = dict(mean=MU.tolist(), covariance=SIGMA.tolist(), points=x.tolist(), schedules=[])
    log_p0 = stats.multivariate_normal(MU, SIGMA).logpdf(x)
    for s in (ve(0.01, 20), edm(0.01, 20), vp(0.1, 20, 1e-3)):
        m_eps, c_eps = marginal(s, s["t_min"])
        m_T, c_T = marginal(s, s["t_max"])
        A = np.real(linalg.sqrtm(c_T) @ linalg.inv(np.real(linalg.sqrtm(c_eps))))
        z = m_T + (x - m_eps) @ A.T
        delta = 0.5 * (np.linalg.slogdet(c_T)[1] - np.linalg.slogdet(c_eps)[1])
        log_prior = stats.multivariate_normal(np.zeros(2), s["prior"] ** 2 * np.eye(2)).logpdf(z)
        log_pT = stats.multivariate_normal(m_T, c_T).logpdf(z)
        log_peps = stats.multivariate_normal(m_eps, c_eps).logpdf(x)
        estimate = log_prior + delta
        out["schedules"].append(dict(
            schedule=s["text"], latent=z.tolist(), delta=[float(delta)] * len(x), log_prior=log_prior.tolist(),
            log_p_t=log_pT.tolist(), log_p_eps=log_peps.tolist(), log_p0=log_p0.tolist(),
            total=(estimate - log_p0).tolist(), time_floor=(log_peps - log_p0).tolist(),
            prior=(log_prior - log_pT).tolist(), solver=(log_pT + delta - log_peps).tolist()))
    with open(os.path.join(HERE, "gaussian-flow.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")

if __name__ == "__main__":
    main()
