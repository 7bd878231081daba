#include "app/cli/sweep_command.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <stdexcept>

#include "app/export/map_pictures.h"
#include "app/export/picture.h"
#include "app/cli/render_command.h"
#include "core/io/atomic_file.h"
#include "core/io/limits.h"
#include "core/presentation/number_text.h"
#include "core/io/text_escape.h"
#include "core/presentation/color_scale.h"
#include "core/optimizers/optimizer.h"
#include "core/scene/scene.h"
#include "core/analysis/sweep.h"
#include "render/offscreen_context.h"
#include "render/png_writer.h"
#include "ui/views/grid_map_view.h"

namespace optiviz::cli {

namespace {

enum class OutputKind { Csv, Png };

// "-" is standard output, for CSV only (a PNG on a terminal helps nobody).
constexpr const char* kStandardOutput = "-";

OutputKind output_kind(const std::string& path) {
    if (path == kStandardOutput) return OutputKind::Csv;
    auto ends_with = [&](const char* suffix) {
        const std::string s(suffix);
        return path.size() > s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
    };
    if (ends_with(".csv")) return OutputKind::Csv;
    if (ends_with(".png")) return OutputKind::Png;
    throw std::invalid_argument("--out: the file name must end in .csv or .png (or be - for CSV on standard output), got '" +
                                printable(path) + "'");
}

// The CSV goes to its file, or to `out` for "-" (then `out` carries the data alone and the summary
// moves to `err`, so `--out - | head` sees only CSV).
void write_text(const std::string& path, const std::string& text, std::ostream& out) {
    if (path == kStandardOutput) out << text;
    else write_file_atomically(path, text);
}

std::ostream& summary_stream(const std::string& path, std::ostream& out, std::ostream& err) {
    return path == kStandardOutput ? err : out;
}

void check_output(const std::string& path) {
    if (path != kStandardOutput) check_output_path(path);
}

std::string status_of(const CellResult& c) { return std::string(outcome_name(c.outcome)); }

// --starts, --spread and --aggregate, checked before any run (K from 1 to limits::kMaxMapStarts).
MultiStart parse_multi_start(const std::string& starts, const std::optional<std::string>& spread, double default_spread) {
    MultiStart multi;
    const long k = parse_whole_between(starts, "--starts", 1, limits::kMaxMapStarts);
    multi.count = static_cast<int>(k);
    multi.spread = spread ? parse_real(*spread, "--spread") : default_spread;
    if (!(multi.spread >= 0)) throw std::invalid_argument("--spread must be >= 0, got '" + printable(*spread) + "'");
    return multi;
}

std::vector<std::uint8_t> draw_picture(const std::function<void(ImVec2)>& draw, int width, int height) {
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    return renderer.render_with(draw, width, height);
}

}  // namespace

void run_sweep_command(const SweepRequest& request, std::ostream& out, std::ostream& err) {
    const OutputKind kind = output_kind(request.out);
    check_output(request.out);  // before the runs
    const ResolvedRun run = resolve_run(request.run, true);
    const SweepAxis x = parse_sweep_axis(request.x_axis, "--x");
    const SweepAxis y = parse_sweep_axis(request.y_axis, "--y");
    const SweepMetric metric = parse_sweep_metric(request.metric);
    int width = 0, height = 0;
    parse_size(request.size, width, height);
    if (x.param == y.param) throw std::invalid_argument("--x and --y must sweep different parameters");
    const MultiStart multi = parse_multi_start(request.starts, request.spread, kDefaultSweepSpread);
    const Aggregate aggregate = parse_aggregate(request.aggregate);
    validate_multi_start(multi, static_cast<double>(x.count) * y.count, "sweep");
    const LossSurface::EvaluationCost cost = run.surface->evaluation_cost();
    limits::check_map_work(static_cast<double>(x.count) * y.count * multi.count, run.config.steps, "sweep", cost.factor,
                           cost.size);
    check_run_data_work(*run.surface, run.config, static_cast<double>(x.count) * y.count * multi.count, "sweep");

    const auto t0 = std::chrono::steady_clock::now();
    const SweepResult result = run_sweep(*run.surface, run.config, run.start, x, y, {}, multi);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto minima = run.surface->minima();

    if (kind == OutputKind::Csv) {
        // x..distance: the cell's own run (particle 0, from --start); then the K runs' aggregates.
        std::string csv = x.param + "," + y.param +
                          ",x,y,loss,steps,status,distance,starts,aggregate,loss_median,loss_worst,steps_median,steps_worst,"
                          "distance_median,distance_worst,diverged,converged\n";
        const auto xs = x.values(), ys = y.values();
        char line[256];
        for (int iy = 0; iy < y.count; ++iy)
            for (int ix = 0; ix < x.count; ++ix) {
                const CellResult& c = result.at(ix, iy);
                std::snprintf(line, sizeof line, "%.17g,%.17g,%.17g,%.17g,%.17g,%ld,%s,%.17g,", xs[static_cast<std::size_t>(ix)],
                              ys[static_cast<std::size_t>(iy)], c.x, c.y, c.loss, app::steps_to_outcome(c), status_of(c).c_str(),
                              metric_value(c, SweepMetric::Distance, minima));
                csv += line;
                const auto runs = result.runs_of(result.index(ix, iy));
                std::vector<double> aggregates;
                for (const SweepMetric m : {SweepMetric::FinalLoss, SweepMetric::Steps, SweepMetric::Distance})
                    for (const Aggregate a : {Aggregate::Median, Aggregate::Worst}) aggregates.push_back(aggregate_value(runs, m, a, minima));
                std::snprintf(line, sizeof line, "%d,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%d,%d\n", multi.count,
                              aggregate_name(aggregate).data(), aggregates[0], aggregates[1], aggregates[2], aggregates[3],
                              aggregates[4], aggregates[5], diverged_count(runs), converged_count(runs));
                csv += line;
            }
        write_text(request.out, csv, out);
    } else {
        const OptimizerInfo& info = find_optimizer(run.config.optimizer);
        char title[320];
        std::string of = app::aggregate_phrase(multi.count, aggregate);
        if (!of.empty()) of = ": " + of + ", spread " + app::shortest(multi.spread);
        std::snprintf(title, sizeof title, "%s on %s from (%g, %g), %ld steps, coloured by %s%s", std::string(info.title).c_str(),
                      request.run.surface.c_str(), run.start.x(), run.start.y(), run.config.steps,
                      std::string(sweep_metric_name(metric)).c_str(), of.c_str());
        const ParamValues base(info.name, info.params, run.config.hyper);
        const ui::GridMapInput input = app::sweep_map(result, metric, minima, title,
                                                      std::pair<double, double>{base.get(x.param), base.get(y.param)}, aggregate);
        const auto pixels = draw_picture([&](ImVec2 size) { ui::draw_grid_map(input, size); }, width, height);
        render::write_png(request.out, width, height, pixels);
    }
    char line[256];
    std::snprintf(line, sizeof line, "wrote %s: %d x %d %s of %ld steps in %.3f s (%.1f M particle-steps/s)\n",
                  request.out.c_str(), x.count, y.count,
                  multi.count == 1 ? "runs" : ("cells x " + std::to_string(multi.count) + " starts").c_str(), run.config.steps,
                  seconds, static_cast<double>(x.count) * y.count * multi.count * static_cast<double>(run.config.steps) / seconds / 1e6);
    summary_stream(request.out, out, err) << line;
    // Last on stderr: the best cell, as its CSV row has it (and a note when the metric has nothing to show).
    const auto best = app::best_cell(result, metric, minima, aggregate);
    if (!best) {
        const ui::GridMapInput map = app::sweep_map(result, metric, minima, "", std::nullopt, aggregate);
        err << "note: " << map.note << "\n";
        err << "best: none (no cell has a " << sweep_metric_name(metric) << " value)\n";
        return;
    }
    err << "best: " << app::describe_cell(result, metric, *best) << "\n";
}

void run_basins_command(const BasinsRequest& request, std::ostream& out, std::ostream& err) {
    const OutputKind kind = output_kind(request.out);
    check_output(request.out);
    const ResolvedRun run = resolve_run(request.run, false);
    double g[4] = {};
    {
        std::size_t pos = 0;
        for (int k = 0; k < 4; ++k) {
            const auto comma = request.grid.find(',', pos);
            if ((k < 3) == (comma == std::string::npos))
                throw std::invalid_argument("--grid: expected XMIN,XMAX,YMIN,YMAX, got '" + printable(request.grid) + "'");
            g[k] = parse_real(request.grid.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos), "--grid");
            pos = comma + 1;
        }
    }
    const ViewRect grid{g[0], g[1], g[2], g[3]};
    if (!(grid.x_max > grid.x_min) || !(grid.y_max > grid.y_min))
        throw std::invalid_argument("--grid: expected XMAX > XMIN and YMAX > YMIN, got '" + printable(request.grid) + "'");
    validate_view(grid, "--grid");
    const long res = parse_whole_between(request.resolution, "--res", 1, limits::kMaxBasinResolution);
    const MultiStart multi = parse_multi_start(request.starts, request.spread, kDefaultBasinSpread);
    const Aggregate aggregate = parse_aggregate(request.aggregate);
    validate_multi_start(multi, static_cast<double>(res) * static_cast<double>(res), "basins");
    const LossSurface::EvaluationCost cost = run.surface->evaluation_cost();
    limits::check_map_work(static_cast<double>(res) * static_cast<double>(res) * multi.count, run.config.steps, "basins",
                           cost.factor, cost.size);
    check_run_data_work(*run.surface, run.config, static_cast<double>(res) * static_cast<double>(res) * multi.count, "basins");
    const double radius = request.radius ? parse_real(*request.radius, "--radius") : 0.0;
    int width = 0, height = 0;
    parse_size(request.size, width, height);

