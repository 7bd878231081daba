// GCC 12 at -O3 reports a false -Warray-bounds inside std::map (stl_tree.h) for nlohmann's json
// with diagnostics (below); the pragma has to come before the first header that includes <map>.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif
#include "core/scene/scene.h"

#include <algorithm>
#include <string_view>
#include <charconv>
#include <cctype>
#include <cmath>
#include <optional>
#include <map>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <initializer_list>
#include <tuple>
#include <stdexcept>
#include <type_traits>

// Type errors name the value's place in the file ("runs[0].steps: expected a number, got true"):
// nlohmann's diagnostics record each value's parent (one pointer per value; scenes are small). The
// setting changes the library's ABI namespace, so this file's json does not clash with others'.
#define JSON_DIAGNOSTICS 1
#include <nlohmann/json.hpp>

#include "core/surfaces/expression_surface.h"
#include "core/io/file_read.h"
#include "core/io/limits.h"
#include "core/surfaces/logistic_surface.h"
#include "core/presentation/number_text.h"
#include "core/optimizers/optimizer.h"
#include "core/analysis/particle_cloud.h"
#include "core/surfaces/surface_registry.h"
#include "core/io/text_escape.h"

namespace optiviz {

namespace {

using nlohmann::json;


RunSpec make_run(const std::string& optimizer, ParamOverrides hyper, std::size_t index) {
    RunSpec run;
    run.config.optimizer = optimizer;
    run.config.hyper = std::move(hyper);
    run.color = run_palette(index);
    return run;
}

// The largest double below 2^64: seeds written as floating-point numbers convert safely up to it.
constexpr double kLargestSeed = 18446744073709549568.0;

// Whole numbers read from a scene are range-checked while still JSON values: converting 1e27 or
// -1 to an integer type first would be undefined or wrap around.
double json_whole_number(const json& value, const std::string& key, double lo, double hi) {
    if (!value.is_number()) throw std::invalid_argument(key + ": expected a number, got " + printable(value.dump(), 40));
    const double d = value.get<double>();
    if (!(d >= lo && d <= hi) || d != std::floor(d)) {
        char range[96];
        std::snprintf(range, sizeof range, " must be a whole number from %.17g to %.17g, got ", lo, hi);
        throw std::invalid_argument(key + range + printable(value.dump(), 40));
    }
    return d;
}

// A whole number at object[key] (`at`: the object's place, for messages), checked before converting.
template <typename T>
T json_count(const json& object, const char* key, T fallback, double lo, double hi, const std::string& at = "") {
    if (!object.contains(key)) return fallback;
    const json& value = object.at(key);
    if constexpr (std::is_unsigned_v<T>) {
        if (value.is_number_unsigned()) {  // exact, even above 2^53 (seeds)
            const auto v = value.get<std::uint64_t>();
            if (static_cast<double>(v) >= lo && (static_cast<double>(v) <= hi || hi == kLargestSeed)) return static_cast<T>(v);
        }
    }
    return static_cast<T>(json_whole_number(value, at + key, lo, hi));
}

// "/runs/0/steps" → "runs[0].steps".
std::string dotted_path(const std::string& pointer) {
    std::string path;
    for (std::size_t begin = 1; begin <= pointer.size();) {
        const std::size_t end = std::min(pointer.find('/', begin), pointer.size());
        const std::string part = pointer.substr(begin, end - begin);
        const bool index = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
        path += index ? "[" + part + "]" : (path.empty() ? "" : ".") + part;
        begin = end + 1;
    }
    return path;
}

// nlohmann's message with its diagnostics, "(/runs/0/steps) type must be number, but is boolean",
// as "runs[0].steps: expected a number, got true" (the value looked up in the scene, cut).
std::string json_error_message(std::string message, const json& root) {
    if (const auto close = message.find("] "); message.rfind("[json.exception", 0) == 0 && close != std::string::npos)
        message = message.substr(close + 2);
    const auto paren = message.find(") ");
    if (message.rfind("(/", 0) != 0 || paren == std::string::npos) return message;
    const std::string pointer = message.substr(1, paren - 1);
    std::string rest = message.substr(paren + 2);
    const auto value_text = [&](const std::string& fallback) {
        try {
            return printable(root.at(json::json_pointer(pointer)).dump(), 40);
        } catch (const json::exception&) {
            return fallback;
        }
    };
    if (const auto but = rest.find(", but is "); rest.rfind("type must be ", 0) == 0 && but != std::string::npos) {
        const std::string type = rest.substr(13, but - 13);
        rest = std::string("expected ") + (type == "object" || type == "array" ? "an " : "a ") + type + ", got " +
               value_text(rest.substr(but + 9));
    } else if (rest.rfind("cannot use value() with ", 0) == 0 || rest.rfind("cannot use operator[] with ", 0) == 0) {
        rest = "expected an object, got " + value_text(rest.substr(rest.rfind(' ') + 1));  // {"schedule": true}
    } else if (rest.rfind("key '", 0) == 0 && rest.ends_with("' not found")) {
        rest = "missing " + rest.substr(0, rest.size() - std::string_view(" not found").size());
    }
    return dotted_path(pointer) + ": " + rest;
}

std::uint64_t parse_checksum(const std::string& text) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw std::invalid_argument("checksum must be a whole number written as text, got '" + printable(text, 40) + "'");
    return value;
}

// "version": a whole number from 1; a newer format than this build knows is refused, not guessed at.
void check_format_version(const json& j) {
    if (!j.contains("version")) return;
    const json& version = j.at("version");
    if (!version.is_number_integer() || version.get<long long>() < 1)
        throw std::invalid_argument("version must be a whole number from 1, got " + printable(version.dump(), 40));
    if (version.get<long long>() > kSceneFormatVersion)
        throw std::invalid_argument("written by a newer optiviz (format " + std::to_string(version.get<long long>()) +
                                    "); this one reads " + std::to_string(kSceneFormatVersion));
}

// A data path written relative to the scene file is relative to the file's folder, not to the
// folder optiviz happens to run in.
std::string beside_scene(const std::string& path, const std::string& folder) {
    if (folder.empty() || path.empty() || std::filesystem::path(path).is_absolute()) return path;
    return (std::filesystem::path(folder) / path).lexically_normal().string();
}

// Keys of `given` that `known` lacks, named with `prefix`.
void collect_unknown(const json& given, const json& known, const std::string& prefix, std::initializer_list<const char*> also,
                     std::vector<std::string>& out) {
    if (!given.is_object()) return;
    for (const auto& [key, value] : given.items()) {
        (void)value;
        bool found = known.is_object() && known.contains(key);
        for (const char* extra : also) found = found || key == extra;
        if (!found) out.push_back(prefix + key);
    }
}

// The keys of a scene file this version does not read: those the writer would not write back for
// the same scene (so a key added to both stays known), less the ones only read (older scenes).
std::vector<std::string> unknown_keys(const json& j, const Scene& scene) {
    Scene probe = scene;
    probe.data = DatasetChoice{};  // writing a file-backed dataset would read the file
    const json written = json::parse(scene_to_json(probe));
    std::vector<std::string> unknown;
    collect_unknown(j, written, "", {"caption", "gradient_field", "glyph_run", "glyph_trail", "mesh_contours", "linear_height", "version"}, unknown);
    if (j.contains("surface")) collect_unknown(j.at("surface"), written.at("surface"), "surface.", {"data", "expression", "params", "model"}, unknown);
    if (j.contains("surface") && j.at("surface").contains("data"))
        collect_unknown(j.at("surface").at("data"), json::object(), "surface.data.",
                        {"standardize", "rows", "file", "columns", "decimal", "checksum", "anscombe", "synthetic"}, unknown);
    for (const char* part : {"sweep", "tune"})
        if (j.contains(part)) collect_unknown(j.at(part), written.at(part), std::string(part) + ".", {}, unknown);
    if (j.contains("runs") && j.at("runs").is_array())
        for (std::size_t i = 0; i < j.at("runs").size() && i < written.at("runs").size(); ++i)
            collect_unknown(j.at("runs")[i], written.at("runs")[i], "runs[" + std::to_string(i) + "].", {"schedule", "stop", "hyper", "cloud", "cloud_spread"},
                            unknown);
    return unknown;
}

// An imported run (core/io/imported_trajectory.h) as a scene saves it: its file (as named) and, for
// paths of up to kInlineRows points or without a file to go back to, the points themselves.
json imported_run_json(const RunSpec& run) {
    const ImportedPath& path = *run.imported;
    json imported = json::object();
    const bool has_file = !path.source.empty() && path.source != kStandardInputName;
    if (!path.source.empty()) imported["file"] = path.source;  // "standard input" too: the panel says where it came from
    if (!path.run.empty()) imported["run"] = path.run;
    if (!path.label.empty()) imported["label"] = path.label;
    if (!has_file || path.x.size() <= kInlineRows) {
        imported["x"] = path.x;
        imported["y"] = path.y;
        if (!path.loss.empty()) imported["loss"] = path.loss;
    }
    return {{"label", run.label}, {"imported", imported}, {"color", run.color}, {"visible", run.visible}};
}

// Reads what imported_run_json writes: inline points, or the file (relative paths beside the scene)
// and, for the window's export of several runs, the one named by "run".
RunSpec imported_run_from_json(const json& r, std::size_t index, const std::string& folder) {
    const std::string at = "runs[" + std::to_string(index) + "].";
    const json& given = r.at("imported");
    ImportedPath path;
    path.run = given.value("run", std::string());
    path.label = given.value("label", std::string());
    if (given.contains("x")) {
        path.source = given.value("file", std::string());
        path.x = given.at("x").get<std::vector<double>>();
        path.y = given.at("y").get<std::vector<double>>();
        if (given.contains("loss")) path.loss = given.at("loss").get<std::vector<double>>();
        validate_imported_path(path, at + "imported");
    } else if (given.contains("file")) {
        // Beside the scene, kept absolute: saved again from elsewhere, the scene still finds it.
        std::string file = beside_scene(given.at("file").get<std::string>(), folder);
        std::error_code error;
        if (!folder.empty()) file = std::filesystem::absolute(file, error).lexically_normal().string();
        std::vector<ImportedPath> paths = load_imported_paths(file);
        const auto chosen = std::find_if(paths.begin(), paths.end(), [&](const ImportedPath& p) { return p.run == path.run; });
        if (chosen == paths.end()) throw std::invalid_argument(file + ": no run " + printable(path.run) + " in the file");
        path = std::move(*chosen);
    } else {
        throw std::invalid_argument(at + "imported: needs \"file\" or the points \"x\" and \"y\"");
    }
    RunSpec run;
    run.label = r.value("label", std::string());
    run.color = json_count(r, "color", run_palette(index), 0, 0xFFFFFF, at);
    run.visible = r.value("visible", true);
    run.imported.path = std::make_shared<const ImportedPath>(std::move(path));
    return run;
}

// The sweep map's settings as a scene file holds them (names for the metric and aggregate).
json sweep_to_json(const SweepSettings& s) {
    return {{"on", s.on},
            {"run", s.run},
            {"x", {{"param", s.x_param}, {"lo", s.x_lo}, {"hi", s.x_hi}, {"log", s.x_log}}},
            {"y", {{"param", s.y_param}, {"lo", s.y_lo}, {"hi", s.y_hi}, {"log", s.y_log}}},
            {"resolution", s.resolution},
            {"metric", std::string(sweep_metric_name(s.metric))},
            {"starts", s.starts},
            {"spread", s.spread},
            {"aggregate", std::string(aggregate_name(s.aggregate))}};
}

json tune_to_json(const TuneSettings& t) {
    json j = {{"run", t.run},           {"budget_is_scene_steps", t.budget_is_scene_steps},
              {"budget", t.budget},     {"starts", t.starts},
              {"spread", t.spread},     {"objective", std::string(tune_objective_name(t.objective))},
              {"allow_diverged", t.allow_diverged}, {"second", t.second},
              {"refine", t.refine}};
    return j;
}

// Absent keys keep their defaults; whole numbers are range-checked before they are converted (the
// run indices against the scene's runs later, in validate_scene).
SweepSettings sweep_from_json(const json& j) {
    SweepSettings s;
    s.on = j.value("on", s.on);
    s.run = json_count(j, "run", s.run, 0, limits::kMaxRuns - 1, "sweep.");
    for (auto [key, param, lo, hi, log] : {std::tuple{"x", &s.x_param, &s.x_lo, &s.x_hi, &s.x_log},
                                           std::tuple{"y", &s.y_param, &s.y_lo, &s.y_hi, &s.y_log}}) {
        if (!j.contains(key)) continue;
        const json& axis = j.at(key);
        *param = axis.value("param", *param);
        *lo = axis.value("lo", *lo);
        *hi = axis.value("hi", *hi);
        *log = axis.value("log", *log);
    }
    s.resolution = json_count(j, "resolution", s.resolution, 1, limits::kMaxAxisCount, "sweep.");
    if (j.contains("metric")) s.metric = parse_sweep_metric(j.at("metric").get<std::string>());
    s.starts = json_count(j, "starts", s.starts, 1, limits::kMaxMapStarts, "sweep.");
    s.spread = j.value("spread", s.spread);
    if (j.contains("aggregate")) s.aggregate = parse_aggregate(j.at("aggregate").get<std::string>());
    return s;
}

TuneSettings tune_from_json(const json& j) {
    TuneSettings t;
    t.run = json_count(j, "run", t.run, 0, limits::kMaxRuns - 1, "tune.");
    t.budget_is_scene_steps = j.value("budget_is_scene_steps", t.budget_is_scene_steps);
    t.budget = json_count(j, "budget", t.budget, 1, static_cast<double>(limits::kMaxSteps), "tune.");
    t.starts = json_count(j, "starts", t.starts, 1, limits::kMaxTuneStarts, "tune.");
    t.spread = j.value("spread", t.spread);
    if (j.contains("objective")) t.objective = parse_tune_objective(j.at("objective").get<std::string>());
    t.allow_diverged = j.value("allow_diverged", t.allow_diverged);
    t.second = j.value("second", t.second);
    t.refine = json_count(j, "refine", t.refine, 0, kMaxTuneRefine, "tune.");
    return t;
}

}  // namespace

