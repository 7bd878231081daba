// Command-line parsing (the only file that includes CLI11: it costs seconds to compile).
#include "app/cli/cli.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cmath>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <cstdio>
#include <istream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli/animate_command.h"
#include "app/derived/imported_runs.h"
#include "app/window/app_frame.h"
#include "app/export/picture_export.h"
#include "app/cli/render_command.h"
#include "app/cli/scene_options.h"
#include "app/cli/sweep_command.h"
#include "app/cli/train_command.h"
#include "app/cli/tune_command.h"
#include "app/cli/trace_request.h"
#include "app/version.h"
#include "core/io/atomic_file.h"
#include "core/surfaces/expression_surface.h"
#include "core/presentation/number_text.h"
#include "core/optimizers/optimizer.h"
#include "core/io/limits.h"
#include "core/optimizers/lr_schedule.h"
#include "core/scene/presets.h"
#include "core/scene/registry_lookup.h"
#include "core/surfaces/surface_registry.h"
#include "core/analysis/sweep.h"
#include "core/analysis/tune.h"
#include "core/io/text_escape.h"
#include "ui/overlay.h"

namespace optiviz::cli {

namespace {

// Options whose value may look like an option itself (`--start -1.5,2`, `--lr -1`). CLI11 would read
// "-1.5,2" as a short flag, so such pairs are joined into `--start=-1.5,2` before parsing.
constexpr std::size_t kMaxMessageChars = 400;

std::vector<std::string> join_option_values(int argc, const char* const* argv, const std::set<std::string>& valued) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (valued.count(arg) && i + 1 < argc) {
            const std::string value = argv[i + 1];
            if (!value.empty() && value[0] == '-' && value.rfind("--", 0) != 0) {
                arg += "=" + value;
                ++i;
            }
        }
        args.push_back(arg);
    }
    return args;
}

struct HyperFlag {
    const char* option;  // e.g. "--weight-decay"
    const char* key;     // parameter table key, e.g. "weight_decay"
    const char* help;
};

constexpr HyperFlag kHyperValues[] = {
    {"--lr", "lr", "learning rate"},
    {"--momentum", "momentum", "momentum (sgd, rmsprop)"},
    {"--dampening", "dampening", "dampening (sgd)"},
    {"--beta1", "beta1", "first-moment decay (adam family)"},
    {"--beta2", "beta2", "second-moment decay (adam family)"},
    {"--alpha", "alpha", "square-average decay (rmsprop)"},
    {"--rho", "rho", "decay (adadelta)"},
    {"--eps", "eps", "denominator epsilon"},
    {"--weight-decay", "weight_decay", "weight decay"},
    {"--lr-decay", "lr_decay", "learning-rate decay (adagrad)"},
    {"--momentum-decay", "momentum_decay", "momentum decay psi (nadam)"},
    {"--history-size", "history_size", "(s, y) pairs kept (lbfgs, 100)"},
    {"--max-iter", "max_iter", "iterations per step (lbfgs, 1 here: one row is one iteration)"},
    {"--tolerance-grad", "tolerance_grad", "no move when max|g| <= this (lbfgs, 1e-7)"},
    {"--tolerance-change", "tolerance_change", "lbfgs stops when g.d or the change is below this (1e-9)"},
    {"--bias-correction", "bias_correction", "1: Adam's bias correction (default); 0: m/(sqrt(v) + eps), lr unscaled (adam, adamw)"},
};
constexpr HyperFlag kHyperSwitches[] = {
    {"--nesterov", "nesterov", "Nesterov momentum (sgd)"},
    {"--amsgrad", "amsgrad", "AMSGrad (adam, adamw)"},
    {"--centered", "centered", "centered variant (rmsprop)"},
};

std::string list_registries() {
    std::ostringstream os;
    auto params = [&](ParamTable table) {
        for (const auto& p : table)
            os << "    " << p.name << " = " << p.default_value << "  (" << describe_range(p) << ")  " << p.help << "\n";
    };
    os << "surfaces:\n";
    for (const auto& s : surface_registry()) {
        os << "  " << s.name << ": " << s.formula << (s.needs_data ? "  [--data FILE.csv with header x,y]" : "")
           << "\n";
        params(s.params);
    }
    os << "your own function (--expr 'EXPR' instead of --surface; parameters with --param NAME=VALUE):\n"
       << expression_grammar();
    os << "teaching presets (--preset NAME):\n";
    for (const auto& p : preset_registry()) os << "  " << p.name << ": " << p.caption << "\n";
    os << "overlays on the landscape (--overlay NAME[:KEY=VALUE,...]):\n";
    for (const ui::OverlayModule& m : ui::overlay_registry()) {
        os << "  " << m.name << ": " << m.help << "\n";
        params(m.params);
    }
    os << "optimizers:\n";
    for (const auto& o : optimizer_registry()) {
        os << "  " << o.name << ": " << o.rule << "\n";
        params(o.params);
    }
    return os.str();
}

// The run options shared by trace, sweep and basins: surface, optimizer, hyperparameters,
// schedule, clipping, mini-batches, start and steps. Values are kept as text and parsed strictly
// by resolve_run, so every command reports bad numbers the same way.
struct RunOptions {
    TraceRequest request;
    std::vector<std::string> hyper_values = std::vector<std::string>(std::size(kHyperValues));
    std::vector<CLI::Option*> hyper_options;
    std::vector<std::string> switch_values = std::vector<std::string>(std::size(kHyperSwitches));
    std::vector<CLI::Option*> switch_options;

