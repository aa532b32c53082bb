#!/usr/bin/env python3
"""PyTorch reference timings for `make bench` (never part of the product; needs python3-torch).

Times the seed report's DSM training step (ScoreNet(2, 64, 3), batch 256, Adam, ReduceLROnPlateau
stepped on the minibatch loss) and unadjusted Langevin over 5000 particles, the same workloads as
TrainingBenchmarks and LangevinBenchmarks, so harness/PyTorch ratios can be read in one sitting.

    /usr/bin/python3 src/Repro.Benchmarks/reference/pytorch_baseline.py [--threads 1]
"""
import argparse
import time

import torch
from torch import nn


class ScoreNet(nn.Module):
    def __init__(self, x_dim, hidden, num_layers):
        super().__init__()
        layers = [nn.Linear(x_dim, hidden), nn.SiLU()]
        for _ in range(num_layers - 1):
            layers += [nn.Linear(hidden, hidden), nn.SiLU()]
        layers.append(nn.Linear(hidden, x_dim))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def best_of(runs, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(1)
    data = torch.randn(5000, 2, generator=gen) * 3

    steps = 500

    def train():
        model = ScoreNet(2, 64, 3)
        opt = torch.optim.Adam(model.parameters(), lr=5e-4)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=200)
        for _ in range(steps):
            idx = torch.randint(0, 5000, (256,), generator=gen)
            eps = torch.randn(256, 2, generator=gen)
            loss = ((model(data[idx] + 1.25 * eps) + eps / 1.25) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step(loss.item())

    t = best_of(args.runs, train)
    print(f"pytorch {torch.__version__} threads={args.threads}: DSM training step {t / steps * 1e6:.0f} us ({steps / t:.0f} steps/s)")

    model = ScoreNet(2, 64, 3)
    lsteps = 50

    @torch.no_grad()
    def langevin():
        x = torch.randn(5000, 2, generator=gen) * 3
        for _ in range(lsteps):
            x = x + 0.005 * model(x) + 0.1 * torch.randn(5000, 2, generator=gen)

    t = best_of(args.runs, langevin)
    print(f"pytorch {torch.__version__} threads={args.threads}: Langevin step, 5000 particles {t / lsteps * 1e6:.0f} us ({lsteps / t:.0f} steps/s)")


if __name__ == "__main__":
    main()