std::uint32_t run_palette(std::size_t index) {
    // Okabe & Ito's eight colours for colour-vision deficiency ("Color Universal Design", 2008), black
    // last. The gallery test holds the eight to ΔE2000 >= 18 apart for normal vision and >= 10 for
    // simulated deuteranopia and protanopia; the views draw each over a halo that contrasts with it.
    static constexpr std::uint32_t kPalette[kRunPaletteSize] = {0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442,
                                                                0x0072B2, 0xD55E00, 0xCC79A7, 0x000000};
    return kPalette[index % kRunPaletteSize];
}

std::uint32_t default_run_color(const RunConfig&, const std::vector<std::uint32_t>& taken) {
    // A run added to a scene takes the first palette colour no other run has (its position's colour
    // when the scene is in order), then wraps: the marker shapes and dashes still differ.
    for (std::size_t i = 0; i < kRunPaletteSize; ++i)
        if (std::find(taken.begin(), taken.end(), run_palette(i)) == taken.end()) return run_palette(i);
    return run_palette(taken.size());
}

namespace {

// Every run index the scene keeps besides glyph_run, as numbers to shift.
template <typename Shift>
void shift_run_indices(Scene& scene, Shift shift) {
    scene.sweep.run = static_cast<int>(shift(scene.sweep.run));
    scene.tune.run = static_cast<int>(shift(scene.tune.run));
    for (auto& [name, settings] : scene.overlays)
        if (const auto run = settings.find("run"); run != settings.end()) run->second = static_cast<double>(shift(static_cast<long>(run->second)));
}

}  // namespace

