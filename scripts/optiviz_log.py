"""Log a PyTorch training run's parameters for optiviz.

Every k steps, append the model's parameters, flattened in model.parameters() order, to a text
file that optiviz reads and draws on the plane of the snapshots' first two principal components:

    optiviz render --snapshots adam.log --snapshots sgd.log --out paths.png
    optiviz --snapshots adam.log --snapshots sgd.log                # the window

If you also name a data set and model optiviz ships and can evaluate (the same architecture, as
`optiviz train --model` spells it, trained on the data set standardised with optiviz's split), the
picture has the loss on the plane under the paths; otherwise it shows the paths alone.

Usage, a few lines in your loop:

    from optiviz_log import SnapshotLog
    log = SnapshotLog("adam.log", model, every=10, dataset="digits",
                      model_spec="mlp:hidden=16,activation=tanh")
    for step in range(steps):
        ...
        log.log(step, loss.item())     # writes on steps 0, 10, 20, ...
    log.close()

The file (format 1): a first line "# optiviz snapshots 1", optional "# key: value" lines (model,
dataset, label), then one line per snapshot: the step, the loss (or "nan"), and every parameter,
separated by commas, printed with 17 significant digits.
"""

import math


class SnapshotLog:
    def __init__(self, path, model, every=1, dataset=None, model_spec=None, label=None):
        if every < 1:
            raise ValueError("every must be at least 1")
        self.model, self.every = model, every
        self.file = open(path, "w", encoding="utf-8")
        self.file.write("# optiviz snapshots 1\n")
        for key, value in (("dataset", dataset), ("model", model_spec), ("label", label)):
            if value is not None:
                self.file.write("# %s: %s\n" % (key, value))

    def log(self, step, loss=None):
        """Appends the parameters if step is a multiple of `every` (step 0 included)."""
        if step % self.every:
            return
        values = []
        for p in self.model.parameters():
            values.extend(float(v) for v in p.detach().reshape(-1).tolist())
        loss_text = "nan" if loss is None or not math.isfinite(loss) else "%.17g" % loss
        self.file.write("%d,%s,%s\n" % (step, loss_text, ",".join("%.17g" % v for v in values)))
        self.file.flush()

    def close(self):
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
