// The gallery check: every teaching preset and a set of mixed scenes, drawn at several picture sizes
// through the same draw_picture() that PNG, SVG, PDF and animation frames use, onto a canvas that
// records text boxes, markers and lines. The records are held against ../shared/PICTURES.md:
//   - no text box outside its panel (clip rectangle) or over another text box or a marker, and no
//     label inside a data panel (map, data, loss plot) over a run's line or curve;
//   - no line break inside a number or a token;
//   - the first 8 run colours at least ΔE2000 18 apart, and 10 for deuteranopes and protanopes;
//   - every visible run keeps pixels of its own colour in the map, the data panel (regression
//     presets are drawn with it) and the loss plot;
//   - no two legend entries read the same;
//   - every run's marker whole inside its data panel (a fan of markers at the edge was cut in half);
//   - line widths scale with the text: every run's line in a data panel at least 1/12 of the font
//     size thick (a 4K export's curves were 2-pixel hairlines under 43-pixel text);
//   - a colour scale that flattens or clamps an end (more than 0.5% of the map within 1% of the
//     bottom colour, or any value beyond an end) marks that end on its bar (a pointed cap in the end
//     colour and "≤ v" / "≥ v"), and a marked end does clamp;
//   - two runs whose legend entries show the same loss text end within a factor of 3 of each other
//     above the best known loss (the loss plot's scale): lr-decay's four "loss 0.194" hid decades.
// Tagged [gallery].
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ui/overlays/step_glyphs.h"
#include "app/app_state.h"
#include "app/derived/imported_runs.h"
#include "app/export/picture.h"
#include "app/derived/view_inputs.h"
#include "core/presentation/color_scale.h"
#include "core/scene/presets.h"
#include "core/scene/scene.h"
#include "support/catch.h"
#include "support/recording_canvas.h"
#include "ui/canvas/draw_style.h"
#include "ui/canvas/fonts.h"
#include "ui/views/loss_plot.h"
#include "ui/views/surface_view.h"

using namespace optiviz;

namespace {

struct Violations {
    int outside = 0, text_overlap = 0, over_marker = 0, broken_token = 0, colour = 0, covered = 0, duplicate = 0;
    int unmarked_clamp = 0, same_loss_text = 0, over_curve = 0, thin_line = 0, cut_marker = 0;
    std::vector<std::string> examples;
    int total() const {
        return outside + text_overlap + over_marker + broken_token + colour + covered + duplicate + unmarked_clamp + same_loss_text +
               over_curve + thin_line + cut_marker;
    }
    void note(const std::string& where, const std::string& what) {
        if (examples.size() < 400) examples.push_back(where + ": " + what);
    }
};

// An ImGui context with the pictures' font at the size a picture of this height uses.
class PictureContext {
public:
    PictureContext(int width, int height) : width_(width), height_(height) {
        context_ = ImGui::CreateContext();
        ImGui::SetCurrentContext(context_);
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        io.DisplaySize = {static_cast<float>(width), static_cast<float>(height)};
        io.DeltaTime = 1.0f / 60.0f;
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
        ui::add_ui_font(*io.Fonts, app::picture_font_size(height));
        ui::apply_style(ImGui::GetStyle());
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
    }
    ~PictureContext() { ImGui::DestroyContext(context_); }
    PictureContext(const PictureContext&) = delete;
    PictureContext& operator=(const PictureContext&) = delete;