void run_removed(Scene& scene, std::size_t index) {
    const long removed = static_cast<long>(index);
    const long last = std::max(0L, static_cast<long>(scene.runs.size()) - 1);
    shift_run_indices(scene, [&](long run) { return std::min(run > removed ? run - 1 : run, last); });
}

void run_inserted(Scene& scene, std::size_t index) {
    const long inserted = static_cast<long>(index);
    shift_run_indices(scene, [&](long run) { return run >= inserted ? run + 1 : run; });
}

void assign_default_colors(std::vector<RunSpec>& runs) {
    // By position in the scene: run 1 always has the first colour, in every view and export.
    for (std::size_t i = 0; i < runs.size(); ++i) runs[i].color = run_palette(i);
}

std::string run_label(const RunSpec& run) {
    if (!run.label.empty()) return run.label;
    if (run.imported) return imported_label(*run.imported);
    const OptimizerInfo& info = find_optimizer(run.config.optimizer);
    const ParamValues values(info.name, info.params, run.config.hyper);
    std::string label(info.title);
    if (info.name == "sgd" && values.get("momentum") > 0) label = values.flag("nesterov") ? "Nesterov" : "Momentum";
    label += " lr=" + format_number(values.get("lr"));
    if (run.config.batch_size > 0) label += ", batch " + std::to_string(run.config.batch_size);
    return label;
}

namespace {

// A run's settings besides the optimizer's name, lr and batch size (which run_label shows), as
// (key, words) pairs: every optimizer parameter, the schedule, clipping and the stopping rules.
std::vector<std::pair<std::string, std::string>> run_settings(const RunSpec& run) {
    std::vector<std::pair<std::string, std::string>> settings;
    const RunConfig& c = run.config;
    const OptimizerInfo& info = find_optimizer(c.optimizer);
    const ParamValues values(info.name, info.params, c.hyper);
    for (const ParamSpec& spec : info.params) {
        if (spec.name == "lr") continue;
        const double v = values.get(spec.name);
        const std::string label(spec.label);
        settings.emplace_back(std::string(spec.name), spec.kind == ParamKind::Flag ? (v != 0 ? label : "no " + label)
                                                                                   : label + "=" + format_number(v, 3));
    }
    const LrSchedule& s = c.schedule;
    std::string schedule;
    switch (s.kind) {
        case ScheduleKind::Constant: schedule = "constant lr"; break;
        case ScheduleKind::Step:
            schedule = "step decay ×" + format_number(s.gamma.value_or(0.1), 3) + " every " + std::to_string(s.step_size);
            break;
        case ScheduleKind::Exponential: schedule = "exp decay ×" + format_number(s.gamma.value_or(0.99), 3); break;
        case ScheduleKind::Cosine: schedule = "cosine decay over " + std::to_string(s.t_max); break;
        case ScheduleKind::Plateau:
            schedule = "plateau ×" + format_number(s.factor, 3) + " after " + std::to_string(s.patience);
            break;
    }
    settings.emplace_back("schedule", schedule);
    settings.emplace_back("clip", c.clip_norm > 0 ? "clip |g| <= " + format_number(c.clip_norm, 3) : "no clipping");
    std::string stop = "no stopping rule";
    if (c.stop.loss_tol > 0)
        stop = "stop: loss change < " + format_number(c.stop.loss_tol, 3) +
               (c.stop.loss_patience > 1 ? " for " + std::to_string(c.stop.loss_patience) + " steps" : std::string());
    if (c.stop.stop_at_convergence)
        stop = (c.stop.loss_tol > 0 ? stop + "; " : std::string("stop: ")) + "|grad| <= " + format_number(c.stop.grad_tol, 3);
    settings.emplace_back("stop", stop);
    if (c.batch_size > 0) settings.emplace_back("seed", "seed " + std::to_string(c.seed));
    return settings;
}

// The optimizer as the label names it ("SGD", "Momentum", "Nesterov", "Adam", ...).
std::string label_kind(const RunSpec& run) {
    RunSpec plain;
    plain.config = run.config;
    const std::string label = run_label(plain);
    return label.substr(0, label.find(" lr="));
}

}  // namespace

