// Internal to core: the course's presets (issue 14), each a claim tests/core/scene/test_course_presets.cpp
// checks numerically. Registered at the end of presets.cpp's table.
#pragma once

#include "core/scene/scene.h"

namespace optiviz::course {

Scene house_prices();     // y = 3x + 2 + noise: Adam at the course's lr 0.001 barely moves; a tuned lr fits
Scene bias_correction();  // Adam with and without bias correction, first 20 steps
Scene lr_decay();         // fixed, step, exponential and plateau schedules on noisy mini-batches
Scene stopping();         // one run under the gradient, loss-change and budget rules
Scene quasi_newton();     // L-BFGS against Adam on Rosenbrock

}  // namespace optiviz::course
