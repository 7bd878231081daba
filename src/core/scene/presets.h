// Teaching presets: scenes a teacher opens with one click, each with a one-line caption saying
// what to look at.
#pragma once

#include <span>
#include <string_view>

#include "core/scene/scene.h"

namespace optiviz {

struct Preset {
    std::string_view name;     // e.g. "narrow-valley" (for --preset and scene files)
    std::string_view title;    // e.g. "Narrow valley"
    std::string_view caption;  // what to look at
    Scene (*make)();
};

std::span<const Preset> preset_registry();

// Throws std::invalid_argument("unknown preset 'x' (known: ...)").
const Preset& find_preset(std::string_view name);

// The preset's scene, with its caption set.
Scene make_preset(std::string_view name);

}  // namespace optiviz
