// Every integer field, in scene files, run specs and on the command line, is checked as a number in
// range before it becomes an integer: each hostile value gets one line naming the field and its range,
// fractions are refused (never truncated), and the extremes of the range are accepted as they are.
#include "support/catch.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli/cli.h"
#include "core/io/limits.h"
#include "core/scene/scene.h"
#include "core/io/text_escape.h"

using namespace optiviz;
using nlohmann::json;

namespace {

struct SceneField {
    std::vector<std::string> keys;  // the JSON path, e.g. {"runs", "0", "schedule", "patience"}
    std::string shown;              // as messages name it
    double lo, hi;
};

json& at_path(json& root, const std::vector<std::string>& keys) {
    json* node = &root;
    for (const std::string& k : keys) node = k == "0" ? &(*node)[0] : &(*node)[k];
    return *node;
}

std::string scene_error(const json& scene) {
    try {
        const Scene loaded = scene_from_json(scene.dump(), "s.json");
        (void)loaded;
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        CHECK(is_printable_line(message));
        return message;
    }
    return "(loaded)";
}

std::string range_message(const SceneField& f, const std::string& got) {
    char range[128];
    std::snprintf(range, sizeof range, " must be a whole number from %.17g to %.17g, got ", f.lo, f.hi);
    return "s.json: " + f.shown + range + got;
}

std::string cli_error(std::vector<std::string> args) {
    args.insert(args.begin(), "optiviz");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int status = cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
    if (status == 0) return "(ran)";
    CHECK(status == 2);
    std::string message = err.str();
    CHECK(std::count(message.begin(), message.end(), '\n') == 1);
    CHECK(out.str().empty());
    return message;
}

}  // namespace

TEST_CASE("scene integer fields: hostile numbers get one line naming the field", "[scene][limits][integers]") {
    json base = json::parse(scene_to_json(default_scene()));
    base["runs"] = json::array({base["runs"][0]});
    base["runs"][0]["schedule"] = {{"kind", "plateau"}};
    base["runs"][0]["stop"] = {{"loss_tol", 1e-3}};
    const double max_rows = static_cast<double>(limits::kMaxDataRows), period = static_cast<double>(limits::kMaxSchedulePeriod);
    const double patience = static_cast<double>(limits::kMaxPatience);
    const std::vector<SceneField> fields = {
        {{"steps"}, "steps", 0, static_cast<double>(limits::kMaxSteps)},
        {{"step"}, "step", -1, static_cast<double>(limits::kMaxSteps)},
        {{"runs", "0", "schedule", "patience"}, "runs[0].schedule.patience", 0, patience},
        {{"runs", "0", "schedule", "cooldown"}, "runs[0].schedule.cooldown", 0, patience},
        {{"runs", "0", "schedule", "step_size"}, "runs[0].schedule.step_size", 0, period},
        {{"runs", "0", "schedule", "t_max"}, "runs[0].schedule.t_max", 0, period},
        {{"runs", "0", "stop", "loss_patience"}, "runs[0].stop.loss_patience", 1, patience},
        {{"runs", "0", "batch_size"}, "runs[0].batch_size", 0, max_rows},
        {{"runs", "0", "cloud"}, "runs[0].cloud", 0, static_cast<double>(limits::kMaxCloud)},
        {{"runs", "0", "color"}, "runs[0].color", 0, 16777215},
        {{"surface", "data", "synthetic", "rows"}, "surface.data.synthetic.rows", 2, max_rows},
        {{"surface", "data", "synthetic", "outliers"}, "surface.data.synthetic.outliers", 0, max_rows},
        {{"surface", "data", "anscombe"}, "surface.data.anscombe", 1, 4},
    };
    for (const SceneField& f : fields) {
        INFO(f.shown);
        const auto with = [&](const json& value) {
            json s = base;
            if (f.keys[0] == "surface") s["surface"]["data"] = json::object();  // one dataset kind at a time
            at_path(s, f.keys) = value;
            return scene_error(s);
        };
        CHECK(with(1e30) == range_message(f, "1e+30"));
        CHECK(with(-1e30) == range_message(f, "-1e+30"));
        CHECK(with(9223372036854775808.0) == range_message(f, "9.223372036854776e+18"));
        CHECK(with(json::parse("9223372036854775808")) == range_message(f, "9223372036854775808"));  // 2^63 exactly
        CHECK(with(1e-300) == range_message(f, "1e-300"));
        CHECK(with(f.lo + 0.5) == range_message(f, json(f.lo + 0.5).dump()));  // a fraction is refused, not truncated
        CHECK(with(f.hi + 1) == range_message(f, json(f.hi + 1).dump()));
        CHECK(with(f.lo - 1) == range_message(f, json(f.lo - 1).dump()));
        // JSON has no NaN or infinity: they are written as null, which is not a number.
        CHECK(with(std::numeric_limits<double>::quiet_NaN()) == "s.json: " + f.shown + ": expected a number, got null");
        CHECK(with(HUGE_VAL) == "s.json: " + f.shown + ": expected a number, got null");
        CHECK(with(true) == "s.json: " + f.shown + ": expected a number, got true");
        // The range's ends pass the range check (later checks may still refuse them, in their own words).
        for (double ok : {f.lo, f.hi, std::max(f.lo, 0.0)}) {
            const std::string error = with(static_cast<long long>(ok));
            CHECK(error.find("must be a whole number") == std::string::npos);
        }
    }
}