std::vector<std::string> run_labels(const Scene& scene) {
    const std::vector<RunSpec>& runs = scene.runs;
    std::vector<std::string> labels;
    std::vector<std::vector<std::pair<std::string, std::string>>> settings;
    std::vector<std::string> kinds;
    for (const RunSpec& run : runs) {
        labels.push_back(run_label(run));
        settings.push_back(run_settings(run));
        kinds.push_back(label_kind(run));
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (!runs[i].label.empty() || runs[i].imported) continue;  // an imported run has no settings to tell apart
        // Every setting in which this run differs from another run of the same optimizer, in table
        // order, named on the runs that do not have the default there ("no bias correction" on the
        // run without it; the run with the default reads plainly).
        RunSpec plain;
        plain.config.optimizer = runs[i].config.optimizer;
        plain.config.batch_size = runs[i].config.batch_size;
        const auto defaults = run_settings(plain);
        for (std::size_t k = 0; k < settings[i].size(); ++k) {
            const auto is_default = std::find(defaults.begin(), defaults.end(), settings[i][k]) != defaults.end();
            if (is_default) continue;
            bool differs = false;
            for (std::size_t j = 0; j < runs.size() && !differs; ++j) {
                if (j == i || kinds[j] != kinds[i] || runs[j].imported) continue;
                const auto& other = settings[j];
                const auto it = std::find_if(other.begin(), other.end(), [&](const auto& p) { return p.first == settings[i][k].first; });
                // A setting the other run does not have (the seed of a full-batch run) is no difference.
                differs = it != other.end() && it->second != settings[i][k].second;
            }
            if (differs) labels[i] += ", " + settings[i][k].second;
        }
    }
    // Runs that still read the same are numbered: "Adam lr=0.05", "Adam lr=0.05 #2".
    std::map<std::string, int> seen;
    const std::vector<std::string> plain = labels;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const int n = ++seen[plain[i]];
        if (n > 1) labels[i] += " #" + std::to_string(n);
    }
    return labels;
}

std::string pretty_expression(std::string_view text) {
    static constexpr const char* kSuperscript[] = {"\u2070", "\u00B9", "\u00B2", "\u00B3", "\u2074",
                                                   "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '*' && i + 1 < text.size() && text[i + 1] == '*') {  // x**2 as x^2
            out += '^';
            ++i;
        } else if (c == '*') {
            out += "\u00B7";
        } else if (c == '^' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
            while (i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]))) out += kSuperscript[text[++i] - '0'];
        } else {
            out += c;
        }
    }
    // "x**2" became "x^2" above: write its exponent as a superscript too.
    return out.find('^') != std::string::npos && out != text ? pretty_expression(out) : out;
}

std::string scene_title(const Scene& scene) {
    if (scene.surface == models::kModelSurface) return models::model_title(scene.model);
    const SurfaceInfo& info = find_surface(scene.surface);
    if (info.takes_expression) return "f(x, y) = " + pretty_expression(scene.expression);
    return std::string(info.title) + "   " + std::string(info.formula);
}

Scene default_scene() {
    Scene scene;
    scene.runs.push_back(make_run("sgd", {{"lr", 1e-3}}, 0));
    scene.runs.push_back(make_run("sgd", {{"lr", 1e-3}, {"momentum", 0.9}}, 1));
    scene.runs.push_back(make_run("sgd", {{"lr", 1e-3}, {"momentum", 0.9}, {"nesterov", 1}}, 2));
    scene.runs.push_back(make_run("adagrad", {{"lr", 0.5}}, 3));
    scene.runs.push_back(make_run("rmsprop", {{"lr", 0.01}}, 4));
    scene.runs.push_back(make_run("adam", {{"lr", 0.05}}, 5));
    assign_default_colors(scene.runs);
    scene.view = make_surface(scene.surface, {})->default_view();
    return scene;
}

static RunSpec parse_run_spec_fields(const std::string& text, std::size_t index, ParamOverrides* retired);

RunSpec parse_run_spec(const std::string& text, std::size_t index, ParamOverrides* retired) {
    // Keys and values are quoted in messages: one printable line, whatever the text holds.
    try {
        return parse_run_spec_fields(text, index, retired);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(printable(e.what(), 300));
    }
}

namespace {

// Where a run's particle cloud is kept until the app hands it to its module (Scene::retired).
std::string retired_cloud_key(std::size_t run, const char* key) { return "runs[" + std::to_string(run) + "]." + key; }

}  // namespace

double retired_cloud_paths(const ParamOverrides& retired) {
    double paths = 0;
    for (const auto& [key, value] : retired)
        if (key.rfind("runs[", 0) == 0 && key.size() > 6 && key.compare(key.size() - 6, 6, ".cloud") == 0) paths += value;
    return paths;
}

static RunSpec parse_run_spec_fields(const std::string& text, std::size_t index, ParamOverrides* retired) {
    const auto colon = text.find(':');
    const std::string optimizer = text.substr(0, colon);
    const OptimizerInfo& info = find_optimizer(optimizer);
    RunSpec run = make_run(std::string(info.name), {}, index);
    std::optional<int> cloud;
    std::optional<double> spread;
    for (const std::string& item : spec_items(text)) {
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            throw std::invalid_argument("--run " + text + ": expected key=value, got '" + item + "'");
        const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
        const std::string what = "--run " + optimizer + " " + key;
        if (key == "label") {
            if (value.size() > limits::kMaxLabelBytes)
                throw std::invalid_argument(what + ": " + std::to_string(value.size()) + " bytes; the limit is " +
                                            std::to_string(limits::kMaxLabelBytes));
            run.label = value;
        }
        else if (key == "schedule") run.config.schedule.kind = parse_schedule_kind(value);
        else if (key == "gamma") run.config.schedule.gamma = parse_number(value, what);
        else if (key == "step_size") run.config.schedule.step_size = parse_whole_between(value, what, 1, limits::kMaxSchedulePeriod);
        else if (key == "t_max") run.config.schedule.t_max = parse_whole_between(value, what, 1, limits::kMaxSchedulePeriod);
        else if (key == "eta_min") run.config.schedule.eta_min = parse_number(value, what);
        else if (key == "factor") run.config.schedule.factor = parse_number(value, what);
        else if (key == "patience") run.config.schedule.patience = parse_whole_at_most(value, what, limits::kMaxPatience);
        else if (key == "threshold") run.config.schedule.threshold = parse_number(value, what);
        else if (key == "threshold_mode") run.config.schedule.threshold_mode = parse_threshold_mode(value);
        else if (key == "cooldown") run.config.schedule.cooldown = parse_whole_at_most(value, what, limits::kMaxPatience);
        else if (key == "min_lr") run.config.schedule.min_lr = parse_number(value, what);
        else if (key == "tol") run.config.stop.grad_tol = parse_number(value, what);
        else if (key == "loss_tol") run.config.stop.loss_tol = parse_number(value, what);
        else if (key == "loss_patience") run.config.stop.loss_patience = parse_whole_between(value, what, 1, limits::kMaxPatience);
        else if (key == "stop_at_tol") run.config.stop.stop_at_convergence = parse_whole(value, what) != 0;
        else if (key == "clip_norm") run.config.clip_norm = parse_number(value, what);
        else if (key == "batch_size") run.config.batch_size = static_cast<std::size_t>(parse_whole_at_most(value, what, static_cast<long>(limits::kMaxDataRows)));
        else if (key == "seed") run.config.seed = static_cast<std::uint64_t>(parse_whole(value, what));
        else if (key == "cloud") cloud = static_cast<int>(parse_whole_at_most(value, what, limits::kMaxCloud));
        else if (key == "spread") spread = parse_number(value, what);
        else run.config.hyper[key] = parse_number(value, what);
    }
    ParamValues(info.name, info.params, run.config.hyper);  // validates keys and ranges
    validate_schedule(run.config.schedule);
    validate_schedule_period(run.config.schedule);
    validate_stop_rule(run.config.stop);
    if (cloud || spread) {
        cloud_starts({0, 0}, cloud.value_or(0), spread.value_or(0.1));  // validates the cloud
        if (!retired)
            throw std::invalid_argument("--run " + optimizer + ": cloud= and spread= need a scene (the particle-cloud overlay)");
        if (cloud.value_or(0) > 0) {
            (*retired)[retired_cloud_key(index, "cloud")] = *cloud;
            (*retired)[retired_cloud_key(index, "cloud_spread")] = spread.value_or(0.1);
        }
    }
    return run;
}