    const auto t0 = std::chrono::steady_clock::now();
    const BasinResult result = run_basins(*run.surface, run.config, grid, static_cast<int>(res), radius, {}, multi);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    if (kind == OutputKind::Csv) {
        // x..status: the cell's representative run (the first of its runs in its basin); then the K
        // runs: how many agree on the basin, and their aggregates.
        std::string csv = "start_x,start_y,x,y,loss,steps,status,basin,starts,aggregate,agree,loss_median,loss_worst,"
                          "steps_median,steps_worst,diverged,converged\n";
        char line[256];
        for (std::size_t i = 0; i < result.cells.size(); ++i) {
            const CellResult& c = result.cells[i];
            std::snprintf(line, sizeof line, "%.17g,%.17g,%.17g,%.17g,%.17g,%ld,%s,%d,", result.start_x[i], result.start_y[i],
                          c.x, c.y, c.loss, app::steps_to_outcome(c), status_of(c).c_str(), result.basin[i]);
            csv += line;
            const auto runs = result.runs_of(i);
            std::vector<double> aggregates;
            for (const SweepMetric m : {SweepMetric::FinalLoss, SweepMetric::Steps})
                for (const Aggregate a : {Aggregate::Median, Aggregate::Worst})
                    aggregates.push_back(aggregate_value(runs, m, a, result.minima));
            std::snprintf(line, sizeof line, "%d,%s,%d,%.17g,%.17g,%.17g,%.17g,%d,%d\n", multi.count,
                          aggregate_name(aggregate).data(), result.agree[i], aggregates[0], aggregates[1], aggregates[2],
                          aggregates[3], diverged_count(runs), converged_count(runs));
            csv += line;
        }
        write_text(request.out, csv, out);
    } else {
        const OptimizerInfo& info = find_optimizer(run.config.optimizer);
        const std::string steps = std::to_string(run.config.steps) + " steps";
        const std::string detail =
            multi.count == 1 ? steps + "; paler = slower"
                             : steps + "; each cell: the basin most of its " + std::to_string(multi.count) +
                                   " starts reach (spread " + app::shortest(multi.spread) + " of a cell); paler = slower (" +
                                   std::string(aggregate_name(aggregate)) + "), greyer = fewer agree";
        const ui::GridMapInput input = app::basin_map(app::with_found_minima(result, run.surface.get()), run.config.steps,
                                                      "Where " + std::string(info.title) + " ends on " + request.run.surface +
                                                          " from each start (" + detail + ")",
                                                      aggregate);
        const auto pixels = draw_picture([&](ImVec2 size) { ui::draw_grid_map(input, size); }, width, height);
        render::write_png(request.out, width, height, pixels);
    }
    char line[256];
    std::snprintf(line, sizeof line, "wrote %s: %ld x %ld starts%s, %ld steps in %.3f s (%.1f M particle-steps/s)\n",
                  request.out.c_str(), res, res,
                  multi.count == 1 ? "" : (" x " + std::to_string(multi.count) + " per cell").c_str(), run.config.steps, seconds,
                  static_cast<double>(res * res) * multi.count * static_cast<double>(run.config.steps) / seconds / 1e6);
    summary_stream(request.out, out, err) << line;
    // Last on stderr: the start whose run ends lowest (the first of equals), as its CSV row has it.
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < result.cells.size(); ++i) {
        const CellResult& c = result.cells[i];
        if (c.outcome == Outcome::Diverged || !std::isfinite(c.loss)) continue;
        if (!best || c.loss < result.cells[*best].loss) best = i;
    }
    if (!best) {
        err << "best: none (every run diverged)\n";
        return;
    }
    char text[64];
    auto shortest = [&](double v) { return std::string(text, std::to_chars(text, text + sizeof text, v).ptr); };
    err << "best: start_x=" << shortest(result.start_x[*best]) << " start_y=" << shortest(result.start_y[*best])
        << " loss=" << shortest(result.cells[*best].loss) << "\n";
}

}  // namespace optiviz::cli
