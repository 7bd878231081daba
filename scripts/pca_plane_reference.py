#!/usr/bin/python3
"""Reference planes of principal components for tests/core/models/test_loss_plane.cpp, by numpy's SVD
(an independent computation: optiviz takes an eigendecomposition of XXᵀ or XᵀX with Eigen).

For each case it writes tests/reference/plane/NAME.points (one point a line, comma-separated) and
NAME.expected: the explained shares of u and v on line 1, then the centre, u and v, one a line.
Signs follow optiviz's rule: each direction's largest-magnitude component is positive.

    /usr/bin/python3 scripts/pca_plane_reference.py
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "reference", "plane")


def fixed_sign(d):
    top = int(np.argmax(np.abs(d)))  # the first of equal magnitudes, as optiviz
    return -d if d[top] < 0 else d


def write_case(name, points):
    centre = points.mean(axis=0)
    _, s, vt = np.linalg.svd(points - centre, full_matrices=False)
    variance = s ** 2
    u, v = fixed_sign(vt[0]), fixed_sign(vt[1])
    fmt = lambda row: ",".join("%.17g" % x for x in row)
    with open(os.path.join(OUT, name + ".points"), "w") as f:
        f.write("".join(fmt(p) + "\n" for p in points))
    with open(os.path.join(OUT, name + ".expected"), "w") as f:
        f.write(fmt([variance[0] / variance.sum(), variance[1] / variance.sum()]) + "\n")
        for row in (centre, u, v):
            f.write(fmt(row) + "\n")


def anisotropic(rng, rows, dim, scales):
    z = rng.standard_normal((rows, dim)) * np.asarray(scales)[:dim]
    rotation, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    return z @ rotation.T + rng.uniform(-2, 2, dim)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(25)
    # More points than dimensions (optiviz takes XᵀX) and fewer (it takes XXᵀ).
    write_case("pca_tall", anisotropic(rng, 40, 7, [5.0, 2.0, 1.0, 0.5, 0.3, 0.2, 0.1]))
    write_case("pca_wide", anisotropic(rng, 6, 30, [4.0, 1.5, 0.7, 0.4, 0.2, 0.1] + [0.0] * 24))


if __name__ == "__main__":
    main()
