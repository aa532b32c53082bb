#!/usr/bin/python3
"""Reference values for the conformer metrics (ConformerGeometry, conformer-validity, held-out-ks, memorisation);
never run by CI.

Run:  /usr/bin/python3 make_conformers.py      (from this folder; writes conformers.json)
Made with SciPy 1.10.1 and NumPy 1.24.2 (Debian python3-scipy).

Chains of K = 8 points in R^3 (random walks with steps of length 3.8 in uniform directions, so some non-neighbour
pairs fall below 3). Per conformer: neighbour spacings (numpy.linalg.norm of consecutive differences), pairwise
distances (scipy.spatial.distance.pdist), radius of gyration, clashes (pairs |i - j| >= 2 closer than 3.0). Kabsch
RMSD by scipy.spatial.transform.Rotation.align_vectors on centred clouds (rssd / sqrt(K)), an independent route
to the SVD closed form the C# code uses; the mirror image is (x, y, -z). Metric values as the C# metrics define
them: population standard deviations (ddof = 0), scipy.stats.ks_2samp (method 'auto'), numpy.median.
"""
import json
import numpy as np
import scipy
import scipy.stats as st
from scipy.spatial.distance import pdist
from scipy.spatial.transform import Rotation

K = 8
rng = np.random.default_rng(20261130)


def chain():
    steps = rng.normal(size=(K - 1, 3))
    steps = 3.8 * steps / np.linalg.norm(steps, axis=1, keepdims=True)
    x = np.vstack([np.zeros(3), np.cumsum(steps, axis=0)])
    return x + rng.normal(scale=5.0, size=3)  # an arbitrary centre


def rmsd(a, b):
    a = a - a.mean(axis=0)
    b = b - b.mean(axis=0)
    _, rssd = Rotation.align_vectors(a, b)
    return float(rssd / np.sqrt(len(a)))


def mirror(b):
    return b * np.array([1.0, 1.0, -1.0])


training = [chain() for _ in range(6)]
held_out = [chain() for _ in range(4)]
R = Rotation.random(random_state=7).as_matrix()
sample = [chain() for _ in range(3)]
sample.append(training[2] @ R.T + np.array([1.0, -2.0, 3.0]) + rng.normal(scale=0.3, size=(K, 3)))  # near a training conformer
sample.append(mirror(training[4]) @ R.T + rng.normal(scale=0.2, size=(K, 3)))  # a mirror image of one


def spacings(x):
    return np.linalg.norm(np.diff(x, axis=0), axis=1)


def gyration(x):
    return float(np.sqrt(((x - x.mean(axis=0)) ** 2).sum(axis=1).mean()))


def clashes(x):
    return int(sum(1 for i in range(K) for j in range(i + 2, K) if np.linalg.norm(x[i] - x[j]) < 3.0))


def nearest(clouds):
    near, mir = [], []
    for x in clouds:
        proper = [rmsd(x, t) for t in training]
        mirrored = [rmsd(x, mirror(t)) for t in training]
        near.append(min(proper))
        mir.append(min(mirrored) < min(proper))
    return near, mir


def row(x):
    return [float(v) for v in x.ravel()]


per_conformer = []
for x in sample:
    per_conformer.append({"cloud": row(x), "spacings": [float(v) for v in spacings(x)], "pdist": [float(v) for v in pdist(x)],
                          "gyration": gyration(x), "clashes": clashes(x),
                          "rmsd_to_training": [rmsd(x, t) for t in training],
                          "rmsd_to_mirrored_training": [rmsd(x, mirror(t)) for t in training]})

all_spacings = np.concatenate([spacings(x) for x in sample])
gyr = np.array([gyration(x) for x in sample])
held_gyr = np.array([gyration(x) for x in held_out])
pooled = np.concatenate([pdist(x) for x in sample])
held_pooled = np.concatenate([pdist(x) for x in held_out])
near, mir = nearest(sample)
held_near, held_mir = nearest(held_out)
ks_pairs = st.ks_2samp(pooled, held_pooled)
ks_gyr = st.ks_2samp(gyr, held_gyr)
metrics = {
    "neighbour-spacing-mean": float(all_spacings.mean()),
    "neighbour-spacing-sd": float(all_spacings.std()),
    "clashes-per-conformer": float(np.mean([clashes(x) for x in sample])),
    "gyration-radius-mean": float(gyr.mean()),
    "gyration-radius-sd": float(gyr.std()),
    "pairwise-distance-ks": float(ks_pairs.statistic),
    "gyration-ks-statistic": float(ks_gyr.statistic),
    "gyration-ks-pvalue": float(ks_gyr.pvalue),
    "nearest-training-rmsd": float(np.median(near)),
    "nearest-training-rmsd-held-out": float(np.median(held_near)),
    "memorisation-ratio": float(np.median(near) / np.median(held_near)),
    "mirror-fraction": float(np.mean(mir)),
    "mirror-fraction-held-out": float(np.mean(held_mir)),
}
with open("conformers.json", "w") as f:
    json.dump({"versions": {"scipy": scipy.__version__, "numpy": np.__version__}, "k": K,
               "training": [row(x) for x in training], "held_out": [row(x) for x in held_out],
               "sample": per_conformer, "metrics": metrics}, f, indent=1)
print(json.dumps(metrics, indent=1))
