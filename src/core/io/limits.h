// One table of limits: the largest request optiviz accepts, read by the command line, scene files
// and the window's sliders, so a number that one of them accepts the others accept too. Each limit
// keeps the work of one request within seconds and its memory well under 2 GB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace optiviz::limits {

inline constexpr long kMaxSteps = 1'000'000;          // a scene's horizon (every run, every particle)
inline constexpr long kMaxTraceSteps = 10'000'000;    // `optiviz trace` (one run, streamed as CSV)
inline constexpr int kMaxRuns = 64;                   // runs in a scene
inline constexpr int kMaxCloud = 1024;                // extra particles of one run
inline constexpr int kMaxTuneStarts = 1024;           // particles per setting when tuning (the run and its cloud)
inline constexpr int kMaxAxisCount = 4096;            // values along one sweep axis
inline constexpr int kMaxBasinResolution = 4096;      // basins: R × R starts
inline constexpr long kMaxGridCells = 4096L * 4096L;  // sweep and basin cells in one map (and their runs: cells × K)
inline constexpr int kMaxMapStarts = 1024;            // sweeps and basins: runs per cell (K starts, as tuning)
inline constexpr int kMaxHeatmapSide = 4096;          // heatmap samples along one side
inline constexpr std::size_t kMaxDataRows = 10'000'000;              // rows of a dataset (files, synthetic)
inline constexpr std::uintmax_t kMaxDataFileBytes = 256ull << 20;    // a data file (256 MiB)
inline constexpr std::size_t kMaxCsvFields = 1000;                   // fields in one line of a data file
inline constexpr std::size_t kMaxCsvFieldBytes = 4096;               // bytes in one field (a number or a name)
// A table for `optiviz train` (rows x (features + target)): 160 MB of doubles, as a data file of
// 10^7 rows of x and y.
inline constexpr std::size_t kMaxTableCells = 20'000'000;
inline constexpr std::uintmax_t kMaxSceneFileBytes = 16ull << 20;    // a scene file (16 MiB; parsed into a JSON tree)
// Objects and arrays in a scene file's JSON tree. A scene of 64 runs has a few hundred; each costs a
// tree node of ~100 bytes or more, so a 16 MiB file of empty runs would hold ~600 MB before the run
// limit could refuse it. Counted while parsing, so such a file is refused before its tree is built.
inline constexpr long kMaxSceneContainers = 100'000;
// Texts drawn on a picture, refused at load beyond these (a long one would be laid out glyph by glyph).
inline constexpr std::size_t kMaxCaptionBytes = 4096;  // a scene's caption
inline constexpr std::size_t kMaxLabelBytes = 256;     // a run's label
// A typed function (--expr): its text, its tree (numbers, names and operations) and its nesting
// (parentheses, functions, signs, exponents). Its gradient program is about four times the tree.
inline constexpr std::size_t kMaxExpressionBytes = 4096;
inline constexpr int kMaxExpressionNodes = 1000;
inline constexpr int kMaxExpressionNesting = 64;
// 10^12 where long has 64 bits, 10^9 where it has 32 (the browser build's WebAssembly).
inline constexpr long kMaxLongSetting = sizeof(long) >= 8 ? static_cast<long>(1'000'000'000'000LL) : 1'000'000'000L;
inline constexpr long kMaxSchedulePeriod = kMaxLongSetting;  // step_size and t_max (2·t_max fits a long)
inline constexpr long kMaxPatience = kMaxLongSetting;        // plateau patience and cooldown, loss_patience
inline constexpr double kMaxViewCoordinate = 1e30;  // views and grids: drawn through float (3.4e38)
inline constexpr int kMaxPictureWidth = 3840, kMaxPictureHeight = 2160;
// Animations (render --animate and the window's export): frames are encoded as they are drawn, so
// memory stays a few frames whatever the length; the work is bounded by frames × pixels (about
// 2000 frames at 1920x1080, 500 at 3840x2160, 16000 at 640x400: a few minutes at worst).
inline constexpr int kMinAnimationFps = 1, kMaxAnimationFps = 120;
inline constexpr long kMaxAnimationFrames = 20'000;
inline constexpr double kMaxAnimationPixels = 4.2e9;
// `render --frames N` draws the picture N more times to time it; the window's `--frames N` closes
// after N frames (scripts, smoke tests: about 30 minutes at 60 fps).
inline constexpr long kMaxTimedFrames = 1000;
inline constexpr long kMaxWindowFrames = 100'000;