    // Draws `view` of `state` onto `canvas`, as PictureRenderer does (no GL: the heatmap is only its grid).
    void draw(const app::AppState& state, app::PictureView view, ui::Canvas& canvas) {
        ImGui::SetCurrentContext(context_);
        grids_.clear();
        app::PictureSources sources;
        sources.heatmap = [&](const ui::HeatmapRequest& request) {
            grids_.push_back(std::make_unique<FieldGrid>(sample_field(state.surface(), request.view, 64, 40)));
            return ui::HeatmapImage{nullptr, grids_.back().get()};
        };
        draw_with(canvas, [&] { app::draw_picture(state, view, ImGui::GetIO().DisplaySize, sources); });
    }
    // Runs `draw` (a view's drawing) in a full-picture window whose drawing goes to `canvas`.
    void draw_with(ui::Canvas& canvas, const std::function<void()>& draw) {
        ImGui::SetCurrentContext(context_);
        ImGui::NewFrame();
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
        ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
        ImGui::Begin("##picture", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoBackground);
        {
            ui::CanvasRoute route(canvas);
            draw();
        }
        ImGui::End();
        ImGui::PopStyleVar(2);
        ImGui::Render();
    }
    int width() const { return width_; }
    int height() const { return height_; }
    // The fields the last picture coloured (its heatmaps' grids and scales).
    const std::vector<std::unique_ptr<FieldGrid>>& grids() const { return grids_; }

private:
    std::vector<std::unique_ptr<FieldGrid>> grids_;
    ImGuiContext* context_ = nullptr;
    int width_, height_;
};

// The clip rectangles of the map's and the loss plot's plot areas: the two largest clips other than
// the whole picture, where runs draw their paths and curves.
std::vector<test::Box> data_panels(const test::RecordingCanvas& canvas, float width, float height) {
    std::vector<test::Box> panels;
    for (const auto& line : canvas.lines) {
        const test::Box& c = line.clip;
        const bool whole = c.x0 <= 0 && c.y0 <= 0 && c.x1 >= width && c.y1 >= height;
        if (whole) continue;
        if (std::none_of(panels.begin(), panels.end(), [&](const test::Box& b) {
                return b.x0 == c.x0 && b.y0 == c.y0 && b.x1 == c.x1 && b.y1 == c.y1;
            }))
            panels.push_back(c);
    }
    return panels;
}

// Who owns each pixel of `panel` after everything is drawn: run i (its exact colour), or -1.
std::vector<int> pixel_owners(const test::RecordingCanvas& canvas, const test::Box& panel,
                              const std::map<ImU32, int>& run_of_color) {
    const int w = static_cast<int>(panel.x1 - panel.x0) + 1, h = static_cast<int>(panel.y1 - panel.y0) + 1;
    std::vector<int> owner(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), -2);
    auto stamp = [&](float x, float y, float r, int who) {
        const int x0 = std::max(0, static_cast<int>(x - r - panel.x0)), x1 = std::min(w - 1, static_cast<int>(x + r - panel.x0));
        const int y0 = std::max(0, static_cast<int>(y - r - panel.y0)), y1 = std::min(h - 1, static_cast<int>(y + r - panel.y0));
        for (int yy = y0; yy <= y1; ++yy)
            for (int xx = x0; xx <= x1; ++xx) owner[static_cast<std::size_t>(yy) * static_cast<std::size_t>(w) + static_cast<std::size_t>(xx)] = who;
    };
    auto same = [](const test::Box& a, const test::Box& b) { return a.x0 == b.x0 && a.y0 == b.y0 && a.x1 == b.x1 && a.y1 == b.y1; };
    // Lines and shapes in drawing order are not interleaved in the records; shapes (markers) are drawn
    // after the paths in both views, so lines first, then shapes, keeps the order that matters.
    for (const auto& line : canvas.lines) {
        if (!same(line.clip, panel)) continue;
        const auto it = run_of_color.find(line.color);
        const int who = it == run_of_color.end() ? -1 : it->second;
        if (who < 0 && (line.color >> 24) < 120) continue;  // faint lines (contours, grid, clouds) hide nothing
        const float length = std::hypot(line.b.x - line.a.x, line.b.y - line.a.y);
        const int n = std::max(1, static_cast<int>(length));
        const float r = std::max(0.5f, line.thickness / 2 - 0.5f);
        for (int k = 0; k <= n; ++k) {
            const float s = static_cast<float>(k) / static_cast<float>(n);
            stamp(line.a.x + s * (line.b.x - line.a.x), line.a.y + s * (line.b.y - line.a.y), r, who);
        }
    }
    for (const auto& shape : canvas.shapes) {
        if (!same(shape.clip, panel)) continue;
        const auto it = run_of_color.find(shape.color);
        const int who = it == run_of_color.end() ? -1 : it->second;
        if (who < 0 && (shape.color >> 24) < 120) continue;
        const float cx = (shape.box.x0 + shape.box.x1) / 2, cy = (shape.box.y0 + shape.box.y1) / 2;
        stamp(cx, cy, std::min(shape.box.x1 - shape.box.x0, shape.box.y1 - shape.box.y0) / 2 * 0.7f, who);
    }
    return owner;
}

// Whether the segment a-b, widened by `half` pixels, passes through `box` (sampled every half pixel).
bool segment_crosses(const ImVec2& a, const ImVec2& b, float half, const test::Box& box) {
    const test::Box wide{box.x0 - half, box.y0 - half, box.x1 + half, box.y1 + half};
    if (std::max(a.x, b.x) < wide.x0 || std::min(a.x, b.x) > wide.x1 || std::max(a.y, b.y) < wide.y0 || std::min(a.y, b.y) > wide.y1)
        return false;
    const int n = std::max(1, static_cast<int>(2 * std::hypot(b.x - a.x, b.y - a.y)));
    for (int k = 0; k <= n; ++k) {
        const float s = static_cast<float>(k) / static_cast<float>(n);
        const float x = a.x + s * (b.x - a.x), y = a.y + s * (b.y - a.y);
        if (x > wide.x0 && x < wide.x1 && y > wide.y0 && y < wide.y1) return true;
    }
    return false;
}

// Labels drawn inside a data panel (the map, the data view, the loss plot: "off the top at step K",
// "tuned on N steps", an edge arrow's number) must not sit on a run's line or curve: the reader
// loses the curve under the words. Lines in a run's colour drawn in that panel are held against
// every text box that reaches into it (clipped to the panel).
void check_labels_over_curves(const test::RecordingCanvas& canvas, const std::vector<test::Box>& panels,
                              const std::map<ImU32, int>& run_of_color, const std::string& where, Violations& v) {
    auto same = [](const test::Box& a, const test::Box& b) { return a.x0 == b.x0 && a.y0 == b.y0 && a.x1 == b.x1 && a.y1 == b.y1; };
    for (const test::Box& panel : panels)
        for (const auto& t : canvas.texts) {
            if (!t.box.overlaps(panel, 0.0f)) continue;
            const test::Box in{std::max(t.box.x0, panel.x0), std::max(t.box.y0, panel.y0), std::min(t.box.x1, panel.x1),
                               std::min(t.box.y1, panel.y1)};
            for (const auto& line : canvas.lines) {
                if (!same(line.clip, panel)) continue;
                const auto run = run_of_color.find(line.color);
                if (run == run_of_color.end() || !segment_crosses(line.a, line.b, line.thickness / 2, in)) continue;
                ++v.over_curve;
                v.note(where, "label over run " + std::to_string(run->second + 1) + "'s line: '" + t.text + "'");
                break;
            }
        }
}

