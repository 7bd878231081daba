// Every writer on a full disk: one line, exit 2 on the command line, and the old file byte for byte.
#include "support/catch.h"

#include <sstream>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "app/cli/cli.h"
#include "support/run_cli.h"
#include "render/png_writer.h"
#include "support/full_disk.h"

using namespace optiviz;
using namespace optiviz::test;

namespace {

using optiviz::test::Result;
using optiviz::test::run;

// Runs `args` whose --out is `path` with file growth capped at 1 KiB; the old file must survive.
void check_full_disk_keeps_old_file(const ScratchFolder& folder, const std::string& path, std::vector<std::string> args) {
    const std::string old_bytes = "old file that must survive\n";
    write_bytes(path, old_bytes);
    Result r{};
    {
        FullDisk disk(1024);
        r = run(std::move(args));
    }
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "optiviz: error: " + path + ": cannot write: File too large\n");
    CHECK(read_bytes(path) == old_bytes);
    CHECK(folder_entries(folder.path()).size() == 1);
}

}  // namespace

TEST_CASE("render --out /dev/full: exit 2 with one line", "[cli][render][atomic]") {
    const Result r = run({"render", "--out", "/dev/full", "--steps", "5", "--size", "64x48"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "optiviz: error: /dev/full: cannot write: not a regular file (a device, FIFO or socket)\n");
}

TEST_CASE("render into a folder: exit 2 with one line", "[cli][render][atomic]") {
    ScratchFolder folder;
    const Result r = run({"render", "--out", folder.path(), "--steps", "5", "--size", "64x48"});
    CHECK(r.status == 2);
    CHECK(r.err == "optiviz: error: " + folder.path() + ": cannot write: it is a folder\n");
}

TEST_CASE("render on a full disk keeps the old PNG", "[cli][render][atomic]") {
    ScratchFolder folder;
    const std::string path = folder.file("old.png");
    check_full_disk_keeps_old_file(folder, path, {"render", "--out", path, "--steps", "5", "--size", "320x200"});
}

TEST_CASE("render's PNG replaces the old one whole when the disk has room", "[cli][render][atomic]") {
    ScratchFolder folder;
    const std::string path = folder.file("new.png");
    write_bytes(path, "not a png");
    REQUIRE(run({"render", "--out", path, "--steps", "5", "--size", "64x48"}).status == 0);
    const std::string bytes = read_bytes(path);
    REQUIRE(bytes.size() > 8);
    CHECK(bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n");
}

TEST_CASE("sweep CSV and PNG on a full disk keep the old file", "[cli][sweep][render][atomic]") {
    for (const char* name : {"old.csv", "old.png"}) {
        ScratchFolder folder;
        const std::string path = folder.file(name);
        INFO(path);
        check_full_disk_keeps_old_file(folder, path,
                                       {"sweep", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps",
                                        "3", "--x", "lr=1e-3:1e-2:log:40", "--y", "momentum=0:0.9:lin:40", "--out", path});
    }
}

TEST_CASE("basins CSV and PNG on a full disk keep the old file", "[cli][sweep][render][atomic]") {
    for (const char* name : {"old.csv", "old.png"}) {
        ScratchFolder folder;
        const std::string path = folder.file(name);
        INFO(path);
        check_full_disk_keeps_old_file(folder, path,
                                       {"basins", "--surface", "himmelblau", "--optimizer", "sgd", "--steps", "3",
                                        "--grid", "-5,5,-5,5", "--res", "24", "--out", path});
    }
}

TEST_CASE("write_png on a full disk keeps the old file (the window's screenshots and exports)", "[render][atomic]") {
    ScratchFolder folder;
    const std::string path = folder.file("shot.png");
    write_bytes(path, "old");
    std::vector<std::uint8_t> noise(256 * 256 * 4);
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<std::uint8_t>((i * 2654435761u) >> 13);
    FullDisk disk(1024);
    CHECK_THROWS_WITH(render::write_png(path, 256, 256, noise), path + ": cannot write: File too large");
    CHECK(read_bytes(path) == "old");
}

TEST_CASE("Save scene and Export trajectories on a full disk keep the old file", "[app][atomic]") {
    ScratchFolder folder;
    app::AppState state(default_scene());
    state.finish();
    for (const char* name : {"scene.json", "paths.csv"}) {
        const std::string path = folder.file(name);
        INFO(path);
        write_bytes(path, "old");
        bool written = true;
        {
            FullDisk disk(16);
            written = std::string(name) == "scene.json" ? state.save_scene_file(path) : state.export_csv(path);
        }
        CHECK_FALSE(written);
        CHECK(state.panel.message == path + ": cannot write: File too large");
        CHECK(state.panel.message_is_error);
        CHECK(read_bytes(path) == "old");
    }
    CHECK(folder_entries(folder.path()) == std::vector<std::string>{"paths.csv", "scene.json"});
}