void validate_scene(const Scene& scene, double extra_paths) {
    const SurfaceInfo& surface = find_surface(scene.surface);
    if (surface.takes_expression) validate_expression(scene.expression, scene.surface_params);
    else ParamValues(surface.name, surface.params, scene.surface_params);
    if (scene.surface == models::kModelSurface) models::validate_model_choice(scene.model);
    if (scene.steps < 0 || scene.steps > limits::kMaxSteps)
        throw std::invalid_argument("steps must be between 0 and " + std::to_string(limits::kMaxSteps) + ", got " +
                                    std::to_string(scene.steps));
    if (scene.step < -1 || scene.step > limits::kMaxSteps)
        throw std::invalid_argument("step must be between -1 (the end) and " + std::to_string(limits::kMaxSteps));
    if (!scene.start.allFinite()) throw std::invalid_argument("the start point must be finite");
    validate_view(scene.view, "the view");
    for (const auto& [name, settings] : scene.overlays) {
        if (name.empty()) throw std::invalid_argument("an overlay needs a name");
        for (const auto& [key, value] : settings)
            if (!std::isfinite(value)) throw std::invalid_argument("overlay " + printable(name, 60) + " " + printable(key, 60) + " must be finite");
    }
    if (scene.runs.size() > static_cast<std::size_t>(limits::kMaxRuns))
        throw std::invalid_argument("at most " + std::to_string(limits::kMaxRuns) + " runs, got " +
                                    std::to_string(scene.runs.size()));
    // Texts drawn on the picture: refused here, before a long one is laid out glyph by glyph.
    if (scene.caption.size() > limits::kMaxCaptionBytes)
        throw std::invalid_argument("caption: " + std::to_string(scene.caption.size()) + " bytes; the limit is " +
                                    std::to_string(limits::kMaxCaptionBytes));
    for (std::size_t i = 0; i < scene.runs.size(); ++i)
        if (scene.runs[i].label.size() > limits::kMaxLabelBytes)
            throw std::invalid_argument("runs[" + std::to_string(i) + "].label: " + std::to_string(scene.runs[i].label.size()) +
                                        " bytes; the limit is " + std::to_string(limits::kMaxLabelBytes));
    if (const auto glyphs = scene.retired.find("glyph_run");
        glyphs != scene.retired.end() && (glyphs->second < -1 || glyphs->second >= static_cast<double>(scene.runs.size())))
        throw std::invalid_argument("glyph_run must be -1 (none) or a run from 0 to " +
                                    std::to_string(static_cast<long>(scene.runs.size()) - 1) + ", got " +
                                    format_number(glyphs->second));
    for (double v : {scene.camera.yaw, scene.camera.pitch, scene.camera.distance, scene.camera.target.x(),
                     scene.camera.target.y(), scene.camera.target.z()})
        if (!std::isfinite(v)) throw std::invalid_argument("the camera's numbers must be finite");
    double particles = 0;
    for (const RunSpec& run : scene.runs) {
        if (run.imported) {  // its points and their trajectory, about twice a run's memory per point
            particles += 2.0 * static_cast<double>(run.imported->x.size()) / static_cast<double>(scene.steps + 1);
            continue;
        }
        const OptimizerInfo& info = find_optimizer(run.config.optimizer);
        const ParamValues values(info.name, info.params, run.config.hyper);
        info.make(values);
        validate_schedule(run.config.schedule);
        validate_schedule_period(run.config.schedule);
        validate_stop_rule(run.config.stop);
        particles += 1.0;
    }
    if (!(extra_paths >= 0)) throw std::invalid_argument("extra paths must be a number >= 0");
    // What modules have the app store besides the runs (the particle clouds; the state the step
    // glyphs' run records), counted by the app from their settings: core names no module.
    particles += extra_paths;
    validate_sweep_settings(scene.sweep,
                            scene.runs.empty() ? std::string() : scene.runs[std::min<std::size_t>(scene.sweep.run, scene.runs.size() - 1)].config.optimizer,
                            scene.runs.size());
    validate_tune_settings(scene.tune, scene.runs.size());
    // An overlay's run index is a double until here: checked as one (1e30 or 1.5 must not reach a long).
    for (const auto& [name, settings] : scene.overlays)
        if (const auto run = settings.find("run"); run != settings.end() && run->second != -1) {  // -1: every run
            const double index = run->second;
            const double last = scene.runs.empty() ? 0.0 : static_cast<double>(scene.runs.size() - 1);
            if (!(index >= 0 && index <= last) || index != std::floor(index))
                throw std::invalid_argument("overlays." + printable(name, 60) + ".run must be a run from 0 to " +
                                            format_number(last) + ", got " + format_number(index, 17));
        }
    limits::check_trajectory_memory(scene.steps, particles, "the scene's runs");
}

void validate_view(const ViewRect& v, const std::string& what) {
    for (double value : {v.x_min, v.x_max, v.y_min, v.y_max})
        if (!std::isfinite(value)) throw std::invalid_argument(what + " must be finite");
    if (!(v.x_max > v.x_min) || !(v.y_max > v.y_min))
        throw std::invalid_argument(what + " must have x_max > x_min and y_max > y_min");
    // Drawing converts coordinates to float (at most 3.4e38) and takes widths and centres: keep
    // every number of the view well inside that range.
    for (double value : {v.x_min, v.x_max, v.y_min, v.y_max})
        if (std::abs(value) > limits::kMaxViewCoordinate)
            throw std::invalid_argument(what + ": coordinates must be within +-1e30, got " + format_number(value));
    // A picture needs distinct coordinates across its pixels: refuse spans of a few representable values.
    auto too_narrow = [](double lo, double hi) {
        const double scale = std::max(std::abs(lo), std::abs(hi));
        return hi - lo < scale * 1e-12 || hi - lo < 1e-300;
    };
    if (too_narrow(v.x_min, v.x_max) || too_narrow(v.y_min, v.y_max))
        throw std::invalid_argument(what + " is too narrow for its position: each side must span more than 1e-12 of "
                                           "its largest coordinate");
}

