// File dialogs: what a chosen file does (the same commands as the panel's buttons), the shortcuts
// that ask for a dialog, and GTK's real dialog under Xvfb ([gtk], run by ctest with xvfb-run).
#include "support/catch.h"

#include <clocale>
#include <locale.h>  // newlocale (POSIX)
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "app/window/app_frame.h"
#include "app/window/file_dialog.h"
#include "core/scene/scene.h"
#include "support/headless_imgui.h"
#include "ui/canvas/imgui_compat.h"

#ifdef OPTIVIZ_HAVE_GTK
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/gdkx.h>
#endif
#endif

using namespace optiviz;
namespace fs = std::filesystem;

namespace {

fs::path fresh_folder(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("optiviz-file-dialog-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("a scene chosen in the open dialog is loaded and becomes the panel's scene path", "[app][files]") {
    const fs::path dir = fresh_folder("open");
    Scene saved = default_scene();
    saved.steps = 123;
    saved.runs.resize(1);
    {
        app::AppState writer(saved);
        REQUIRE(writer.save_scene_file((dir / "chosen.json").string()));
    }
    app::AppState state(default_scene());
    REQUIRE(state.scene().steps != 123);
    const bool export_picture = app::apply_file_choice(state, {app::FilePurpose::OpenScene, (dir / "chosen.json").string()});
    CHECK_FALSE(export_picture);
    CHECK(state.scene().steps == 123);
    CHECK(state.scene().runs.size() == 1);
    CHECK(state.panel.scene_path == (dir / "chosen.json").string());
}

TEST_CASE("saving, exporting and opening data through a chosen file carry out the panel's commands", "[app][files]") {
    const fs::path dir = fresh_folder("save");
    app::AppState state(default_scene());
    state.finish();

    SECTION("save scene as") {
        CHECK_FALSE(app::apply_file_choice(state, {app::FilePurpose::SaveScene, (dir / "as.json").string()}));
        REQUIRE(fs::exists(dir / "as.json"));
        const Scene saved = scene_from_json(read_text(dir / "as.json"), "as.json");
        CHECK(saved.runs == state.scene().runs);
        CHECK(saved.surface == state.scene().surface);
        CHECK(saved.start == state.scene().start);
        CHECK(state.panel.scene_path == (dir / "as.json").string());
    }
    SECTION("export the trajectories") {
        CHECK_FALSE(app::apply_file_choice(state, {app::FilePurpose::ExportTrajectories, (dir / "t.csv").string()}));
        CHECK(read_text(dir / "t.csv").rfind("run,label,step,x,y,loss,grad_norm\n", 0) == 0);
        CHECK(state.panel.csv_path == (dir / "t.csv").string());
    }
    SECTION("export the picture: the caller draws it (it needs GL), into the chosen path") {
        CHECK(app::apply_file_choice(state, {app::FilePurpose::ExportPicture, (dir / "p.png").string()}));
        CHECK(state.panel.png_path == (dir / "p.png").string());
        CHECK_FALSE(fs::exists(dir / "p.png"));
    }
    SECTION("a CSV becomes the data of a data-driven surface") {
        CHECK_FALSE(app::apply_file_choice(state, {app::FilePurpose::OpenData, (dir / "d.csv").string()}));
        CHECK(state.scene().surface == "mse");
        CHECK(state.scene().data.kind == DatasetChoice::Kind::File);
        CHECK(state.scene().data.path == (dir / "d.csv").string());
        CHECK(state.panel.data_file == (dir / "d.csv").string());
    }
}

TEST_CASE("each dialog starts at the panel's path for its purpose", "[app][files]") {
    app::AppState state(default_scene());
    state.panel.scene_path = "/a/scene.json";
    state.panel.png_path = "/b/picture.png";
    state.panel.csv_path = "/c/runs.csv";
    state.panel.data_file = "/d/data.csv";
    CHECK(app::suggested_path(state, app::FilePurpose::OpenScene) == "/a/scene.json");
    CHECK(app::suggested_path(state, app::FilePurpose::SaveScene) == "/a/scene.json");
    CHECK(app::suggested_path(state, app::FilePurpose::ExportPicture) == "/b/picture.png");
    CHECK(app::suggested_path(state, app::FilePurpose::ExportTrajectories) == "/c/runs.csv");
    CHECK(app::suggested_path(state, app::FilePurpose::OpenData) == "/d/data.csv");
}

TEST_CASE("Ctrl+O and Ctrl+Shift+S ask for a dialog when there is one, and use the typed path when not", "[app][files]") {
    test::HeadlessImGui imgui{1440, 900};
    app::AppState state(default_scene());
    state.finish();
    app::FrameResult last;
    ui::PanelCommands seen;
    const auto body = [&] {
        last = app::draw_app_frame(state, [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; });
        if (last.commands.choose_file) seen.choose_file = last.commands.choose_file;
        seen.load_scene = seen.load_scene || last.commands.load_scene;
        seen.save_scene = seen.save_scene || last.commands.save_scene;
    };
    const auto press = [&](char key, bool shift) {
        seen = {};
        ui::set_modifiers(imgui.io(), true, shift);
        imgui.press_char_key(key, body);
        ui::set_modifiers(imgui.io(), false, false);
        imgui.frame(body);
    };
    state.panel.file_dialogs = true;
    press('O', false);
    CHECK(seen.choose_file == ui::FilePurpose::OpenScene);
    CHECK_FALSE(seen.load_scene);
    press('S', true);
    CHECK(seen.choose_file == ui::FilePurpose::SaveScene);
    CHECK_FALSE(seen.save_scene);

    state.panel.file_dialogs = false;
    press('O', false);
    CHECK_FALSE(seen.choose_file.has_value());
    CHECK(seen.load_scene);
    press('S', true);
    CHECK_FALSE(seen.choose_file.has_value());
    CHECK(seen.save_scene);
}

#ifdef OPTIVIZ_HAVE_GTK
namespace {

// The dialog GtkFileChooserNative shows when no portal is in use: a GtkFileChooserDialog.
GtkWidget* find_dialog(const char* title) {
    GList* windows = gtk_window_list_toplevels();
    GtkWidget* found = nullptr;
    for (GList* w = windows; w; w = w->next) {
        const char* t = gtk_window_get_title(GTK_WINDOW(w->data));
        if (GTK_IS_FILE_CHOOSER_DIALOG(w->data) && t && std::string(t) == title) found = GTK_WIDGET(w->data);
    }
    g_list_free(windows);
    return found;
}

}  // namespace

TEST_CASE("GTK's save dialog starts in the panel's folder and returns the chosen file", "[gtk][.]") {
    const fs::path dir = fresh_folder("gtk");
    const std::unique_ptr<app::FileDialogs> dialogs = app::make_native_file_dialogs();
    REQUIRE(dialogs->available());
    dialogs->open(app::FilePurpose::SaveScene, (dir / "suggested.json").string());
    REQUIRE(dialogs->busy());
    for (int i = 0; i < 20; ++i) CHECK_FALSE(dialogs->poll().has_value());
    GtkWidget* dialog = find_dialog("Save the scene");
    REQUIRE(dialog != nullptr);
    gchar* folder = gtk_file_chooser_get_current_folder(GTK_FILE_CHOOSER(dialog));
    REQUIRE(folder != nullptr);
    CHECK(fs::path(folder) == dir);
    g_free(folder);
    gchar* name = gtk_file_chooser_get_current_name(GTK_FILE_CHOOSER(dialog));
    CHECK(std::string(name ? name : "") == "suggested.json");
    g_free(name);
    // The user types a name and presses Save.
    gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(dialog), "typed.json");
    gtk_dialog_response(GTK_DIALOG(dialog), GTK_RESPONSE_ACCEPT);
    std::optional<app::FileChoice> choice;
    // GTK checks the name asynchronously (through GIO) before it answers: give it up to 5 s.
    for (int i = 0; i < 500 && !choice; ++i) {
        choice = dialogs->poll();
        if (!choice) g_usleep(10000);
    }
    REQUIRE(choice.has_value());
    CHECK(choice->purpose == app::FilePurpose::SaveScene);
    CHECK(choice->path == (dir / "typed.json").string());
    CHECK_FALSE(dialogs->busy());

    // Cancelling gives nothing and closes the dialog.
    dialogs->open(app::FilePurpose::OpenScene, (dir / "typed.json").string());
    dialogs->poll();
    GtkWidget* open = find_dialog("Open a scene");
    REQUIRE(open != nullptr);
    gtk_dialog_response(GTK_DIALOG(open), GTK_RESPONSE_CANCEL);
    for (int i = 0; i < 20; ++i) CHECK_FALSE(dialogs->poll().has_value());
    CHECK_FALSE(dialogs->busy());
}

#ifdef GDK_WINDOWING_X11
// The X11 window a dialog's WM_TRANSIENT_FOR names, or 0.
unsigned long transient_for(GtkWidget* dialog) {
    GdkWindow* window = gtk_widget_get_window(dialog);
    if (!window) return 0;
    GdkAtom type = nullptr;
    gint format = 0, length = 0;
    guchar* data = nullptr;
    unsigned long parent = 0;
    if (gdk_property_get(window, gdk_atom_intern_static_string("WM_TRANSIENT_FOR"), gdk_atom_intern_static_string("WINDOW"),
                         0, 1, FALSE, &type, &format, &length, &data) &&
        data && format == 32 && length >= static_cast<gint>(sizeof(long)))
        parent = static_cast<unsigned long>(*reinterpret_cast<long*>(data));  // format 32 comes as longs
    g_free(data);
    return parent;
}

TEST_CASE("GTK's dialog is transient for the app's X11 window", "[gtk][.]") {
    REQUIRE(gtk_init_check(nullptr, nullptr));
    REQUIRE(GDK_IS_X11_DISPLAY(gdk_display_get_default()));
    // The app's window stands in as a plain X window that GTK does not own (as GLFW's is not).
    GdkWindowAttr attributes{};
    attributes.width = 300;
    attributes.height = 200;
    attributes.wclass = GDK_INPUT_OUTPUT;
    attributes.window_type = GDK_WINDOW_TOPLEVEL;
    GdkWindow* app_window = gdk_window_new(nullptr, &attributes, 0);
    const unsigned long xid = gdk_x11_window_get_xid(app_window);
    REQUIRE(xid != 0);
    {
        const std::unique_ptr<app::FileDialogs> dialogs = app::make_native_file_dialogs(xid);
        dialogs->open(app::FilePurpose::OpenData, "");
        dialogs->poll();
        GtkWidget* dialog = find_dialog("Open a CSV data file");
        REQUIRE(dialog != nullptr);
        CHECK(transient_for(dialog) == xid);
    }
    {
        // Without a parent the dialog stands alone, as before.
        const std::unique_ptr<app::FileDialogs> dialogs = app::make_native_file_dialogs();
        dialogs->open(app::FilePurpose::OpenScene, "");
        dialogs->poll();
        GtkWidget* dialog = find_dialog("Open a scene");
        REQUIRE(dialog != nullptr);
        CHECK(transient_for(dialog) == 0);
    }
    gdk_window_destroy(app_window);
}
#endif

TEST_CASE("without a display there are no dialogs, and the panel keeps its typed paths", "[gtk-no-display][.]") {
    CHECK_FALSE(app::make_native_file_dialogs()->available());
}
#endif

#ifdef OPTIVIZ_HAVE_GTK
TEST_CASE("the dialog speaks the user's language while numbers stay in the C locale", "[gtk][.]") {
    const std::unique_ptr<app::FileDialogs> dialogs = app::make_native_file_dialogs();
    REQUIRE(dialogs->available());
    // The locale the environment names (LC_ALL, then LC_MESSAGES, then LANG), when it is installed.
    std::string named = "C";
    for (const char* variable : {"LC_ALL", "LC_MESSAGES", "LANG"})
        if (const char* value = std::getenv(variable); value && *value) {
            named = value;
            break;
        }
    locale_t probe = newlocale(LC_ALL_MASK, "", static_cast<locale_t>(nullptr));
    if (!probe) named = "C";
    else freelocale(probe);
    INFO(named);
    CHECK(std::string(std::setlocale(LC_MESSAGES, nullptr)) == named);
    CHECK(std::string(std::setlocale(LC_NUMERIC, nullptr)) == "C");
    char text[16];
    std::snprintf(text, sizeof text, "%.1f", 1.5);
    CHECK(std::string(text) == "1.5");
}
#endif
