// Your own 2-D runs: paths read back from CSV files and drawn beside optiviz's optimizers without
// being re-simulated (`--trajectory FILE.csv`, scene files, drag and drop).
//
// The files read are optiviz's `trace` output (step,x,y,loss), the window's trajectory export
// (run,label,step,x,y,loss,grad_norm: one path per run) and anything a training loop writes with a
// header naming x and y (docs/own-runs.md). Columns are found by header name: x and y are required;
// loss, step, run and label are read when present; other columns are ignored. A first line starting
// with '#' is the header (numpy.savetxt's header=). A file without a header has x, y and optionally
// loss as its first columns. Fields are separated by ','; a quoted field may hold commas, doubled
// quotes and line breaks (RFC 4180); blank lines are skipped; LF or CRLF line ends; a UTF-8 BOM is
// ignored.
//
// Rows are the path's steps in order: row k is drawn at step k. A step column, if present, must count
// 0, 1, 2, ... (within each run of an export), so a file that logged every tenth step is refused
// rather than drawn ten times too fast.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/surfaces/loss_surface.h"
#include "core/optimizers/simulation.h"

namespace optiviz {

// One path of a file, immutable once read (runs share it; copying a scene copies a pointer).
struct ImportedPath {
    std::string source;       // where it came from: the file as named, "standard input", or "" (inline in a scene)
    std::string label;        // the label column's value on the path's first row ("" without one)
    std::string run;          // the run column's value for this path's rows ("" without a run column)
    std::vector<double> x, y; // one point per step, finite, within ±limits::kMaxViewCoordinate
    std::vector<double> loss; // the file's loss per step; empty: the file has none (recomputed on the surface)
    bool operator==(const ImportedPath&) const = default;
};

// A scene run's imported path: null for runs optiviz simulates. Equal when both are null, share
// the path, or hold equal paths (a scene saved and read back equals the scene it was).
struct ImportedRun {
    std::shared_ptr<const ImportedPath> path;
    explicit operator bool() const { return path != nullptr; }
    const ImportedPath* operator->() const { return path.get(); }
    const ImportedPath& operator*() const { return *path; }
    bool operator==(const ImportedRun& other) const {
        return path == other.path || (path && other.path && *path == *other.path);
    }
};

// Every path of CSV text (one, or one per run value of a run column, in the order first seen).
// `name` names the source in messages. Throws std::invalid_argument with one line naming file and
// line: "mine.csv:1: no column 'y' (columns: step, x, loss)", "mine.csv:7: x: 'nan' is not a finite
// number", "mine.csv: empty file, expected a header and rows of x, y", "mine.csv:4: step 5 follows
// step 3 (rows must be steps 0, 1, 2, ...)", "mine.csv: more than 1000001 rows in one path" (a
// scene's horizon, limits::kMaxSteps, plus the start), more than limits::kMaxRuns paths, or a label
// longer than limits::kMaxLabelBytes.
std::vector<ImportedPath> parse_imported_paths(std::string_view text, const std::string& name);

// The same, read from a regular file of at most limits::kMaxDataFileBytes.
std::vector<ImportedPath> load_imported_paths(const std::string& path);

// ImportedPath::source for a path read from standard input (`--trajectory -`): it has no file to go
// back to, so a scene keeps its points.
inline constexpr const char* kStandardInputName = "standard input";

// Throws std::invalid_argument("WHAT: ...") unless `path` could have come from a file: at least one
// point, x and y (and loss, if any) of equal length, finite, within the limits parse_imported_paths
// applies (scene files give points inline).
void validate_imported_path(const ImportedPath& path, const std::string& what);

// Whether CSV text looks like a trajectory rather than a data set of (x, y) rows: its header names a
// step column besides x and y (trace output, the window's export, the documented PyTorch snippet).
// The window uses it to tell a dropped trajectory from dropped data.
bool looks_like_trajectory_csv(std::string_view text);

// The legend's text for a path: its label column's value, else the file's name without its folder
// ("mine.csv"), else "imported run".
std::string imported_label(const ImportedPath& path);

// Where a run came from, for the panel: "imported from runs/mine.csv (run 2), 301 points".
std::string imported_origin(const ImportedPath& path);

// The trajectory drawn for `path` on `surface`: its points; the file's loss, or the surface's value
// at each point when the file has none; the surface's gradient at each point (the export's
// grad_norm). When the surface's loss is not finite at a point (outside a log surface's domain), the
// path ends before it and is marked diverged there, as a simulated run would be.
Trajectory imported_trajectory(const ImportedPath& path, const LossSurface& surface);

}  // namespace optiviz