void validate_schedule_period(const LrSchedule& schedule) {
    if (schedule.step_size > limits::kMaxSchedulePeriod || schedule.t_max > limits::kMaxSchedulePeriod)
        throw std::invalid_argument("schedule: step-size and t-max must be at most " +
                                    std::to_string(limits::kMaxSchedulePeriod));
}

std::string scene_to_json(const Scene& scene) {
    json j;
    j["format"] = "optiviz-scene";
    j["version"] = kSceneFormatVersion;
    j["surface"] = {{"name", scene.surface}, {"params", scene.surface_params}};
    if (find_surface(scene.surface).takes_expression) j["surface"]["expression"] = scene.expression;
    if (scene.surface == models::kModelSurface) {
        const models::ModelChoice& m = scene.model;
        j["surface"]["model"] = {{"dataset", m.dataset}, {"model", m.model}, {"loss", m.loss}, {"standardize", m.standardize},
                                 {"test_fraction", m.test_fraction}, {"split_seed", m.split_seed}, {"init_seed", m.init_seed},
                                 {"plane", m.plane}, {"plane_seed", m.plane_seed}};
        if (!m.snapshots.empty()) j["surface"]["model"]["snapshots"] = m.snapshots;
    }
    if (find_surface(scene.surface).needs_data) {
        const DatasetChoice& d = scene.data;
        json data = {{"standardize", d.standardize}};
        switch (d.kind) {
            case DatasetChoice::Kind::File: {
                data["file"] = d.path;
                data["columns"] = {d.columns.x, d.columns.y};
                if (d.decimal != '.') data["decimal"] = std::string(1, d.decimal);
                // Small files travel inside the scene; large ones are pinned by checksum.
                try {
                    const Dataset rows = load_dataset_csv(d.path, d.columns, d.decimal);
                    if (rows.size() <= kInlineRows) {
                        data["rows"] = {{"x", rows.x}, {"y", rows.y}};
                    } else {
                        data["checksum"] = std::to_string(file_checksum(d.path));
                    }
                } catch (const std::invalid_argument&) {
                    // An unreadable file is saved by path only; loading will say what is wrong.
                }
                break;
            }
            case DatasetChoice::Kind::Inline:
                data["rows"] = {{"x", d.rows_x}, {"y", d.rows_y}};
                if (!d.path.empty()) data["file"] = d.path;
                break;
            case DatasetChoice::Kind::Anscombe: data["anscombe"] = d.anscombe; break;
            case DatasetChoice::Kind::Synthetic: {
                const SyntheticDatasetSpec& g = d.synthetic;
                data["synthetic"] = {{"rows", g.rows},         {"slope", g.slope},       {"intercept", g.intercept},
                                     {"noise", g.noise},       {"x_offset", g.x_offset}, {"x_scale", g.x_scale},
                                     {"outliers", g.outliers}, {"outlier_size", g.outlier_size}, {"seed", g.seed}};
                break;
            }
        }
        j["surface"]["data"] = data;
    }
    j["start"] = {scene.start.x(), scene.start.y()};
    j["steps"] = scene.steps;
    j["step"] = scene.step;
    j["view"] = {scene.view.x_min, scene.view.x_max, scene.view.y_min, scene.view.y_max};
    j["view_is_default"] = scene.view_is_default;
    if (!scene.caption.empty()) j["caption"] = scene.caption;
    j["overlays"] = json::object();
    for (const auto& [name, settings] : scene.overlays) j["overlays"][name] = settings;
    j["layout"] = std::string(layout_name(scene.layout));
    j["camera"] = {{"yaw", scene.camera.yaw},
                   {"pitch", scene.camera.pitch},
                   {"distance", scene.camera.distance},
                   {"target", {scene.camera.target.x(), scene.camera.target.y(), scene.camera.target.z()}}};
    j["sweep"] = sweep_to_json(scene.sweep);
    j["tune"] = tune_to_json(scene.tune);
    j["runs"] = json::array();
    for (const RunSpec& run : scene.runs) {
        if (run.imported) {
            j["runs"].push_back(imported_run_json(run));
            continue;
        }
        const LrSchedule& s = run.config.schedule;
        json r = {{"label", run.label},
                  {"optimizer", run.config.optimizer},
                  {"hyper", run.config.hyper},
                  {"schedule",
                   {{"kind", std::string(schedule_name(s.kind))},
                    {"step_size", s.step_size},
                    {"t_max", s.t_max},
                    {"eta_min", s.eta_min},
                    {"factor", s.factor},
                    {"patience", s.patience},
                    {"threshold", s.threshold},
                    {"threshold_mode", std::string(threshold_mode_name(s.threshold_mode))},
                    {"cooldown", s.cooldown},
                    {"min_lr", s.min_lr}}},
                  {"stop",
                   {{"grad_tol", run.config.stop.grad_tol},
                    {"loss_tol", run.config.stop.loss_tol},
                    {"loss_patience", run.config.stop.loss_patience},
                    {"stop_at_tol", run.config.stop.stop_at_convergence}}},
                  {"clip_norm", run.config.clip_norm},
                  {"batch_size", run.config.batch_size},
                  {"seed", run.config.seed},
                  {"color", run.color},
                  {"visible", run.visible}};
        // An unset gamma stays unset (its default depends on the kind): the scene loads back equal.
        if (s.gamma) r["schedule"]["gamma"] = *s.gamma;
        j["runs"].push_back(r);
    }
    return j.dump(2) + "\n";
}

namespace {

// Counts a JSON text's objects and arrays without building its tree (a SAX pass: fast, no memory),
// and refuses the text when they exceed kMaxSceneContainers. A malformed text is left to the parse
// that follows, for its message.
struct ContainerCounter : nlohmann::json_sax<json> {
    long containers = 0;
    bool container() { return ++containers <= limits::kMaxSceneContainers; }
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return container(); }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return container(); }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
};

void refuse_too_many_containers(const std::string& text) {
    ContainerCounter counter;
    json::sax_parse(text, &counter);
    if (counter.containers > limits::kMaxSceneContainers)
        throw std::invalid_argument("a scene holds at most " + std::to_string(limits::kMaxSceneContainers) +
                                    " objects and arrays (at most " + std::to_string(limits::kMaxRuns) + " runs); this one has more");
}

}  // namespace

Scene scene_from_json(const std::string& text, const std::string& name) { return scene_from_json(text, name, SceneFileContext{}); }

std::string folder_of(const std::string& path) {
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    return folder.empty() ? std::string(".") : folder.string();
}

// nlohmann refuses a number beyond a double's range ("number overflow parsing '1e400'") without
// saying where: the number is looked up in the text (as a value: after ':', '[', ',' or a space).
std::string number_overflow_message(const std::string& text, const std::string& message) {
    const auto open = message.find('\''), close = message.rfind('\'');
    if (open == std::string::npos || close <= open + 1) return message;
    const std::string number = message.substr(open + 1, close - open - 1);
    std::size_t at = text.find(number);
    while (at != std::string::npos && at > 0 && std::string_view(":[, \t\r\n").find(text[at - 1]) == std::string_view::npos)
        at = text.find(number, at + 1);
    std::string where;
    if (at != std::string::npos) {
        const std::size_t line_start = text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
        where = "line " + std::to_string(1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) +
                ", column " + std::to_string(at - line_start + 1) + ": ";
    }
    return where + "number overflow: " + printable(number, 40) + " is beyond the largest number (1.8e308)";
}