    void add_to(CLI::App* cmd, bool with_start, bool with_steps = true) {
        cmd->add_option("--surface", request.surface, "loss surface (see `optiviz list`); or --expr")->type_name("NAME");
        cmd->add_option("--expr", request.expr, "your own f(x, y), e.g. 'x^2 + 3*sin(y)' (grammar: `optiviz list`)")->type_name("EXPR");
        cmd->add_option("--param", request.surface_params, "surface parameter KEY=VALUE (repeatable)")->type_name("KEY=VALUE");
        cmd->add_option("--data", request.data_path, "CSV dataset (mse, logistic), - for standard input; columns x and y unless --columns")->type_name("FILE.csv");
        cmd->add_option("--columns", request.columns, "the data's x and y columns: names or numbers, e.g. height,weight or 2,3")->type_name("X,Y");
        cmd->add_option("--decimal", request.decimal, "the data's decimal mark: . (default) or , (then fields are separated by ; or tabs)")->type_name("MARK");
        cmd->add_option("--optimizer", request.run.optimizer, "optimizer (see `optiviz list`)")->required()->type_name("NAME");
        for (std::size_t i = 0; i < std::size(kHyperValues); ++i)
            hyper_options.push_back(cmd->add_option(kHyperValues[i].option, hyper_values[i], kHyperValues[i].help)->type_name("NUMBER"));
        // A switch alone means 1; --amsgrad=0 and =1 are accepted, anything else is refused later.
        for (std::size_t i = 0; i < std::size(kHyperSwitches); ++i)
            switch_options.push_back(cmd->add_flag(std::string(kHyperSwitches[i].option) + "{1}", switch_values[i],
                                                   kHyperSwitches[i].help));
        cmd->add_option("--etas", request.etas, "step-size factors (rprop, 0.5,1.2)")->type_name("ETA_MINUS,ETA_PLUS");
        cmd->add_option("--step-sizes", request.step_sizes, "per-coordinate step limits (rprop, 1e-6,50)")->type_name("MIN,MAX");
        cmd->add_option("--line-search", request.line_search, "none | strong_wolfe (lbfgs)")->type_name("KIND");
        cmd->add_option("--schedule", request.schedule, "constant | step | exp | cosine | plateau (constant)")->type_name("NAME");
        cmd->add_option("--gamma", request.gamma, "decay factor (step: 0.1, exp: 0.99)")->type_name("NUMBER");
        cmd->add_option("--step-size", request.step_size, "steps between decays (step schedule)")->type_name("STEPS");
        cmd->add_option("--t-max", request.t_max, "half period in steps (cosine schedule)")->type_name("STEPS");
        cmd->add_option("--eta-min", request.eta_min, "lowest learning rate (cosine schedule)")->type_name("NUMBER");
        cmd->add_option("--factor", request.factor, "plateau: lr *= factor on a plateau (0.1)")->type_name("NUMBER");
        cmd->add_option("--patience", request.patience, "plateau: steps without improvement tolerated (10)")->type_name("STEPS");
        cmd->add_option("--threshold", request.threshold, "plateau: improvement that counts (1e-4)")->type_name("NUMBER");
        cmd->add_option("--threshold-mode", request.threshold_mode, "plateau: rel (f < best*(1-thr)) | abs (f < best-thr)")->type_name("MODE");
        cmd->add_option("--cooldown", request.cooldown, "plateau: steps after a reduction that count no bad steps (0)")->type_name("STEPS");
        cmd->add_option("--min-lr", request.min_lr, "plateau: lowest learning rate (0)")->type_name("NUMBER");
        cmd->add_option("--clip-norm", request.clip_norm, "clip each gradient to this norm")->type_name("NUMBER");
        cmd->add_option("--batch-size", request.batch_size, "mini-batch size (mse, logistic)")->type_name("ROWS");
        cmd->add_option("--seed", request.seed, "mini-batch shuffling seed (0)")->type_name("N");
        cmd->add_option("--tol", request.tol, "converged when the gradient norm is at most this (1e-8)")->type_name("NUMBER");
        cmd->add_option("--loss-tol", request.loss_tol, "stop when the loss changes by less than this ...")->type_name("NUMBER");
        cmd->add_option("--loss-patience", request.loss_patience, "... for this many consecutive steps (1)")->type_name("STEPS");
        if (with_start) cmd->add_option("--start", request.start, "start point")->required()->type_name("X,Y");
        if (with_steps) cmd->add_option("--steps", request.steps, "number of steps")->required()->type_name("N");
    }

    // After parsing: hand the given hyperparameters and switches to the request.
    TraceRequest finish() {
        for (std::size_t i = 0; i < std::size(kHyperValues); ++i)
            if (hyper_options[i]->count() > 0) request.hyper_text.emplace_back(kHyperValues[i].key, hyper_values[i]);
        for (std::size_t i = 0; i < std::size(kHyperSwitches); ++i) {
            if (switch_options[i]->count() == 0) continue;
            const std::string& value = switch_values[i];
            if (value != "0" && value != "1")
                throw std::invalid_argument(std::string(kHyperSwitches[i].option) + ": expected 0 or 1, got '" +
                                            printable(value) + "'");
            request.run.hyper[kHyperSwitches[i].key] = value == "1" ? 1.0 : 0.0;
        }
        return request;
    }
};

// "--overlay"'s help: every registered overlay with its settings.
std::string overlay_help() {
    std::string help = "an overlay on the landscape (repeatable):";
    for (const ui::OverlayModule& module : ui::overlay_registry()) {
        help += "\n  " + std::string(module.name) + ": " + std::string(module.help);
        for (const ParamSpec& spec : module.params) {
            char line[200];
            std::snprintf(line, sizeof line, "\n    %s=%g  %s", std::string(spec.name).c_str(), spec.default_value,
                          std::string(spec.help).c_str());
            help += line;
        }
    }
    return help;
}

