// Native file choosers for the window's open, save and export commands.
//
// The chooser is GTK 3's GtkFileChooserNative: it shows the desktop's own dialog through the XDG
// desktop portal when one is in use (sandboxed, or GTK_USE_PORTAL=1) and GTK's dialog otherwise.
// It runs beside the window, not modally: the app pumps GTK's events once a frame (poll), so the
// window keeps drawing and its background work goes on while the dialog is open. Without GTK (a
// build without it, or no display GTK can open) `available()` is false and the panel's typed paths
// are the way to name files, as before.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/app_state.h"

struct GLFWwindow;

namespace optiviz::app {

// What a chosen file is for: the dialog's title, action and filters, and the command carried out.
using ui::FilePurpose;

struct FileChoice {
    FilePurpose purpose;
    std::string path;
};

class FileDialogs {
public:
    virtual ~FileDialogs() = default;
    // False when no native dialog can be shown (then `open` does nothing).
    virtual bool available() const = 0;
    // Opens a dialog for `purpose`, starting at `suggested` (its folder, and its name when saving).
    // One dialog at a time: a second call while one is open brings nothing new.
    virtual void open(FilePurpose purpose, const std::string& suggested) = 0;
    // Whether a dialog is open.
    virtual bool busy() const = 0;
    // Handles the dialog's pending events (call once a frame); returns the file once one is chosen.
    // Cancelling gives nothing.
    virtual std::optional<FileChoice> poll() = 0;
};

// GTK's dialogs when this build has GTK and GTK can open the display; otherwise a FileDialogs whose
// `available()` is false. GTK is started by the first call, with its locale setting turned off (the
// program's numbers are read and written in the C locale).
// `x11_parent`: the X11 window (x11_window_id) the dialogs belong to: GTK's own dialog is made
// transient for it (WM_TRANSIENT_FOR), so the window manager keeps it above the window and centred
// on it. 0, or GTK not on X11 (Wayland), or the desktop portal's dialog: no parent (left to the desktop).
std::unique_ptr<FileDialogs> make_native_file_dialogs(unsigned long x11_parent = 0);

// The X11 window id of a GLFW window, or 0 when the build or the window is not on X11.
unsigned long x11_window_id(GLFWwindow* window);

// What the app does with a chosen file, through the same commands as the panel's buttons: the path
// goes into the panel's field for it, then the scene is loaded or saved, the data file used, the
// trajectories exported. Returns true when the caller must export the picture (it needs GL).
bool apply_file_choice(AppState& state, const FileChoice& choice);

// The panel's path for `purpose` (where its dialog starts).
const std::string& suggested_path(const AppState& state, FilePurpose purpose);

}  // namespace optiviz::app
