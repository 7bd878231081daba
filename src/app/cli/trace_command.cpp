#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>

#include "app/cli/trace_request.h"
#include "core/surfaces/dataset.h"
#include "core/io/limits.h"
#include "core/presentation/number_text.h"
#include "core/io/text_escape.h"
#include "core/optimizers/optimizer.h"
#include "core/surfaces/surface_registry.h"

namespace optiviz::cli {

namespace {


void append_number(std::string& out, double value) {
    char buffer[32];
    const int length = std::snprintf(buffer, sizeof buffer, "%.17g", value);
    out.append(buffer, static_cast<std::size_t>(length));
}

}  // namespace

double parse_real(const std::string& text, const std::string& what) { return parse_number(text, what); }

long parse_count(const std::string& text, const std::string& what) { return parse_whole(text, what); }

CsvColumns parse_columns(const std::string& text) {
    const auto comma = text.find(',');
    if (comma == std::string::npos || comma == 0 || comma + 1 == text.size() || text.find(',', comma + 1) != std::string::npos)
        throw std::invalid_argument("--columns: expected X,Y (names or column numbers), got '" + printable(text) + "'");
    return {text.substr(0, comma), text.substr(comma + 1)};
}

char parse_decimal_mark(const std::string& text) {
    if (text != "." && text != ",") throw std::invalid_argument("--decimal: expected . or , got '" + printable(text) + "'");
    return text[0];
}

std::pair<std::string, double> parse_assignment(const std::string& text, const std::string& what) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        throw std::invalid_argument(what + ": expected KEY=VALUE, got '" + printable(text) + "'");
    const std::string key = text.substr(0, eq);
    return {key, parse_real(text.substr(eq + 1), what + " " + key)};
}

RunConfig resolve_run_config(const TraceRequest& request) {
    RunConfig config = request.run;
    for (const auto& [key, text] : request.hyper_text) config.hyper[key] = parse_real(text, "--" + key);
    // Pairs and choices that fill two table entries or name a value.
    auto pair_of = [&](const std::string& text, const char* option, const char* first, const char* second) {
        const auto comma = text.find(',');
        if (comma == std::string::npos)
            throw std::invalid_argument(std::string(option) + ": expected A,B, got '" + text + "'");
        config.hyper[first] = parse_real(text.substr(0, comma), std::string(option) + " " + first);
        config.hyper[second] = parse_real(text.substr(comma + 1), std::string(option) + " " + second);
    };
    if (request.etas) pair_of(*request.etas, "--etas", "eta_minus", "eta_plus");
    if (request.step_sizes) pair_of(*request.step_sizes, "--step-sizes", "step_size_min", "step_size_max");
    if (request.line_search) {
        if (*request.line_search == "none") config.hyper["line_search"] = 0;
        else if (*request.line_search == "strong_wolfe") config.hyper["line_search"] = 1;
        else throw std::invalid_argument("--line-search: expected none or strong_wolfe, got '" + *request.line_search + "'");
    }
    // The optimizer's table rejects a flag it does not take, e.g. --momentum for adam.
    find_optimizer(config.optimizer);

    config.schedule.kind = parse_schedule_kind(request.schedule);
    if (request.gamma) config.schedule.gamma = parse_real(*request.gamma, "--gamma");
    if (request.step_size) config.schedule.step_size = parse_whole_between(*request.step_size, "--step-size", 1, limits::kMaxSchedulePeriod);
    if (request.t_max) config.schedule.t_max = parse_whole_between(*request.t_max, "--t-max", 1, limits::kMaxSchedulePeriod);
    if (request.eta_min) config.schedule.eta_min = parse_real(*request.eta_min, "--eta-min");
    const bool plateau = config.schedule.kind == ScheduleKind::Plateau;
    for (const auto* given : {&request.factor, &request.patience, &request.threshold, &request.threshold_mode,
                              &request.cooldown, &request.min_lr})
        if (*given && !plateau)
            throw std::invalid_argument("--factor, --patience, --threshold, --threshold-mode, --cooldown and --min-lr need --schedule plateau");
    if (request.factor) config.schedule.factor = parse_real(*request.factor, "--factor");
    if (request.patience) config.schedule.patience = parse_whole_at_most(*request.patience, "--patience", limits::kMaxPatience);
    if (request.threshold) config.schedule.threshold = parse_real(*request.threshold, "--threshold");
    if (request.threshold_mode) config.schedule.threshold_mode = parse_threshold_mode(*request.threshold_mode);
    if (request.cooldown) config.schedule.cooldown = parse_whole_at_most(*request.cooldown, "--cooldown", limits::kMaxPatience);
    if (request.min_lr) config.schedule.min_lr = parse_real(*request.min_lr, "--min-lr");
    if (request.clip_norm) {
        config.clip_norm = parse_real(*request.clip_norm, "--clip-norm");
        if (config.clip_norm <= 0) throw std::invalid_argument("--clip-norm must be > 0");
    }
    if (request.batch_size) {
        const long batch = parse_whole_between(*request.batch_size, "--batch-size", 1, static_cast<long>(limits::kMaxDataRows));
        config.batch_size = static_cast<std::size_t>(batch);
    }
    if (request.seed) config.seed = static_cast<std::uint64_t>(parse_count(*request.seed, "--seed"));
    if (request.tol) {
        config.stop.grad_tol = parse_real(*request.tol, "--tol");
        if (config.stop.grad_tol < 0) throw std::invalid_argument("--tol must be >= 0");
    }
    if (request.loss_patience && !request.loss_tol) throw std::invalid_argument("--loss-patience needs --loss-tol");
    if (request.loss_tol) {
        config.stop.loss_tol = parse_real(*request.loss_tol, "--loss-tol");
        if (config.stop.loss_tol <= 0) throw std::invalid_argument("--loss-tol must be > 0");
    }
    if (request.loss_patience) {
        config.stop.loss_patience = parse_whole_between(*request.loss_patience, "--loss-patience", 1, limits::kMaxPatience);
    }

    config.steps = parse_whole_at_most(request.steps, "--steps", limits::kMaxTraceSteps);
    return config;
}