Scene scene_from_json(const std::string& text, const std::string& name, const SceneFileContext& context) {
    json j;
    try {
        try {
            refuse_too_many_containers(text);
            j = json::parse(text);
        } catch (const json::out_of_range& e) {
            if (e.id != 406) throw;
            throw std::invalid_argument(number_overflow_message(text, e.what()));
        }
        if (j.value("format", "") != "optiviz-scene") throw std::invalid_argument("not an optiviz scene file");
        check_format_version(j);
        Scene scene;
        const json& surface = j.at("surface");
        scene.surface = surface.at("name").get<std::string>();
        scene.surface_params = surface.value("params", ParamOverrides{});
        scene.expression = surface.value("expression", std::string());
        if (surface.contains("model")) {
            const json& m = surface.at("model");
            models::ModelChoice& c = scene.model;
            c.dataset = m.value("dataset", c.dataset);
            c.model = m.value("model", c.model);
            c.loss = m.value("loss", c.loss);
            c.standardize = m.value("standardize", c.standardize);
            c.test_fraction = m.value("test_fraction", c.test_fraction);
            c.split_seed = m.value("split_seed", c.split_seed);
            c.init_seed = m.value("init_seed", c.init_seed);
            c.plane = m.value("plane", c.plane);
            c.plane_seed = m.value("plane_seed", c.plane_seed);
            c.snapshots = m.value("snapshots", c.snapshots);
            for (std::string& path : c.snapshots) path = beside_scene(path, context.folder);
        }
        if (surface.contains("data")) {
            const json& data = surface.at("data");
            DatasetChoice& d = scene.data;
            if (data.is_string()) {  // a path, as written by hand
                d.kind = DatasetChoice::Kind::File;
                d.path = beside_scene(data.get<std::string>(), context.folder);
            } else {
                d.standardize = data.value("standardize", false);
                if (data.contains("rows")) {
                    d.kind = DatasetChoice::Kind::Inline;
                    d.rows_x = data.at("rows").at("x").get<std::vector<double>>();
                    d.rows_y = data.at("rows").at("y").get<std::vector<double>>();
                    d.path = data.value("file", std::string());
                } else if (data.contains("file")) {
                    d.kind = DatasetChoice::Kind::File;
                    d.path = beside_scene(data.at("file").get<std::string>(), context.folder);
                    if (data.contains("columns")) {
                        const auto cols = data.at("columns").get<std::vector<std::string>>();
                        if (cols.size() != 2) throw std::invalid_argument("data columns must be [x, y]");
                        d.columns = {cols[0], cols[1]};
                    }
                    const std::string decimal = data.value("decimal", std::string("."));
                    if (decimal != "." && decimal != ",")
                        throw std::invalid_argument("data decimal must be \".\" or \",\"");
                    d.decimal = decimal[0];
                    if (data.contains("checksum")) d.checksum = parse_checksum(data.at("checksum").get<std::string>());
                } else if (data.contains("anscombe")) {
                    d.kind = DatasetChoice::Kind::Anscombe;
                    d.anscombe = json_count(data, "anscombe", 1, 1, 4, "surface.data.");
                } else if (data.contains("synthetic")) {
                    const json& g = data.at("synthetic");
                    SyntheticDatasetSpec& spec = d.synthetic;
                    spec.rows = json_count(g, "rows", spec.rows, 2, static_cast<double>(limits::kMaxDataRows), "surface.data.synthetic.");
                    spec.slope = g.value("slope", spec.slope);
                    spec.intercept = g.value("intercept", spec.intercept);
                    spec.noise = g.value("noise", spec.noise);
                    spec.x_offset = g.value("x_offset", spec.x_offset);
                    spec.x_scale = g.value("x_scale", spec.x_scale);
                    spec.outliers = json_count(g, "outliers", spec.outliers, 0, static_cast<double>(limits::kMaxDataRows), "surface.data.synthetic.");
                    spec.outlier_size = g.value("outlier_size", spec.outlier_size);
                    spec.seed = json_count(g, "seed", spec.seed, 0, kLargestSeed, "surface.data.synthetic.");
                }
            }
        }
        const auto start = j.at("start").get<std::vector<double>>();
        if (start.size() != 2) throw std::invalid_argument("start must be [x, y]");
        scene.start = {start[0], start[1]};
        scene.steps = json_count(j, "steps", 2000L, 0, static_cast<double>(limits::kMaxSteps));
        scene.step = json_count(j, "step", -1L, -1, static_cast<double>(limits::kMaxSteps));
        // A scene written by hand may leave out "view": it is then framed to its runs, as a new scene is.
        if (j.contains("view")) {
            const auto view = j.at("view").get<std::vector<double>>();
            if (view.size() != 4) throw std::invalid_argument("view must be [x_min, x_max, y_min, y_max]");
            scene.view = {view[0], view[1], view[2], view[3]};
            scene.view_is_default = j.value("view_is_default", false);
        } else {
            scene.view_is_default = true;
        }
        scene.caption = j.value("caption", std::string());
        if (j.contains("overlays")) {
            for (const auto& [overlay, settings] : j.at("overlays").items()) {
                ParamOverrides values;
                for (const auto& [key, value] : settings.items()) values[key] = value.get<double>();
                scene.overlays[overlay] = std::move(values);
            }
        }
        // Keys of older formats that modules took over: kept for the app to hand to them (ui/overlay.h).
        if (j.contains("gradient_field")) scene.retired["gradient_field"] = j.value("gradient_field", false) ? 1 : 0;
        if (j.contains("glyph_run")) scene.retired["glyph_run"] = json_count(j, "glyph_run", -1, -1, limits::kMaxRuns - 1);
        if (j.contains("glyph_trail")) scene.retired["glyph_trail"] = j.value("glyph_trail", false) ? 1 : 0;
        scene.layout = parse_layout(j.value("layout", std::string("map")));
        for (const char* key : {"mesh_contours", "linear_height"})  // the 3-D mesh options before they were a module
            if (j.contains(key)) scene.retired[key] = j.value(key, false) ? 1 : 0;
        if (j.contains("camera")) {
            const json& c = j.at("camera");
            scene.camera.yaw = c.value("yaw", scene.camera.yaw);
            scene.camera.pitch = c.value("pitch", scene.camera.pitch);
            scene.camera.distance = c.value("distance", scene.camera.distance);
            if (c.contains("target")) {
                const auto target = c.at("target").get<std::vector<double>>();
                if (target.size() != 3) throw std::invalid_argument("camera target must be [x, y, z]");
                scene.camera.target = {target[0], target[1], target[2]};
            }
            scene.camera.orbit(0, 0);  // clamps
            scene.camera.zoom(1);
        }
        if (j.contains("sweep")) scene.sweep = sweep_from_json(j.at("sweep"));  // format 2 on
        if (j.contains("tune")) scene.tune = tune_from_json(j.at("tune"));
        std::size_t index = 0;
        for (const json& r : j.at("runs")) {
            const std::string at = "runs[" + std::to_string(index) + "].";
            if (r.contains("imported")) {
                scene.runs.push_back(imported_run_from_json(r, index, context.folder));
                ++index;
                continue;
            }
            RunSpec run;
            run.label = r.value("label", std::string());
            run.config.optimizer = r.at("optimizer").get<std::string>();
            run.config.hyper = r.value("hyper", ParamOverrides{});
            if (r.contains("schedule")) {
                const json& s = r.at("schedule");
                run.config.schedule.kind = parse_schedule_kind(s.value("kind", std::string("constant")));
                if (s.contains("gamma")) run.config.schedule.gamma = s.at("gamma").get<double>();
                run.config.schedule.step_size = json_count(s, "step_size", 10L, 0, limits::kMaxSchedulePeriod, at + "schedule.");
                run.config.schedule.t_max = json_count(s, "t_max", 100L, 0, limits::kMaxSchedulePeriod, at + "schedule.");
                run.config.schedule.eta_min = s.value("eta_min", 0.0);
                const LrSchedule defaults;
                run.config.schedule.factor = s.value("factor", defaults.factor);
                run.config.schedule.patience = json_count(s, "patience", defaults.patience, 0, limits::kMaxPatience, at + "schedule.");
                run.config.schedule.threshold = s.value("threshold", defaults.threshold);
                run.config.schedule.threshold_mode =
                    parse_threshold_mode(s.value("threshold_mode", std::string(threshold_mode_name(defaults.threshold_mode))));
                run.config.schedule.cooldown = json_count(s, "cooldown", defaults.cooldown, 0, limits::kMaxPatience, at + "schedule.");
                run.config.schedule.min_lr = s.value("min_lr", defaults.min_lr);
            }
            if (r.contains("stop")) {
                const json& stop = r.at("stop");
                const StopRule defaults;
                run.config.stop.grad_tol = stop.value("grad_tol", defaults.grad_tol);
                run.config.stop.loss_tol = stop.value("loss_tol", defaults.loss_tol);
                run.config.stop.loss_patience = json_count(stop, "loss_patience", defaults.loss_patience, 1, limits::kMaxPatience, at + "stop.");
                run.config.stop.stop_at_convergence = stop.value("stop_at_tol", defaults.stop_at_convergence);
            }
            run.config.clip_norm = r.value("clip_norm", 0.0);
            run.config.batch_size = json_count(r, "batch_size", std::size_t{0}, 0, static_cast<double>(limits::kMaxDataRows), at);
            run.config.seed = json_count(r, "seed", std::uint64_t{0}, 0, kLargestSeed, at);
            run.color = json_count(r, "color", run_palette(index), 0, 0xFFFFFF, at);
            run.visible = r.value("visible", true);
            // Before the particle-cloud module, each run kept its own cloud: kept for the app to adopt.
            const int cloud = json_count(r, "cloud", 0, 0, limits::kMaxCloud, at);
            const double cloud_spread = r.value("cloud_spread", 0.1);
            cloud_starts({0, 0}, cloud, cloud_spread);  // refuses a negative or non-finite spread
            if (cloud > 0) {
                scene.retired[retired_cloud_key(index, "cloud")] = cloud;
                scene.retired[retired_cloud_key(index, "cloud_spread")] = cloud_spread;
            }
            scene.runs.push_back(std::move(run));
            ++index;
        }
        validate_scene(scene, retired_cloud_paths(scene.retired));
        if (context.warnings) {
            const std::vector<std::string> unknown = unknown_keys(j, scene);
            if (!unknown.empty()) {
                std::string list;
                for (const std::string& key : unknown) list += (list.empty() ? "" : ", ") + printable(key, 60);
                context.warnings->push_back(name + ": unknown keys ignored: " + printable(list, 300));
            }
        }
        return scene;
    } catch (const json::exception& e) {
        // The parser quotes what it read last: raw bytes from the file, cut and escaped here.
        throw std::invalid_argument(name + ": " + printable(json_error_message(e.what(), j), 300));
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(name + ": " + printable(e.what(), 300));
    }
}

}  // namespace optiviz