// A colour scale that flattens or clamps an end says so on its bar: the bottom when more than 0.5% of
// the map is drawn within 1% of the bottom colour or any loss lies below the bar's bottom value; the
// top when any lies above its top value. The mark: a filled cap in the end colour and a "≤ " (or
// "≥ ") label. A marked end must clamp something.
void check_clamped_ends(const PictureContext& context, const test::RecordingCanvas& canvas, const std::string& where,
                        Violations& v) {
    auto marked = [&](double t, const char* sign) {
        const ImU32 end_colour = ui::rgb(viridis_rgb(t));
        const bool cap = std::any_of(canvas.shapes.begin(), canvas.shapes.end(), [&](const auto& s) { return s.color == end_colour; });
        const bool label = std::any_of(canvas.texts.begin(), canvas.texts.end(), [&](const auto& text) { return text.text.rfind(sign, 0) == 0; });
        return cap && label;
    };
    for (const auto& grid : context.grids()) {
        const LogColorScale& scale = grid->scale;
        const double bottom = scale.loss_at(0.0), top = scale.loss_at(1.0);
        std::size_t finite = 0, near_bottom = 0, below = 0, above = 0;
        for (double f : grid->loss) {
            if (!std::isfinite(f)) continue;
            ++finite;
            if (scale.normalize(f) <= 0.01) ++near_bottom;
            if (f < bottom - 1e-12 * std::abs(bottom)) ++below;
            if (f > top + 1e-12 * std::abs(top)) ++above;
        }
        const bool flat_low = below > 0 || static_cast<double>(near_bottom) > 0.005 * static_cast<double>(finite);
        const bool low_marked = marked(0.0, "\u2264 "), high_marked = marked(1.0, "\u2265 ");
        if (flat_low != low_marked || (above > 0) != high_marked) {
            ++v.unmarked_clamp;
            v.note(where, "colour bar: " + std::to_string(near_bottom) + " of " + std::to_string(finite) + " cells at the bottom colour, " +
                              std::to_string(below) + " below and " + std::to_string(above) + " above the bar; marked low " +
                              (low_marked ? "yes" : "no") + ", high " + (high_marked ? "yes" : "no"));
        }
    }
}

// The loss a run's legend entry shows ("loss 0.194 (best + 1.1e-4)"): what follows its last "loss ",
// up to a comma; "" if none. Runs are found by their label at the start of an entry.
std::string shown_loss_text(const test::RecordingCanvas& canvas, const std::string& label) {
    for (const auto& t : canvas.texts) {
        std::string text = t.text;
        std::replace(text.begin(), text.end(), '\n', ' ');
        if (text.rfind(label + " ", 0) != 0) continue;
        const std::size_t at = text.rfind("loss ");
        if (at == std::string::npos || at < label.size()) continue;
        return text.substr(at + 5, text.find(", ", at) == std::string::npos ? std::string::npos : text.find(", ", at) - at - 5);
    }
    return "";
}

void check_loss_texts(const app::AppState& state, const test::RecordingCanvas& canvas, const std::string& where, Violations& v) {
    const std::vector<ui::RunView> runs = app::run_views(state);
    const double floor = app::loss_plot_input(state).floor;
    std::vector<std::string> shown;
    std::vector<double> gap;
    for (const ui::RunView& run : runs) {
        shown.push_back(run.visible && run.trajectory && run.trajectory->size() > 0 ? shown_loss_text(canvas, run.label) : "");
        const Trajectory* t = run.trajectory;
        gap.push_back(t && t->size() > 0 ? t->loss[std::min<std::size_t>(static_cast<std::size_t>(std::max(state.shown_step(), 0L)), t->size() - 1)] - floor : 0.0);
    }
    for (std::size_t i = 0; i < runs.size(); ++i)
        for (std::size_t j = i + 1; j < runs.size(); ++j)
            if (!shown[i].empty() && shown[i] == shown[j] && gap[i] > 0 && gap[j] > 0 && std::isfinite(gap[i]) && std::isfinite(gap[j]) &&
                std::abs(std::log10(gap[i] / gap[j])) > std::log10(3.0)) {
                ++v.same_loss_text;
                v.note(where, "runs " + std::to_string(i + 1) + " and " + std::to_string(j + 1) + " both show 'loss " + shown[i] +
                                  "' but end " + std::to_string(gap[i]) + " and " + std::to_string(gap[j]) + " above the best");
            }
}

