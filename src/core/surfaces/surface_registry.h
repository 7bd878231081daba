// The loss surfaces optiviz knows, by name, each with its parameter table.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "core/surfaces/dataset.h"
#include "core/surfaces/loss_surface.h"
#include "core/scene/param_spec.h"

namespace optiviz {

struct SurfaceInfo {
    std::string_view name;     // registry key, e.g. "rosenbrock"
    std::string_view title;    // e.g. "Rosenbrock"
    std::string_view formula;  // plain-text definition shown in the UI and --help
    ParamTable params;
    bool needs_data = false;   // data-driven (mse): takes a Dataset
    // Builds the surface from validated values. `data` is only read when needs_data (may be null
    // otherwise). Throws std::invalid_argument on combinations the table cannot express.
    std::unique_ptr<LossSurface> (*make)(const ParamValues& values, std::shared_ptr<const Dataset> data);
    bool binary_labels = false;  // data-driven with labels 0/1 (logistic): synthetic data is drawn as classes
    // Your own function (name "expr"): built from the expression text, its parameters named by it
    // (see expression_surface.h); `params` and `make` are unused.
    bool takes_expression = false;
};

// The dataset a data-driven surface uses when none is given: a synthetic line for the MSE,
// synthetic classes for the logistic loss.
Dataset default_dataset(const SurfaceInfo& info, const SyntheticDatasetSpec& spec = {});

std::span<const SurfaceInfo> surface_registry();

// Throws std::invalid_argument("unknown surface 'x' (known: ...)"). Also finds "expr", the typed
// function, which surface_registry() does not list (it has no parameter table to make sliders of).
const SurfaceInfo& find_surface(std::string_view name);

// Resolves overrides against the table and builds the surface. For data-driven surfaces with no
// dataset, the built-in synthetic dataset (make_synthetic_dataset with default spec) is used.
// "expr" takes `expression` (its parameters are the overrides); other surfaces refuse one.
std::unique_ptr<LossSurface> make_surface(std::string_view name, const ParamOverrides& overrides,
                                          std::shared_ptr<const Dataset> data = nullptr,
                                          std::string_view expression = {});

// Newton's method on the analytic gradient (Hessian by central differences of the gradient),
// used to pin down minima that have no closed form. Returns `guess` unchanged if it fails.
Eigen::Vector2d polish_stationary_point(const LossSurface& surface, Eigen::Vector2d guess);

}  // namespace optiviz
