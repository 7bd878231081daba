#include "app/window/file_dialog.h"

#include <algorithm>
#include <clocale>
#include <filesystem>
#include <string_view>
#include <utility>

#ifdef OPTIVIZ_HAVE_GTK
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/gdkx.h>
#define GLFW_EXPOSE_NATIVE_X11
#include <GLFW/glfw3.h>
#include <GLFW/glfw3native.h>
#define OPTIVIZ_DIALOG_PARENT_X11 1
#endif
#endif

namespace optiviz::app {

bool apply_file_choice(AppState& state, const FileChoice& choice) {
    ui::PanelCommands commands;
    switch (choice.purpose) {
        case FilePurpose::OpenScene:
            state.panel.scene_path = choice.path;
            commands.load_scene = true;
            break;
        case FilePurpose::SaveScene:
            state.panel.scene_path = choice.path;
            commands.save_scene = true;
            break;
        case FilePurpose::OpenData:
            state.use_data_file(choice.path);
            return false;
        case FilePurpose::ExportPicture:
            state.panel.png_path = choice.path;
            return true;
        case FilePurpose::ExportTrajectories:
            state.panel.csv_path = choice.path;
            commands.export_csv = true;
            break;
        case FilePurpose::ExportAnimation:  // the animation dialog's own field: AnimationExportPanel::use_chosen_file
            return false;
        case FilePurpose::OpenTrajectory:
            state.panel.trajectory_file = choice.path;
            commands.open_trajectory = choice.path;
            break;
    }
    state.run_commands(commands);
    return false;
}

const std::string& suggested_path(const AppState& state, FilePurpose purpose) {
    switch (purpose) {
        case FilePurpose::OpenScene:
        case FilePurpose::SaveScene: return state.panel.scene_path;
        case FilePurpose::OpenData: return state.panel.data_file;
        case FilePurpose::ExportPicture: return state.panel.png_path;
        case FilePurpose::ExportTrajectories: return state.panel.csv_path;
        case FilePurpose::ExportAnimation: break;  // the animation dialog holds its path
        case FilePurpose::OpenTrajectory: return state.panel.trajectory_file;
    }
    return state.panel.scene_path;
}

namespace {

class NoFileDialogs final : public FileDialogs {
public:
    bool available() const override { return false; }
    void open(FilePurpose, const std::string&) override {}
    bool busy() const override { return false; }
    std::optional<FileChoice> poll() override { return std::nullopt; }
};

#ifdef OPTIVIZ_HAVE_GTK

struct DialogSpec {
    const char* title;
    bool save;
    const char* filter_name;  // the files the purpose expects; "All files" is always offered too
    const char* pattern;
};

DialogSpec dialog_spec(FilePurpose purpose) {
    switch (purpose) {
        case FilePurpose::OpenScene: return {"Open a scene", false, "Scenes (*.json)", "*.json"};
        case FilePurpose::SaveScene: return {"Save the scene", true, "Scenes (*.json)", "*.json"};
        case FilePurpose::OpenData: return {"Open a CSV data file", false, "CSV files (*.csv)", "*.csv"};
        case FilePurpose::ExportPicture: return {"Export the picture", true, "PNG pictures (*.png)", "*.png"};
        case FilePurpose::ExportTrajectories: return {"Export the trajectories", true, "CSV files (*.csv)", "*.csv"};
        case FilePurpose::OpenTrajectory: return {"Add your own run (a trajectory CSV)", false, "CSV files (*.csv)", "*.csv"};
        case FilePurpose::ExportAnimation:
            return {"Export the animation", true, "Animations (*.gif, *.mp4, *.webm)", "*.gif;*.mp4;*.webm"};
    }
    return {"Choose a file", false, "All files", "*"};
}

// GTK's dialog, pumped from the app's frame loop (no gtk_main, no nested loop).
class GtkFileDialogs final : public FileDialogs {
public:
    explicit GtkFileDialogs(unsigned long x11_parent) : x11_parent_(x11_parent) {}
    ~GtkFileDialogs() override {
        close();
#ifdef OPTIVIZ_DIALOG_PARENT_X11
        if (parent_) g_object_unref(parent_);
#endif
    }
    GtkFileDialogs(const GtkFileDialogs&) = delete;
    GtkFileDialogs& operator=(const GtkFileDialogs&) = delete;

    bool available() const override { return true; }
    bool busy() const override { return dialog_ != nullptr; }

    void open(FilePurpose purpose, const std::string& suggested) override {
        if (dialog_) return;
        const DialogSpec spec = dialog_spec(purpose);
        purpose_ = purpose;
        dialog_ = gtk_file_chooser_native_new(spec.title, nullptr,
                                              spec.save ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                              spec.save ? "_Save" : "_Open", "_Cancel");
        GtkFileChooser* chooser = GTK_FILE_CHOOSER(dialog_);
        // GTK asks before replacing a file, so a save never overwrites silently.
        gtk_file_chooser_set_do_overwrite_confirmation(chooser, TRUE);
        add_filter(chooser, spec.filter_name, spec.pattern);
        add_filter(chooser, "All files", "*");
        start_at(chooser, suggested, spec.save);
        g_signal_connect(dialog_, "response", G_CALLBACK(&GtkFileDialogs::on_response), this);
        gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog_));
        keep_above_parent(spec.title);
    }

