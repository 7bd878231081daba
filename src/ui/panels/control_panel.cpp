#include "ui/panels/control_panel.h"
#include "ui/panels/model_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <optional>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/io/limits.h"
#include "core/optimizers/optimizer.h"
#include "core/scene/presets.h"
#include "core/surfaces/surface_registry.h"
#include "ui/panels/imported_run_panel.h"
#include "ui/panels/overlay_panel.h"
#include "ui/panels/slider.h"

namespace optiviz::ui {

namespace {

ImVec4 to_color(std::uint32_t c) {
    return {((c >> 16) & 0xFF) / 255.f, ((c >> 8) & 0xFF) / 255.f, (c & 0xFF) / 255.f, 1.f};
}

std::uint32_t from_color(const float rgb[3]) {
    auto channel = [](float v) { return static_cast<std::uint32_t>(std::lround(std::clamp(v, 0.f, 1.f) * 255)); };
    return (channel(rgb[0]) << 16) | (channel(rgb[1]) << 8) | channel(rgb[2]);
}

bool optimizer_combo(const char* label, std::string& name) {
    bool changed = false;
    if (ImGui::BeginCombo(label, std::string(find_optimizer(name).title).c_str())) {
        for (const auto& info : optimizer_registry()) {
            if (ImGui::Selectable(std::string(info.title).c_str(), info.name == name)) {
                changed = name != info.name;
                name = std::string(info.name);
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(info.rule).c_str());
        }
        ImGui::EndCombo();
    }
    return changed;
}

bool schedule_editor(LrSchedule& s) {
    bool changed = false;
    const ScheduleKind kinds[] = {ScheduleKind::Constant, ScheduleKind::Step, ScheduleKind::Exponential, ScheduleKind::Cosine,
                                  ScheduleKind::Plateau};
    if (ImGui::BeginCombo("schedule", std::string(schedule_name(s.kind)).c_str())) {
        for (const ScheduleKind kind : kinds)
            if (ImGui::Selectable(std::string(schedule_name(kind)).c_str(), kind == s.kind)) {
                changed = changed || kind != s.kind;
                s.kind = kind;
            }
        ImGui::EndCombo();
    }
    if (s.kind == ScheduleKind::Step || s.kind == ScheduleKind::Exponential) {
        double gamma = s.effective_gamma();
        static constexpr double kGammaMin = 0.5, kGammaMax = 1.0;
        if (slider_scalar("gamma", ImGuiDataType_Double, &gamma, &kGammaMin, &kGammaMax, "%.4f")) {
            s.gamma = std::clamp(gamma, 0.0, 1.0);
            changed = true;
        }
    }
    if (s.kind == ScheduleKind::Step) {
        int step_size = static_cast<int>(s.step_size);
        if (slider_int("step size", &step_size, 1, 2000, "%d", ImGuiSliderFlags_Logarithmic)) {
            s.step_size = std::max(step_size, 1);
            changed = true;
        }
    }
    if (s.kind == ScheduleKind::Cosine) {
        int t_max = static_cast<int>(s.t_max);
        if (slider_int("T max", &t_max, 1, 10000, "%d", ImGuiSliderFlags_Logarithmic)) {
            s.t_max = std::max(t_max, 1);
            changed = true;
        }
        double eta = s.eta_min;
        if (ImGui::InputDouble("eta min", &eta, 0, 0, "%.3g") && eta >= 0 && std::isfinite(eta)) {
            s.eta_min = eta;
            changed = true;
        }
    }
    if (s.kind == ScheduleKind::Plateau) {
        // ReduceLROnPlateau's fields, with torch's defaults.
        static constexpr double kFactorMin = 0.01, kFactorMax = 0.99, kZero = 0.0, kThresholdMax = 0.5;
        changed = slider_scalar("factor", ImGuiDataType_Double, &s.factor, &kFactorMin, &kFactorMax, "%.3g") || changed;
        int patience = static_cast<int>(s.patience), cooldown = static_cast<int>(s.cooldown);
        if (slider_int("patience", &patience, 0, 200, "%d", ImGuiSliderFlags_Logarithmic)) {
            s.patience = std::max(patience, 0);
            changed = true;
        }
        changed = slider_scalar("threshold", ImGuiDataType_Double, &s.threshold, &kZero, &kThresholdMax, "%.2g",
                                      ImGuiSliderFlags_Logarithmic) || changed;
        bool absolute = s.threshold_mode == ThresholdMode::Abs;
        if (ImGui::Checkbox("absolute threshold", &absolute)) {
            s.threshold_mode = absolute ? ThresholdMode::Abs : ThresholdMode::Rel;
            changed = true;
        }
        if (slider_int("cooldown", &cooldown, 0, 200)) {
            s.cooldown = std::max(cooldown, 0);
            changed = true;
        }
        double min_lr = s.min_lr;
        if (ImGui::InputDouble("min lr", &min_lr, 0, 0, "%.3g") && min_lr >= 0 && std::isfinite(min_lr)) {
            s.min_lr = min_lr;
            changed = true;
        }
    }
    return changed;
}

// The loss-change stopping rule: stop when the loss changes by less than `loss tol` for `patience`
// consecutive steps (0: off).
bool stop_rule_editor(StopRule& stop) {
    bool changed = false;
    double tol = stop.loss_tol;
    if (ImGui::InputDouble("stop: loss change <", &tol, 0, 0, tol > 0 ? "%.3g" : "off") && tol >= 0 && std::isfinite(tol)) {
        stop.loss_tol = tol;
        changed = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("stop the run when the loss changes by less than this (0: never)");
    if (stop.loss_tol > 0) {
        int patience = static_cast<int>(stop.loss_patience);
        if (slider_int("for steps", &patience, 1, 100)) {
            stop.loss_patience = std::max(patience, 1);
            changed = true;
        }
    }
    return changed;
}

// The quadratic's natural controls: condition number κ and rotation θ of its Hessian, which is
// R(θ)·diag(1, κ)·R(θ)ᵀ, i.e. a = cos²θ + κ sin²θ, b = sin²θ + κ cos²θ, c = (1 − κ) sinθ cosθ.
bool quadratic_shape_sliders(ParamOverrides& params) {
    const double a = params.count("a") ? params.at("a") : 1.0;
    const double b = params.count("b") ? params.at("b") : 10.0;
    const double c = params.count("c") ? params.at("c") : 0.0;
    // Recover (scale, κ, θ) from the current Hessian so the sliders start where the surface is.
    const double mean = (a + b) / 2, radius = std::hypot((a - b) / 2, c);
    const double low = mean - radius, high = mean + radius;
    if (!(low > 0)) {
        ImGui::TextDisabled("(not convex: condition number undefined)");
        return false;
    }
    double kappa = high / low;
    double theta_deg = 0.5 * std::atan2(-2 * c, b - a) * 180.0 / 3.14159265358979323846;
    if (theta_deg == 0.0) theta_deg = 0.0;  // no "-0.0" on the slider
    static constexpr double kKappaMin = 1.0, kKappaMax = 1000.0, kThetaMin = -90.0, kThetaMax = 90.0;
    bool changed = slider_scalar("condition κ", ImGuiDataType_Double, &kappa, &kKappaMin, &kKappaMax, "%.3g",
                                       ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_NoInput);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("ratio of the largest to the smallest curvature");
    changed = slider_scalar("rotation θ°", ImGuiDataType_Double, &theta_deg, &kThetaMin, &kThetaMax, "%.1f",
                                  ImGuiSliderFlags_NoInput) || changed;
    if (!changed) return false;
    const double t = theta_deg * 3.14159265358979323846 / 180.0, s2 = std::sin(t) * std::sin(t), c2 = std::cos(t) * std::cos(t);
    params["a"] = low * (c2 + kappa * s2);
    params["b"] = low * (s2 + kappa * c2);
    params["c"] = low * (1.0 - kappa) * std::sin(t) * std::cos(t);
    return true;
}

// The dataset of a regression surface: a synthetic generator, Anscombe's quartet or a CSV file,
// the standardise switch and the residuals. Returns true when the data changed.
// A path typed in a field, with a "..." button for the native file dialog when the app has one.
void path_field(const char* label, std::string& path, const PanelState& panel, FilePurpose purpose,
                PanelCommands& commands) {
    if (!panel.file_dialogs) {
        ImGui::InputText(label, &path);
        return;
    }
    const ImGuiStyle& style = ImGui::GetStyle();
    const float button = ImGui::CalcTextSize("...").x + style.FramePadding.x * 2;
    ImGui::SetNextItemWidth(std::max(ImGui::CalcItemWidth() - button - style.ItemInnerSpacing.x, ImGui::GetFontSize() * 4));
    ImGui::InputText(("##" + std::string(label)).c_str(), &path);
    ImGui::SameLine(0, style.ItemInnerSpacing.x);
    if (ImGui::Button(("...##" + std::string(label)).c_str())) commands.choose_file = purpose;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("choose a file");
    ImGui::SameLine(0, style.ItemInnerSpacing.x);
    const std::string shown(label, std::string_view(label).find("##"));
    ImGui::TextUnformatted(shown.c_str());
}

bool dataset_editor(Scene& scene, PanelState& panel, PanelCommands& commands) {
    DatasetChoice& d = scene.data;
    bool changed = false;
    const char* kinds[] = {"synthetic", "Anscombe I", "Anscombe II", "Anscombe III", "Anscombe IV", "CSV file"};
    int current = d.kind == DatasetChoice::Kind::Synthetic ? 0 : d.kind == DatasetChoice::Kind::Anscombe ? d.anscombe : 5;
    if (d.kind == DatasetChoice::Kind::Inline) ImGui::TextDisabled("data: %zu rows saved in the scene", d.rows_x.size());
    if (ImGui::Combo("data", &current, kinds, 6)) {
        if (current == 0) d.kind = DatasetChoice::Kind::Synthetic;
        else if (current <= 4) d.kind = DatasetChoice::Kind::Anscombe, d.anscombe = current;
        changed = current != 5;
        if (current == 5) d.kind = DatasetChoice::Kind::File, changed = !d.path.empty();
    }
    if (d.kind == DatasetChoice::Kind::Synthetic) {
        SyntheticDatasetSpec& g = d.synthetic;
        int rows = static_cast<int>(g.rows), outliers = static_cast<int>(g.outliers), seed = static_cast<int>(g.seed);
        static constexpr double kSlope = 10, kNoiseMax = 5, kOffset = 100, kScaleMin = 0.1, kScaleMax = 50;
        static constexpr double kMinus = -10, kZero = 0, kOffsetMin = -100;
        changed = slider_int("rows", &rows, 2, static_cast<int>(limits::kSliderMaxRows), "%d", ImGuiSliderFlags_Logarithmic) || changed;
        changed = slider_scalar("slope", ImGuiDataType_Double, &g.slope, &kMinus, &kSlope, "%.3g") || changed;
        changed = slider_scalar("intercept", ImGuiDataType_Double, &g.intercept, &kMinus, &kSlope, "%.3g") || changed;
        changed = slider_scalar("noise", ImGuiDataType_Double, &g.noise, &kZero, &kNoiseMax, "%.3g") || changed;
        changed = slider_scalar("x offset", ImGuiDataType_Double, &g.x_offset, &kOffsetMin, &kOffset, "%.3g") || changed;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("offset x stretches the landscape into a narrow valley");
        changed = slider_scalar("x scale", ImGuiDataType_Double, &g.x_scale, &kScaleMin, &kScaleMax, "%.3g",
                                      ImGuiSliderFlags_Logarithmic) || changed;
        changed = slider_int("outliers", &outliers, 0, std::min(rows, 20)) || changed;
        changed = ImGui::InputInt("seed", &seed) || changed;
        g.rows = static_cast<std::size_t>(std::max(rows, 2));
        g.outliers = static_cast<std::size_t>(std::clamp(outliers, 0, rows));
        g.seed = static_cast<std::uint64_t>(std::max(seed, 0));
    } else if (d.kind == DatasetChoice::Kind::File) {
        path_field("CSV file##data", panel.data_file, panel, FilePurpose::OpenData, commands);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        ImGui::InputText("x column", &panel.data_columns[0]);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        ImGui::InputText("y column", &panel.data_columns[1]);
        if (ImGui::Button("Load")) {
            // The surface is rebuilt from the file in the background; a file it cannot use (missing,
            // malformed, labels other than 0/1 on the logistic loss) is refused there and the scene
            // goes back to the data it had.
            d.path = panel.data_file;
            d.columns = CsvColumns{panel.data_columns[0], panel.data_columns[1]};
            d.checksum = 0;
            panel.data_file_of = d.path;
            panel.data_columns_of = panel.data_columns;
            changed = true;
        }
    }
    changed = ImGui::Checkbox("standardise x", &d.standardize) || changed;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("fit on (x - mean)/sd: the valley becomes round and plain descent walks straight down");
    int residuals = panel.residuals_of + 1;
    std::vector<std::string> names{"no residuals"};
    for (const RunSpec& run : scene.runs) names.push_back("residuals of " + run_label(run));
    if (ImGui::BeginCombo("##residuals", names[static_cast<std::size_t>(std::clamp(residuals, 0, static_cast<int>(names.size()) - 1))].c_str())) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (ImGui::Selectable(names[i].c_str(), static_cast<int>(i) == residuals)) panel.residuals_of = static_cast<int>(i) - 1;
        ImGui::EndCombo();
    }
    return changed;
}

// The colours the scene's runs have: a new run takes its optimizer's colour unless it is taken.
std::vector<std::uint32_t> colours_in_use(const Scene& scene) {
    std::vector<std::uint32_t> taken;
    for (const RunSpec& run : scene.runs) taken.push_back(run.color);
    return taken;
}

}  // namespace

bool param_slider(const ParamSpec& spec, double& value) {
    const std::string label = std::string(spec.label) + "##" + std::string(spec.name);
    bool changed = false;
    double candidate = value;
    if (spec.kind == ParamKind::Flag) {
        bool on = value != 0.0;
        changed = ImGui::Checkbox(label.c_str(), &on);
        candidate = on ? 1.0 : 0.0;
    } else if (spec.log_scale) {
        // The slider moves the exponent: ImGui's own logarithmic sliders treat values below the
        // format's precision as zero, which would squeeze 1e-5..1e-3 into a few pixels.
        const double lo = std::log10(spec.ui_min), hi = std::log10(spec.ui_max);
        double exponent = candidate > 0 ? std::clamp(std::log10(candidate), lo, hi) : lo;
        char shown[32];
        std::snprintf(shown, sizeof shown, "%.3g", candidate);
        changed = slider_scalar(label.c_str(), ImGuiDataType_Double, &exponent, &lo, &hi, shown,
                                      ImGuiSliderFlags_NoInput);
        if (changed) candidate = std::pow(10.0, exponent);
    } else {
        changed = slider_scalar(label.c_str(), ImGuiDataType_Double, &candidate, &spec.ui_min, &spec.ui_max, "%.4g",
                                      ImGuiSliderFlags_NoInput);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nvalid: %s (right-click to type a value)", std::string(spec.help).c_str(),
                                                  describe_range(spec).c_str());
    if (spec.kind != ParamKind::Flag && ImGui::BeginPopupContextItem()) {
        double typed = value;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        if (ImGui::InputDouble("##typed", &typed, 0, 0, "%.6g", ImGuiInputTextFlags_EnterReturnsTrue)) {
            candidate = typed;
            changed = true;
            ImGui::CloseCurrentPopup();
        }
        ImGui::TextDisabled("valid: %s", describe_range(spec).c_str());
        ImGui::EndPopup();
    }
    if (!changed) return false;
    try {
        validate_param("", spec, candidate);
    } catch (const std::invalid_argument&) {
        return false;  // out of range: keep the old value
    }
    value = candidate;
    return true;
}

bool param_slider(const ParamSpec& spec, ParamOverrides& values) {
    const auto it = values.find(spec.name);
    double value = it == values.end() ? spec.default_value : it->second;
    if (!param_slider(spec, value)) return false;
    values[std::string(spec.name)] = value;
    return true;
}

void follow_scene(const Scene& scene, PanelState& panel) {
    if (scene.expression != panel.expression_of) panel.expression = panel.expression_of = scene.expression;
    if (scene.data.path != panel.data_file_of) panel.data_file = panel.data_file_of = scene.data.path;
    const std::array<std::string, 2> columns{scene.data.columns.x, scene.data.columns.y};
    if (columns != panel.data_columns_of) panel.data_columns = panel.data_columns_of = columns;
}

namespace {

// The panel's sections, top to bottom. Each edits the scene in place (the ImGui way) and adds the
// commands it asks for to `requests`.

void draw_playback_section(Scene& scene, Playback& playback, PanelState& panel, const PanelStatus& status,
                           PanelCommands& requests) {
    const long last_step = status.last_step;
    if (ImGui::Button(playback.playing ? "Pause" : "Play")) playback.playing = !playback.playing;
    ImGui::SameLine();
    if (ImGui::Button("Step")) {
        playback.playing = false;
        playback.step = std::min(std::floor(playback.step) + 1, static_cast<double>(last_step));
    }
    ImGui::SameLine();
    if (ImGui::Button("Reset")) playback.step = 0;
    ImGui::SameLine();
    ImGui::BeginDisabled(!status.can_undo);
    if (ImGui::Button("Undo")) requests.undo = true;
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Ctrl+Z");
    ImGui::SameLine();
    ImGui::BeginDisabled(!status.can_redo);
    if (ImGui::Button("Redo")) requests.redo = true;
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Ctrl+Shift+Z");
    ImGui::SameLine();
    if (ImGui::Button("Keys")) panel.show_keys = !panel.show_keys;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("F1: the keyboard shortcuts");

    int step = static_cast<int>(playback.step);
    if (slider_int("step", &step, 0, static_cast<int>(std::max(last_step, 0L)))) {
        playback.step = step;
        playback.playing = false;
    }
    const double speed_min = 1.0, speed_max = 10000.0;
    slider_scalar("steps/s", ImGuiDataType_Double, &playback.speed, &speed_min, &speed_max, "%.0f",
                        ImGuiSliderFlags_Logarithmic);
    int steps = static_cast<int>(scene.steps);
    if (slider_int("steps per run", &steps, 10, static_cast<int>(limits::kSliderMaxSteps), "%d",
                         ImGuiSliderFlags_Logarithmic))
        scene.steps = std::clamp<long>(steps, 0, limits::kMaxSteps);
    double start[2] = {scene.start.x(), scene.start.y()};
    if (ImGui::InputScalarN("start", ImGuiDataType_Double, start, 2, nullptr, nullptr, "%.4g") &&
        std::isfinite(start[0]) && std::isfinite(start[1]))
        scene.start = {start[0], start[1]};
    ImGui::TextDisabled("left-click the map: start; right-drag: pan; wheel: zoom");
}

void draw_view_section(Scene& scene, PanelCommands& requests) {
    ImGui::Separator();
    if (ImGui::BeginCombo("preset", "Open a teaching preset...")) {
        for (const Preset& preset : preset_registry()) {
            if (ImGui::Selectable(std::string(preset.title).c_str())) requests.preset = std::string(preset.name);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(preset.caption).c_str());
        }
        ImGui::EndCombo();
    }
    int layout = static_cast<int>(scene.layout);
    const char* layouts[] = {"2-D map", "3-D surface", "2-D map + 3-D surface"};
    if (ImGui::Combo("view", &layout, layouts, 3)) scene.layout = static_cast<Scene::Layout>(layout);
    if (scene.layout != Scene::Layout::Map) {
        if (ImGui::Button("Reset camera")) scene.camera = OrbitCamera{};
        ImGui::SameLine();
        draw_surface_module_panels(scene);  // the mesh options (ui/overlays/mesh_options.cpp)
    }
    draw_overlay_panel(scene);
}

void draw_surface_section(Scene& scene, PanelState& panel, PanelCommands& requests) {
    ImGui::Separator();
    const SurfaceInfo& surface = find_surface(scene.surface);
    if (ImGui::BeginCombo("surface", std::string(surface.title).c_str())) {
        for (const auto& info : surface_registry()) {
            if (ImGui::Selectable(std::string(info.title).c_str(), info.name == scene.surface) && info.name != scene.surface) {
                scene.surface = std::string(info.name);
                scene.surface_params.clear();
                scene.data = DatasetChoice{};
                scene.view_is_default = true;
            }
        }
        if (ImGui::Selectable("Your own f(x, y)...", find_surface(scene.surface).takes_expression) &&
            !find_surface(scene.surface).takes_expression) {
            scene.surface = "expr";
            scene.surface_params.clear();
            scene.data = DatasetChoice{};
            if (scene.expression.empty()) scene.expression = "(1 - x)^2 + 5*(y - x^2)^2";
            panel.expression = scene.expression;
            scene.view_is_default = true;
        }
        model_surface_selectable(scene);
        ImGui::EndCombo();
    }
    if (find_surface(scene.surface).takes_expression) {
        // Typed, then applied with Enter: a malformed expression is refused with the position of the
        // problem, and the scene keeps the function it had.
        if (ImGui::InputText("f(x, y)", &panel.expression, ImGuiInputTextFlags_EnterReturnsTrue)) {
            scene.expression = panel.expression;
            panel.expression_of = scene.expression;
            scene.view_is_default = true;
        }
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("+ - * / ^, parentheses, sin cos tan exp log sqrt abs tanh, pi, e; Enter applies");
    } else {
        ImGui::TextWrapped("%s", std::string(find_surface(scene.surface).formula).c_str());
    }
    for (const ParamSpec& spec : find_surface(scene.surface).params)
        param_slider(spec, scene.surface_params);
    if (scene.surface == "quadratic") quadratic_shape_sliders(scene.surface_params);
    if (find_surface(scene.surface).needs_data && dataset_editor(scene, panel, requests)) scene.view_is_default = true;
    if (scene.surface == models::kModelSurface && draw_model_section(scene)) scene.view_is_default = true;
    if (ImGui::Button("Reset view")) requests.reset_view = true;
}

// Run i's settings, inside its open tree node. A change that makes an invalid combination is undone,
// with the reason in the panel's message.
void draw_run_editor(Scene& scene, std::size_t i, PanelState& panel, std::optional<std::size_t>& duplicate,
                     std::optional<std::size_t>& remove) {
    RunSpec& run = scene.runs[i];
    if (run.imported) {  // your own run: no optimizer settings to edit
        if (draw_imported_run_entry(run)) remove = i;
        return;
    }
    const RunSpec before = run;
    bool changed = false;
    if (optimizer_combo("optimizer", run.config.optimizer)) {
        run.config.hyper.clear();
        run.label.clear();
        changed = true;
    }
    const OptimizerInfo& info = find_optimizer(run.config.optimizer);
    for (const ParamSpec& spec : info.params) changed = param_slider(spec, run.config.hyper) || changed;
    changed = schedule_editor(run.config.schedule) || changed;
    changed = stop_rule_editor(run.config.stop) || changed;
    double clip = run.config.clip_norm;
    const double clip_min = 0.0, clip_max = 100.0;
    if (slider_scalar("clip norm", ImGuiDataType_Double, &clip, &clip_min, &clip_max, clip > 0 ? "%.3g" : "off")) {
        run.config.clip_norm = std::max(clip, 0.0);
        changed = true;
    }
    if (find_surface(scene.surface).needs_data) {
        int batch = static_cast<int>(run.config.batch_size);
        const int rows = scene.data.kind == DatasetChoice::Kind::Synthetic ? static_cast<int>(scene.data.synthetic.rows)
                         : scene.data.kind == DatasetChoice::Kind::Anscombe ? 11
                                                                              : 4096;
        if (slider_int("batch size", &batch, 0, rows, batch == 0 ? "full" : "%d", ImGuiSliderFlags_Logarithmic)) {
            run.config.batch_size = static_cast<std::size_t>(std::max(batch, 0));
            changed = true;
        }
        int seed = static_cast<int>(run.config.seed);
        if (run.config.batch_size > 0 && ImGui::InputInt("batch seed", &seed)) {
            run.config.seed = static_cast<std::uint64_t>(std::max(seed, 0));
            changed = true;
        }
    }
    // Step glyphs and particle clouds are overlay modules (ui/overlays/step_glyphs.cpp,
    // particle_cloud.cpp): switched on in the overlays' part.
    if (ImGui::Button("Duplicate")) duplicate = i;
    ImGui::SameLine();
    if (ImGui::Button("Remove")) remove = i;
    if (changed) {
        // An invalid combination (nesterov without momentum) is refused: the run keeps its
        // last valid settings and the message says why.
        try {
            make_optimizer(run.config.optimizer, run.config.hyper);
        } catch (const std::invalid_argument& e) {
            run = before;
            panel.message = e.what();
            panel.message_is_error = true;
        }
    }
}

void draw_runs_section(Scene& scene, PanelState& panel, const PanelStatus& status, PanelCommands& requests) {
    const std::vector<std::string> labels = run_labels(scene);  // as the legends name them: no two alike
    ImGui::Separator();
    std::optional<std::size_t> remove, duplicate;
    for (std::size_t i = 0; i < scene.runs.size(); ++i) {
        RunSpec& run = scene.runs[i];
        ImGui::PushID(static_cast<int>(i));
        float color[3] = {to_color(run.color).x, to_color(run.color).y, to_color(run.color).z};
        if (ImGui::ColorEdit3("##color", color, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_NoLabel))
            run.color = from_color(color);
        ImGui::SameLine();
        ImGui::Checkbox("##visible", &run.visible);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("show or hide this run");
        ImGui::SameLine();
        const bool open = ImGui::TreeNodeEx("run", ImGuiTreeNodeFlags_None, "%s", labels[i].c_str());
        const std::string error = i < status.run_errors.size() ? status.run_errors[i] : std::string();
        if (i < status.run_pending.size() && status.run_pending[i]) {
            ImGui::SameLine();
            ImGui::TextDisabled("(computing...)");
        }
        if (!error.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.85f, 0.15f, 0.1f, 1));
            ImGui::TextWrapped("%s", error.c_str());
            ImGui::PopStyleColor();
        }
        if (open) {
            draw_run_editor(scene, i, panel, duplicate, remove);
            ImGui::TreePop();
        }
        ImGui::PopID();
    }
    if (duplicate) {
        RunSpec copy = scene.runs[*duplicate];
        copy.color = default_run_color(copy.config, colours_in_use(scene));
        scene.runs.insert(scene.runs.begin() + static_cast<long>(*duplicate) + 1, copy);
        run_inserted(scene, *duplicate + 1);
    } else if (remove) {
        scene.runs.erase(scene.runs.begin() + static_cast<long>(*remove));
        run_removed(scene, *remove);  // the glyph run, sweep, tune and basin map follow their runs
    }
    if (ImGui::BeginCombo("##add", "Add a run...")) {
        for (const auto& info : optimizer_registry()) {
            if (ImGui::Selectable(std::string(info.title).c_str())) {
                RunSpec run;
                run.config.optimizer = std::string(info.name);
                run.color = default_run_color(run.config, colours_in_use(scene));
                scene.runs.push_back(run);
            }
        }
        ImGui::EndCombo();
    }
    draw_add_own_run(panel, requests);
}

