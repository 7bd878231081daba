#include "app/tuning.h"

#include <cmath>
#include <cstdio>

#include "core/optimizer.h"

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

TuneObjective objective_of(const ui::TuneSettings& settings) {
    const int index = std::clamp(settings.objective, 0, 3);
    return parse_tune_objective(ui::kTuneObjectiveNames[index]);
}

}  // namespace

TuneRequest tune_request(const Scene& scene, std::size_t run, const ui::TuneSettings& settings) {
    TuneRequest request;
    request.base = run_config(scene, run);
    request.base.record_state = false;
    request.base.steps = settings.budget;
    request.start = scene.start;
    request.starts = settings.starts;
    request.spread = settings.spread;
    request.objective = objective_of(settings);
    request.lr = default_lr_grid(request.base.optimizer);
    request.refine_rounds = settings.refine;
    if (!settings.second.empty() && has_param(request.base.optimizer, settings.second))
        request.second = default_param_grid(request.base.optimizer, settings.second);
    return request;
}

int apply_tuned(const TuneBatch& batch, Scene& scene, int* skipped) {
    int applied = 0, changed = 0;
    for (std::size_t k = 0; k < batch.runs.size(); ++k) {
        const std::size_t i = batch.runs[k];
        if (!batch.results[k].best) continue;
        if (i >= scene.runs.size() || !(scene.runs[i].config == batch.before[k])) {
            ++changed;
            continue;
        }
        for (const auto& [name, value] : batch.results[k].best_hyper()) scene.runs[i].config.hyper[name] = value;
        ++applied;
    }
    if (skipped) *skipped = changed;
    return applied;
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
            if (!requests.tune_all && static_cast<int>(i) != std::clamp(settings.run, 0, static_cast<int>(scene.runs.size()) - 1))
                continue;
            batch->runs.push_back(i);
            batch->before.push_back(scene.runs[i].config);
            batch->labels.push_back(table_label(scene.runs[i], i));
            searches.push_back(tune_request(scene, i, settings));
            total += tune_particles(searches.back());
        }
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
    auto outcome = job_.take();
    if (!outcome) return;
    if (!outcome->result) {
        message_ = outcome->error;
        message_is_error_ = true;
        return;
    }
    last_ = std::make_shared<const TuneBatch>(std::move(*outcome->result));
    int skipped = 0;
    const int applied = apply_tuned(*last_, state.scene(), &skipped);
    char text[160];
    std::snprintf(text, sizeof text, "applied the best settings to %d run%s%s", applied, applied == 1 ? "" : "s",
                  skipped > 0 ? " (runs edited meanwhile kept their edits)" : " (Ctrl+Z undoes it)");
    message_ = text;
    message_is_error_ = false;
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
    if (!last_ || last_->results.empty()) return status;
    status.objective = std::string(tune_objective_name(last_->results.front().objective));
    status.budget = last_->results.front().budget;
    status.starts = last_->results.front().starts;
    for (std::size_t k = 0; k < last_->results.size(); ++k) {
        const TuneResult& r = last_->results[k];
        ui::TuneRow row;
        row.run = last_->labels[k];
        row.tried = static_cast<int>(r.tried.size());
        row.found = r.best.has_value();
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
