// A particle cloud: K extra copies of a run from jittered starts (and, with mini-batches, their own
// shuffling seeds), to show how sensitive the path is to where it starts and to sampling noise.
#pragma once

#include <atomic>
#include <vector>

#include <Eigen/Core>

#include "core/loss_surface.h"
#include "core/simulation.h"

namespace optiviz {

// Particle k (0-based) starts at start + spread·(u, v) with (u, v) standard normal draws that depend
// only on k, and uses mini-batch seed config.seed + k + 1. Deterministic; count 0..1024.
std::vector<Eigen::Vector2d> cloud_starts(Eigen::Vector2d start, int count, double spread);

// With `cancel`, stops within milliseconds of the flag being set (throws std::runtime_error("cancelled")).
std::vector<Trajectory> run_cloud(const LossSurface& surface, const RunConfig& config, Eigen::Vector2d start, int count,
                                  double spread, const std::atomic<bool>* cancel = nullptr);

}  // namespace optiviz
