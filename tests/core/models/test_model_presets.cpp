// The real-model presets each make a claim in their caption; these tests check it on the preset's
// own scene (data set, network, split, start, runs and steps), trained as the window trains them.
#include "support/catch.h"

#include <vector>

#include "core/models/model_choice.h"
#include "core/models/training.h"
#include "core/scene/presets.h"

using namespace optiviz;
using namespace optiviz::models;

namespace {

std::vector<TrainingResult> train_preset(std::string_view name) {
    const Scene scene = make_preset(name);
    validate_scene(scene);
    REQUIRE(scene.surface == kModelSurface);
    const ModelData data = build_model_data(scene.model);
    std::vector<TrainingResult> runs;
    for (const RunSpec& run : scene.runs) {
        RunConfig config = run.config;
        config.steps = scene.steps;
        runs.push_back(train_model(data.network, data.train, &data.test, config, data.initial));
    }
    return runs;
}

}  // namespace

TEST_CASE("digits-adam-vs-momentum: Adam and momentum under 0.05 in 200 steps and plain SGD above 0.2", "[presets][models]") {
    const auto runs = train_preset("digits-adam-vs-momentum");
    REQUIRE(runs.size() == 3);
    for (const auto& r : runs) REQUIRE(r.rows() == 201);
    CHECK(runs[0].loss.back() < 0.05);  // Adam lr 0.01
    CHECK(runs[1].loss.back() < 0.05);  // SGD momentum 0.9 lr 0.1
    CHECK(runs[2].loss.back() > 0.2);   // plain SGD lr 0.1
}

TEST_CASE("network-lr-too-large: lr 1 trains and lr 3 ends with three times its test loss and lr 10 diverges", "[presets][models]") {
    const auto runs = train_preset("network-lr-too-large");
    REQUIRE(runs.size() == 3);
    CHECK(runs[0].outcome != Outcome::Diverged);
    CHECK(runs[1].outcome != Outcome::Diverged);
    CHECK(runs[0].loss.back() < 0.05);
    CHECK(runs[1].test_loss.back() > 3.0 * runs[0].test_loss.back());
    CHECK(runs[2].outcome == Outcome::Diverged);
    CHECK(runs[2].diverged_step < 15);
}

TEST_CASE("momentum-real-landscape: momentum 0.9 at step 50 is below plain SGD at step 200 and 0.99 ends with twice the test loss", "[presets][models]") {
    const auto runs = train_preset("momentum-real-landscape");
    REQUIRE(runs.size() == 3);
    CHECK(runs[1].loss[50] < runs[0].loss.back());
    // 0.99 is no faster than 0.9: at step 50 it is not lower.
    CHECK(runs[2].loss[50] >= runs[1].loss[50]);
    CHECK(runs[2].test_loss.back() > 2.0 * runs[1].test_loss.back());
}
