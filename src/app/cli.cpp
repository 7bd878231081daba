// Command-line parsing (the only file that includes CLI11: it costs seconds to compile).
#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/animate_command.h"
#include "app/picture_export.h"
#include "app/render_command.h"
#include "app/scene_options.h"
#include "app/sweep_command.h"
#include "app/train_command.h"
#include "app/tune_command.h"
#include "app/trace_request.h"
#include "app/version.h"
#include "core/atomic_file.h"
#include "core/expression_surface.h"
#include "core/optimizer.h"
#include "core/presets.h"
#include "core/surface_registry.h"
#include "core/text_escape.h"
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
        cmd->add_option("--surface", request.surface, "loss surface (see `optiviz list`); or --expr");
        cmd->add_option("--expr", request.expr, "your own f(x, y), e.g. 'x^2 + 3*sin(y)' (grammar: `optiviz list`)");
        cmd->add_option("--param", request.surface_params, "surface parameter KEY=VALUE (repeatable)");
        cmd->add_option("--data", request.data_path, "CSV dataset (mse, logistic); columns x and y unless --columns");
        cmd->add_option("--columns", request.columns, "the data's x and y columns: names or numbers, e.g. height,weight or 2,3");
        cmd->add_option("--decimal", request.decimal, "the data's decimal mark: . (default) or , (then fields are separated by ; or tabs)");
        cmd->add_option("--optimizer", request.run.optimizer, "optimizer (see `optiviz list`)")->required();
        for (std::size_t i = 0; i < std::size(kHyperValues); ++i)
            hyper_options.push_back(cmd->add_option(kHyperValues[i].option, hyper_values[i], kHyperValues[i].help));
        // A switch alone means 1; --amsgrad=0 and =1 are accepted, anything else is refused later.
        for (std::size_t i = 0; i < std::size(kHyperSwitches); ++i)
            switch_options.push_back(cmd->add_flag(std::string(kHyperSwitches[i].option) + "{1}", switch_values[i],
                                                   kHyperSwitches[i].help));
        cmd->add_option("--etas", request.etas, "ETA_MINUS,ETA_PLUS step-size factors (rprop, 0.5,1.2)");
        cmd->add_option("--step-sizes", request.step_sizes, "MIN,MAX per-coordinate steps (rprop, 1e-6,50)");
        cmd->add_option("--line-search", request.line_search, "none | strong_wolfe (lbfgs)");
        cmd->add_option("--schedule", request.schedule, "constant|step|exp|cosine|plateau");
        cmd->add_option("--gamma", request.gamma, "decay factor (step: 0.1, exp: 0.99)");
        cmd->add_option("--step-size", request.step_size, "steps between decays (step schedule)");
        cmd->add_option("--t-max", request.t_max, "half period in steps (cosine schedule)");
        cmd->add_option("--eta-min", request.eta_min, "lowest learning rate (cosine schedule)");
        cmd->add_option("--factor", request.factor, "plateau: lr *= factor on a plateau (0.1)");
        cmd->add_option("--patience", request.patience, "plateau: steps without improvement tolerated (10)");
        cmd->add_option("--threshold", request.threshold, "plateau: improvement that counts (1e-4)");
        cmd->add_option("--threshold-mode", request.threshold_mode, "plateau: rel (f < best*(1-thr)) | abs (f < best-thr)");
        cmd->add_option("--cooldown", request.cooldown, "plateau: steps after a reduction that count no bad steps (0)");
        cmd->add_option("--min-lr", request.min_lr, "plateau: lowest learning rate (0)");
        cmd->add_option("--clip-norm", request.clip_norm, "clip each gradient to this norm");
        cmd->add_option("--batch-size", request.batch_size, "mini-batch size (mse, logistic)");
        cmd->add_option("--seed", request.seed, "mini-batch shuffling seed");
        cmd->add_option("--tol", request.tol, "converged when the gradient norm is at most this (1e-8)");
        cmd->add_option("--loss-tol", request.loss_tol, "stop when the loss changes by less than this ...");
        cmd->add_option("--loss-patience", request.loss_patience, "... for this many consecutive steps (1)");
        if (with_start) cmd->add_option("--start", request.start, "start point X,Y")->required();
        if (with_steps) cmd->add_option("--steps", request.steps, "number of steps")->required();
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
    app->add_option("--scene", options.scene_path, "scene file (JSON) saved by optiviz");
    app->add_option("--surface", options.surface, "loss surface (see `optiviz list`)");
    app->add_option("--expr", options.expr, "your own f(x, y) instead of --surface (grammar: `optiviz list`)");
    app->add_option("--param", options.params, "surface parameter KEY=VALUE (repeatable)");
    app->add_option("--data", options.data, "CSV dataset (mse, logistic); columns x and y unless --columns");
    app->add_option("--columns", options.columns, "the data's x and y columns: names or numbers");
    app->add_option("--decimal", options.decimal, "the data's decimal mark: . (default) or , (then fields are separated by ; or tabs)");
    app->add_option("--run", options.runs, "a run: OPT[:key=value,...], e.g. adam:lr=0.05 (repeatable)");
    app->add_option("--start", options.start, "start point X,Y");
    app->add_option("--steps", options.steps, "steps per run");
    app->add_option("--step", options.step, "playback step to show (default: the end)");
    app->add_option("--preset", options.preset, "open a teaching preset (see `optiviz list`)");
    app->add_option("--overlay", options.overlays, overlay_help())->type_name("NAME[:k=v,...]");
    app->add_flag("--gradient-field", options.gradient_field, "the same as --overlay gradient-field");
    app->add_option("--glyphs-of", options.glyphs_of, "draw run K's step glyphs (1-based) at the shown step");
    app->add_flag("--glyph-trail", options.glyph_trail, "with --glyphs-of: also along the path");
    app->add_option("--layout", options.layout, "the window's views: map | 3d | both");
    app->add_option("--camera", options.camera, "3-D camera YAW,PITCH,DISTANCE (radians, radians, model units)");
    app->add_flag("--linear-height", options.linear_height, "3-D height proportional to the loss (default: log scale)");
    app->add_flag("--no-mesh-contours", options.no_mesh_contours, "no contour lines on the 3-D mesh");
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, LaunchRequest* launch) {
    if (launch) launch->requested = false;
    // `train` parses its own arguments (app/train_command.h); the subcommand below only lists it.
    if (argc > 1 && std::string_view(argv[1]) == "train") return train_main({argv + 2, argv + argc}, out, err);
    CLI::App app{app::version_line() + ": see how optimizers move on loss surfaces.\n"
                 "Without a subcommand, opens the window (scene options below choose what it shows)."};
    app.require_subcommand(0, 1);
    app.set_version_flag("--version", app::version_line(), "print the version and exit");
    SceneOptions window_scene;
    add_scene_options(&app, window_scene);
    std::string window_size = "1440x900", screenshot;
    int window_frames = 0;
    CLI::Option* window_size_option = app.add_option("--size", window_size, "window size WxH (default: the last session's)");
    app.add_option("--frames", window_frames, "close after this many frames (scripts, smoke tests)");
    app.add_option("--screenshot", screenshot,
                   "with --frames: save the picture (PNG, SVG or PDF by extension) before closing");
    std::string window_capture;
    int basins_of = 0, sweep_of = 0;
    app.add_option("--basins-of", basins_of, "show the basin map of run K (1-based) from the start");
    app.add_option("--sweep-of", sweep_of, "show the sweep map (lr x second parameter) of run K (1-based)");
    bool tune_all = false;
    app.add_flag("--tune-all", tune_all, "tune every run's learning rate on opening (the Tune panel's Tune all)");
    app.add_option("--window-screenshot", window_capture, "with --frames: save the whole window as PNG before closing");
    bool frame_times = false;
    app.add_flag("--frame-times", frame_times, "with --frames: print the mean ms per frame (frames 5 to the last but one)");

    RunOptions trace;
    CLI::App* trace_cmd = app.add_subcommand("trace", "print one optimizer's trajectory as CSV (step,x,y,loss)");
    trace.add_to(trace_cmd, true);

    app.add_subcommand("train", "train a model (linear, softmax, MLP) on a CSV table or a shipped data set; print the loss per step as CSV");
    RunOptions sweep_run;
    SweepRequest sweep;
    CLI::App* sweep_cmd = app.add_subcommand("sweep", "run a grid of hyperparameter settings; write CSV or a PNG map");
    sweep_run.add_to(sweep_cmd, true);
    sweep_cmd->add_option("--x", sweep.x_axis, "first swept parameter NAME=LO:HI:lin|log:COUNT")->required();
    sweep_cmd->add_option("--y", sweep.y_axis, "second swept parameter NAME=LO:HI:lin|log:COUNT")->required();
    sweep_cmd->add_option("--metric", sweep.metric, "final-loss | steps | distance (for the PNG's colours)");
    sweep_cmd->add_option("--out", sweep.out, "FILE.csv or FILE.png")->required();
    sweep_cmd->add_option("--size", sweep.size, "PNG size WxH");
    sweep_cmd->add_option("--starts", sweep.starts, "K runs per cell from jittered starts and seeds, as tune (default 1)");
    sweep_cmd->add_option("--spread", sweep.spread, "start jitter (standard deviation, parameter units; default 0.1)");
    sweep_cmd->add_option("--aggregate", sweep.aggregate, "median | worst of a cell's K runs (map, best line)");

    RunOptions basins_run;
    BasinsRequest basins;
    CLI::App* basins_cmd = app.add_subcommand("basins", "run from every start of a grid; show which minimum each reaches");
    basins_run.add_to(basins_cmd, false);
    basins_cmd->add_option("--grid", basins.grid, "XMIN,XMAX,YMIN,YMAX of the starts")->required();
    basins_cmd->add_option("--res", basins.resolution, "R: an R x R grid of starts")->required();
    basins_cmd->add_option("--radius", basins.radius, "a run belongs to a minimum it ends within this distance of");
    basins_cmd->add_option("--out", basins.out, "FILE.csv or FILE.png")->required();
    basins_cmd->add_option("--size", basins.size, "PNG size WxH");
    basins_cmd->add_option("--starts", basins.starts, "K runs per cell from jittered starts and seeds (default 1)");
    basins_cmd->add_option("--spread", basins.spread, "start jitter as a fraction of the cell size (default 0.25)");
    basins_cmd->add_option("--aggregate", basins.aggregate, "median | worst of a cell's K runs' steps (paleness)");

    RunOptions tune_run;
    TuneCommandRequest tune;
    CLI::App* tune_cmd = app.add_subcommand("tune", "search an optimizer's learning rate on a step budget; print what was tried as CSV");
    tune_run.add_to(tune_cmd, true, false);
    tune_cmd->add_option("--budget", tune.budget, "steps each particle runs")->required();
    tune_cmd->add_option("--starts", tune.starts, "K: particles per setting, the start and K-1 jittered around it (16)");
    tune_cmd->add_option("--spread", tune.spread, "standard deviation of the start jitter (0.1)");
    tune_cmd->add_option("--objective", tune.objective, "median-loss | worst-loss | steps | distance, optionally + -allow-diverged (median-loss)");
    tune_cmd->add_option("--lr-grid", tune.lr_grid, "LO:HI:COUNT log-spaced learning rates (default: the lr slider range)");
    tune_cmd->add_option("--refine", tune.refine, "refinement rounds around the best lr, 0..8 (2)");
    tune_cmd->add_option("--also", tune.also, "one more parameter: NAME (its slider range) or NAME=LO:HI:lin|log:COUNT");

    CLI::App* list_cmd = app.add_subcommand("list", "list surfaces and optimizers with their parameters");

    CLI::App* render_cmd = app.add_subcommand("render", "draw the picture to a PNG, SVG or PDF file (or the playback as a GIF, MP4 or WebM animation), no window needed");
    SceneOptions render_scene;
    add_scene_options(render_cmd, render_scene);
    std::string render_size = "1280x800", render_out;
    int render_frames = 0;
    render_cmd->add_option("--size", render_size, "picture size WxH (up to 3840x2160)");
    render_cmd->add_option("--out", render_out, "FILE.png, FILE.svg or FILE.pdf (vectors) to write (or --animate)");
    render_cmd->add_option("--frames", render_frames, "also time this many frames (mean and 99th percentile)");
    std::string render_view = "landscape";
    render_cmd->add_option("--view", render_view,
                           "landscape | data | both | 3d | map+3d | loss, or one of the first five with +loss (the loss "
                           "plot below; data: regression surfaces)");
    AnimateOptions animate;
    render_cmd->add_option("--animate", animate.path, "write the playback as an animation: FILE.gif, FILE.mp4 or FILE.webm")->type_name("FILE");
    render_cmd->add_option("--fps", animate.fps, "with --animate: frames per second, 1..120 (default 25 for GIF, 30 for video)")->type_name("N");
    render_cmd->add_option("--duration", animate.duration, "with --animate: seconds, the steps spread evenly (default 6)")->type_name("SECONDS");
    render_cmd->add_option("--steps-per-frame", animate.steps_per_frame, "with --animate: a frame every K steps, instead of --duration")->type_name("K");
    render_cmd->add_option("--from", animate.from, "with --animate: the first step shown (default 0)")->type_name("STEP");
    render_cmd->add_option("--to", animate.to, "with --animate: the last step shown (default: the end of the longest run)")->type_name("STEP");

    std::set<std::string> valued;
    for (const CLI::App* command : {static_cast<const CLI::App*>(&app), static_cast<const CLI::App*>(trace_cmd),
                                    static_cast<const CLI::App*>(render_cmd), static_cast<const CLI::App*>(sweep_cmd),
                                    static_cast<const CLI::App*>(basins_cmd), static_cast<const CLI::App*>(tune_cmd)})
        for (const auto* opt : command->get_options())
            if (opt->get_expected_min() > 0)
                for (const auto& name : opt->get_lnames()) valued.insert("--" + name);

    std::vector<std::string> args = join_option_values(argc, argv, valued);
    std::reverse(args.begin(), args.end());  // CLI11 consumes a reversed vector
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp&) {
        out << (app.get_subcommands().empty() ? app.help() : app.get_subcommands().front()->help());
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
        err << "optiviz: error: " << printable(message, kMaxMessageChars) << " (see optiviz --help)\n";
        return 2;
    }

    try {
        if (trace_cmd->parsed()) {
            std::ostringstream csv, notes;
            run_trace(trace.finish(), csv, notes);
            out << csv.str();
            err << notes.str();
            return 0;
        }
        if (sweep_cmd->parsed()) {
            sweep.run = sweep_run.finish();
            std::ostringstream report, notes;
            run_sweep_command(sweep, report, notes);
            out << report.str();
            err << notes.str();
            return 0;
        }
        if (basins_cmd->parsed()) {
            basins.run = basins_run.finish();
            std::ostringstream report, notes;
            run_basins_command(basins, report, notes);
            out << report.str();
            err << notes.str();
            return 0;
        }
        if (tune_cmd->parsed()) {
            tune.run = tune_run.finish();
            std::ostringstream table, notes;
            run_tune_command(tune, table, notes);
            out << table.str();
            err << notes.str();
            return 0;
        }
        if (list_cmd->parsed()) {
            out << list_registries();
            return 0;
        }
        if (render_cmd->parsed()) {
            RenderRequest request;
            request.scene = build_scene(render_scene);
            parse_size(render_size, request.width, request.height);
            request.out_path = render_out;
            if (render_frames < 0) throw std::invalid_argument("--frames must be >= 0");
            request.frames = render_frames;
            request.view = render_view;
            if (render_out.empty() && animate.path.empty())
                throw std::invalid_argument("--out is required (or --animate FILE.gif|FILE.mp4|FILE.webm for an animation)");
            if (!render_out.empty() && !animate.path.empty())
                throw std::invalid_argument("--out and --animate: give one of them");
            if (!animate.path.empty()) {
                if (render_frames > 0) throw std::invalid_argument("--frames times still pictures; it does not go with --animate");
                if (render_scene.step) throw std::invalid_argument("--step shows one step; with --animate use --from and --to");
                std::ostringstream report;
                run_animate(request, animate, report, err);
                out << report.str();
                return 0;
            }
            if (const std::string stray = animate.stray_option(); !stray.empty())
                throw std::invalid_argument(stray + " needs --animate");
            std::ostringstream report;
            run_render(request, report);
            out << report.str();
            return 0;
        }
        // No subcommand: the window.
        LaunchRequest request;
        request.scene = build_scene(window_scene);
        parse_size(window_size, request.window.width, request.window.height);
        request.window.size_given = window_size_option->count() > 0;
        if (window_frames < 0) throw std::invalid_argument("--frames must be >= 0");
        request.window.frames = window_frames;
        request.window.screenshot_path = screenshot;
        request.window.window_capture_path = window_capture;
        const auto runs = static_cast<int>(request.scene.runs.size());
        if (basins_of < 0 || basins_of > runs) throw std::invalid_argument("--basins-of: no run " + std::to_string(basins_of));
        if (sweep_of < 0 || sweep_of > runs) throw std::invalid_argument("--sweep-of: no run " + std::to_string(sweep_of));
        request.window.analysis.basins = basins_of > 0;
        request.window.analysis.basin_run = std::max(basins_of - 1, 0);
        request.window.analysis.sweep = sweep_of > 0;
        request.window.analysis.sweep_run = std::max(sweep_of - 1, 0);
        request.window.tune_all = tune_all;
        request.window.frame_times = frame_times;
        if (frame_times && window_frames <= app::WindowOptions::kTimedFrom + 1)
            throw std::invalid_argument("--frame-times needs --frames N with N > " + std::to_string(app::WindowOptions::kTimedFrom + 1));
        if (!window_capture.empty() && window_frames == 0) throw std::invalid_argument("--window-screenshot needs --frames N");
        if (!screenshot.empty() && window_frames == 0) throw std::invalid_argument("--screenshot needs --frames N");
        for (const std::string* path : {&screenshot, &window_capture})
            if (!path->empty()) check_output_path(*path);  // refused now, not after the frames
        if (!screenshot.empty()) app::picture_format(screenshot);  // .png, .svg or .pdf
        request.requested = true;
        if (launch) *launch = request;
        else out << app.help();
        return 0;
    } catch (const std::exception& e) {
        // Messages quote file names and content: one line of printable text, whatever they hold.
        err << "optiviz: error: " << printable(e.what(), kMaxMessageChars) << "\n";
        return 2;
    }
}

}  // namespace optiviz::cli
