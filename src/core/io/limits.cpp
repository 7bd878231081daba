#include "core/io/limits.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace optiviz::limits {

void check_trajectory_memory(long steps, double particles, const std::string& what) {
    const double points = (static_cast<double>(steps) + 1.0) * particles;
    const double bytes = points * static_cast<double>(kTrajectoryBytesPerPoint);
    if (bytes <= static_cast<double>(kTrajectoryBudgetBytes)) return;
    char text[200];
    std::snprintf(text, sizeof text, "%ld steps x %.0f particles need %.0f MB; the limit is %.0f MB", steps, particles,
                  std::ceil(bytes / (1 << 20)), static_cast<double>(kTrajectoryBudgetBytes) / (1 << 20));
    throw std::invalid_argument(what + ": " + text + " (fewer steps, runs or cloud particles)");
}

void check_map_work(double cells, long steps, const std::string& what, double cost, const std::string& cost_size) {
    const double work = cells * (static_cast<double>(steps) + 1.0) * cost;
    if (work <= kMaxMapParticleSteps) return;
    char text[300];
    if (cost > 1.0) {
        std::snprintf(text, sizeof text,
                      "%.0f cells x %ld steps of %s (%.3g times a built-in surface's work) is %.3g particle-steps; the "
                      "limit is %.3g",
                      cells, steps, cost_size.c_str(), cost, work, kMaxMapParticleSteps);
        throw std::invalid_argument(what + ": " + text + " (fewer cells or steps, or a shorter expression)");
    }
    std::snprintf(text, sizeof text, "%.0f cells x %ld steps is %.3g particle-steps; the limit is %.3g", cells, steps,
                  work, kMaxMapParticleSteps);
    throw std::invalid_argument(what + ": " + text + " (fewer cells or steps)");
}

void check_data_work(double rows, double particle_steps, double rows_per_step, const std::string& what) {
    const double work = rows_per_step * particle_steps + rows * kDataPictureSamples;
    if (work <= kMaxDataRowEvaluations) return;
    char picture[120] = "";
    if (rows > 0) std::snprintf(picture, sizeof picture, " and a picture of %.0f points over %.0f rows", kDataPictureSamples, rows);
    char text[300];
    std::snprintf(text, sizeof text, "%.0f particle-steps reading %.0f rows each%s is %.3g row evaluations; the limit is %.3g",
                  particle_steps, rows_per_step, picture, work, kMaxDataRowEvaluations);
    throw std::invalid_argument(what + ": " + text + " (fewer rows or steps, or a batch_size)");
}

void check_training_work(double rows_per_step, double parameters, long steps, double bytes) {
    const double work = rows_per_step * parameters * (static_cast<double>(steps) + 1.0);  // row 0 is a pass too
    char text[300];
    if (work > kMaxTrainingWork) {
        std::snprintf(text, sizeof text,
                      "training: %ld steps x %.0f rows a step x %.0f parameters is %.3g row-parameter products; the limit "
                      "is %.3g (fewer steps or rows, a smaller model, or --batch)",
                      steps, rows_per_step, parameters, work, kMaxTrainingWork);
        throw std::invalid_argument(text);
    }
    if (bytes > kMaxTrainingBytes) {
        std::snprintf(text, sizeof text,
                      "training: %.0f parameters and their passes over %.0f rows need %.0f MB; the limit is %.0f MB "
                      "(a smaller model, fewer rows, or --batch)",
                      parameters, rows_per_step, std::ceil(bytes / (1 << 20)), kMaxTrainingBytes / (1 << 20));
        throw std::invalid_argument(text);
    }
}

}  // namespace optiviz::limits