void check_picture(const app::AppState& state, PictureContext& context, const std::string& name, Violations& v) {
    const float W = static_cast<float>(context.width()), H = static_cast<float>(context.height());
    test::RecordingCanvas canvas(W, H);
    // Regression presets as the window shows them: the map, the data panel beside it, the loss plot.
    context.draw(state, state.has_data() ? app::PictureView::BothLoss : app::PictureView::LandscapeLoss, canvas);
    const std::string where = name + " " + std::to_string(context.width()) + "x" + std::to_string(context.height());
    const float font = app::picture_font_size(context.height());

    // Text inside its panel, not over other text, not over markers; no break inside a token.
    const test::Box picture{0, 0, W, H};
    for (std::size_t i = 0; i < canvas.texts.size(); ++i) {
        const auto& t = canvas.texts[i];
        if (!t.box.inside(t.clip) || !t.box.inside(picture)) {
            ++v.outside;
            v.note(where, "text outside its panel: '" + t.text + "'");
        }
        for (std::size_t j = i + 1; j < canvas.texts.size(); ++j)
            if (t.box.overlaps(canvas.texts[j].box)) {
                ++v.text_overlap;
                v.note(where, "text over text: '" + t.text + "' / '" + canvas.texts[j].text + "'");
            }
        for (const auto& s : canvas.shapes) {
            const bool marker = s.box.x1 - s.box.x0 < 3 * font && s.box.y1 - s.box.y0 < 3 * font && (s.color >> 24) >= 200;
            if (marker && t.box.overlaps(s.box, 1.0f)) {
                ++v.over_marker;
                v.note(where, "text over a marker: '" + t.text + "'");
                break;
            }
        }
        for (std::size_t b = 0; b < t.break_inside_token.size(); ++b)
            if (t.break_inside_token[b]) {
                ++v.broken_token;
                v.note(where, "break inside a token (" + t.breaks[b] + "): '" + t.lines[b] + "' / '" + t.lines[b + 1] + "'");
            }
    }

    check_clamped_ends(context, canvas, where, v);
    check_loss_texts(state, canvas, where, v);

    // Every visible run owns pixels in each data panel it draws in.
    const std::vector<ui::RunView> runs = app::run_views(state);
    // Runs past the eighth share a colour with an earlier run (dashes keep them apart): the pixel check
    // holds the runs whose colour is their own.
    std::map<ImU32, int> run_of_color, runs_with_color;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (!runs[i].visible) continue;
        const ImU32 c = IM_COL32((runs[i].color >> 16) & 0xFF, (runs[i].color >> 8) & 0xFF, runs[i].color & 0xFF, 255);
        run_of_color.emplace(c, static_cast<int>(i));
        ++runs_with_color[c];
    }
    auto own_colour = [&](std::size_t i) {
        return runs_with_color[IM_COL32((runs[i].color >> 16) & 0xFF, (runs[i].color >> 8) & 0xFF, runs[i].color & 0xFF, 255)] == 1;
    };
    const std::vector<test::Box> panels = data_panels(canvas, W, H);
    check_labels_over_curves(canvas, panels, run_of_color, where, v);
    for (const auto& shape : canvas.shapes) {
        const bool small = shape.box.x1 - shape.box.x0 < 3 * font && shape.box.y1 - shape.box.y0 < 3 * font;
        const bool in_panel = std::any_of(panels.begin(), panels.end(), [&](const test::Box& b) {
            return b.x0 == shape.clip.x0 && b.y0 == shape.clip.y0 && b.x1 == shape.clip.x1 && b.y1 == shape.clip.y1;
        });
        if (small && in_panel && run_of_color.count(shape.color) && !shape.box.inside(shape.clip, 1.0f)) {
            ++v.cut_marker;
            v.note(where, "run " + std::to_string(run_of_color.at(shape.color) + 1) + "'s marker cut by its panel's edge");
        }
    }
    for (const test::Box& panel : panels) {
        float thinnest = 1e9f;
        for (const auto& line : canvas.lines)
            if (line.clip.x0 == panel.x0 && line.clip.y0 == panel.y0 && line.clip.x1 == panel.x1 && line.clip.y1 == panel.y1 &&
                run_of_color.count(line.color))
                thinnest = std::min(thinnest, line.thickness);
        if (thinnest < font / 12.0f) {
            ++v.thin_line;
            v.note(where, "a run's line " + std::to_string(thinnest) + " px thick under a " + std::to_string(font) + " px font");
        }
    }
    for (const test::Box& panel : panels) {
        const std::vector<int> owner = pixel_owners(canvas, panel, run_of_color);
        std::vector<int> drawn(runs.size(), 0), own(runs.size(), 0);
        for (const auto& line : canvas.lines)
            for (std::size_t i = 0; i < runs.size(); ++i)
                if (line.clip.x0 == panel.x0 && line.clip.y0 == panel.y0 && line.clip.x1 == panel.x1 && line.clip.y1 == panel.y1 &&
                    line.color == IM_COL32((runs[i].color >> 16) & 0xFF, (runs[i].color >> 8) & 0xFF, runs[i].color & 0xFF, 255))
                    drawn[i] = 1;
        for (int o : owner)
            if (o >= 0) ++own[static_cast<std::size_t>(o)];
        for (std::size_t i = 0; i < runs.size(); ++i)
            if (runs[i].visible && own_colour(i) && runs[i].trajectory && runs[i].trajectory->size() > 1 && own[i] < 12 &&
                (drawn[i] || own[i] == 0) && panel.x1 - panel.x0 > 4 * font) {
                ++v.covered;
                v.note(where, "run " + std::to_string(i + 1) + " (" + runs[i].label + ") has " + std::to_string(own[i]) +
                                  " pixels of its own in a panel");
            }
    }

    // No two legend entries alike.
    std::set<std::string> labels;
    for (const auto& run : runs)
        if (run.visible && !labels.insert(run.label).second) {
            ++v.duplicate;
            v.note(where, "legend entry twice: '" + run.label + "'");
        }
}