void draw_files_section(PanelState& panel, PanelCommands& requests) {
    ImGui::Separator();
    path_field("picture##export", panel.png_path,  // .png, .svg or .pdf: the name says which
               panel, FilePurpose::ExportPicture, requests);
    ImGui::Checkbox("window size", &panel.export_window_size);
    if (!panel.export_window_size) {
        int size[2] = {panel.export_width, panel.export_height};
        if (ImGui::InputInt2("W x H", size)) {
            panel.export_width = std::clamp(size[0], 16, 3840);
            panel.export_height = std::clamp(size[1], 16, 2160);
        }
    }
    if (ImGui::Button("Export picture (Ctrl+S)")) requests.export_png = true;
    ImGui::SameLine();
    if (ImGui::Button("Export animation...")) requests.export_animation = true;
    path_field("CSV##export", panel.csv_path, panel, FilePurpose::ExportTrajectories, requests);
    if (ImGui::Button("Export trajectories")) requests.export_csv = true;
    ImGui::InputText("scene", &panel.scene_path);
    if (ImGui::Button("Save scene")) requests.save_scene = true;
    ImGui::SameLine();
    if (ImGui::Button("Load scene")) requests.load_scene = true;
    if (panel.file_dialogs) {
        ImGui::SameLine();
        if (ImGui::Button("Open...")) requests.choose_file = FilePurpose::OpenScene;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("choose a scene to open (Ctrl+O)");
        ImGui::SameLine();
        if (ImGui::Button("Save as...")) requests.choose_file = FilePurpose::SaveScene;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("choose where to save the scene (Ctrl+Shift+S)");
    }
    if (!panel.recent_files.empty()) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
        if (ImGui::BeginCombo("##recent", "Recent...")) {
            for (const std::string& file : panel.recent_files) {
                if (!ImGui::Selectable(file.c_str())) continue;
                const bool data = file.size() > 4 && file.compare(file.size() - 4, 4, ".csv") == 0;
                if (data) {
                    requests.open_data = file;  // as a dropped or chosen CSV (AppState::use_data_file)
                } else {
                    panel.scene_path = file;
                    requests.load_scene = true;
                }
            }
            ImGui::EndCombo();
        }
    }
}

void draw_message(const PanelState& panel) {
    if (!panel.message.empty()) {
        ImGui::Separator();
        ImGui::PushStyleColor(ImGuiCol_Text, panel.message_is_error ? ImVec4(0.85f, 0.15f, 0.1f, 1) : ImVec4(0.1f, 0.5f, 0.2f, 1));
        ImGui::TextWrapped("%s", panel.message.c_str());
        ImGui::PopStyleColor();
    }
}

}  // namespace

PanelCommands draw_control_panel(Scene& scene, Playback& playback, PanelState& panel, const PanelStatus& status) {
    follow_scene(scene, panel);
    PanelCommands requests;
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    draw_playback_section(scene, playback, panel, status, requests);
    draw_view_section(scene, requests);
    draw_surface_section(scene, panel, requests);
    draw_runs_section(scene, panel, status, requests);
    draw_files_section(panel, requests);
    draw_message(panel);
    ImGui::PopItemWidth();
    return requests;
}

}  // namespace optiviz::ui
