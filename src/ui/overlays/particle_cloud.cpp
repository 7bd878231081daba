// Particle clouds as a module: its parameters (particles, spread, the run or every run), its panel
// (a run menu and two sliders), its serialisation (the scene's module map; older scenes' and run
// specs' per-run "cloud" and "cloud_spread", read by core as retired keys, are adopted), the paths
// it has the app compute (the memory budget), and its drawing: each particle's path so far, faint
// and thin in its run's colour, and where the particle is now, in the map and on the 3-D mesh.
// The clouds themselves are computed by the app (app/derived/derived_scene.cpp, core's run_cloud)
// and arrive as RunView::cloud.
#include "ui/overlays/particle_cloud.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/io/limits.h"
#include "ui/canvas/draw_style.h"
#include "ui/overlay.h"
#include "ui/panels/slider.h"
#include "ui/views/surface_view.h"

namespace optiviz::ui {

namespace {

constexpr ParamSpec kParams[] = {
    {"particles", "particles", 16, 0, limits::kMaxCloud, false, false, 0, limits::kSliderMaxCloud, false, ParamKind::Integer,
     "extra particles per run from jittered starts (and their own mini-batch seeds)"},
    {"spread", "spread", 0.1, 0, limits::kMaxViewCoordinate, false, false, 1e-3, 2, true, ParamKind::Real,
     "standard deviation of the start jitter, in parameter units (0: the run's start, mini-batch noise only)"},
    {"run", "cloud of", kEveryRun, kEveryRun, limits::kMaxRuns - 1, false, false, kEveryRun, limits::kMaxRuns - 1, false,
     ParamKind::Integer, "the run with a cloud (0-based), or -1: every run"},
};

ParticleCloudSettings from_values(const ParamValues& v) {
    return {static_cast<int>(v.get("particles")), v.get("spread"), static_cast<int>(v.get("run"))};
}

ParamOverrides to_overrides(const ParticleCloudSettings& s) {
    return {{"particles", s.particles}, {"spread", s.spread}, {"run", s.run}};
}

std::optional<ParticleCloudSettings> settings_of(const ParamOverrides& settings) {
    try {
        return from_values(ParamValues(kParticleCloudOverlay, kParams, settings));
    } catch (const std::invalid_argument&) {
        return std::nullopt;  // refused settings (scene files and the CLI refuse them before they get here)
    }
}

// Whether run `i` of `runs` carries the cloud `s` asks for.
bool has_cloud(const ParticleCloudSettings& s, const std::vector<RunSpec>& runs, std::size_t i) {
    return s.particles > 0 && i < runs.size() && !runs[i].imported && (s.run == kEveryRun || static_cast<std::size_t>(s.run) == i);
}

bool shows_cloud(const ParamValues& settings, std::size_t i) {
    const auto run = static_cast<long>(settings.get("run"));
    return run == kEveryRun || run == static_cast<long>(i);
}

// The map: each particle's rows up to the shown step, faint and thin, and a dot where it is now.
void draw_clouds(const OverlayContext& c, const ParamValues& settings) {
    if (!c.input) return;
    const LandscapeInput& input = *c.input;
    for (std::size_t i = 0; i < input.runs.size(); ++i) {
        const RunView& run = input.runs[i];
        if (!run.visible || !run.cloud || !shows_cloud(settings, i)) continue;
        for (const Trajectory& particle : *run.cloud) {
            if (particle.size() == 0) continue;
            const std::size_t last = shown_row(particle, input.step);
            const auto points = path_points(particle, last, c.map);
            if (points.size() >= 2)
                c.draw_list->AddPolyline(points.data(), static_cast<int>(points.size()), rgb(run.color, 150), ImDrawFlags_None,
                                         c.line_scale);
            c.draw_list->AddCircleFilled(c.map.to_screen(particle.x[last], particle.y[last]), c.font_size * 0.18f,
                                         rgb(run.color, 200), 8);
        }
    }
}

// One particle on the mesh: its trail just above the surface (broken where it leaves the view),
// and a dot on the mesh where it is now, unless the mesh hides that place from the eye.
void draw_particle_on_mesh(const MeshOverlayContext& c, const Trajectory& particle, std::uint32_t color) {
    const MeshPlacement& mesh = *c.mesh;
    const std::size_t k = shown_mesh_row(particle, c.input->step);
    std::vector<ImVec2> trail;
    for (std::size_t j = 0; j <= k; ++j) {
        ImVec2 p;
        if (!mesh.inside_view(particle.x[j], particle.y[j]) || !mesh.lifted(particle.x[j], particle.y[j], particle.loss[j], p)) {
            draw_path(c.draw_list, trail, rgb(color, 150), 1.0f);
            trail.clear();
            continue;
        }
        if (trail.empty() || std::hypot(p.x - trail.back().x, p.y - trail.back().y) >= 1.5f) trail.push_back(p);
    }
    draw_path(c.draw_list, trail, rgb(color, 150), 1.0f);
    ImVec2 p;
    bool hidden = false;
    if (mesh.inside_view(particle.x[k], particle.y[k]) && mesh.on_mesh(particle.x[k], particle.y[k], p, hidden) && !hidden)
        c.draw_list->AddCircleFilled(p, c.font_size * 0.2f, rgb(color, 200), 8);
}

void draw_clouds_on_mesh(const MeshOverlayContext& c, const ParamValues& settings) {
    if (!c.input || !c.mesh) return;
    for (std::size_t i = 0; i < c.input->runs.size(); ++i) {
        const RunView& run = c.input->runs[i];
        if (!run.visible || !run.cloud || !shows_cloud(settings, i)) continue;
        for (const Trajectory& particle : *run.cloud)
            if (particle.size() > 0) draw_particle_on_mesh(c, particle, run.color);
    }
}

// Every simulated run the cloud names carries `particles` paths more.
double cloud_paths(const ParamValues& values, const Scene& scene) {
    const ParticleCloudSettings s = from_values(values);
    double paths = 0;
    for (std::size_t i = 0; i < scene.runs.size(); ++i)
        if (has_cloud(s, scene.runs, i)) paths += s.particles;
    return paths;
}

// "every run" or one simulated run (a run read from a file has no cloud).
bool cloud_run_combo(int& run, const Scene& scene) {
    const auto label_of = [&](int i) {
        return i == kEveryRun || i >= static_cast<int>(scene.runs.size()) ? std::string("every run")
                                                                          : run_label(scene.runs[static_cast<std::size_t>(i)]);
    };
    bool changed = false;
    if (ImGui::BeginCombo("cloud of", label_of(run).c_str())) {
        if (ImGui::Selectable("every run", run == kEveryRun)) changed = std::exchange(run, kEveryRun) != kEveryRun;
        for (std::size_t i = 0; i < scene.runs.size(); ++i) {
            if (scene.runs[i].imported) continue;
            const int index = static_cast<int>(i);
            if (ImGui::Selectable((label_of(index) + "##" + std::to_string(i)).c_str(), run == index))
                changed = std::exchange(run, index) != index || changed;
        }
        ImGui::EndCombo();
    }
    return changed;
}

bool cloud_panel(const Scene& scene, ParamOverrides& settings) {
    const ParticleCloudSettings before = settings_of(settings).value_or(ParticleCloudSettings{});
    ParticleCloudSettings s = before;
    cloud_run_combo(s.run, scene);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("the same jittered starts around every run: a fair comparison");
    slider_int("particles", &s.particles, 0, limits::kSliderMaxCloud, s.particles == 0 ? "none" : "%d particles");
    s.particles = std::clamp(s.particles, 0, limits::kMaxCloud);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("extra particles from jittered starts (and their own mini-batch seeds), drawn faintly");
    static constexpr double kSpreadMin = 1e-3, kSpreadMax = 2.0;
    slider_scalar("spread", ImGuiDataType_Double, &s.spread, &kSpreadMin, &kSpreadMax, "%.3g",
                  ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_NoInput);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("standard deviation of the start jitter, in parameter units");
    if (s == before) return false;
    settings = to_overrides(s);
    return true;
}

// Before the module each run kept its own cloud (scene files' runs[I].cloud and cloud_spread, run
// specs' cloud= and spread=; core reads them as retired keys "runs[I].cloud", "runs[I].cloud_spread").
// One setting serves every run now: the largest cloud with its spread, around the one run that had
// a cloud, or around every run when several did.
void adopt_cloud_keys(const ParamOverrides& retired, std::map<std::string, ParamOverrides>& overlays) {
    std::map<int, double> clouds;  // by run index (the retired keys sort as text: runs[10] before runs[2])
    for (const auto& [key, value] : retired) {
        const std::string prefix = "runs[", suffix = "].cloud";
        if (key.size() <= prefix.size() + suffix.size() || key.rfind(prefix, 0) != 0 ||
            key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const std::string digits = key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 4) continue;
        if (value > 0) clouds[std::stoi(digits)] = value;
    }
    if (clouds.empty()) return;
    auto largest = clouds.begin();
    for (auto it = clouds.begin(); it != clouds.end(); ++it)
        if (it->second > largest->second) largest = it;  // the first of equal ones
    const auto spread = retired.find("runs[" + std::to_string(largest->first) + "].cloud_spread");
    ParticleCloudSettings s;
    s.particles = static_cast<int>(largest->second);
    s.spread = spread != retired.end() ? spread->second : 0.1;
    s.run = clouds.size() == 1 ? largest->first : kEveryRun;
    overlays[std::string(kParticleCloudOverlay)] = to_overrides(s);
}

}  // namespace

std::optional<ParticleCloudSettings> particle_cloud(const Scene& scene) {
    const auto on = scene.overlays.find(std::string(kParticleCloudOverlay));
    if (on == scene.overlays.end()) return std::nullopt;
    return settings_of(on->second);
}

void set_particle_cloud(Scene& scene, const ParticleCloudSettings& settings) {
    scene.overlays[std::string(kParticleCloudOverlay)] = to_overrides(settings);
}

RunCloud cloud_of_run(const Scene& scene, std::size_t run) {
    const auto s = particle_cloud(scene);
    if (!s || !has_cloud(*s, scene.runs, run)) return {};
    return {s->particles, s->spread};
}

extern const OverlayModule kParticleCloudOverlayModule;
const OverlayModule kParticleCloudOverlayModule{
    kParticleCloudOverlay,
    "particle clouds",
    "extra particles from jittered starts around a run (or every run), drawn faintly in the map and on the 3-D mesh",
    kParams,
    draw_clouds,
    cloud_panel,
    OverlayLayer::UnderPaths,
    adopt_cloud_keys,
    nullptr,
    draw_clouds_on_mesh,
    cloud_paths};

}  // namespace optiviz::ui