// The run colours of a scene, held against the distances above (checked once per scene, not per size).
void check_colours(const app::AppState& state, const std::string& name, Violations& v) {
    const std::vector<ui::RunView> runs = app::run_views(state);
    const std::size_t n = std::min<std::size_t>(runs.size(), 8);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            const std::uint32_t a = runs[i].color, b = runs[j].color;
            const double normal = delta_e_2000(a, b);
            const double deutan = delta_e_2000(simulate_color_vision(a, ColorVision::Deutan), simulate_color_vision(b, ColorVision::Deutan));
            const double protan = delta_e_2000(simulate_color_vision(a, ColorVision::Protan), simulate_color_vision(b, ColorVision::Protan));
            if (normal < 18 || deutan < 10 || protan < 10) {
                ++v.colour;
                std::ostringstream text;
                text << "runs " << i + 1 << " and " << j + 1 << " too close: dE2000 " << normal << ", deutan " << deutan
                     << ", protan " << protan;
                v.note(name, text.str());
            }
        }
}

Scene mixed_scene(int runs) {
    static const char* kSpecs[] = {"sgd:lr=0.001",        "sgd:lr=0.001,momentum=0.9", "rprop:lr=0.01",
                                   "radam:lr=0.05",       "adam:lr=0.05",              "lbfgs:lr=1",
                                   "adam:lr=0.1",         "sgd:lr=0.002",              "sgd:lr=0.0005,momentum=0.9,nesterov=1",
                                   "rprop:lr=0.001",      "radam:lr=0.01",             "adam:lr=0.01",
                                   "lbfgs:lr=0.5"};
    Scene scene;
    scene.steps = 400;
    for (int i = 0; i < runs; ++i) scene.runs.push_back(parse_run_spec(kSpecs[i], static_cast<std::size_t>(i)));
    assign_default_colors(scene.runs);
    return scene;
}

struct GalleryScene {
    std::string name;
    Scene scene;
};

std::vector<GalleryScene> gallery_scenes() {
    std::vector<GalleryScene> scenes;
    for (const Preset& preset : preset_registry()) scenes.push_back({"preset " + std::string(preset.name), make_preset(preset.name)});
    for (int n : {1, 3, 8, 13}) scenes.push_back({std::to_string(n) + " runs", mixed_scene(n)});
    // The examples: step glyphs and equations mid-run, a schedule mid-run, settings that differ
    // only in a flag or a rule.
    Scene glyphs = make_preset("narrow-valley");
    ui::set_step_glyphs(glyphs, {2, false});  // --glyphs-of 3
    glyphs.step = 12;
    scenes.push_back({"narrow-valley, glyphs of run 3 at step 12", glyphs});
    Scene decay = make_preset("lr-decay");
    decay.step = 150;
    scenes.push_back({"lr-decay at step 150", decay});
    Scene flags;
    flags.steps = 300;
    for (const char* spec : {"adam:lr=0.1", "adam:lr=0.1,bias_correction=0", "lbfgs:lr=1", "lbfgs:lr=1,line_search=1",
                             "adam:lr=0.05", "adam:lr=0.05,amsgrad=1", "adam:lr=0.05,clip_norm=1", "adam:lr=0.05,schedule=exp"})
        flags.runs.push_back(parse_run_spec(spec, flags.runs.size()));
    assign_default_colors(flags.runs);
    scenes.push_back({"runs differing in one setting", flags});
    Scene typed = mixed_scene(3);
    typed.surface = "expr";
    typed.expression = "x^2 + 3*y^2 + sin(3*x)*y";
    typed.view_is_default = true;
    scenes.push_back({"typed function", typed});
    // Your own run (the documented PyTorch snippet's file) beside three of optiviz's.
    Scene own = mixed_scene(3);
    for (RunSpec& run : app::imported_runs(std::string(OPTIVIZ_TEST_DATA_DIR) + "/mine.csv", std::nullopt, own.runs.size()))
        own.runs.push_back(run);
    scenes.push_back({"3 runs and your own (mine.csv)", own});
    // A steep surface whose valley a 4-decade scale flattened (the Beale).
    Scene beale = mixed_scene(3);
    beale.surface = "beale";
    beale.view_is_default = true;
    scenes.push_back({"beale", beale});
    return scenes;
}

Violations run_gallery(const std::vector<std::pair<int, int>>& sizes) {
    Violations v;
    std::vector<std::unique_ptr<PictureContext>> contexts;
    ImGuiContext* previous = ImGui::GetCurrentContext();
    for (const auto& [w, h] : sizes) contexts.push_back(std::make_unique<PictureContext>(w, h));
    for (GalleryScene& g : gallery_scenes()) {
        if (g.scene.steps > 3000) g.scene.steps = 3000;  // the pictures' rules do not need longer runs
        app::AppState state(g.scene);
        state.finish(true);
        check_colours(state, g.name, v);
        for (auto& context : contexts) check_picture(state, *context, g.name, v);
    }
    ImGui::SetCurrentContext(previous);
    return v;
}