    std::optional<FileChoice> poll() override {
        // A bounded number of iterations: a busy GTK never holds up the frame.
        for (int i = 0; i < 64 && g_main_context_iteration(nullptr, FALSE); ++i) {
        }
        if (std::exchange(answered_, false)) close();
        return std::exchange(chosen_, std::nullopt);
    }

private:
    // GtkFileChooserNative takes its parent as a GtkWindow, and the app's window is GLFW's, not GTK's.
    // So once GTK's own dialog is shown (realized), its X window is made transient for the app's
    // through a foreign GdkWindow. The portal's dialog is another process's: it stays unparented.
    void keep_above_parent([[maybe_unused]] const char* title) {
#ifdef OPTIVIZ_DIALOG_PARENT_X11
        GdkDisplay* display = gdk_display_get_default();
        if (x11_parent_ == 0 || !display || !GDK_IS_X11_DISPLAY(display)) return;
        if (!parent_) parent_ = gdk_x11_window_foreign_new_for_display(display, x11_parent_);
        if (!parent_) return;  // the window is gone
        GList* windows = gtk_window_list_toplevels();
        for (GList* w = windows; w; w = w->next) {
            const char* shown = gtk_window_get_title(GTK_WINDOW(w->data));
            GdkWindow* window = gtk_widget_get_window(GTK_WIDGET(w->data));
            if (GTK_IS_FILE_CHOOSER_DIALOG(w->data) && shown && std::string_view(shown) == title && window)
                gdk_window_set_transient_for(window, parent_);
        }
        g_list_free(windows);
#endif
    }

    static void add_filter(GtkFileChooser* chooser, const char* name, const char* pattern) {
        GtkFileFilter* filter = gtk_file_filter_new();
        gtk_file_filter_set_name(filter, name);
        std::string patterns = pattern;  // ";"-separated
        for (std::size_t begin = 0; begin <= patterns.size();) {
            const std::size_t end = std::min(patterns.find(';', begin), patterns.size());
            gtk_file_filter_add_pattern(filter, patterns.substr(begin, end - begin).c_str());
            begin = end + 1;
        }
        gtk_file_chooser_add_filter(chooser, filter);  // the chooser takes the reference
    }

    static void start_at(GtkFileChooser* chooser, const std::string& suggested, bool save) {
        namespace fs = std::filesystem;
        std::error_code error;
        const fs::path path = suggested.empty() ? fs::path() : fs::absolute(fs::path(suggested), error);
        const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::current_path(error);
        if (!folder.empty() && fs::is_directory(folder, error))
            gtk_file_chooser_set_current_folder(chooser, folder.c_str());
        if (save && path.has_filename()) gtk_file_chooser_set_current_name(chooser, path.filename().c_str());
    }

    // The dialog is destroyed by poll(), after GTK has finished emitting this signal.
    static void on_response(GtkNativeDialog*, gint response, gpointer self_pointer) {
        auto* self = static_cast<GtkFileDialogs*>(self_pointer);
        if (response == GTK_RESPONSE_ACCEPT) {
            if (gchar* name = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(self->dialog_))) {
                self->chosen_ = FileChoice{self->purpose_, name};
                g_free(name);
            }
        }
        self->answered_ = true;
    }

    void close() {
        if (!dialog_) return;
        GtkFileChooserNative* dialog = std::exchange(dialog_, nullptr);
        gtk_native_dialog_destroy(GTK_NATIVE_DIALOG(dialog));
        g_object_unref(dialog);
    }

    unsigned long x11_parent_ = 0;
#ifdef OPTIVIZ_DIALOG_PARENT_X11
    GdkWindow* parent_ = nullptr;  // the app's window, wrapped for GDK on first use
#endif
    GtkFileChooserNative* dialog_ = nullptr;
    FilePurpose purpose_ = FilePurpose::OpenScene;
    std::optional<FileChoice> chosen_;
    bool answered_ = false;
};

bool start_gtk() {
    static const bool started = [] {
        // The dialog speaks the user's language (messages, file-name encoding, dates), but numbers
        // stay in the C locale: a decimal comma would change how numbers are parsed and printed
        // everywhere in the program. GTK would set all of LC_ALL from the environment itself.
        std::setlocale(LC_ALL, "");
        std::setlocale(LC_NUMERIC, "C");
        gtk_disable_setlocale();
        return gtk_init_check(nullptr, nullptr) == TRUE;
    }();
    return started;
}

#endif  // OPTIVIZ_HAVE_GTK

}  // namespace

std::unique_ptr<FileDialogs> make_native_file_dialogs([[maybe_unused]] unsigned long x11_parent) {
#ifdef OPTIVIZ_HAVE_GTK
    if (start_gtk()) return std::make_unique<GtkFileDialogs>(x11_parent);
#endif
    return std::make_unique<NoFileDialogs>();
}

unsigned long x11_window_id([[maybe_unused]] GLFWwindow* window) {
#ifdef OPTIVIZ_DIALOG_PARENT_X11
    // GLFW 3.3 (Debian 12) is built for X11 alone (on Wayland it runs through XWayland); a GLFW that
    // is not on X11 reports an error and gives None (0).
    if (window) return static_cast<unsigned long>(glfwGetX11Window(window));
#endif
    return 0;
}

}  // namespace optiviz::app
