// libFuzzer harness: run specs ("adam:lr=0.05,cloud=8") and sweep axes ("lr=1e-4:1:log:64").
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "core/scene/scene.h"
#include "core/analysis/sweep.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        optiviz::Scene scene = optiviz::default_scene();
        const optiviz::RunSpec run = optiviz::parse_run_spec(text, 0, &scene.retired);
        // What parses must also pass the scene's validation (the two share one set of rules).
        scene.runs = {run};
        scene.steps = 10;
        optiviz::validate_scene(scene, optiviz::retired_cloud_paths(scene.retired));
    } catch (const std::invalid_argument& e) {
        optiviz::fuzz::check_message(e);
    }
    try {
        const optiviz::SweepAxis axis = optiviz::parse_sweep_axis(text, "--x");
        if (axis.values().size() != static_cast<std::size_t>(axis.count)) std::abort();
    } catch (const std::invalid_argument& e) {
        optiviz::fuzz::check_message(e);
    }
    return 0;
}