void report(const Violations& v) {
    for (const auto& e : v.examples) UNSCOPED_INFO(e);
    UNSCOPED_INFO("violations: " << v.total() << " (outside " << v.outside << ", text over text " << v.text_overlap
                                 << ", text over marker " << v.over_marker << ", broken token " << v.broken_token
                                 << ", colour " << v.colour << ", covered run " << v.covered << ", duplicate legend "
                                 << v.duplicate << ", unmarked clamp " << v.unmarked_clamp << ", same loss text "
                                 << v.same_loss_text << ", text over a curve " << v.over_curve << ", thin run line " << v.thin_line << ", marker cut by its panel " << v.cut_marker << ")");
}

}  // namespace

TEST_CASE("gallery: every preset and mixed scene keeps the picture rules at six sizes", "[app][gallery]") {
    // The four sizes, and two between them where the base commit broke numbers (about a
    // second in all: the records are held, nothing is rasterized but the data panels' run pixels).
    const Violations v = run_gallery({{1024, 640}, {1280, 720}, {1300, 800}, {1440, 900}, {1920, 1080}, {3840, 2160}});
    report(v);
    CHECK(v.total() == 0);
}

TEST_CASE("gallery: the recording canvas sees a number broken by ImGui's wrapping", "[app][gallery]") {
    ImGuiContext* previous = ImGui::GetCurrentContext();
    {
        PictureContext context(800, 800);
        test::RecordingCanvas canvas(800, 800);
        ImGui::NewFrame();
        const float width = ImGui::CalcTextSize("stopped, lr 0.").x + 1.0f;
        canvas.AddText(ImGui::GetFont(), ImGui::GetFontSize(), {0, 0}, 0, "stopped, lr 0.05", nullptr, width);
        canvas.AddText(ImGui::GetFont(), ImGui::GetFontSize(), {0, 100}, 0, "stopped, lr\n0.05", nullptr, 0.0f);
        canvas.AddText(ImGui::GetFont(), ImGui::GetFontSize(), {0, 200}, 0, "lr 0.\n05", nullptr, 0.0f);
        ImGui::EndFrame();
        REQUIRE(canvas.texts.size() == 3);
        CHECK(canvas.texts[0].lines == std::vector<std::string>{"stopped, lr 0.", "05"});
        CHECK(canvas.texts[0].break_inside_token == std::vector<bool>{true});
        CHECK(canvas.texts[1].break_inside_token == std::vector<bool>{false});
        CHECK(canvas.texts[2].break_inside_token == std::vector<bool>{true});
    }
    ImGui::SetCurrentContext(previous);
}

TEST_CASE("gallery: every picture names its function, the loss-only one too, as typed", "[app][gallery]") {
    ImGuiContext* previous = ImGui::GetCurrentContext();
    {
        Scene scene = mixed_scene(2);
        scene.surface = "expr";
        scene.expression = "x^2 + 3*y^2";
        app::AppState state(scene);
        state.finish(true);
        PictureContext context(1024, 640);
        for (const app::PictureView view : {app::PictureView::Loss, app::PictureView::Landscape, app::PictureView::LandscapeLoss}) {
            test::RecordingCanvas canvas(1024, 640);
            context.draw(state, view, canvas);
            bool named = false;
            for (const auto& t : canvas.texts) named = named || t.text == "f(x, y) = x\u00B2 + 3\u00B7y\u00B2";
            CHECK(named);
        }
    }
    ImGui::SetCurrentContext(previous);
}

TEST_CASE("gallery: with 100 000 data rows the fitted lines are drawn over the points", "[app][gallery]") {
    ImGuiContext* previous = ImGui::GetCurrentContext();
    {
        Scene scene;
        scene.surface = "mse";
        scene.data.synthetic.rows = 100000;
        scene.start = {0.5, 0.5};
        scene.steps = 200;
        RunSpec adam;
        adam.config.optimizer = "adam";
        adam.config.hyper["lr"] = 0.05;
        adam.color = 0xD55E00;
        scene.runs = {adam};
        app::AppState state(scene);
        state.finish(true);
        PictureContext context(1024, 640);
        test::RecordingCanvas canvas(1024, 640);
        context.draw(state, app::PictureView::Data, canvas);
        const ImU32 point = IM_COL32(60, 60, 70, 230), run = ui::rgb(adam.color);
        int last_point = -1, first_fit = -1, points = 0;
        for (const auto& s : canvas.shapes)
            if (s.color == point) last_point = std::max(last_point, s.order), ++points;
        for (const auto& l : canvas.lines)
            if (l.color == run && (first_fit < 0 || l.order < first_fit)) first_fit = l.order;
        CHECK(points > 1000);  // the subsample is drawn
        REQUIRE(first_fit >= 0);
        CHECK(first_fit > last_point);
    }
    ImGui::SetCurrentContext(previous);
}

