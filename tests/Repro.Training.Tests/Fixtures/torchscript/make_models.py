#!/usr/bin/python3
"""Writes the PyTorch model fixtures of TorchScriptScore, PyTorchStateDict and `repro score-check`.

Run from this folder with Debian's PyTorch (apt-get install -y python3-torch python3-scipy):

    /usr/bin/python3 make_models.py

Tests and the product never need Python; this script is how the committed files were made
(PyTorch 1.13.1, NumPy 1.24, Debian 12). Everything here is deterministic (torch.manual_seed(0)
for the MLP's initialisation, fixed probe points), so re-running it rewrites the same numbers.

Files (all small: a few KB each):

  seed-mlp-1d.pt            torch.jit.script of the seed report's ScoreNet(1, 16, 2) (same layout as
                            Repro's ScoreNet: Linear, SiLU, Linear, SiLU, Linear), random init
  seed-mlp-1d.state.pt      the same network's state_dict, torch.save's default zip format
                            (keys net.0.weight ... net.4.bias, as the seed's `self.net` Sequential)
  seed-mlp-1d.legacy.pt     the same state_dict in the old non-zip format (_use_new_zipfile_serialization=False)
  seed-mlp-1d.renamed.pt    a state_dict whose keys do not match (body.* instead of net.*)
  exact-1d-two-gaussians.pt the exact smoothed score grad log p_sigma of dsm-1d-two-gaussians at
                            sigma = 1.25, computed in PyTorch (float64 inside, float32 out)
  exact-1d-two-gaussians-scaled.pt   the same times 1.1 (relative L2 error exactly 0.1)
  exact-2d-two-blobs.pt     grad log p_sigma of dsm-2d-two-blobs at sigma = 1.25, torch.jit.trace
  exact-2d-two-blobs-conditional.pt  noise-conditional forward(x, sigma) (sigma: [n]) of the same
                            target, torch.jit.script: exact at every sigma
  malformed: not-a-model.pt (text), wrong-signature.pt (forward(x, a, b)), wrong-output-shape.pt
            (returns [n]), float64-model.pt (float64 weights), nan-output.pt (returns NaN), traced-conditional-fixed-sigma.pt
            (a conditional MLP on cat([x, sigma]) traced with sigma of shape [n, 1])
  expected-outputs.csv      PyTorch's own outputs of each working module on probe points
  expected-errors.json      for each malformed file, the fragments its one-line error must contain
"""
import json
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


class ScoreNet(nn.Module):
    """The seed report's network (its listing, lines 1-12)."""

    def __init__(self, x_dim: int, hidden: int, num_layers: int):
        super().__init__()
        layers = [nn.Linear(x_dim, hidden), nn.SiLU()]
        for _ in range(num_layers - 1):
            layers.append(nn.Linear(hidden, hidden))
            layers.append(nn.SiLU())
        layers.append(nn.Linear(hidden, x_dim))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def gaussian_mixture_buffers(weights, means, covariances):
    """Eigen-decomposition of each covariance C_k = U diag(lam) U^T, so that C_k + sigma^2 I has
    inverse U diag(1/(lam + sigma^2)) U^T and log-determinant sum log(lam + sigma^2) for any sigma."""
    lam, vec = [], []
    for c in covariances:
        l, u = np.linalg.eigh(np.asarray(c, dtype=np.float64))
        lam.append(l)
        vec.append(u)
    return (torch.tensor(np.log(weights), dtype=torch.float64),
            torch.tensor(np.asarray(means, dtype=np.float64)),
            torch.tensor(np.asarray(lam)),
            torch.tensor(np.asarray(vec)))