void add_scene_options(CLI::App* app, SceneOptions& options) {
    app->add_option("--scene", options.scene_path, "scene file (JSON) saved by optiviz, - for standard input")->type_name("FILE.json");
    app->add_option("--surface", options.surface, "loss surface (see `optiviz list`)")->type_name("NAME");
    app->add_option("--expr", options.expr, "your own f(x, y) instead of --surface (grammar: `optiviz list`)")->type_name("EXPR");
    app->add_option("--param", options.params, "surface parameter KEY=VALUE (repeatable)")->type_name("KEY=VALUE");
    app->add_option("--data", options.data, "CSV dataset (mse, logistic), - for standard input; columns x and y unless --columns")->type_name("FILE.csv");
    app->add_option("--columns", options.columns, "the data's x and y columns: names or numbers")->type_name("X,Y");
    app->add_option("--decimal", options.decimal, "the data's decimal mark: . (default) or , (then fields are separated by ; or tabs)")->type_name("MARK");
    app->add_option("--run", options.runs, "a run, e.g. adam:lr=0.05 (repeatable; default: six classic runs)")->type_name("OPT[:KEY=VALUE,...]");
    app->add_option("--trajectory", options.trajectories,
                    "your own run from a CSV with columns x,y[,loss,step] (trace output, the trajectory export; - for standard input; repeatable)")
        ->type_name("FILE.csv[:label=LABEL]");
    app->add_option("--start", options.start, "start point (default -1.5,2 or the preset's)")->type_name("X,Y");
    app->add_option("--steps", options.steps, "steps per run (2000)")->type_name("N");
    app->add_option("--step", options.step, "playback step to show (default: the end)")->type_name("STEP");
    app->add_option("--preset", options.preset, "open a teaching preset (see `optiviz list`)")->type_name("NAME");
    app->add_option("--dataset", options.dataset, "--surface model: a shipped data set (digits, iris, wine, breast_cancer, diabetes)")->type_name("NAME");
    app->add_option("--model", options.model, "--surface model: the network, e.g. mlp:hidden=16,activation=tanh")->type_name("SPEC");
    app->add_option("--plane", options.plane, "--surface model: pca (default), random or three-points")->type_name("KIND");
    app->add_option("--snapshots", options.snapshots, "a run logged by scripts/optiviz_log.py, shown on the PCA plane (repeatable)")->type_name("FILE");
    app->add_option("--overlay", options.overlays, overlay_help())->type_name("NAME[:KEY=VALUE,...]");
    app->add_flag("--gradient-field", options.gradient_field, "the same as --overlay gradient-field");
    app->add_option("--glyphs-of", options.glyphs_of, "draw run K's step glyphs (1-based) at the shown step")->type_name("K");
    app->add_flag("--glyph-trail", options.glyph_trail, "with --glyphs-of: also along the path");
    app->add_option("--layout", options.layout, "the window's views: map | 3d | both (map)")->type_name("LAYOUT");
    app->add_option("--camera", options.camera, "3-D camera (radians, radians, model units)")->type_name("YAW,PITCH,DISTANCE");
    app->add_flag("--linear-height", options.linear_height, "3-D height proportional to the loss (default: log scale)");
    app->add_flag("--no-mesh-contours", options.no_mesh_contours, "no contour lines on the 3-D mesh");
}

// --help as users of other tools expect it: usage lines that start with the program's name (the
// caller passes it as the help's prefix), and switches shown as `--nesterov`, not as CLI11's
// `--nesterov{1}` (the {1} is the value a bare switch takes).
class HelpFormatter : public CLI::Formatter {
  public:
    std::string make_option_name(const CLI::Option* option, bool is_positional) const override {
        std::string name = CLI::Formatter::make_option_name(option, is_positional);
        for (std::size_t open = name.find('{'); open != std::string::npos; open = name.find('{')) {
            const std::size_t close = name.find('}', open);
            if (close == std::string::npos) break;
            name.erase(open, close - open + 1);
        }
        return name;
    }
};

// One example per command, shown at the end of its --help (tests run every one of them).
struct CommandExample {
    const char* command;  // "" for the window
    const char* line;
};
constexpr CommandExample kExamples[] = {
    {"", "optiviz --surface himmelblau --run adam:lr=0.05 --run sgd:lr=0.01,momentum=0.9"},
    {"trace", "optiviz trace --surface rosenbrock --optimizer adam --lr 0.05 --start -1.5,2 --steps 200 > adam.csv"},
    {"render", "optiviz render --surface rosenbrock --run adam:lr=0.05 --overlay gradient-field --out adam.png"},
    {"sweep", "optiviz sweep --surface rosenbrock --optimizer sgd --start -1.5,2 --steps 300 --x lr=1e-4:1e-2:log:12 "
              "--y momentum=0:0.95:lin:8 --out sweep.png"},
    {"basins", "optiviz basins --surface himmelblau --optimizer adam --lr 0.1 --steps 200 --grid -5,5,-5,5 --res 40 "
               "--out basins.png"},
    {"tune", "optiviz tune --surface rosenbrock --optimizer adam --start -1.5,2 --budget 200 > tried.csv"},
    {"list", "optiviz list --json"},
};

std::string examples_footer(std::string_view command) {
    std::string footer;
    for (const CommandExample& example : kExamples)
        if (example.command == command) footer += "\nExample:\n  " + std::string(example.line) + "\n";
    if (command.empty()) footer += "  optiviz scene.json          (opens a saved scene; a .csv opens with the mse surface)\n"
                                   "  optiviz help render         (a command's options)\n";
    return footer;
}

// Long option names a command knows ("--surface"), for "did you mean".
std::vector<std::string> option_names(const CLI::App& command) {
    std::vector<std::string> names;
    for (const CLI::Option* option : command.get_options())
        for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    return names;
}

std::vector<std::string> command_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(command->get_name());
    return names;
}

// The first argument no option or command took, as one line: "unknown option '--surfce' for
// optiviz render; did you mean '--surface'?". Words are reported in the order they were typed.
std::string unexpected_argument(const CLI::App& app, const CLI::App* command) {
    const std::vector<std::string> extras = (command ? *command : app).remaining();
    if (extras.empty()) return "";
    const std::string& word = extras.front();
    const std::string where = command ? "optiviz " + command->get_name() : "optiviz";
    if (word.rfind("-", 0) == 0 && word.size() > 1) {
        const std::string name = word.substr(0, word.find('='));
        std::string hint = did_you_mean(name, option_names(command ? *command : app));
        if (hint.empty() && !command) hint = did_you_mean(name, option_names(app));
        return "unknown option '" + printable(name) + "' for " + where + (hint.empty() ? "" : ";" + hint);
    }
    if (!command) {
        const std::string hint = did_you_mean(word, command_names(app));
        if (!hint.empty()) return "unknown command '" + printable(word) + "';" + hint;
        return "unknown command '" + printable(word) + "' (commands: " + [&] {
            std::string all;
            for (const std::string& name : command_names(app)) all += (all.empty() ? "" : ", ") + name;
            return all;
        }() + ")";
    }
    return "unexpected argument '" + printable(word) + "' for " + where;
}

// `optiviz help` and `optiviz help COMMAND` are `optiviz --help` and `optiviz COMMAND --help`.
std::vector<std::string> expand_help_command(std::vector<std::string> args) {
    if (args.empty() || args.front() != "help") return args;
    if (args.size() == 1) return {"--help"};
    return {args[1], "--help"};
}