TEST_CASE("gallery: runs on one path say so and are dashed over it (the stopping preset)", "[app][gallery]") {
    app::AppState state(find_preset("stopping").make());
    state.finish(true);
    const std::vector<ui::RunView> views = app::run_views(state, false);
    REQUIRE(views.size() == 3);
    int following = 0;
    for (const ui::RunView& view : views) {
        if (view.shared_note.empty()) {
            CHECK(view.dash == 0);
            continue;
        }
        ++following;
        CHECK(view.shared_note.find("run ") != std::string::npos);
        CHECK(view.dash != 0);
    }
    CHECK(following == 2);  // three rules, one optimizer, one path
    CHECK(views[1].dash != views[2].dash);  // two followers of one path alternate patterns

    // In the map and in the loss plot, the followers' lines come after (over) the path they follow.
    ImGuiContext* previous = ImGui::GetCurrentContext();
    {
        PictureContext context(1024, 640);
        test::RecordingCanvas canvas(1024, 640);
        context.draw(state, app::PictureView::LandscapeLoss, canvas);
        const ImU32 followed = ui::rgb(views[0].color);
        int panels_checked = 0;
        for (const test::Box& panel : data_panels(canvas, 1024, 640)) {
            int last_followed = -1, first_follower = -1;
            for (const auto& line : canvas.lines) {
                const bool inside = line.clip.x0 == panel.x0 && line.clip.y0 == panel.y0 && line.clip.x1 == panel.x1 &&
                                    line.clip.y1 == panel.y1;
                if (!inside) continue;
                if (line.color == followed) last_followed = std::max(last_followed, line.order);
                else if (line.color == ui::rgb(views[1].color) || line.color == ui::rgb(views[2].color))
                    first_follower = first_follower < 0 ? line.order : std::min(first_follower, line.order);
            }
            if (last_followed < 0 || first_follower < 0) continue;
            ++panels_checked;
            CHECK(first_follower > last_followed);
        }
        CHECK(panels_checked >= 2);  // the map and the loss plot at least
    }
    ImGui::SetCurrentContext(previous);
}

TEST_CASE("gallery: the loss plot marks the budget the runs were tuned on", "[app][gallery]") {
    Scene scene = mixed_scene(3);
    scene.steps = 2000;
    app::AppState state(scene);
    state.finish(true);
    ImGuiContext* previous = ImGui::GetCurrentContext();
    {
        PictureContext context(1024, 640);
        auto plot = [&](long tuned) {
            auto canvas = std::make_unique<test::RecordingCanvas>(1024.0f, 640.0f);
            context.draw_with(*canvas, [&] {
                ui::LossPlotInput input = app::loss_plot_input(state);
                input.tuned_steps = tuned;
                (void)ui::draw_loss_plot(input, {1024, 640}, false);
            });
            return canvas;
        };
        auto find = [](const test::RecordingCanvas& c, const std::string& prefix) -> const test::RecordedText* {
            for (const auto& t : c.texts)
                if (t.text.rfind(prefix, 0) == 0) return &t;
            return nullptr;
        };
        const auto none = plot(0);
        CHECK(find(*none, "tuned on") == nullptr);
        const auto marked = plot(500);
        const test::RecordedText* label = find(*marked, "tuned on 500 steps");
        REQUIRE(label != nullptr);
        // A dashed ink line at step 500: a quarter of the way along the step axis, beside its label.
        std::vector<float> xs;
        for (const auto& line : marked->lines)
            if (line.clip.x0 > 0 && line.color == ui::kInk && line.a.x == line.b.x && line.b.y - line.a.y > 0) xs.push_back(line.a.x);  // in the plot, not the ticks
        REQUIRE(xs.size() >= 10);  // dashes
        for (float x : xs) CHECK(x == Approx(xs.front()));
        CHECK(std::abs(label->box.x0 - xs.front()) < 30.0f);
        const test::RecordedText* step_500 = find(*marked, "500");
        if (step_500) CHECK(std::abs((step_500->box.x0 + step_500->box.x1) / 2 - xs.front()) < 2.0f);  // the 500 tick
        // Beyond the plot: said at its right edge.
        const auto beyond = plot(3000);
        const test::RecordedText* far = find(*beyond, "tuned on 3000 steps");
        REQUIRE(far != nullptr);
        CHECK(far->text.find("\u2192") != std::string::npos);
    }
    ImGui::SetCurrentContext(previous);
}

TEST_CASE("gallery: a run brought forward is drawn last and wider in the loss plot and the 3-D view", "[app][gallery]") {
    app::AppState state(mixed_scene(3));
    state.finish(true);
    ImGuiContext* previous = ImGui::GetCurrentContext();
    {
        PictureContext context(1024, 640);
        const std::vector<ui::RunView> runs = app::run_views(state);
        // The last line drawn in the data panel in run `r`'s colour, and its width. The loss plot's
        // panel starts right of the picture's edge; the mesh's at it, below the title.
        bool mesh_panel = false;
        auto in_panel = [&](const test::Box& clip) { return mesh_panel ? clip.x0 == 0 && clip.y0 > 0 : clip.x0 > 0; };
        auto last_of = [&](const test::RecordingCanvas& c, std::size_t r) {
            std::pair<int, float> last{-1, 0.0f};
            for (const auto& line : c.lines)
                if (in_panel(line.clip) && line.color == ui::rgb(runs[r].color) && line.order > last.first) last = {line.order, line.thickness};
            return last;
        };
        for (const int front : {-1, 0}) {
            test::RecordingCanvas loss(1024.0f, 640.0f);
            context.draw_with(loss, [&] {
                ui::LossPlotInput input = app::loss_plot_input(state);
                input.front_run = front;
                (void)ui::draw_loss_plot(input, {1024, 640}, false);
            });
            const auto first = last_of(loss, 0), second = last_of(loss, 1), third = last_of(loss, 2);
            REQUIRE(first.first >= 0);
            if (front == 0) {
                CHECK(first.first > second.first);
                CHECK(first.first > third.first);
                CHECK(first.second > second.second);
            } else {
                CHECK(first.second == second.second);
            }
        }
        // The 3-D view: the front run's path after the others'.
        std::vector<std::unique_ptr<FieldGrid>> grids;
        test::RecordingCanvas mesh(1024.0f, 640.0f);
        context.draw_with(mesh, [&] {
            ui::SurfaceViewInput input = app::surface_view_input(state);
            input.front_run = 0;
            input.image = [&](const ui::SurfaceImageRequest& request) {
                grids.push_back(std::make_unique<FieldGrid>(sample_field(state.surface(), request.view, 64, 64)));
                return ui::SurfaceImage{nullptr, grids.back().get()};
            };
            ui::draw_surface_view(input, {1024, 640}, false);
        });
        mesh_panel = true;
        const auto first = last_of(mesh, 0), second = last_of(mesh, 1);
        REQUIRE(first.first >= 0);
        REQUIRE(second.first >= 0);
        CHECK(first.first > second.first);
    }
    ImGui::SetCurrentContext(previous);
}