class ExactMixtureScore(nn.Module):
    """grad_x log p_sigma(x) for p_0 = sum_k w_k N(m_k, C_k): p_sigma = sum_k w_k N(m_k, C_k + sigma^2 I),
    score = sum_k r_k(x) (-(C_k + sigma^2 I)^{-1} (x - m_k)), r_k the posterior responsibilities.
    Single sigma: forward(x) with x [n, d] float32, computed in float64, returned as float32."""

    def __init__(self, weights, means, covariances, sigma: float, scale: float = 1.0):
        super().__init__()
        logw, m, lam, u = gaussian_mixture_buffers(weights, means, covariances)
        self.register_buffer("logw", logw)
        self.register_buffer("means", m)
        self.register_buffer("lam", lam)
        self.register_buffer("vecs", u)
        self.sigma = sigma
        self.scale = scale

    def forward(self, x):
        x64 = x.to(torch.float64)
        n = x64.shape[0]
        var = self.lam + self.sigma * self.sigma                               # [K, d]
        diff = x64.unsqueeze(1) - self.means.unsqueeze(0)                      # [n, K, d]
        z = torch.einsum("nkd,kde->nke", diff, self.vecs)                      # U^T (x - m)
        log_comp = self.logw - 0.5 * (z * z / var).sum(-1) - 0.5 * torch.log(var).sum(-1)  # [n, K]
        r = torch.softmax(log_comp, dim=1)                                     # [n, K]
        s_k = -torch.einsum("nke,kde->nkd", z / var, self.vecs)                # -(C + s^2 I)^{-1} (x - m)
        s = (r.unsqueeze(-1) * s_k).sum(1)
        return (self.scale * s).to(torch.float32).reshape(n, -1)


class ExactMixtureScoreConditional(nn.Module):
    """The same at a per-point noise level: forward(x, sigma), x [n, d] float32, sigma [n] float32."""

    def __init__(self, weights, means, covariances):
        super().__init__()
        logw, m, lam, u = gaussian_mixture_buffers(weights, means, covariances)
        self.register_buffer("logw", logw)
        self.register_buffer("means", m)
        self.register_buffer("lam", lam)
        self.register_buffer("vecs", u)

    def forward(self, x, sigma):
        x64 = x.to(torch.float64)
        s64 = sigma.to(torch.float64)
        var = self.lam.unsqueeze(0) + (s64 * s64).reshape(-1, 1, 1)           # [n, K, d]
        diff = x64.unsqueeze(1) - self.means.unsqueeze(0)
        z = torch.einsum("nkd,kde->nke", diff, self.vecs)
        log_comp = self.logw - 0.5 * (z * z / var).sum(-1) - 0.5 * torch.log(var).sum(-1)
        r = torch.softmax(log_comp, dim=1)
        s_k = -torch.einsum("nke,kde->nkd", z / var, self.vecs)
        return (r.unsqueeze(-1) * s_k).sum(1).to(torch.float32)


class ThreeArguments(nn.Module):
    def forward(self, x, a, b):
        return x + a + b


class ConcatConditional(nn.Module):
    """A common noise-conditional network: the MLP sees (x, sigma) side by side."""

    def __init__(self, x_dim: int, hidden: int):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(x_dim + 1, hidden), nn.SiLU(), nn.Linear(hidden, x_dim))

    def forward(self, x, sigma):
        return self.net(torch.cat([x, sigma], dim=1))


class NanOutput(nn.Module):
    def forward(self, x):
        return x * float("nan")


class SumOutput(nn.Module):
    def forward(self, x):
        return x.sum(dim=1)


