#include "app/derived/imported_runs.h"
#include "ui/overlay.h"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "core/io/file_read.h"
#include "core/io/limits.h"
#include "core/io/text_escape.h"

namespace optiviz::app {

namespace {

constexpr std::string_view kLabelSuffix = ":label=";

}  // namespace

std::vector<RunSpec> imported_runs(const std::string& spec, const std::optional<std::string>& stdin_text, std::size_t first_index) {
    std::string file = spec, label;
    if (const auto at = spec.rfind(kLabelSuffix); at != std::string::npos) {
        file = spec.substr(0, at);
        label = spec.substr(at + kLabelSuffix.size());
        if (label.empty()) throw std::invalid_argument("--trajectory " + printable(spec) + ": the label is empty");
    }
    if (file.empty()) throw std::invalid_argument("--trajectory: expected FILE.csv or - (standard input)");
    std::vector<ImportedPath> paths;
    if (file == "-") {
        if (!stdin_text) throw std::invalid_argument("--trajectory -: standard input is not available here");
        paths = parse_imported_paths(*stdin_text, kStandardInputName);
    } else {
        paths = load_imported_paths(file);
    }
    std::vector<RunSpec> runs;
    for (ImportedPath& path : paths) {
        RunSpec run;
        if (!label.empty()) run.label = paths.size() == 1 ? label : label + " run " + path.run;
        if (run.label.size() > limits::kMaxLabelBytes)
            throw std::invalid_argument("--trajectory " + printable(spec) + ": the label is longer than " +
                                        std::to_string(limits::kMaxLabelBytes) + " bytes");
        run.color = run_palette(first_index + runs.size());
        run.imported.path = std::make_shared<const ImportedPath>(std::move(path));
        runs.push_back(std::move(run));
    }
    return runs;
}

namespace {

// The runs of a file the window was given (never standard input).
std::vector<RunSpec> load_runs(const std::string& file, std::size_t first_index) {
    const std::optional<std::string> no_input;
    return imported_runs(file, no_input, first_index);
}

}  // namespace

bool add_trajectory_file(AppState& state, const std::string& path) {
    Scene& scene = state.scene();
    try {
        // Kept absolute, so a scene saved in another folder still finds the file.
        std::error_code error;
        const std::filesystem::path absolute = std::filesystem::absolute(path, error);
        const std::string file = error ? path : absolute.lexically_normal().string();
        std::vector<RunSpec> runs = load_runs(file, scene.runs.size());
        const std::size_t added = runs.size();
        // The scene with them must still be valid (at most limits::kMaxRuns runs, within the memory budget).
        Scene next = scene;
        next.runs.insert(next.runs.end(), std::make_move_iterator(runs.begin()), std::make_move_iterator(runs.end()));
        validate_scene(next, ui::overlay_extra_paths(next));
        scene = std::move(next);
        state.panel.message = "added " + std::to_string(added) + (added == 1 ? " run" : " runs") + " from " + path;
        state.panel.message_is_error = false;
        state.panel.last_file = path;
        return true;
    } catch (const std::invalid_argument& e) {
        state.panel.message = e.what();
        state.panel.message_is_error = true;
        return false;
    }
}

bool is_trajectory_file(const std::string& path) {
    try {
        return looks_like_trajectory_csv(read_regular_file(path, "trajectory file", limits::kMaxDataFileBytes));
    } catch (const std::invalid_argument&) {
        return false;
    }
}

}  // namespace optiviz::app