ResolvedRun resolve_run(const TraceRequest& request, bool needs_start) {
    RunConfig config = resolve_run_config(request);
    ParamOverrides surface_params;
    for (const auto& text : request.surface_params) {
        const auto [key, value] = parse_assignment(text, "--param");
        surface_params[key] = value;
    }
    std::shared_ptr<const Dataset> data;
    if (request.columns && !request.data_path) throw std::invalid_argument("--columns needs --data");
    if (request.decimal && !request.data_path) throw std::invalid_argument("--decimal needs --data");
    if (request.data_path) {
        const CsvColumns columns = request.columns ? parse_columns(*request.columns) : CsvColumns{};
        const char decimal = request.decimal ? parse_decimal_mark(*request.decimal) : '.';
        if (*request.data_path != "-") {
            data = std::make_shared<const Dataset>(load_dataset_csv(*request.data_path, columns, decimal));
        } else {
            if (!request.stdin_text) throw std::invalid_argument("--data -: standard input is not available here");
            data = std::make_shared<const Dataset>(parse_dataset_csv(*request.stdin_text, "standard input", columns, decimal));
        }
    }
    if (request.expr && !request.surface.empty()) throw std::invalid_argument("give --surface or --expr, not both");
    if (!request.expr && request.surface.empty()) throw std::invalid_argument("--surface or --expr is required");
    if (request.expr && data) throw std::invalid_argument("--expr takes no --data (x and y are the parameters)");
    auto surface = request.expr ? make_surface("expr", surface_params, nullptr, *request.expr)
                                : make_surface(request.surface, surface_params, data);

    Eigen::Vector2d start(0, 0);
    if (needs_start) {
        const auto comma = request.start.find(',');
        if (comma == std::string::npos) throw std::invalid_argument("--start: expected X,Y, got '" + printable(request.start) + "'");
        start = {parse_real(request.start.substr(0, comma), "--start x"), parse_real(request.start.substr(comma + 1), "--start y")};
    }
    validate_run(*surface, config);
    check_run_data_work(*surface, config, 1, "the run");
    return {std::move(surface), config, start};
}

void check_run_data_work(const LossSurface& surface, const RunConfig& config, double particles, const std::string& what) {
    const auto rows = static_cast<double>(surface.row_count());
    const bool batches = config.batch_size > 0 && surface.supports_minibatches();
    // Every step's loss is recorded on all rows, so a mini-batch adds its gradient's rows to that pass.
    const double per_step = static_cast<double>(surface.cost_per_point()) +
                            (batches ? std::min(rows, static_cast<double>(config.batch_size)) : 0.0);
    if (per_step <= 1) return;  // a point costs no pass over rows
    limits::check_data_work(0, particles * (static_cast<double>(config.steps) + 1.0), per_step,
                            what + " on " + std::to_string(surface.row_count()) + " rows");
}

void run_trace(const TraceRequest& request, std::ostream& out, std::ostream& err) {
    const ResolvedRun resolved = resolve_run(request, true);
    const RunConfig& config = resolved.config;
    Trajectory trajectory = run_trajectory(*resolved.surface, config, resolved.start);
    if (trajectory.size() == 0) {
        // A start beyond the divergence bound ends the run at step 0; row 0 is still the start.
        trajectory.x.push_back(resolved.start.x());
        trajectory.y.push_back(resolved.start.y());
        trajectory.loss.push_back(resolved.surface->value(resolved.start.x(), resolved.start.y()));
    }

    std::string csv = "step,x,y,loss\n";
    csv.reserve(csv.size() + trajectory.size() * 80);
    for (std::size_t k = 0; k < trajectory.size(); ++k) {
        csv += std::to_string(k);
        for (const double v : {trajectory.x[k], trajectory.y[k], trajectory.loss[k]}) {
            csv += ',';
            append_number(csv, v);
        }
        csv += '\n';
    }
    out << csv;
    if (const std::string how = describe_stop(trajectory, config.stop); !how.empty()) err << how << "\n";
    if (!trajectory.evaluations.empty()) {
        long total = 0, most = 0;
        for (long e : trajectory.evaluations) total += e, most = std::max(most, e);
        err << config.optimizer << ": " << total << " function evaluations in " << trajectory.evaluations.size()
            << " steps (at most " << most << " in one step)\n";
    }
    if (config.schedule.kind == ScheduleKind::Plateau) {
        for (std::size_t k = 1; k < trajectory.lr.size(); ++k)
            if (trajectory.lr[k] != trajectory.lr[k - 1]) {
                char line[96];
                std::snprintf(line, sizeof line, "lr reduced to %.6g before step %zu\n", trajectory.lr[k], k + 1);
                err << line;
            }
    }
}

}  // namespace optiviz::cli