TWO_GAUSSIANS = dict(weights=[0.5, 0.5], means=[[-2.0], [2.0]], covariances=[[[1.0]], [[1.0]]])
TWO_BLOBS = dict(weights=[0.5, 0.5], means=[[-5.0, 0.0], [3.0, 0.0]],
                 covariances=[[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])
SIGMA = 1.25  # the training sigma of both experiments


def main():
    torch.manual_seed(0)
    rows = []  # (file, sigma, x..., output...)
    probe1 = torch.tensor([[-3.0], [-0.5], [0.0], [0.7], [2.5]], dtype=torch.float32)
    probe2 = torch.tensor([[-6.0, 1.0], [-1.0, -0.5], [0.0, 0.0], [2.0, 2.0], [4.5, -1.5]], dtype=torch.float32)

    def record(name, module, x, sigma=None):
        with torch.no_grad():
            out = module(x) if sigma is None else module(x, sigma)
        for i in range(x.shape[0]):
            s = "" if sigma is None else repr(float(sigma[i]))
            rows.append([name, s] + [repr(float(v)) for v in x[i]] + [repr(float(v)) for v in out[i]])

    mlp = ScoreNet(1, 16, 2).eval()
    torch.jit.script(mlp).save(path("seed-mlp-1d.pt"))
    torch.save(mlp.state_dict(), path("seed-mlp-1d.state.pt"))
    torch.save(mlp.state_dict(), path("seed-mlp-1d.legacy.pt"), _use_new_zipfile_serialization=False)
    renamed = {k.replace("net.", "body."): v for k, v in mlp.state_dict().items()}
    torch.save(renamed, path("seed-mlp-1d.renamed.pt"))
    record("seed-mlp-1d.pt", mlp, probe1)

    exact1 = ExactMixtureScore(sigma=SIGMA, **TWO_GAUSSIANS)
    torch.jit.script(exact1).save(path("exact-1d-two-gaussians.pt"))
    record("exact-1d-two-gaussians.pt", exact1, probe1)
    scaled = ExactMixtureScore(sigma=SIGMA, scale=1.1, **TWO_GAUSSIANS)
    torch.jit.script(scaled).save(path("exact-1d-two-gaussians-scaled.pt"))
    record("exact-1d-two-gaussians-scaled.pt", scaled, probe1)

    exact2 = ExactMixtureScore(sigma=SIGMA, **TWO_BLOBS)
    torch.jit.trace(exact2, probe2).save(path("exact-2d-two-blobs.pt"))
    record("exact-2d-two-blobs.pt", exact2, probe2)

    cond = ExactMixtureScoreConditional(**TWO_BLOBS)
    torch.jit.script(cond).save(path("exact-2d-two-blobs-conditional.pt"))
    sig = torch.tensor([0.1, 0.5, 1.0, 1.25, 3.0], dtype=torch.float32)
    record("exact-2d-two-blobs-conditional.pt", cond, probe2, sig)

    # Malformed inputs, each with the fragments its one-line error must contain.
    with open(path("not-a-model.pt"), "w") as f:
        f.write("x1,x2\n0.5,1.5\n")
    torch.jit.script(ThreeArguments()).save(path("wrong-signature.pt"))
    torch.jit.script(SumOutput()).save(path("wrong-output-shape.pt"))
    torch.jit.script(ScoreNet(1, 4, 1).double()).save(path("float64-model.pt"))
    torch.jit.script(NanOutput()).save(path("nan-output.pt"))
    # Traced with sigma of shape [n, 1] (what torch.cat needs); called with sigma as [n] it fails
    # inside libtorch with "Tensors must have same number of dimensions: got 2 and 1".
    torch.jit.trace(ConcatConditional(2, 8).eval(), (probe2, sig.reshape(-1, 1))).save(path("traced-conditional-fixed-sigma.pt"))

    errors = {
        "not-a-model.pt": ["not a TorchScript file"],
        "wrong-signature.pt": ["forward", "s(x)", "s(x, sigma)"],
        "wrong-output-shape.pt": ["returned [", "expected [", "same shape as x"],
        "float64-model.pt": ["float32", "model.float()"],
        "nan-output.pt": ["NaN at point 1", "must be finite"],
        "traced-conditional-fixed-sigma.pt": ["sigma of shape [n]", "torch.jit.script"],
        "seed-mlp-1d.legacy.pt": ["_use_new_zipfile_serialization"],
        "seed-mlp-1d.renamed.pt": ["body.0.weight", "net.0.weight"],
        "seed-mlp-1d.state.pt": ["--architecture"],
    }
    with open(path("expected-errors.json"), "w") as f:
        json.dump(errors, f, indent=2, sort_keys=True)
        f.write("\n")

    with open(path("expected-outputs.csv"), "w") as f:
        f.write("file,sigma,x1,x2,s1,s2\n")
        for r in rows:
            name, s, *vals = r
            d = len(vals) // 2
            x, out = vals[:d], vals[d:]
            if d == 1:
                x, out = x + [""], out + [""]
            f.write(",".join([name, s] + x + out) + "\n")


if __name__ == "__main__":
    main()
