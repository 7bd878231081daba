// Command-line parsing (the only file that includes CLI11: it costs seconds to compile).
#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/render_command.h"
#include "app/scene_options.h"
#include "app/trace_request.h"
#include "core/optimizer.h"
#include "core/surface_registry.h"

namespace optiviz::cli {

namespace {

// Options whose value may look like an option itself (`--start -1.5,2`, `--lr -1`). CLI11 would read
// "-1.5,2" as a short flag, so such pairs are joined into `--start=-1.5,2` before parsing.
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
    os << "optimizers:\n";
    for (const auto& o : optimizer_registry()) {
        os << "  " << o.name << ": " << o.rule << "\n";
        params(o.params);
    }
    return os.str();
}

void add_scene_options(CLI::App* app, SceneOptions& options) {
    app->add_option("--scene", options.scene_path, "scene file (JSON) saved by optiviz");
    app->add_option("--surface", options.surface, "loss surface (see `optiviz list`)");
    app->add_option("--param", options.params, "surface parameter KEY=VALUE (repeatable)");
    app->add_option("--data", options.data, "CSV dataset with header x,y (mse)");
    app->add_option("--run", options.runs, "a run: OPT[:key=value,...], e.g. adam:lr=0.05 (repeatable)");
    app->add_option("--start", options.start, "start point X,Y");
    app->add_option("--steps", options.steps, "steps per run");
    app->add_option("--step", options.step, "playback step to show (default: the end)");
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, LaunchRequest* launch) {
    if (launch) launch->requested = false;
    CLI::App app{"optiviz: see how optimizers move on loss surfaces.\n"
                 "Without a subcommand, opens the window (scene options below choose what it shows)."};
    app.require_subcommand(0, 1);
    SceneOptions window_scene;
    add_scene_options(&app, window_scene);
    std::string window_size = "1440x900", screenshot;
    int window_frames = 0;
    app.add_option("--size", window_size, "window size WxH");
    app.add_option("--frames", window_frames, "close after this many frames (scripts, smoke tests)");
    app.add_option("--screenshot", screenshot, "with --frames: save the landscape as PNG before closing");
    std::string window_capture;
    app.add_option("--window-screenshot", window_capture, "with --frames: save the whole window as PNG before closing");

    TraceRequest trace;
    std::vector<std::string> hyper_values(std::size(kHyperValues));
    std::vector<bool> hyper_given(std::size(kHyperValues), false);
    bool switches[std::size(kHyperSwitches)] = {};

    CLI::App* trace_cmd = app.add_subcommand("trace", "print one optimizer's trajectory as CSV (step,x,y,loss)");
    trace_cmd->add_option("--surface", trace.surface, "loss surface (see `optiviz list`)")->required();
    trace_cmd->add_option("--param", trace.surface_params, "surface parameter KEY=VALUE (repeatable)");
    trace_cmd->add_option("--data", trace.data_path, "CSV dataset with header x,y (mse)");
    trace_cmd->add_option("--optimizer", trace.run.optimizer, "optimizer (see `optiviz list`)")->required();
    std::vector<CLI::Option*> hyper_options;
    for (std::size_t i = 0; i < std::size(kHyperValues); ++i)
        hyper_options.push_back(trace_cmd->add_option(kHyperValues[i].option, hyper_values[i], kHyperValues[i].help));
    for (std::size_t i = 0; i < std::size(kHyperSwitches); ++i)
        trace_cmd->add_flag(kHyperSwitches[i].option, switches[i], kHyperSwitches[i].help);
    trace_cmd->add_option("--schedule", trace.schedule, "constant|step|exp|cosine");
    trace_cmd->add_option("--gamma", trace.gamma, "decay factor (step: 0.1, exp: 0.99)");
    trace_cmd->add_option("--step-size", trace.step_size, "steps between decays (step schedule)");
    trace_cmd->add_option("--t-max", trace.t_max, "half period in steps (cosine schedule)");
    trace_cmd->add_option("--eta-min", trace.eta_min, "lowest learning rate (cosine schedule)");
    trace_cmd->add_option("--clip-norm", trace.clip_norm, "clip each gradient to this norm");
    trace_cmd->add_option("--batch-size", trace.batch_size, "mini-batch size (mse)");
    trace_cmd->add_option("--seed", trace.seed, "mini-batch shuffling seed");
    trace_cmd->add_option("--tol", trace.tol, "report convergence when the gradient norm is at most this (1e-8)");
    trace_cmd->add_option("--start", trace.start, "start point X,Y")->required();
    trace_cmd->add_option("--steps", trace.steps, "number of steps")->required();

    CLI::App* list_cmd = app.add_subcommand("list", "list surfaces and optimizers with their parameters");

    CLI::App* render_cmd = app.add_subcommand("render", "draw the landscape picture to a PNG file, no window needed");
    SceneOptions render_scene;
    add_scene_options(render_cmd, render_scene);
    std::string render_size = "1280x800", render_out;
    int render_frames = 0;
    render_cmd->add_option("--size", render_size, "picture size WxH (up to 3840x2160)");
    render_cmd->add_option("--out", render_out, "PNG file to write")->required();
    render_cmd->add_option("--frames", render_frames, "also time this many frames (mean and 99th percentile)");

    std::set<std::string> valued;
    for (const CLI::App* command : {static_cast<const CLI::App*>(&app), static_cast<const CLI::App*>(trace_cmd),
                                    static_cast<const CLI::App*>(render_cmd)})
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
    } catch (const CLI::ParseError& e) {
        std::string message = e.what();
        if (const auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
        err << "optiviz: error: " << message << " (see optiviz --help)\n";
        return 2;
    }

    try {
        if (trace_cmd->parsed()) {
            for (std::size_t i = 0; i < std::size(kHyperValues); ++i)
                if (hyper_options[i]->count() > 0) trace.hyper_text.emplace_back(kHyperValues[i].key, hyper_values[i]);
            for (std::size_t i = 0; i < std::size(kHyperSwitches); ++i)
                if (switches[i]) trace.run.hyper[kHyperSwitches[i].key] = 1.0;
            std::ostringstream csv, notes;
            run_trace(trace, csv, notes);
            out << csv.str();
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
            std::ostringstream report;
            run_render(request, report);
            out << report.str();
            return 0;
        }
        // No subcommand: the window.
        LaunchRequest request;
        request.scene = build_scene(window_scene);
        parse_size(window_size, request.window.width, request.window.height);
        if (window_frames < 0) throw std::invalid_argument("--frames must be >= 0");
        request.window.frames = window_frames;
        request.window.screenshot_path = screenshot;
        request.window.window_capture_path = window_capture;
        if (!window_capture.empty() && window_frames == 0) throw std::invalid_argument("--window-screenshot needs --frames N");
        if (!screenshot.empty() && window_frames == 0) throw std::invalid_argument("--screenshot needs --frames N");
        request.requested = true;
        if (launch) *launch = request;
        else out << app.help();
        return 0;
    } catch (const std::exception& e) {
        err << "optiviz: error: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace optiviz::cli
