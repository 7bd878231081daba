#!/usr/bin/python3
"""Writes assets/datasets/NAME.csv from the data files Debian's python3-sklearn ships
(/usr/lib/python3/dist-packages/sklearn/datasets/data/): a header of feature names and a last column
"target". The numbers are copied as text, unchanged. Run: /usr/bin/python3 scripts/make_datasets.py
"""
import csv
import gzip
import pathlib

SRC = pathlib.Path("/usr/lib/python3/dist-packages/sklearn/datasets/data")
OUT = pathlib.Path(__file__).resolve().parent.parent / "assets" / "datasets"

NAMES = {
    "iris": ["sepal_length", "sepal_width", "petal_length", "petal_width"],
    "wine": ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
             "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280_od315", "proline"],
    "breast_cancer": [f"{kind}_{name}" for kind in ("mean", "error", "worst")
                      for name in ("radius", "texture", "perimeter", "area", "smoothness", "compactness",
                                   "concavity", "concave_points", "symmetry", "fractal_dimension")],
    "digits": [f"pixel_{r}_{c}" for r in range(8) for c in range(8)],
    "diabetes": ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"],
}


def write(name, rows):
    with open(OUT / f"{name}.csv", "w", newline="") as f:
        f.write(",".join(NAMES[name] + ["target"]) + "\n")
        for row in rows:
            assert len(row) == len(NAMES[name]) + 1, (name, row)
            f.write(",".join(row) + "\n")


def sklearn_csv(file):
    with open(SRC / file) as f:
        rows = list(csv.reader(f))
    count = int(rows[0][0])
    assert len(rows) - 1 == count
    return [[v.strip() for v in r] for r in rows[1:]]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    write("iris", sklearn_csv("iris.csv"))
    write("wine", sklearn_csv("wine_data.csv"))
    write("breast_cancer", sklearn_csv("breast_cancer.csv"))
    with gzip.open(SRC / "digits.csv.gz", "rt") as f:
        write("digits", [r.strip().split(",") for r in f if r.strip()])
    with gzip.open(SRC / "diabetes_data_raw.csv.gz", "rt") as f:
        features = [r.split() for r in f if r.strip()]
    with gzip.open(SRC / "diabetes_target.csv.gz", "rt") as f:
        targets = [repr(float(r)).removesuffix(".0") for r in f if r.strip()]
    write("diabetes", [a + [t] for a, t in zip(features, targets, strict=True)])


if __name__ == "__main__":
    main()
