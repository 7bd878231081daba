#include "core/analysis/particle_cloud.h"

#include <cmath>
#include <stdexcept>

#include "core/runtime/random.h"

namespace optiviz {

std::vector<Eigen::Vector2d> cloud_starts(Eigen::Vector2d start, int count, double spread) {
    if (count < 0 || count > 1024) throw std::invalid_argument("cloud size must be from 0 to 1024");
    if (!(spread >= 0) || !std::isfinite(spread)) throw std::invalid_argument("cloud spread must be a finite number >= 0");
    std::vector<Eigen::Vector2d> starts;
    for (int k = 0; k < count; ++k) {
        DeterministicRng rng(0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(k));
        const double u = rng.normal(), v = rng.normal();
        starts.emplace_back(start.x() + spread * u, start.y() + spread * v);
    }
    return starts;
}

std::vector<Trajectory> run_cloud(const LossSurface& surface, const RunConfig& config, Eigen::Vector2d start, int count,
                                  double spread, const std::atomic<bool>* cancel, std::atomic<long>* progress) {
    const auto starts = cloud_starts(start, count, spread);
    std::vector<double> xs, ys;
    std::vector<std::uint64_t> seeds;
    for (std::size_t k = 0; k < starts.size(); ++k) {
        xs.push_back(starts[k].x());
        ys.push_back(starts[k].y());
        seeds.push_back(config.seed + k + 1);
    }
    EnsembleOptions options;
    options.cancel = cancel;
    options.progress = progress;
    options.seeds = seeds;
    return run_ensemble_paths(surface, config, xs, ys, options);
}

}  // namespace optiviz
