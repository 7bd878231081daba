// A particle cloud: K extra copies of a run from jittered starts (and, with mini-batches, their own
// shuffling seeds), to show how sensitive the path is to where it starts and to sampling noise.
#pragma once

#include <atomic>
#include <vector>

#include <Eigen/Core>

#include "core/surfaces/loss_surface.h"
#include "core/optimizers/simulation.h"

namespace optiviz {

// Particle k (0-based) starts at start + spread·(u, v) with (u, v) standard normal draws that depend
// only on k, and uses mini-batch seed config.seed + k + 1. Deterministic; count 0..1024.
std::vector<Eigen::Vector2d> cloud_starts(Eigen::Vector2d start, int count, double spread);

// Particle k's path is exactly run_trajectory from cloud_starts(...)[k] with seed config.seed + k + 1.
// The cloud runs as one batched ensemble with recorded paths (run_ensemble_paths), on all hardware
// threads, within the same memory bound: count × (steps + 1) rows, refused beyond
// limits::kTrajectoryBudgetBytes. With `cancel`, stops within milliseconds of the flag being set
// (throws std::runtime_error("cancelled")); `progress`, when given, counts finished particles (up to count).
std::vector<Trajectory> run_cloud(const LossSurface& surface, const RunConfig& config, Eigen::Vector2d start, int count,
                                  double spread, const std::atomic<bool>* cancel = nullptr,
                                  std::atomic<long>* progress = nullptr);

}  // namespace optiviz
