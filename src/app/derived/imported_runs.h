// Your own runs in a scene: the runs a trajectory file (core/io/imported_trajectory.h) adds, from the
// command line (`--trajectory FILE.csv[:label=LABEL]`), the window's open dialog and drag and drop.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "core/scene/scene.h"

namespace optiviz::app {

// The runs of one `--trajectory` value: FILE, FILE:label=LABEL, or "-" (standard input, given as
// `stdin_text`). One run per path of the file, each coloured by its position in the scene
// (`first_index` onwards). A label given here names the file's single path, or is the prefix of
// each path's label ("LABEL run 2") when the file holds several. Throws std::invalid_argument with
// one line naming the file and line.
std::vector<RunSpec> imported_runs(const std::string& spec, const std::optional<std::string>& stdin_text, std::size_t first_index);

// Adds the runs of trajectory file `path` to the window's scene, after its runs. On failure (a bad
// file, more runs than limits::kMaxRuns) the scene is kept and the panel's message says why.
// Returns whether runs were added.
bool add_trajectory_file(AppState& state, const std::string& path);

// Whether the file at `path` is a trajectory (looks_like_trajectory_csv), for a dropped CSV.
bool is_trajectory_file(const std::string& path);

}  // namespace optiviz::app
