#include "app/derived/tuning.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "core/optimizers/optimizer.h"

namespace optiviz::app {

namespace {

bool has_param(const std::string& optimizer, const std::string& name) {
    for (const ParamSpec& spec : find_optimizer(optimizer).params)
        if (spec.name == name && spec.kind != ParamKind::Flag) return true;
    return false;
}

// "2: Adam": the run's name without its learning rate (the table shows the tuned one).
std::string table_label(const RunSpec& run, std::size_t index) {
    std::string label = run_label(run);
    if (run.label.empty())
        if (const auto lr = label.find(" lr="); lr != std::string::npos) {
            const auto end = label.find(',', lr);
            label.erase(lr, end == std::string::npos ? std::string::npos : end - lr);
        }
    return std::to_string(index + 1) + ": " + label;
}

std::string point_text(const Eigen::Vector2d& p) {
    char text[80];
    std::snprintf(text, sizeof text, "(%.6g, %.6g)", p.x(), p.y());
    return text;
}

std::string surface_text(const std::string& surface, const std::string& expression) {
    return surface == "expr" ? "f(x, y) = " + expression : surface;
}

double rank_value(double v) { return std::isnan(v) ? std::numeric_limits<double>::infinity() : v; }

}  // namespace

TuneKey tune_key(const SurfaceKey& surface, const Scene& scene) { return TuneKey{surface, scene.start}; }

std::string tune_key_mismatch(const TuneKey& key, const Scene& scene) {
    // Names first: surface_key looks the name up, and only the key's name is known to be valid.
    if (scene.surface != key.surface.surface)
        return "the surface is " + surface_text(scene.surface, scene.expression) + " now, tuned on " +
               surface_text(key.surface.surface, key.surface.expression);
    const SurfaceKey now = surface_key(scene);
    if (now.expression != key.surface.expression)
        return "the surface is " + surface_text(now.surface, now.expression) + " now, tuned on " +
               surface_text(key.surface.surface, key.surface.expression);
    if (now.params != key.surface.params) return "the surface's parameters changed since tuning";
    if (!(now.data == key.surface.data) || !(now.file == key.surface.file)) return "the data changed since tuning";
    if (scene.start != key.start) return "the start moved from " + point_text(key.start) + ", where it was tuned";
    return "";
}

TuneRequest tune_request(const Scene& scene, std::size_t run) {
    const TuneSettings& settings = scene.tune;
    TuneRequest request;
    request.base = run_config(scene, run);
    request.base.record_state = false;
    request.base.steps = settings.budget_is_scene_steps ? scene.steps : settings.budget;
    if (request.base.steps < 1) throw std::invalid_argument("the scene runs 0 steps: give it steps to tune on");
    request.start = scene.start;
    request.starts = settings.starts;
    request.spread = settings.spread;
    request.objective = settings.objective;
    request.allow_diverged = settings.allow_diverged;
    request.lr = default_lr_grid(request.base.optimizer);
    request.refine_rounds = settings.refine;
    if (!settings.second.empty() && has_param(request.base.optimizer, settings.second))
        request.second = default_param_grid(request.base.optimizer, settings.second);
    return request;
}

RunConfig tuned_config(const TuneBatch& batch, std::size_t k) {
    RunConfig config = batch.before[k];
    for (const auto& [name, value] : batch.results[k].best_hyper()) config.hyper[name] = value;
    return config;
}

ApplyOutcome apply_tuned(const TuneBatch& batch, Scene& scene) {
    ApplyOutcome outcome;
    outcome.refused = tune_key_mismatch(batch.key, scene);
    if (!outcome.refused.empty()) return outcome;
    for (std::size_t k = 0; k < batch.runs.size(); ++k) {
        const std::size_t i = batch.runs[k];
        if (!batch.results[k].best_has_score()) {
            ++outcome.no_score;
            continue;
        }
        if (i >= scene.runs.size() || !(scene.runs[i].config == batch.before[k])) {
            ++outcome.skipped;
            continue;
        }
        scene.runs[i].config = tuned_config(batch, k);
        ++outcome.applied;
    }
    return outcome;
}

std::optional<std::size_t> race_winner(const TuneBatch& batch) {
    if (batch.results.size() < 2) return std::nullopt;
    std::optional<std::size_t> winner;
    auto above = [](const TuneResult& a, const TuneResult& b) {
        const TuneCandidate &x = a.tried[*a.best], &y = b.tried[*b.best];
        if (!a.allow_diverged && x.diverged != y.diverged) return x.diverged < y.diverged;
        if (rank_value(x.score) != rank_value(y.score)) return rank_value(x.score) < rank_value(y.score);
        return rank_value(x.median_loss) < rank_value(y.median_loss);
    };
    for (std::size_t k = 0; k < batch.results.size(); ++k) {
        if (!batch.results[k].best_has_score()) continue;
        if (!winner || above(batch.results[k], batch.results[*winner])) winner = k;  // strict: the first of equals
    }
    return winner;
}

void Tuning::apply(const ui::TuneRequests& requests, AppState& state) {
    if (requests.cancel && job_.pending()) {
        job_.cancel();
        message_ = "tuning cancelled";
        message_is_error_ = false;
    }
    if (!requests.tune_run && !requests.tune_all) return;
    const Scene& scene = state.scene();
    if (scene.runs.empty()) return;
    // Everything the work needs is copied now: it never reads the application state.
    auto batch = std::make_shared<TuneBatch>();
    std::vector<TuneRequest> searches;
    long total = 0;
    try {
        for (std::size_t i = 0; i < scene.runs.size(); ++i) {
            if (!requests.tune_all && static_cast<int>(i) != std::clamp(scene.tune.run, 0, static_cast<int>(scene.runs.size()) - 1))
                continue;
            if (scene.runs[i].imported) {  // your own run has no settings to tune
                if (!requests.tune_all) throw std::invalid_argument(run_label(scene.runs[i]) + " is imported: it has no settings to tune");
                continue;
            }
            batch->runs.push_back(i);
            batch->before.push_back(scene.runs[i].config);
            batch->labels.push_back(table_label(scene.runs[i], i));
            searches.push_back(tune_request(scene, i));
            total += tune_particles(searches.back());
        }
        // The key is the built surface's, which is the one the search runs on (the scene may already
        // name another one that is still being built: then the result is refused).
        const auto& built_key = state.derived().surface().value_key();
        batch->key = tune_key(built_key ? *built_key : surface_key(scene), scene);
    } catch (const std::exception& e) {
        message_ = e.what();
        message_is_error_ = true;
        return;
    }
    const std::shared_ptr<const LossSurface> surface = state.shared_surface();
    job_.start(
        [batch, searches, surface](const std::atomic<bool>& cancel, std::atomic<long>& progress) {
            TuneBatch done = *batch;
            TuneOptions options;
            options.cancel = &cancel;
            options.progress = &progress;
            for (std::size_t k = 0; k < searches.size(); ++k) {
                try {
                    done.results.push_back(run_tune(*surface, searches[k], options));
                } catch (const std::invalid_argument& e) {
                    throw std::invalid_argument("run " + done.labels[k] + ": " + e.what());
                }
            }
            return done;
        },
        total);
    message_.clear();
    message_is_error_ = false;
}

void Tuning::update(AppState& state) {
    if (auto outcome = job_.take()) {
        if (!outcome->result) {
            message_ = outcome->error;
            message_is_error_ = true;
        } else {
            last_ = std::make_shared<const TuneBatch>(std::move(*outcome->result));
            const ApplyOutcome applied = apply_tuned(*last_, state.scene());
            message_ = applied_message(applied);
            message_is_error_ = !applied.refused.empty();
        }
    }
    check_stale(state.scene());
}

std::string applied_message(const ApplyOutcome& outcome) {
    if (!outcome.refused.empty()) return "not applied: " + outcome.refused;
    std::string text = "applied the best settings to " + std::to_string(outcome.applied) +
                       (outcome.applied == 1 ? " run" : " runs");
    if (outcome.no_score > 0)
        text += "; " + std::to_string(outcome.no_score) +
                (outcome.no_score == 1 ? " run had no setting with a score and kept its own"
                                       : " runs had no setting with a score and kept their own");
    if (outcome.skipped > 0) text += " (runs edited meanwhile kept their edits)";
    else if (outcome.applied > 0) text += " (Ctrl+Z undoes it)";
    return text;
}

void Tuning::check_stale(const Scene& scene) {
    shown_steps_ = scene.steps;
    if (!last_) return;
    stale_ = tune_key_mismatch(last_->key, scene);
    row_stale_.assign(last_->runs.size(), "");
    for (std::size_t k = 0; k < last_->runs.size(); ++k) {
        const std::size_t i = last_->runs[k];
        if (i >= scene.runs.size()) row_stale_[k] = "the run was removed";
        else if (!(scene.runs[i].config == tuned_config(*last_, k))) row_stale_[k] = "the run's settings are not these";
    }
}

void Tuning::wait(AppState& state) {
    job_.wait_for(std::chrono::hours(24 * 365));
    update(state);
}

ui::TuneStatus Tuning::status() const {
    ui::TuneStatus status;
    status.running = job_.pending();
    status.progress = job_.progress();
    status.message = message_;
    status.message_is_error = message_is_error_;
    status.shown_steps = shown_steps_;
    if (!last_ || last_->results.empty()) return status;
    status.objective = tune_goal_name(last_->results.front().goal());
    status.budget = last_->results.front().budget;
    status.starts = last_->results.front().starts;
    status.stale = stale_;
    const std::optional<std::size_t> winner = race_winner(*last_);
    for (std::size_t k = 0; k < last_->results.size(); ++k) {
        const TuneResult& r = last_->results[k];
        ui::TuneRow row;
        row.run = last_->labels[k];
        row.tried = static_cast<int>(r.tried.size());
        row.found = r.best_has_score();
        row.every_diverged = r.every_setting_diverged();
        row.winner = winner == k;
        if (k < row_stale_.size()) row.stale = row_stale_[k];
        if (r.best) {
            const TuneCandidate& best = r.tried[*r.best];
            row.lr = best.lr;
            row.second_param = r.second_param;
            row.second = best.second;
            row.score = best.score;
            row.median_loss = best.median_loss;
            row.diverged = best.diverged;
        }
        status.rows.push_back(row);
    }
    return status;
}

}  // namespace optiviz::app