// The values an option takes from a fixed set: completion and `list --json` read them from here.
nlohmann::json option_choices() {
    using nlohmann::json;
    json names = json::object();
    auto all = [](auto registry) {
        json list = json::array();
        for (const auto& entry : registry) list.push_back(std::string(entry.name));
        return list;
    };
    json schedules = json::array(), metrics = json::array(), aggregates = json::array(), objectives = json::array(),
         layouts = json::array(), threshold_modes = json::array();
    for (const ScheduleKind k : {ScheduleKind::Constant, ScheduleKind::Step, ScheduleKind::Exponential, ScheduleKind::Cosine,
                                 ScheduleKind::Plateau})
        schedules.push_back(std::string(schedule_name(k)));
    for (const SweepMetric m : {SweepMetric::FinalLoss, SweepMetric::Steps, SweepMetric::Distance})
        metrics.push_back(std::string(sweep_metric_name(m)));
    for (const Aggregate a : {Aggregate::Median, Aggregate::Worst}) aggregates.push_back(std::string(aggregate_name(a)));
    for (const TuneObjective o : {TuneObjective::MedianLoss, TuneObjective::WorstLoss, TuneObjective::Steps, TuneObjective::Distance})
        objectives.push_back(std::string(tune_objective_name(o)));
    for (const Scene::Layout l : {Scene::Layout::Map, Scene::Layout::Surface3D, Scene::Layout::Both})
        layouts.push_back(std::string(layout_name(l)));
    for (const ThresholdMode m : {ThresholdMode::Rel, ThresholdMode::Abs}) threshold_modes.push_back(std::string(threshold_mode_name(m)));
    names["--surface"] = all(surface_registry());
    names["--optimizer"] = all(optimizer_registry());
    names["--run"] = names["--optimizer"];
    names["--preset"] = all(preset_registry());
    names["--overlay"] = all(ui::overlay_registry());
    names["--schedule"] = schedules;
    names["--metric"] = metrics;
    names["--aggregate"] = aggregates;
    names["--objective"] = objectives;
    names["--layout"] = layouts;
    names["--threshold-mode"] = threshold_modes;
    names["--line-search"] = {"none", "strong_wolfe"};
    names["--decimal"] = {".", ","};
    names["--view"] = {"landscape", "data", "both", "3d", "map+3d", "loss", "landscape+loss", "data+loss", "both+loss",
                       "3d+loss", "map+3d+loss"};
    return names;
}

// Every command's options, and which of them are switches (take no value).
void describe_commands(const CLI::App& app, nlohmann::json& list) {
    std::vector<const CLI::App*> commands{&app};
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) commands.push_back(command);
    list["commands"] = command_names(app);
    for (const CLI::App* command : commands) {
        const std::string key = command == &app ? "optiviz" : "optiviz " + command->get_name();
        nlohmann::json options = nlohmann::json::array(), switches = nlohmann::json::array();
        for (const CLI::Option* option : command->get_options())
            for (const std::string& name : option->get_lnames()) {
                options.push_back("--" + name);
                if (option->get_expected_min() == 0) switches.push_back("--" + name);
            }
        list["options"][key] = options;
        list["switches"][key] = switches;
    }
}

nlohmann::json param_table_json(ParamTable table) {
    nlohmann::json rows = nlohmann::json::array();
    for (const ParamSpec& p : table)
        rows.push_back({{"name", std::string(p.name)}, {"default", p.default_value}, {"min", p.min}, {"max", p.max},
                        {"range", describe_range(p)}, {"help", std::string(p.help)}});
    return rows;
}

