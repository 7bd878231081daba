// libFuzzer harness: your own runs' CSV files (core/io/imported_trajectory.h). Checks: a refused file
// gets one printable line; an accepted one gives paths whose points are finite and within the
// picture's range, of equal lengths, each within a scene's horizon, and a trajectory on a surface
// that keeps those points (up to where the surface's loss stops being finite).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "core/io/imported_trajectory.h"
#include "core/io/limits.h"
#include "core/surfaces/surface_registry.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    static const auto surface = optiviz::make_surface("rosenbrock", {}, nullptr);
    try {
        const auto paths = optiviz::parse_imported_paths(text, "fuzz.csv");
        if (paths.empty() || paths.size() > static_cast<std::size_t>(optiviz::limits::kMaxRuns)) std::abort();
        for (const auto& path : paths) {
            optiviz::validate_imported_path(path, "fuzz");  // what a file gives, a scene accepts
            const optiviz::Trajectory t = optiviz::imported_trajectory(path, *surface);
            if (t.size() > path.x.size()) std::abort();
            for (std::size_t k = 0; k < t.size(); ++k)
                if (t.x[k] != path.x[k] || t.y[k] != path.y[k] || !std::isfinite(t.loss[k])) std::abort();
        }
    } catch (const std::invalid_argument& e) {
        optiviz::fuzz::check_message(e);
    }
    return 0;
}