namespace optiviz {

std::uint64_t file_checksum(const std::string& path) {
    const std::string bytes = read_regular_file(path, "data file", limits::kMaxDataFileBytes);
    std::uint64_t hash = 1469598103934665603ull;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    return hash;
}

Dataset DatasetChoice::load(bool binary_labels) const {
    Dataset data;
    switch (kind) {
        case Kind::Synthetic:
            data = binary_labels ? make_classification_dataset(synthetic) : make_synthetic_dataset(synthetic);
            break;
        case Kind::Anscombe: data = anscombe_dataset(anscombe); break;
        case Kind::File:
            if (checksum != 0 && file_checksum(path) != checksum)
                throw std::invalid_argument(path + ": the file changed since the scene was saved (checksum differs)");
            data = load_dataset_csv(path, columns, decimal);
            break;
        case Kind::Inline:
            if (rows_x.size() != rows_y.size() || rows_x.size() < 2)
                throw std::invalid_argument("inline data: needs at least 2 rows of x and y");
            for (std::size_t i = 0; i < rows_x.size(); ++i)
                if (!std::isfinite(rows_x[i]) || !std::isfinite(rows_y[i]))
                    throw std::invalid_argument("inline data: row " + std::to_string(i + 1) + " is not finite");
                else if (std::max(std::abs(rows_x[i]), std::abs(rows_y[i])) > limits::kMaxViewCoordinate)  // as CSV data
                    throw std::invalid_argument("inline data: row " + std::to_string(i + 1) + " is beyond +-" +
                                                format_number(limits::kMaxViewCoordinate) + ", the largest value a picture can show");
            data.x = rows_x;
            data.y = rows_y;
            data.source = path.empty() ? "inline data" : path;
            break;
    }
    return standardize ? optiviz::standardize(data) : data;
}

}  // namespace optiviz

namespace optiviz {

std::string_view layout_name(Scene::Layout layout) {
    switch (layout) {
        case Scene::Layout::Map: return "map";
        case Scene::Layout::Surface3D: return "3d";
        case Scene::Layout::Both: return "both";
    }
    return "map";
}

Scene::Layout parse_layout(std::string_view name) {
    if (name == "map") return Scene::Layout::Map;
    if (name == "3d") return Scene::Layout::Surface3D;
    if (name == "both") return Scene::Layout::Both;
    throw std::invalid_argument("unknown layout '" + std::string(name) + "' (known: map, 3d, both)");
}

}  // namespace optiviz
