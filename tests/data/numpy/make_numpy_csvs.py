#!/usr/bin/python3
"""Writes the CSV files numpy users make, to check optiviz reads them (tests/core/surfaces/test_csv_numpy.cpp).

Run from anywhere: /usr/bin/python3 tests/data/numpy/make_numpy_csvs.py (numpy only; the files are
committed, the tests do not need numpy). The values are y = 2x + 1 at x = 0.5, 1.5, ... so the tests
can check each row.
"""
import csv
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
x = np.arange(5) + 0.5
y = 2 * x + 1
table = np.column_stack([x, y])

# numpy.savetxt's header: "# x,y" (comments='# ' by default).
np.savetxt(os.path.join(here, "savetxt_header.csv"), table, delimiter=",", header="x,y")
# A multi-line header: the column names are the last '#' line; a footer comment after the data.
np.savetxt(os.path.join(here, "savetxt_multiline_header.csv"), np.column_stack([y, x]), delimiter=",",
           header="made by numpy.savetxt\ny,x", footer="end of table", fmt="%.6f")
# Three columns named in the header, read by name.
np.savetxt(os.path.join(here, "savetxt_three_columns.csv"), np.column_stack([np.arange(5), x, y]), delimiter=",",
           header="step,x,y", fmt=["%d", "%.17g", "%.17g"])
# Python's csv module quotes a label with a line break inside (RFC 4180): the field spans two lines.
with open(os.path.join(here, "csv_multiline_label.csv"), "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["label", "x", "y"])
    for i, (a, b) in enumerate(zip(x, y)):
        writer.writerow([f"row {i}\nsecond line, with a comma" if i % 2 == 0 else f"row {i}", repr(float(a)), repr(float(b))])