// JSON whose objects put each member on its own line down to `depth` and write deeper values on
// one line, so that line-oriented tools (the bash completion) can pick a member with sed.
void write_by_lines(std::string& out, const nlohmann::json& value, int depth, int indent) {
    if (!value.is_object() || depth == 0) {
        out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    out += "{\n";
    std::size_t i = 0;
    for (const auto& [key, member] : value.items()) {
        out += std::string(static_cast<std::size_t>(indent + 2), ' ') + nlohmann::json(key).dump() + ": ";
        write_by_lines(out, member, depth - 1, indent + 2);
        out += ++i < value.size() ? ",\n" : "\n";
    }
    out += std::string(static_cast<std::size_t>(indent), ' ') + "}";
}

// `optiviz list --json`: commands and their options, the values options choose from, and every
// registry with its parameter table.
std::string list_json(const CLI::App& app) {
    nlohmann::json list;
    list["format"] = "optiviz-list";
    list["version"] = 1;
    describe_commands(app, list);
    list["choices"] = option_choices();
    nlohmann::json surfaces = nlohmann::json::array(), optimizers = nlohmann::json::array(), presets = nlohmann::json::array(),
                   overlays = nlohmann::json::array();
    for (const auto& s : surface_registry())
        surfaces.push_back({{"name", std::string(s.name)}, {"title", std::string(s.title)}, {"formula", std::string(s.formula)},
                            {"needs_data", s.needs_data}, {"params", param_table_json(s.params)}});
    for (const auto& o : optimizer_registry())
        optimizers.push_back({{"name", std::string(o.name)}, {"title", std::string(o.title)}, {"rule", std::string(o.rule)},
                              {"params", param_table_json(o.params)}});
    for (const auto& p : preset_registry())
        presets.push_back({{"name", std::string(p.name)}, {"title", std::string(p.title)}, {"caption", std::string(p.caption)}});
    for (const ui::OverlayModule& m : ui::overlay_registry())
        overlays.push_back({{"name", std::string(m.name)}, {"help", std::string(m.help)}, {"params", param_table_json(m.params)}});
    list["surfaces"] = surfaces;
    list["optimizers"] = optimizers;
    list["presets"] = presets;
    list["overlays"] = overlays;
    nlohmann::json shortcuts = nlohmann::json::array();
    for (const auto& [keys, what] : app::keyboard_shortcuts()) shortcuts.push_back({{"keys", keys}, {"action", what}});
    list["shortcuts"] = shortcuts;
    std::string text;
    write_by_lines(text, list, 2, 0);
    return text + "\n";
}

// A word where a command or a file should be that is neither: "unknown command 'rendr'; did you
// mean 'render'?" ("" when `word` looks like a file name, which is then looked for).
std::string unknown_command(const CLI::App& app, const std::string& word) {
    if (word.find_first_of("./") != std::string::npos) return "";
    std::error_code error;
    if (std::filesystem::exists(word, error)) return "";
    const std::string hint = did_you_mean(word, command_names(app));
    if (!hint.empty()) return "unknown command '" + printable(word) + "';" + hint;
    std::string all;
    for (const std::string& name : command_names(app)) all += (all.empty() ? "" : ", ") + name;
    return "unknown command '" + printable(word) + "' (commands: " + all + ")";
}

// "file:///home/ann/a%20b.json" → "/home/ann/a b.json"; other text is returned as it is.
std::string path_from_uri(const std::string& text) {
    std::string rest;
    if (text.rfind("file://localhost/", 0) == 0) rest = text.substr(16);
    else if (text.rfind("file:///", 0) == 0) rest = text.substr(7);
    else if (text.rfind("file://", 0) == 0) throw std::invalid_argument("cannot open '" + printable(text) + "': only local files (file:///...) can be opened");
    else return text;
    std::string path;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
        if (rest[i] == '%' && i + 2 < rest.size() && hex(rest[i + 1]) && hex(rest[i + 2])) {
            path += static_cast<char>(std::stoi(rest.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            path += rest[i];
        }
    }
    return path;
}

std::string absolute_path(const std::string& path) {
    std::error_code error;
    const std::filesystem::path absolute = std::filesystem::absolute(path, error);
    return error ? path : absolute.lexically_normal().string();
}

// `optiviz FILE`, as a desktop's "Open with" runs it: a scene opens as with --scene, a trajectory
// CSV (app/derived/imported_runs.h) as with --trajectory, another CSV as the data of the mse surface (or of
// the --surface given). One file at a time.
void open_file_in_window(const std::vector<std::string>& files, SceneOptions& scene) {
    if (files.empty()) return;
    if (files.size() > 1)
        throw std::invalid_argument("give one file to open, got " + std::to_string(files.size()) + " ('" + printable(files[0], 80) +
                                    "', '" + printable(files[1], 80) + "'" + (files.size() > 2 ? ", ..." : "") + ")");
    const std::string path = path_from_uri(files.front());
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw std::invalid_argument("cannot open '" + printable(path) + "': " +
                                    (std::filesystem::exists(path, error) ? "not a regular file" : "no such file"));
    std::string suffix = std::filesystem::path(path).extension().string();
    for (char& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (suffix == ".json") {
        if (scene.scene_path) throw std::invalid_argument("a scene file and --scene: give one");
        scene.scene_path = path;
    } else if (suffix == ".csv" && app::is_trajectory_file(path)) {  // your own run, as a dropped one
        scene.trajectories.push_back(path);
    } else if (suffix == ".csv") {
        if (scene.data) throw std::invalid_argument("a data file and --data: give one");
        scene.data = path;
        if (!scene.surface && !scene.expr && !scene.preset && !scene.scene_path) scene.surface = "mse";
    } else {
        throw std::invalid_argument("cannot open '" + printable(path) + "': optiviz opens scenes (.json) and data files (.csv)");
    }
}

// Standard input as text, read once and only when an option names it ("-").
std::optional<std::string> read_input_if(bool wanted, std::istream& in) {
    if (!wanted) return std::nullopt;
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw std::invalid_argument("cannot read standard input");
    return text;
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, LaunchRequest* launch) {
    return run(argc, argv, std::cin, out, err, launch);
}

namespace {

// Each command: its options (added to the parser by add_to) and what it does once they are parsed.
// Results go to `out`, notes to `err` (cli.h); a bad value throws std::invalid_argument.

struct WindowCommand {
    SceneOptions scene;
    std::string size = "1440x900", screenshot, capture;
    std::string frames_text = "0";
    std::string basins_of_text = "0", sweep_of_text = "0";  // checked as text: CLI11 would say "Could not convert"
    int frames = 0, basins_of = 0, sweep_of = 0;
    bool tune_all = false, frame_times = false;
    std::vector<std::string> files;
    CLI::Option* size_option = nullptr;

    void add_to(CLI::App& app) {
        add_scene_options(&app, scene);
        size_option = app.add_option("--size", size, "window size (default: the last session's, else 1440x900)")->type_name("WxH");
        app.add_option("--frames", frames_text, "close after this many frames, up to " + std::to_string(limits::kMaxWindowFrames) +
                                                " (scripts, smoke tests)")->type_name("N");
        app.add_option("--screenshot", screenshot,
                       "with --frames: save the picture (PNG, SVG or PDF by extension) before closing")->type_name("FILE");
        app.add_option("--basins-of", basins_of_text, "show the basin map of run K (1-based) from the start")->type_name("K");
        app.add_option("--sweep-of", sweep_of_text, "show the sweep map (lr x second parameter) of run K (1-based)")->type_name("K");
        app.add_flag("--tune-all", tune_all, "tune every run's learning rate on opening (the Tune panel's Tune all)");
        app.add_option("--window-screenshot", capture, "with --frames: save the whole window as PNG before closing")->type_name("FILE.png");
        app.add_option("file", files, "a scene (.json), a data file or your own run (.csv) to open, or its file:// URI (as \"Open with\" passes it)")
            ->type_name("FILE");
        app.add_flag("--frame-times", frame_times, "with --frames: print the mean ms per frame (frames 5 to the last but one)");
    }

    // The window's request, checked whole before the window opens.
    LaunchRequest request(std::istream& in, std::ostream& err) {
        LaunchRequest request;
        request.window.restore_session = !scene.given() && files.empty();
        open_file_in_window(files, scene);
        if (scene.scene_path && *scene.scene_path != "-") request.window.scene_path = absolute_path(*scene.scene_path);
        scene.stdin_text = read_input_if(scene.reads_stdin(), in);
        std::vector<std::string> warnings;
        request.scene = build_scene(scene, &warnings);
        for (const std::string& warning : warnings) err << "optiviz: warning: " << printable(warning, kMaxMessageChars) << "\n";
        parse_size(size, request.window.width, request.window.height);
        request.window.size_given = size_option->count() > 0;
        frames = static_cast<int>(parse_whole_between(frames_text, "--frames", 0, limits::kMaxWindowFrames));
        request.window.frames = frames;
        request.window.screenshot_path = screenshot;
        request.window.window_capture_path = capture;
        const auto runs = static_cast<int>(request.scene.runs.size());
        basins_of = static_cast<int>(parse_whole_between(basins_of_text, "--basins-of", 0, limits::kMaxRuns));
        sweep_of = static_cast<int>(parse_whole_between(sweep_of_text, "--sweep-of", 0, limits::kMaxRuns));
        if (basins_of < 0 || basins_of > runs) throw std::invalid_argument("--basins-of: no run " + std::to_string(basins_of));
        if (sweep_of < 0 || sweep_of > runs) throw std::invalid_argument("--sweep-of: no run " + std::to_string(sweep_of));
        // The maps to show from the start are scene settings: a scene saved from that window keeps them.
        if (basins_of > 0) {
            ui::BasinMapSettings basins;
            basins.run = basins_of - 1;
            ui::set_basin_map(request.scene, basins);
        }
        if (sweep_of > 0) {
            request.scene.sweep.on = true;
            request.scene.sweep.run = sweep_of - 1;
            ui::fill_sweep_axes(request.scene);  // its second axis: the run's next parameter
        }
        request.window.tune_all = tune_all;
        request.window.frame_times = frame_times;
        if (frame_times && frames <= app::WindowOptions::kTimedFrom + 1)
            throw std::invalid_argument("--frame-times needs --frames N with N > " + std::to_string(app::WindowOptions::kTimedFrom + 1));
        if (!capture.empty() && frames == 0) throw std::invalid_argument("--window-screenshot needs --frames N");
        if (!screenshot.empty() && frames == 0) throw std::invalid_argument("--screenshot needs --frames N");
        for (const std::string* path : {&screenshot, &capture})
            if (!path->empty()) check_output_path(*path);  // refused now, not after the frames
        if (!screenshot.empty()) app::picture_format(screenshot);  // .png, .svg or .pdf
        request.requested = true;
        return request;
    }
};

struct TraceCommand {
    RunOptions run_options;
    CLI::App* command = nullptr;
    void add_to(CLI::App& app) {
        command = app.add_subcommand("trace", "print one optimizer's trajectory as CSV (step,x,y,loss)");
        run_options.add_to(command, true);
    }
    void run(std::istream& in, std::ostream& out, std::ostream& err) {
        std::ostringstream csv, notes;
        TraceRequest request = run_options.finish();
        request.stdin_text = read_input_if(request.data_path == "-", in);
        run_trace(request, csv, notes);
        out << csv.str();
        err << notes.str();
    }
};

struct SweepCommand {
    RunOptions run_options;
    SweepRequest sweep;
    CLI::App* command = nullptr;
    void add_to(CLI::App& app) {
        command = app.add_subcommand("sweep", "run a grid of hyperparameter settings; write CSV or a PNG map");
        run_options.add_to(command, true);
        command->add_option("--x", sweep.x_axis, "first swept parameter")->required()->type_name("NAME=LO:HI:lin|log:COUNT");
        command->add_option("--y", sweep.y_axis, "second swept parameter")->required()->type_name("NAME=LO:HI:lin|log:COUNT");
        command->add_option("--metric", sweep.metric, "final-loss | steps | distance: the PNG's colours (final-loss)")->type_name("METRIC");
        command->add_option("--out", sweep.out, "FILE.csv or FILE.png; - writes the CSV to standard output")->required()->type_name("FILE");
        command->add_option("--size", sweep.size, "PNG size (1100x900)")->type_name("WxH");
        command->add_option("--starts", sweep.starts, "K runs per cell from jittered starts and seeds, as tune (1)")->type_name("K");
        command->add_option("--spread", sweep.spread, "start jitter (standard deviation, parameter units; 0.1)")->type_name("NUMBER");
        command->add_option("--aggregate", sweep.aggregate, "median | worst of a cell's K runs (map, best line; median)")->type_name("HOW");
    }
    void run(std::istream& in, std::ostream& out, std::ostream& err) {
        sweep.run = run_options.finish();
        sweep.run.stdin_text = read_input_if(sweep.run.data_path == "-", in);
        std::ostringstream report, notes;
        run_sweep_command(sweep, report, notes);
        out << report.str();
        err << notes.str();
    }
};

struct BasinsCommand {
    RunOptions run_options;
    BasinsRequest basins;
    CLI::App* command = nullptr;
    void add_to(CLI::App& app) {
        command = app.add_subcommand("basins", "run from every start of a grid; show which minimum each reaches");
        run_options.add_to(command, false);
        command->add_option("--grid", basins.grid, "the rectangle of starts")->required()->type_name("XMIN,XMAX,YMIN,YMAX");
        command->add_option("--res", basins.resolution, "an R x R grid of starts")->required()->type_name("R");
        command->add_option("--radius", basins.radius, "a run belongs to a minimum it ends within this distance of")->type_name("NUMBER");
        command->add_option("--out", basins.out, "FILE.csv or FILE.png; - writes the CSV to standard output")->required()->type_name("FILE");
        command->add_option("--size", basins.size, "PNG size (1000x760)")->type_name("WxH");
        command->add_option("--starts", basins.starts, "K runs per cell from jittered starts and seeds (1)")->type_name("K");
        command->add_option("--spread", basins.spread, "start jitter as a fraction of the cell size (0.25)")->type_name("NUMBER");
        command->add_option("--aggregate", basins.aggregate, "median | worst of a cell's K runs' steps (paleness; median)")->type_name("HOW");
    }
    void run(std::istream& in, std::ostream& out, std::ostream& err) {
        basins.run = run_options.finish();
        basins.run.stdin_text = read_input_if(basins.run.data_path == "-", in);
        std::ostringstream report, notes;
        run_basins_command(basins, report, notes);
        out << report.str();
        err << notes.str();
    }
};

struct TuneCommand {
    RunOptions run_options;
    TuneCommandRequest tune;
    CLI::App* command = nullptr;
    void add_to(CLI::App& app) {
        command = app.add_subcommand("tune", "search an optimizer's learning rate on a step budget; print what was tried as CSV");
        run_options.add_to(command, true, false);
        command->add_option("--budget", tune.budget, "steps each particle runs")->required()->type_name("STEPS");
        command->add_option("--starts", tune.starts, "particles per setting, the start and K-1 jittered around it (16)")->type_name("K");
        command->add_option("--spread", tune.spread, "standard deviation of the start jitter (0.1)")->type_name("NUMBER");
        command->add_option("--objective", tune.objective, "median-loss | worst-loss | steps | distance, optionally + -allow-diverged (median-loss)")->type_name("OBJECTIVE");
        command->add_option("--lr-grid", tune.lr_grid, "log-spaced learning rates (default: the lr slider range)")->type_name("LO:HI:COUNT");
        command->add_option("--refine", tune.refine, "refinement rounds around the best lr, 0..8 (2)")->type_name("ROUNDS");
        command->add_option("--also", tune.also, "one more parameter: NAME (its slider range) or NAME=LO:HI:lin|log:COUNT")->type_name("PARAM");
    }
    void run(std::istream& in, std::ostream& out, std::ostream& err) {
        tune.run = run_options.finish();
        tune.run.stdin_text = read_input_if(tune.run.data_path == "-", in);
        std::ostringstream table, notes;
        run_tune_command(tune, table, notes);
        out << table.str();
        err << notes.str();
    }
};

// --scale K: the picture's pixels times K. Text is height/50 pixels (at least 13: picture.h), so
// from about 650 pixels high the layout is the same picture, finer. SVG and PDF scale by themselves.
void apply_scale(const std::string& text, const std::string& out_path, int& width, int& height) {
    const double k = parse_number(text, "--scale");
    if (!(k >= 0.25 && k <= 4)) throw std::invalid_argument("--scale must be from 0.25 to 4, got " + printable(text));
    if (!out_path.empty() && out_path != "-" && app::picture_format(out_path) != app::PictureFormat::Png)
        throw std::invalid_argument("--scale is for PNG pictures and animations; SVG and PDF are vectors and scale by themselves");
    const long w = std::lround(width * k), h = std::lround(height * k);
    if (w < 16 || h < 16 || w > limits::kMaxPictureWidth || h > limits::kMaxPictureHeight)
        throw std::invalid_argument("--scale " + printable(text) + ": " + std::to_string(width) + "x" + std::to_string(height) + " becomes " +
                                    std::to_string(w) + "x" + std::to_string(h) + "; pictures are 16x16 to " +
                                    std::to_string(limits::kMaxPictureWidth) + "x" + std::to_string(limits::kMaxPictureHeight));
    width = static_cast<int>(w);
    height = static_cast<int>(h);
}

struct RenderCommand {
    SceneOptions scene;
    std::string size = "1280x800", out_path, view = "landscape", frames_text = "0";
    std::optional<std::string> scale;
    long frames = 0;
    bool transparent = false;
    AnimateOptions animate;
    CLI::App* command = nullptr;
    void add_to(CLI::App& app) {
        command = app.add_subcommand("render", "draw the picture to a PNG, SVG or PDF file (or the playback as a GIF, MP4 or WebM animation), no window needed");
        add_scene_options(command, scene);
        command->add_option("--size", size, "picture size, up to 3840x2160 (1280x800)")->type_name("WxH");
        command->add_option("--out", out_path, "FILE.png, FILE.svg or FILE.pdf (vectors) to write, - for a PNG on standard output (or --animate)")->type_name("FILE");
        command->add_option("--scale", scale, "PNG and animations: K times the pixels of --size, 0.25..4, at most 3840x2160 "
                                              "(text follows the height: from 650 pixels high the layout is the same)")->type_name("K");
        command->add_option("--frames", frames_text, "also time this many frames, up to " + std::to_string(limits::kMaxTimedFrames) +
                                                     " (mean and 99th percentile)")->type_name("N");
        command->add_flag("--transparent", transparent, "no background: the margins are transparent in a PNG (alpha 0), "
                                                        "SVG and PDF have no white paper; the plots keep their fills");
        command->add_option("--view", view,
                            "landscape | data | both | 3d | map+3d | loss, or one of the first five with +loss (the loss "
                            "plot below; data: regression surfaces; default: the --layout's views, else landscape)")->type_name("VIEW");
        command->add_option("--animate", animate.path, "write the playback as an animation: FILE.gif, FILE.mp4 or FILE.webm")->type_name("FILE");
        command->add_option("--fps", animate.fps, "with --animate: frames per second, " + std::to_string(limits::kMinAnimationFps) + ".." +
                            std::to_string(limits::kMaxAnimationFps) + " (default 25 for GIF, 30 for video)")->type_name("N");
        command->add_option("--duration", animate.duration, "with --animate: seconds, the steps spread evenly (default 6)")->type_name("SECONDS");
        command->add_option("--steps-per-frame", animate.steps_per_frame, "with --animate: a frame every K steps (1.." + std::to_string(limits::kMaxSteps) + "), instead of --duration")->type_name("K");
        command->add_option("--from", animate.from, "with --animate: the first step shown (default 0)")->type_name("STEP");
        command->add_option("--to", animate.to, "with --animate: the last step shown (default: the end of the longest run)")->type_name("STEP");
        command->add_option("--time", animate.time,
                            "with --animate and a duration: frames evenly in steps, in path length (they follow the action) or in "
                            "log(step) (default: path for GIF, steps for video)")->type_name("steps|path|log");
    }
    void run(std::istream& in, std::ostream& out, std::ostream& err) {
        RenderRequest request;
        scene.stdin_text = read_input_if(scene.reads_stdin(), in);
        std::vector<std::string> warnings;
        request.scene = build_scene(scene, &warnings);
        for (const std::string& warning : warnings) err << "optiviz: warning: " << printable(warning, kMaxMessageChars) << "\n";
        parse_size(size, request.width, request.height);
        if (scale) apply_scale(*scale, out_path, request.width, request.height);
        request.out_path = out_path;
        frames = parse_whole_between(frames_text, "--frames", 0, limits::kMaxTimedFrames);
        request.frames = static_cast<int>(frames);
        request.transparent = transparent;
        request.view = command->count("--view") > 0 ? view : view_for_layout(request.scene.layout);  // --layout 3d: the 3-D view
        if (out_path.empty() && animate.path.empty())
            throw std::invalid_argument("--out is required (or --animate FILE.gif|FILE.mp4|FILE.webm for an animation)");
        if (!out_path.empty() && !animate.path.empty()) throw std::invalid_argument("--out and --animate: give one of them");
        std::ostringstream report;
        if (!animate.path.empty()) {
            if (frames > 0) throw std::invalid_argument("--frames times still pictures; it does not go with --animate");
            if (scene.step) throw std::invalid_argument("--step shows one step; with --animate use --from and --to");
            if (transparent) throw std::invalid_argument("--transparent is for pictures (--out); animations are opaque");
            run_animate(request, animate, report, err);
        } else {
            if (const std::string stray = animate.stray_option(); !stray.empty()) throw std::invalid_argument(stray + " needs --animate");
            run_render(request, report, err);
        }
        out << report.str();
    }
};

// Every command's options, on one parser.
struct CommandLine {
    CLI::App app{app::version_line() + ": see how optimizers move on loss surfaces.\n"
                 "Without a subcommand, opens the window (scene options below choose what it shows).",
                 "optiviz"};
    WindowCommand window;
    TraceCommand trace;
    SweepCommand sweep;
    BasinsCommand basins;
    TuneCommand tune;
    RenderCommand render;
    CLI::App* list = nullptr;
    bool list_as_json = false;

    CommandLine() {
        app.formatter(std::make_shared<HelpFormatter>());  // inherited by the subcommands added below
        app.require_subcommand(0, 1);
        app.set_version_flag("--version", app::version_line(), "print the version and exit");
        window.add_to(app);
        trace.add_to(app);
        app.add_subcommand("train", "train a model (linear, softmax, MLP) on a CSV table or a shipped data set; print the loss per step as CSV");
        sweep.add_to(app);
        basins.add_to(app);
        tune.add_to(app);
        list = app.add_subcommand("list", "list surfaces, presets, overlays and optimizers with their parameters");
        list->add_flag("--json", list_as_json, "the same for programs: commands, options, choices and registries as JSON");
        render.add_to(app);
        app.footer(examples_footer(""));
        for (CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) command->footer(examples_footer(command->get_name()));
        // Unknown words are kept, not thrown, so that they are reported in the order they were typed,
        // with a suggestion (unexpected_argument).
        app.allow_extras();
        for (CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) command->allow_extras();
    }

    // Options that take a value, so that their values can be told from commands.
    std::set<std::string> valued_options() const {
        std::set<std::string> valued;
        for (const CLI::App* command : {static_cast<const CLI::App*>(&app), static_cast<const CLI::App*>(trace.command),
                                        static_cast<const CLI::App*>(render.command), static_cast<const CLI::App*>(sweep.command),
                                        static_cast<const CLI::App*>(basins.command), static_cast<const CLI::App*>(tune.command)})
            for (const auto* opt : command->get_options())
                if (opt->get_expected_min() > 0)
                    for (const auto& name : opt->get_lnames()) valued.insert("--" + name);
        return valued;
    }

    // Parses; std::nullopt when it should go on to a command, else the exit status (help, version,
    // or a parse error already reported).
    std::optional<int> parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
        std::vector<std::string> args = join_option_values(argc, argv, valued_options());
        if (args.size() > 1 && args[0] == "help") {
            const std::vector<std::string> commands = command_names(app);
            if (std::find(commands.begin(), commands.end(), args[1]) == commands.end()) {
                std::string message = unknown_command(app, args[1]);
                if (message.empty()) message = "unknown command '" + printable(args[1]) + "'";
                err << "optiviz: error: " << printable(message, kMaxMessageChars) << " (see optiviz --help)\n";
                return 2;
            }
        }
        args = expand_help_command(std::move(args));
        std::reverse(args.begin(), args.end());  // CLI11 consumes a reversed vector
        try {
            app.parse(args);
        } catch (const CLI::CallForHelp&) {
            out << app.help();  // the chosen command's help, its usage line starting "optiviz COMMAND"
            return 0;
        } catch (const CLI::CallForAllHelp&) {
            out << app.help("", CLI::AppFormatMode::All);
            return 0;
        } catch (const CLI::CallForVersion&) {
            out << app::version_line() << "\n";
            return 0;
        } catch (const CLI::ParseError& e) {
            std::string message = e.what();
            if (const auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
            const std::string help =
                app.get_subcommands().empty() ? "optiviz --help" : "optiviz " + app.get_subcommands().front()->get_name() + " --help";
            err << "optiviz: error: " << printable(message, kMaxMessageChars) << " (see " << help << ")\n";
            return 2;
        }
        const CLI::App* chosen = app.get_subcommands().empty() ? nullptr : app.get_subcommands().front();
        std::string unexpected = chosen || window.files.empty() ? "" : unknown_command(app, window.files.front());
        if (unexpected.empty()) unexpected = unexpected_argument(app, chosen);
        if (!unexpected.empty()) {
            err << "optiviz: error: " << printable(unexpected, kMaxMessageChars) << " (see optiviz "
                << (chosen ? chosen->get_name() + " " : "") << "--help)\n";
            return 2;
        }
        return std::nullopt;
    }

    // Runs the parsed command; without one, asks for the window.
    void dispatch(std::istream& in, std::ostream& out, std::ostream& err, LaunchRequest* launch) {
        if (trace.command->parsed()) return trace.run(in, out, err);
        if (sweep.command->parsed()) return sweep.run(in, out, err);
        if (basins.command->parsed()) return basins.run(in, out, err);
        if (tune.command->parsed()) return tune.run(in, out, err);
        if (list->parsed()) {
            out << (list_as_json ? list_json(app) : list_registries());
            return;
        }
        if (render.command->parsed()) return render.run(in, out, err);
        const LaunchRequest request = window.request(in, err);
        if (launch) *launch = request;
        else out << app.help();
    }
};

}  // namespace

int run(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err, LaunchRequest* launch) {
    if (launch) launch->requested = false;
    // `train` parses its own arguments (app/cli/train_command.h); the parser below only lists it.
    if (argc > 1 && std::string_view(argv[1]) == "train") return train_main({argv + 2, argv + argc}, out, err);
    auto command_line = std::make_unique<CommandLine>();
    if (const std::optional<int> status = command_line->parse(argc, argv, out, err)) return *status;
    try {
        command_line->dispatch(in, out, err, launch);
        return 0;
    } catch (const std::exception& e) {
        // Messages quote file names and content: one line of printable text, whatever they hold.
        err << "optiviz: error: " << printable(e.what(), kMaxMessageChars) << "\n";
        return 2;
    }
}

bool finish_standard_output(std::FILE* stream, std::ostream& err) {
    if (std::fflush(stream) == 0 && !std::ferror(stream)) return true;
    const int error = errno;
    err << "optiviz: error: cannot write to standard output" << (error ? std::string(": ") + std::strerror(error) : std::string())
        << "\n";
    return false;
}

}  // namespace optiviz::cli
