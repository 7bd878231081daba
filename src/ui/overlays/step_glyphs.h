// Step glyphs (step_glyphs.cpp): one run's step at the shown step, explained by arrows — −∇f, the
// optimizer's direction (momentum, first moment), the step taken, the per-coordinate step box — and,
// with "trail", −∇f and the direction along the path. The run records its optimizer's state for them
// (app/derived/derived_scene.cpp) and its update rule with this step's numbers goes into the legend column
// (app/derived/view_inputs.cpp); both read these settings from the scene's overlay map.
#pragma once

#include <optional>
#include <string_view>

#include "core/scene/scene.h"

namespace optiviz::ui {

inline constexpr std::string_view kStepGlyphsOverlay = "step-glyphs";

struct StepGlyphSettings {
    int run = 0;         // the explained run, 0-based
    bool trail = false;  // also along its path
    bool operator==(const StepGlyphSettings&) const = default;
};

// The scene's step glyph settings, or nothing when they are off or refused.
std::optional<StepGlyphSettings> step_glyphs(const Scene& scene);

// Turns the step glyphs on in `scene` (the command line's --glyphs-of and --glyph-trail, tests).
void set_step_glyphs(Scene& scene, const StepGlyphSettings& settings);

}  // namespace optiviz::ui
