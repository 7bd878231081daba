// Scenes on the model surface: the default one (--surface model) and the teaching presets that
// tell real-model stories, each caption a claim tests/core/models/test_model_presets.cpp checks on
// the preset's own scene. Registered at the end of presets.cpp's table.
#pragma once

#include "core/scene/scene.h"

namespace optiviz::models {

// The digits with a 16-unit tanh network, 200 steps, on the PCA plane: plain SGD, SGD with
// momentum, RMSprop and Adam.
Scene model_scene();

Scene digits_adam_vs_momentum();  // Adam against SGD with momentum (and plain SGD) on the digits
Scene network_lr_too_large();     // SGD on a ReLU network: a good lr, one too large, one that diverges
Scene momentum_real_landscape();  // SGD with momentum 0, 0.9 and 0.99 at one lr

}  // namespace optiviz::models
