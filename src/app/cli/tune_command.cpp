#include "app/cli/tune_command.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/io/limits.h"
#include "core/presentation/number_text.h"
#include "core/optimizers/optimizer.h"
#include "core/io/text_escape.h"
#include "core/analysis/tune.h"

namespace optiviz::cli {

namespace {

std::string shortest(double v) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char text[64];
    return std::string(text, std::to_chars(text, text + sizeof text, v).ptr);
}

// "LO:HI:COUNT" → a log-spaced lr axis.
SweepAxis parse_lr_grid(const std::string& text) {
    const auto a = text.find(':');
    const auto b = a == std::string::npos ? a : text.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos || text.find(':', b + 1) != std::string::npos)
        throw std::invalid_argument("--lr-grid: expected LO:HI:COUNT, got '" + printable(text) + "'");
    std::string axis = "lr=";
    axis.append(text, 0, b);
    axis += ":log";
    axis.append(text, b);
    return parse_sweep_axis(axis, "--lr-grid");
}

// "NAME" (its slider range, 5 values) or "NAME=LO:HI:lin|log:COUNT".
SweepAxis parse_also(const std::string& text, const std::string& optimizer) {
    if (text.find('=') == std::string::npos) {
        if (text.empty()) throw std::invalid_argument("--also: expected NAME or NAME=LO:HI:lin|log:COUNT");
        return default_param_grid(optimizer, text);
    }
    return parse_sweep_axis(text, "--also");
}

constexpr const char* kOnlyLeastBad = "; every setting tried diverged somewhere, this is the least bad";

// "lr=V[ NAME=V]" of a setting.
std::string setting_text(const TuneResult& result, const TuneCandidate& c) {
    std::string text = "lr=" + shortest(c.lr);
    if (!result.second_param.empty()) text += " " + result.second_param + "=" + shortest(c.second);
    return text;
}

}  // namespace

std::string best_line(const TuneResult& result) {
    if (!result.best) return "best: none (nothing was tried)";
    const TuneCandidate& best = result.tried[*result.best];
    const std::string goal = tune_goal_name(result.goal());
    const std::string diverged =
        std::to_string(best.diverged) + " of " + std::to_string(result.starts) + " starts diverged";
    if (result.best_has_score()) {
        std::string line = "best: " + setting_text(result, best) + " " + goal + "=" + shortest(best.score) + ", " + diverged;
        if (result.every_setting_diverged()) line += kOnlyLeastBad;
        return line;
    }
    // Ranked by divergence first, a setting with a score may sit below the best: say why it was not chosen.
    const bool some_score = std::any_of(result.tried.begin(), result.tried.end(),
                                        [](const TuneCandidate& c) { return std::isfinite(c.score); });
    std::string line = some_score ? "best: none (no setting with " + std::to_string(best.diverged) + " of " +
                                        std::to_string(result.starts) + " starts diverged has a " + goal +
                                        " value; those with one diverged at more starts)"
                                  : "best: none (no setting has a " + goal + " value)";
    line += "; least bad: " + setting_text(result, best) + ", " + diverged;
    if (result.every_setting_diverged()) line += kOnlyLeastBad;
    return line;
}

void run_tune_command(const TuneCommandRequest& request, std::ostream& out, std::ostream& err) {
    const long budget = parse_whole_between(request.budget, "--budget", 1, limits::kMaxSteps);
    TraceRequest run_text = request.run;
    run_text.steps = std::to_string(budget);
    const ResolvedRun run = resolve_run(run_text, true);
    TuneRequest tune;
    tune.base = run.config;
    tune.start = run.start;
    const long starts = parse_whole_between(request.starts, "--starts", 1, limits::kMaxTuneStarts);
    tune.starts = static_cast<int>(starts);
    tune.spread = parse_real(request.spread, "--spread");
    if (!(tune.spread >= 0)) throw std::invalid_argument("--spread must be >= 0");
    const TuneGoal goal = parse_tune_goal(request.objective);
    tune.objective = goal.objective;
    tune.allow_diverged = goal.allow_diverged;
    tune.lr = request.lr_grid ? parse_lr_grid(*request.lr_grid) : default_lr_grid(run.config.optimizer);
    tune.refine_rounds = static_cast<int>(parse_whole_at_most(request.refine, "--refine", 8));
    if (request.also) tune.second = parse_also(*request.also, run.config.optimizer);

    const auto t0 = std::chrono::steady_clock::now();
    const TuneResult result = run_tune(*run.surface, tune);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::ostringstream csv;
    csv << "lr";
    if (!result.second_param.empty()) csv << ',' << result.second_param;
    csv << ",round,score,median_loss,diverged,converged\n";
    for (const TuneCandidate& c : result.tried) {
        csv << shortest(c.lr);
        if (!result.second_param.empty()) csv << ',' << shortest(c.second);
        csv << ',' << c.round << ',' << shortest(c.score) << ',' << shortest(c.median_loss) << ',' << c.diverged << ','
            << c.converged << '\n';
    }
    out << csv.str();

    char line[256];
    std::snprintf(line, sizeof line, "tuned %s: %zu settings x %d starts x %ld steps in %.3f s\n",
                  std::string(find_optimizer(result.optimizer).name).c_str(), result.tried.size(), result.starts,
                  result.budget, seconds);
    err << line;
    err << best_line(result) << "\n";
}

}  // namespace optiviz::cli
