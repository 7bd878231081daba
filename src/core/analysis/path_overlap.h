// Runs whose paths coincide: the same optimizer under different stopping rules, or settings that
// change nothing on this surface, draw one line over another. A picture must still show both and
// say so ("same path as run 2 until step 140"); this finds where.
#pragma once

#include <cstddef>
#include <vector>

#include "core/optimizers/simulation.h"

namespace optiviz {

struct SharedPath {
    int with = -1;        // the earlier path this one follows from its start (-1: none)
    long until_step = 0;  // the last step at which the two still coincide
    bool whole = false;   // the two are the same path from start to end
    bool so_far = false;  // still together at the last row looked at, and both go on after it
};

// For each path: the first earlier path (lower index) whose rows 0 and 1 lie within `tolerance` of
// its own in x and y, and how far the two then coincide, row by row, up to row `last_row` (the
// playback step). Paths that part before step `min_steps` (and before either ends) share nothing: a
// first step that two optimizers take alike is no shared path. A null path, or one with fewer than
// two rows, shares with none.
std::vector<SharedPath> shared_paths(const std::vector<const Trajectory*>& paths, double tolerance, long last_row,
                                     long min_steps = 1);

}  // namespace optiviz