// The window's sliders reach these (typing a value reaches the maxima above; the panel clamps to them).
inline constexpr long kSliderMaxSteps = 100'000;
inline constexpr int kSliderMaxCloud = 64;
inline constexpr std::size_t kSliderMaxRows = 1'000'000;
inline constexpr int kSliderMaxBasinResolution = 256;
inline constexpr int kSliderMaxSweepResolution = 512;
inline constexpr int kSliderMaxMapStarts = 64;

// Memory for the trajectories of one scene: each stored point keeps x, y, loss and the gradient.
inline constexpr std::size_t kTrajectoryBytesPerPoint = 5 * sizeof(double);
inline constexpr std::size_t kTrajectoryBudgetBytes = std::size_t{1} << 30;  // 1 GiB
// Work of one sweep or basin map: cells × steps, about a minute at worst on two cores.
inline constexpr double kMaxMapParticleSteps = 4e9;

// Work on a data surface whose points cost a pass over the rows (logistic; mse with mini-batches):
// rows read per step × steps × particles, plus the least picture of it (an 8×8 heatmap and a 16×16
// mesh: kDataPictureSamples × rows). About 10 CPU-seconds at most.
inline constexpr double kMaxDataRowEvaluations = 1e9;
inline constexpr double kDataPictureSamples = 320;

// `optiviz train`: its rows are kept until the CSV is written (about 270 bytes a row with the
// text), and its work is the rows read per step (the full training loss and gradient each row, the
// test rows, a mini-batch, L-BFGS's evaluations) x the model's parameters x steps: about 1.5e9 a
// CPU-second. Memory: the parameter vectors (about 8, plus 2 a pair L-BFGS keeps) and the
// activations of the largest pass (rows x the layers' widths, 3 matrices).
inline constexpr long kMaxTrainSteps = 1'000'000;
inline constexpr double kMaxTrainingWork = 2e10;              // row x parameter products, about 15 CPU-seconds
inline constexpr double kMaxTrainingBytes = 1024.0 * (1 << 20);  // 1 GiB

// Throws std::invalid_argument when the work (rows_per_step x parameters x steps) exceeds
// kMaxTrainingWork or `bytes` exceed kMaxTrainingBytes, one line naming the sizes and the limit.
void check_training_work(double rows_per_step, double parameters, long steps, double bytes);

// Throws std::invalid_argument when `row_evaluations` exceeds kMaxDataRowEvaluations: "WHAT: ROWS
// rows x ... is N row evaluations; the limit is 1e9 (fewer rows or steps, or a batch_size)".
void check_data_work(double rows, double particle_steps, double rows_per_step, const std::string& what);

// Throws std::invalid_argument when storing `particles` trajectories of steps + 1 points each would
// exceed kTrajectoryBudgetBytes: "WHAT: STEPS steps x PARTICLES particles need N MB; the limit is
// 1024 MB (fewer steps, runs or cloud particles)".
void check_trajectory_memory(long steps, double particles, const std::string& what);

// Throws std::invalid_argument when cells × steps × cost exceeds kMaxMapParticleSteps. `cost`: what
// one evaluation of the surface costs next to a built-in one (LossSurface::evaluation_cost), with
// `cost_size` naming why ("a 1000-node expression") in the one-line message.
void check_map_work(double cells, long steps, const std::string& what, double cost = 1.0,
                    const std::string& cost_size = {});

}  // namespace optiviz::limits
