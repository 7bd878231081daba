#!/usr/bin/python3
"""Validates scene files against packaging/optiviz-scene.schema.json, and checks that the schema
rejects scenes that are wrong in ways optiviz refuses or warns about.

  check_scene_schema.py SCHEMA SCENE_DIR BAD_DIR [MORE_SCENES...]

Every *.json in SCENE_DIR (written by tests/packaging/write_scenes.cpp through optiviz's own writer)
and every MORE_SCENES file must validate. Then each mutation below is applied to a copy of one of
the written scenes, written to BAD_DIR (so optiviz can be asked about it too) and must be rejected.
Exit 0 when all holds; 1 with one line per problem otherwise. Needs python3-jsonschema (Debian 12: 4.10).
"""
import copy
import json
import pathlib
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("check_scene_schema.py: python3-jsonschema is missing (scripts/install-deps.sh installs it)")

# name -> (scene it starts from, JSON path to change, new value; DELETE removes the key).
DELETE = object()
MUTATIONS = {
    "steps-above-limit": ("default", ["steps"], 1_000_001),
    "step-below-end": ("default", ["step"], -2),
    "version-zero": ("default", ["version"], 0),
    "version-newer": ("default", ["version"], 3),
    "format-other": ("default", ["format"], "some-scene"),
    "layout-unknown": ("default", ["layout"], "4d"),
    "start-three-numbers": ("default", ["start"], [0, 0, 0]),
    "view-three-numbers": ("default", ["view"], [-1, 1, -1]),
    "view-beyond-float": ("default", ["view", 0], -1e31),
    "unknown-top-key": ("default", ["colour"], "red"),
    "unknown-run-key": ("default", ["runs", 0, "note"], "mine"),
    "run-without-optimizer": ("default", ["runs", 0, "optimizer"], DELETE),
    "run-color-24-bits": ("default", ["runs", 0, "color"], 0x1000000),
    "run-cloud-above-limit": ("default", ["runs", 0, "cloud"], 1025),
    "run-cloud-spread-negative": ("default", ["runs", 0, "cloud_spread"], -0.1),
    "run-label-too-long": ("default", ["runs", 0, "label"], "x" * 257),
    "run-batch-size-as-text": ("default", ["runs", 0, "batch_size"], "8"),
    "schedule-kind-unknown": ("default", ["runs", 0, "schedule", "kind"], "linear"),
    "schedule-threshold-mode": ("default", ["runs", 0, "schedule", "threshold_mode"], "relative"),
    "stop-patience-zero": ("default", ["runs", 0, "stop", "loss_patience"], 0),
    "caption-too-long": ("default", ["caption"], "c" * 4097),
    "overlay-setting-text": ("analysis", ["overlays", "step-glyphs", "trail"], "yes"),
    "overlay-empty-name": ("analysis", ["overlays", ""], {}),
    "sweep-resolution-zero": ("analysis", ["sweep", "resolution"], 0),
    "sweep-resolution-above-limit": ("analysis", ["sweep", "resolution"], 4097),
    "sweep-starts-above-limit": ("analysis", ["sweep", "starts"], 1025),
    "sweep-metric-unknown": ("analysis", ["sweep", "metric"], "loss"),
    "sweep-aggregate-unknown": ("analysis", ["sweep", "aggregate"], "mean"),
    "sweep-run-above-limit": ("analysis", ["sweep", "run"], 64),
    "tune-refine-above-limit": ("analysis", ["tune", "refine"], 9),
    "tune-budget-zero": ("analysis", ["tune", "budget"], 0),
    "tune-starts-above-limit": ("analysis", ["tune", "starts"], 1025),
    "tune-second-lr": ("analysis", ["tune", "second"], "lr"),
    "tune-objective-unknown": ("analysis", ["tune", "objective"], "loss"),
    "tune-unknown-key": ("analysis", ["tune", "budget_steps"], 10),
    "imported-without-points": ("imported", ["runs", 2, "imported"], {"label": "nothing"}),
    "imported-with-optimizer": ("imported", ["runs", 2, "optimizer"], "sgd"),
    "imported-point-text": ("imported", ["runs", 2, "imported", "x", 0], "1"),
    "model-test-fraction": ("model", ["surface", "model", "test_fraction"], 0.95),
    "model-plane-unknown": ("model", ["surface", "model", "plane"], "svd"),
    "data-anscombe-five": ("data-anscombe", ["surface", "data", "anscombe"], 5),
    # (a file's decimal and checksum are read only without inline rows)
    "data-decimal-semicolon": ("data-file", ["surface", "data"], {"file": "linear.csv", "decimal": ";"}),
    "data-checksum-number": ("data-file", ["surface", "data"], {"file": "linear.csv", "checksum": 12345}),
    "synthetic-one-row": ("data-logistic", ["surface", "data", "synthetic", "rows"], 1),
}


def changed(scene, path, value):
    scene = copy.deepcopy(scene)
    parent = scene
    for key in path[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return scene


def first_error(validator, scene):
    error = jsonschema.exceptions.best_match(validator.iter_errors(scene))
    if error is None:
        return None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    return f"{where or '(top)'}: {error.message[:160]}"


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    schema = json.loads(pathlib.Path(argv[1]).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    scene_dir, bad_dir = pathlib.Path(argv[2]), pathlib.Path(argv[3])
    files = sorted(scene_dir.glob("*.json")) + [pathlib.Path(p) for p in argv[4:]]
    problems = []
    scenes = {}
    for path in files:
        scene = json.loads(path.read_text())
        scenes[path.stem] = scene
        error = first_error(validator, scene)
        if error:
            problems.append(f"{path}: valid for optiviz, rejected by the schema: {error}")
    bad_dir.mkdir(parents=True, exist_ok=True)
    for name, (base, path, value) in MUTATIONS.items():
        if base not in scenes:
            problems.append(f"{name}: no scene '{base}.json' in {scene_dir} to change")
            continue
        bad = changed(scenes[base], path, value)
        (bad_dir / f"{name}.json").write_text(json.dumps(bad, indent=2) + "\n")
        if first_error(validator, bad) is None:
            problems.append(f"{name}: the schema accepts a wrong scene ({base} with {path} = {str(value)[:40]})")
    for line in problems:
        print(line)
    print(f"{len(files)} saved scenes validated, {len(MUTATIONS)} wrong scenes checked: "
          f"{'ok' if not problems else str(len(problems)) + ' problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