TEST_CASE("scene type errors name the key and the value", "[scene][limits][integers]") {
    json s = json::parse(scene_to_json(default_scene()));
    s["runs"][1]["hyper"]["lr"] = "fast";
    CHECK(scene_error(s) == "s.json: runs[1].hyper.lr: expected a number, got \"fast\"");
    s = json::parse(scene_to_json(default_scene()));
    s["runs"][0]["visible"] = 3;
    CHECK(scene_error(s) == "s.json: runs[0].visible: expected a boolean, got 3");
    s = json::parse(scene_to_json(default_scene()));
    s["runs"][0]["stop"] = {{"stop_at_tol", "yes"}};
    CHECK(scene_error(s) == "s.json: runs[0].stop.stop_at_tol: expected a boolean, got \"yes\"");
    s = json::parse(scene_to_json(default_scene()));
    s["runs"][2]["schedule"] = true;
    CHECK(scene_error(s) == "s.json: runs[2].schedule: expected an object, got true");
    s = json::parse(scene_to_json(default_scene()));
    s["surface"].erase("name");
    CHECK(scene_error(s) == "s.json: surface: missing key 'name'");
    s = json::parse(scene_to_json(default_scene()));
    s["surface"]["name"] = 3;
    CHECK(scene_error(s) == "s.json: surface.name: expected a string, got 3");
    s = json::parse(scene_to_json(default_scene()));
    s["caption"] = 12;
    CHECK(scene_error(s) == "s.json: caption: expected a string, got 12");
    s = json::parse(scene_to_json(default_scene()));
    s["runs"][0]["label"] = std::string(300, 'x') + "\x1b[2J";  // long and with a control byte: cut and escaped
    const std::string long_label = scene_error(s);
    CHECK(long_label == "s.json: runs[0].label: 304 bytes; the limit is 256");
    s = json::parse(scene_to_json(default_scene()));
    s["caption"] = std::string(limits::kMaxCaptionBytes + 1, 'W');
    CHECK(scene_error(s) == "s.json: caption: 4097 bytes; the limit is 4096");
    s["caption"] = std::string(limits::kMaxCaptionBytes, 'W');
    CHECK(scene_error(s) == "(loaded)");
}

TEST_CASE("run-spec and command-line integer fields refuse hostile numbers in one line", "[cli][limits][integers]") {
    struct Option {
        std::string flag, key;  // --flag on `trace`, key in a --run spec ("" when it has none)
        std::vector<std::string> needs;  // other options it needs to be accepted
    };
    const std::vector<std::string> trace = {"trace", "--surface", "rosenbrock", "--optimizer", "sgd", "--lr", "0.001", "--start", "0,0"};
    const std::vector<Option> options = {
        {"--steps", "", {}},
        {"--patience", "patience", {"--schedule", "plateau"}},
        {"--cooldown", "cooldown", {"--schedule", "plateau"}},
        {"--loss-patience", "loss_patience", {"--loss-tol", "0.001"}},
        {"--step-size", "step_size", {"--schedule", "step"}},
        {"--t-max", "t_max", {"--schedule", "cosine"}},
        {"--batch-size", "batch_size", {}},
        {"--seed", "seed", {}},
    };
    for (const Option& o : options) {
        for (const std::string value : {"1e30", "-1e30", "nan", "inf", "9223372036854775808", "1e-300", "1.5", "-1",
                                        "99999999999999999999999999"}) {
            INFO(o.flag << " " << value);
            std::vector<std::string> args = trace;
            args.insert(args.end(), o.needs.begin(), o.needs.end());
            if (o.flag != "--steps") args.insert(args.end(), {"--steps", "3"});
            args.insert(args.end(), {o.flag, value});
            const std::string error = cli_error(args);
            CHECK(error.find(o.flag) != std::string::npos);  // names the option
            if (!o.key.empty()) {
                try {
                    parse_run_spec("sgd:lr=0.001," + o.key + "=" + value, 0);
                    FAIL("accepted " << o.key << "=" << value);
                } catch (const std::invalid_argument& e) {
                    CHECK(std::string(e.what()).find(o.key) != std::string::npos);
                }
            }
        }
    }
    // In range is accepted as it is.
    CHECK(cli_error({"trace", "--surface", "rosenbrock", "--optimizer", "sgd", "--lr", "0.001", "--start", "0,0", "--steps",
                     "2", "--schedule", "plateau", "--patience", "1000000000000"}) == "(ran)");
    CHECK(parse_run_spec("sgd:lr=0.001,schedule=plateau,patience=1000000000000", 0).config.schedule.patience == 1'000'000'000'000);
    CHECK(parse_run_spec("sgd:lr=0.001,loss_tol=0.1,loss_patience=7", 0).config.stop.loss_patience == 7);
}

TEST_CASE("run-spec integer keys: the bound is accepted and one past it refused", "[scene][limits][integers]") {
    const std::string max = std::to_string(limits::kMaxPatience), past = std::to_string(limits::kMaxPatience + 1);
    for (const std::string key : {"patience", "cooldown", "loss_patience"}) {
        INFO(key);
        const std::string extra = key == "loss_patience" ? "loss_tol=0.001," : "schedule=plateau,";
        CHECK_NOTHROW(parse_run_spec("sgd:" + extra + key + "=" + max, 0));
        CHECK_THROWS_WITH(parse_run_spec("sgd:" + extra + key + "=" + past, 0), Catch::Contains(past));
        CHECK_THROWS(parse_run_spec("sgd:" + extra + key + "=-1", 0));
    }
}
