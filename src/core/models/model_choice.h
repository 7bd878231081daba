// What a scene on the model surface ("model") trains: a shipped data set, a network, its loss and
// split, and the plane its landscape is drawn on (core/models/loss_plane.h). The scene's runs train
// this network from one seeded start, every run with its own optimizer settings, in full parameter
// space; the window shows their paths projected onto the plane.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/models/loss_plane.h"
#include "core/models/network.h"
#include "core/models/table_data.h"

namespace optiviz::models {

// The name of the model surface in scenes, --surface and find_surface().
inline constexpr std::string_view kModelSurface = "model";

struct ModelChoice {
    std::string dataset = "digits";                  // a shipped data set (builtin_datasets())
    std::string model = "mlp:hidden=16,activation=tanh";  // parse_model_spec's grammar
    std::string loss;                                // "": the data set's default loss
    bool standardize = true;                         // features to mean 0, sd 1 (training rows' statistics)
    double test_fraction = 0.2;                      // held out for the test loss, [0, 0.9]
    std::uint64_t split_seed = 0;                    // the train/test shuffle
    std::uint64_t init_seed = 0;                     // the network's seeded start (Network::initial_parameters)
    std::string plane = "pca";                       // pca, random (around the first run's end), three-points
    std::uint64_t plane_seed = 0;                    // the random plane's directions
    // Runs logged by your own script (core/models/snapshot_log.h), one file a run, instead of runs
    // trained here: they are drawn on the PCA plane of their snapshots, with the loss on the plane
    // when `dataset` and `model` name a network of the logs' size ("" dataset: the paths alone).
    std::vector<std::string> snapshots;
    bool operator==(const ModelChoice&) const = default;
};

// Throws std::invalid_argument with one line for an unknown data set, model, loss or plane, a test
// fraction outside [0, 0.9], or a loss the data set cannot take (cross_entropy on a regression target).
// With snapshots, the data set may be "" (nothing to evaluate) and the plane must be pca.
void validate_model_choice(const ModelChoice& choice);

// The data, network and start a choice names, built once and shared by every run.
struct ModelData {
    LabeledTable train, test;  // test has no rows when test_fraction is 0
    Network network{{}, 1, 1, LossKind::Mse};
    std::vector<double> initial;
    bool has_test() const { return test.rows() > 0; }
};
// Loads and splits the data set, standardises it if asked and sizes the network (the plane fields
// are not read). Throws
// std::invalid_argument with one line.
ModelData build_model_data(const ModelChoice& choice);

// The title of a model scene: "Digits · mlp:hidden=16,activation=tanh · cross_entropy".
std::string model_title(const ModelChoice& choice);
// Whether the choice names data and a network to evaluate (false: logged paths alone).
inline bool evaluates_loss(const ModelChoice& choice) { return !choice.dataset.empty(); }

// The most steps a model scene's run may take: every step's parameters are kept for the projection.
inline constexpr long kMaxModelSteps = 5000;

}  // namespace optiviz::models