TEST_CASE("gallery: the edge arrow points where the run is at the shown step, not only where it left", "[app][gallery]") {
    // A run leaves the view [-1, 1]² to the right at step 2, then climbs: at step 3 it is at (2, 3).
    Trajectory t;
    t.x = {0.0, 0.5, 2.0, 2.0};
    t.y = {0.0, 0.0, 0.0, 3.0};
    t.loss = {1.0, 1.0, 1.0, 1.0};
    t.gx = t.gy = {0.0, 0.0, 0.0, 0.0};
    ui::RunView run;
    run.trajectory = &t;
    run.color = 0xD55E00;
    run.label = "a run";
    ui::LandscapeInput input;
    input.view = {-1, 1, -1, 1};
    input.runs = {run};
    ImGuiContext* previous = ImGui::GetCurrentContext();
    {
        PictureContext context(800, 800);
        auto arrow = [&](long step) {
            input.step = step;
            test::RecordingCanvas canvas(800.0f, 800.0f);
            context.draw_with(canvas, [&] { ui::draw_landscape(input, {800, 800}, false); });
            // The arrow: the run-coloured triangle; its tip is the corner farthest from the other two's middle.
            for (const auto& s : canvas.shapes) {
                if (s.color != ui::rgb(run.color) || s.points.size() != 3) continue;
                const ImVec2 tip = s.points[0], mid{(s.points[1].x + s.points[2].x) / 2, (s.points[1].y + s.points[2].y) / 2};
                return std::optional<ImVec2>{ImVec2{tip.x - mid.x, tip.y - mid.y}};
            }
            return std::optional<ImVec2>{};
        };
        const auto left = arrow(2);  // just left: pointing right, along the way out
        REQUIRE(left);
        CHECK(left->x > 0);
        CHECK(std::abs(left->y) < 0.1f * left->x);
        const auto climbing = arrow(3);  // now up and to the right of the exit: the arrow says so
        REQUIRE(climbing);
        CHECK(climbing->x > 0);
        CHECK(climbing->y < -climbing->x);  // screen y grows downwards: more up than right
    }
    ImGui::SetCurrentContext(previous);
}

TEST_CASE("gallery: a run that ends on a minimum leaves the minimum's star on top of its marker", "[app][gallery]") {
    Trajectory t;
    t.x = {-0.6, -0.2, 0.3};
    t.y = {0.5, 0.2, 0.4};
    t.loss = {1.0, 0.5, 0.0};
    t.gx = t.gy = {0.0, 0.0, 0.0};
    ui::RunView run;
    run.trajectory = &t;
    run.color = 0xE69F00;
    run.label = "a run";
    ui::LandscapeInput input;
    input.view = {-1, 1, -1, 1};
    input.runs = {run};
    input.minima = {Eigen::Vector2d(0.3, 0.4)};
    input.step = 2;
    ImGuiContext* previous = ImGui::GetCurrentContext();
    {
        PictureContext context(800, 800);
        test::RecordingCanvas canvas(800.0f, 800.0f);
        ui::LandscapeActions actions;
        context.draw_with(canvas, [&] { actions = ui::draw_landscape(input, {800, 800}, false); });
        const ViewRect& v = actions.shown_view;
        const ImVec2 at{actions.plot_min.x + static_cast<float>((0.3 - v.x_min) / (v.x_max - v.x_min)) * (actions.plot_max.x - actions.plot_min.x),
                        actions.plot_max.y - static_cast<float>((0.4 - v.y_min) / (v.y_max - v.y_min)) * (actions.plot_max.y - actions.plot_min.y)};
        // The last filled shape over the minimum's point: the star's white, not the run's marker.
        auto covers = [&](const test::RecordedShape& s) { return s.box.x0 <= at.x && at.x <= s.box.x1 && s.box.y0 <= at.y && at.y <= s.box.y1; };
        int last_marker = -1, last_star = -1;
        for (const auto& s : canvas.shapes) {
            if (!covers(s)) continue;
            if (s.color == ui::rgb(run.color)) last_marker = std::max(last_marker, s.order);
            if (s.color == IM_COL32(255, 255, 255, 255)) last_star = std::max(last_star, s.order);
        }
        REQUIRE(last_marker >= 0);
        CHECK(last_star > last_marker);
    }
    ImGui::SetCurrentContext(previous);
}
