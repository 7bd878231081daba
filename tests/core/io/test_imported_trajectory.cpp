// Your own runs read back from CSV (core/io/imported_trajectory.h): the formats, the messages for bad
// files, and the trajectory drawn on a surface.
#include "support/catch.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/imported_trajectory.h"
#include "core/io/limits.h"
#include "core/scene/scene.h"
#include "core/surfaces/surface_registry.h"

using namespace optiviz;

namespace {

const std::string kData = OPTIVIZ_TEST_DATA_DIR;

// The committed file written by scripts/own_run_torch.py, read with nothing but the standard
// library: its rows as written (step, x, y, loss).
std::vector<std::vector<double>> rows_of(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // the header
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
        std::vector<double> row;
        std::istringstream fields(line);
        for (std::string field; std::getline(fields, field, ',');) row.push_back(std::stod(field));
        rows.push_back(row);
    }
    return rows;
}

}  // namespace

TEST_CASE("imported: the torch-written file's points loaded equal the file", "[imported]") {
    const std::vector<ImportedPath> paths = load_imported_paths(kData + "/mine.csv");
    REQUIRE(paths.size() == 1);
    const ImportedPath& p = paths[0];
    const auto rows = rows_of(kData + "/mine.csv");
    REQUIRE(rows.size() == 2001);
    REQUIRE(p.x.size() == rows.size());
    REQUIRE(p.loss.size() == rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
        INFO("row " << k);
        CHECK(rows[k][0] == static_cast<double>(k));
        CHECK(p.x[k] == rows[k][1]);
        CHECK(p.y[k] == rows[k][2]);
        CHECK(p.loss[k] == rows[k][3]);
    }
    // The run starts at optiviz's default start and ends near Rosenbrock's minimum.
    CHECK(p.x.front() == -1.5);
    CHECK(p.y.front() == 2.0);
    CHECK(std::abs(p.x.back() - 1) < 1e-3);
    CHECK(imported_label(p) == "mine.csv");
    CHECK(p.source == kData + "/mine.csv");
}

TEST_CASE("imported: the window's export gives one path per run with its quoted label", "[imported]") {
    const std::string csv =
        "run,label,step,x,y,loss,grad_norm\n"
        "0,\"Adam, fast\",0,1,2,3,4\n0,\"Adam, fast\",1,1.5,2.5,3.5,4\n"
        "1,\"two\nlines\",0,-1,-2,9,0\n1,\"two\nlines\",1,-1.5,-2.5,8,0\n1,\"two\nlines\",2,-2,-3,7,0\n";
    const auto paths = parse_imported_paths(csv, "export.csv");
    REQUIRE(paths.size() == 2);
    CHECK(paths[0].label == "Adam, fast");
    CHECK(paths[0].run == "0");
    CHECK(paths[0].x == std::vector<double>{1, 1.5});
    CHECK(paths[0].loss == std::vector<double>{3, 3.5});
    CHECK(paths[1].label == "two\nlines");
    CHECK(paths[1].y == std::vector<double>{-2, -2.5, -3});
    CHECK(imported_label(paths[1]) == "two\nlines");
}

TEST_CASE("imported: headers from numpy and headerless files", "[imported]") {
    // numpy.savetxt(header="x,y", delimiter=",") writes "# x,y".
    const auto numpy = parse_imported_paths("# x,y\n1.0e+00,2.0e+00\n3,4\n", "np.csv");
    CHECK(numpy[0].x == std::vector<double>{1, 3});
    CHECK(numpy[0].loss.empty());
    const auto bare = parse_imported_paths("1,2,5\n3,4,6\n", "bare.csv");
    CHECK(bare[0].y == std::vector<double>{2, 4});
    CHECK(bare[0].loss == std::vector<double>{5, 6});
    // Other columns are ignored, CRLF and a BOM too.
    const auto extra = parse_imported_paths("\xEF\xBB\xBF" "epoch,y,lr,x\r\n0,2,0.1,1\r\n\r\n1,4,0.1,3\r\n", "e.csv");
    CHECK(extra[0].x == std::vector<double>{1, 3});
    CHECK(extra[0].y == std::vector<double>{2, 4});
}

TEST_CASE("imported: bad files are one line naming file and line", "[imported]") {
    CHECK_THROWS_WITH(parse_imported_paths("", "e.csv"), "e.csv: empty file, expected a header and rows of x, y");
    CHECK_THROWS_WITH(parse_imported_paths("\n \n", "e.csv"), "e.csv: empty file, expected a header and rows of x, y");
    CHECK_THROWS_WITH(parse_imported_paths("step,x,loss\n0,1,2\n", "m.csv"),
                      "m.csv:1: no column 'y' (columns: step, x, loss); a trajectory needs columns x and y");
    CHECK_THROWS_WITH(parse_imported_paths("x,y\n1,2\n3,abc\n", "n.csv"), "n.csv:3: y: 'abc' is not a number");
    CHECK_THROWS_WITH(parse_imported_paths("x,y\n1,2\nnan,4\n", "n.csv"), Catch::StartsWith("n.csv:3: x: 'nan' is not a finite number"));
    CHECK_THROWS_WITH(parse_imported_paths("x,y\n1,2\n3\n", "f.csv"), "f.csv:3: expected 2 fields, found 1");
    CHECK_THROWS_WITH(parse_imported_paths("x,y\n", "h.csv"), "h.csv: no rows after the header, expected rows of x, y");
    CHECK_THROWS_WITH(parse_imported_paths("step,x,y\n0,1,2\n2,3,4\n", "s.csv"),
                      Catch::StartsWith("s.csv:3: step 2 follows step 0 (rows must be steps 0, 1, 2"));
    CHECK_THROWS_WITH(parse_imported_paths("x,y\n1,2\n1e31,0\n", "b.csv"), Catch::StartsWith("b.csv:3: x: '1e31' is beyond"));
    CHECK_THROWS_WITH(parse_imported_paths("x,y\n\"1,2\n", "q.csv"), "q.csv:2: the quote that opens here is not closed");
    // Lines are counted inside a quoted label that spans lines.
    CHECK_THROWS_WITH(parse_imported_paths("label,x,y\n\"a\nb\",1,2\n\"c\r\nd\",3,zz\n", "ml.csv"), "ml.csv:4: y: 'zz' is not a number");
    CHECK_THROWS_WITH(parse_imported_paths("1\n2\n", "one.csv"), Catch::StartsWith("one.csv:1: a file without a header must have"));
    CHECK_THROWS_WITH(parse_imported_paths(std::string("x,y\n1,\0", 7), "z.csv"), Catch::Contains("NUL bytes"));
    CHECK_THROWS_WITH(load_imported_paths(kData + "/no-such-file.csv"), Catch::Contains("no-such-file.csv: cannot open"));
}

TEST_CASE("imported: a path longer than a scene's horizon is refused at the row past it", "[imported]") {
    std::string csv = "x,y\n";
    csv.reserve(static_cast<std::size_t>(limits::kMaxSteps + 3) * 4);
    for (long k = 0; k <= limits::kMaxSteps; ++k) csv += "0,0\n";
    CHECK(parse_imported_paths(csv, "long.csv")[0].x.size() == static_cast<std::size_t>(limits::kMaxSteps) + 1);
    csv += "0,0\n";
    CHECK_THROWS_WITH(parse_imported_paths(csv, "long.csv"), Catch::StartsWith("long.csv: more than 1000001 rows in one path"));
}

TEST_CASE("imported: more runs in one file than a scene holds are refused", "[imported]") {
    std::string csv = "run,x,y\n";
    for (int r = 0; r <= limits::kMaxRuns; ++r) csv += std::to_string(r) + ",0,0\n";
    CHECK_THROWS_WITH(parse_imported_paths(csv, "runs.csv"), "runs.csv:66: more than 64 runs in one file");
}

TEST_CASE("imported: the trajectory keeps the file's loss or takes the surface's", "[imported]") {
    const auto surface = make_surface("rosenbrock", {}, nullptr);
    const auto with_loss = parse_imported_paths("x,y,loss\n-1.5,2,123\n0,0,7\n", "l.csv")[0];
    const Trajectory a = imported_trajectory(with_loss, *surface);
    CHECK(a.loss == std::vector<double>{123, 7});
    CHECK(a.x == with_loss.x);
    const auto without = parse_imported_paths("x,y\n-1.5,2\n0,0\n", "p.csv")[0];
    const Trajectory b = imported_trajectory(without, *surface);
    CHECK(b.loss == std::vector<double>{surface->value(-1.5, 2), surface->value(0, 0)});
    CHECK(b.gx[0] == surface->gradient(-1.5, 2).x());
    CHECK(b.gy[0] == surface->gradient(-1.5, 2).y());
    CHECK(b.outcome == Outcome::MaxSteps);
    // Where the surface has no finite loss (outside a log's domain), the path ends as a diverged run's.
    const auto log_surface = make_surface("expr", {}, nullptr, "log(x) + y^2");
    const auto crossing = parse_imported_paths("x,y\n2,0\n1,0\n-1,0\n-2,0\n", "c.csv")[0];
    const Trajectory c = imported_trajectory(crossing, *log_surface);
    CHECK(c.size() == 2);
    CHECK(c.outcome == Outcome::Diverged);
    CHECK(c.diverged_step == 2);
}

TEST_CASE("imported: a file is a trajectory when its header names step, x and y", "[imported]") {
    CHECK(looks_like_trajectory_csv("step,x,y,loss\n0,1,2,3\n"));
    CHECK(looks_like_trajectory_csv("run,label,step,x,y,loss,grad_norm\n"));
    CHECK_FALSE(looks_like_trajectory_csv("x,y\n1,2\n"));
    CHECK_FALSE(looks_like_trajectory_csv("1,2\n3,4\n"));
    CHECK_FALSE(looks_like_trajectory_csv("step,height\n0,1\n"));
}

TEST_CASE("imported: a scene saves an imported run's points and file and reads it back equal", "[imported][scene]") {
    Scene scene = default_scene();
    auto paths = load_imported_paths(kData + "/mine.csv");
    RunSpec run;
    run.color = run_palette(scene.runs.size());
    run.imported.path = std::make_shared<const ImportedPath>(paths[0]);
    scene.runs.push_back(run);
    const std::string json = scene_to_json(scene);
    CHECK(json.find("\"imported\"") != std::string::npos);
    const nlohmann::json written = nlohmann::json::parse(json);
    CHECK(written["runs"].back().contains("imported"));
    CHECK_FALSE(written["runs"].back().contains("optimizer"));  // it has no optimizer settings
    // 2001 points, more than kInlineRows: saved by its file (read back from it), not inline.
    CHECK(written["runs"].back()["imported"]["file"] == kData + "/mine.csv");
    CHECK_FALSE(written["runs"].back()["imported"].contains("x"));
    std::vector<std::string> warnings;
    const Scene back = scene_from_json(json, "s.json", SceneFileContext{"", &warnings});
    CHECK(back == scene);
    CHECK(warnings.empty());  // every key an imported run writes is one the reader knows
    REQUIRE(back.runs.back().imported);
    CHECK(back.runs.back().imported->x == paths[0].x);
    CHECK(back.runs.back().imported->source == paths[0].source);
    CHECK(run_labels(back).back() == "mine.csv");

    // A path of more than kInlineRows points is saved by its file, which is read again (beside the scene).
    ImportedPath big;
    big.source = "big.csv";
    for (std::size_t k = 0; k <= kInlineRows; ++k) big.x.push_back(static_cast<double>(k)), big.y.push_back(0);
    Scene by_file = default_scene();
    by_file.runs.resize(1);
    by_file.runs[0].imported.path = std::make_shared<const ImportedPath>(big);
    const std::string saved = scene_to_json(by_file);
    CHECK_FALSE(nlohmann::json::parse(saved)["runs"][0]["imported"].contains("x"));
    CHECK_THROWS_WITH(scene_from_json(saved, "s.json", SceneFileContext{"/nonexistent-folder", nullptr}),
                      Catch::Contains("/nonexistent-folder/big.csv: cannot open"));
    // Read beside the scene's folder, as data files are.
    const std::string by_name = R"({"format": "optiviz-scene", "surface": {"name": "rosenbrock"}, "start": [0, 0],
        "view": [-2, 2, -1, 3], "runs": [{"imported": {"file": "mine.csv"}}]})";
    const Scene beside = scene_from_json(by_name, "s.json", SceneFileContext{kData, nullptr});
    REQUIRE(beside.runs.size() == 1);
    CHECK(beside.runs[0].imported->source == kData + "/mine.csv");
    CHECK(beside.runs[0].imported->x == paths[0].x);
    CHECK(beside.runs[0].color == run_palette(0));
    CHECK_THROWS_WITH(scene_from_json(by_name, "s.json", SceneFileContext{kData + "/..", nullptr}),
                      Catch::Contains("mine.csv: cannot open"));
    // A small path travels inside the scene, and its points are checked as a file's are.
    ImportedPath small = paths[0];
    small.x.resize(kInlineRows), small.y.resize(kInlineRows), small.loss.resize(kInlineRows);
    scene.runs.back().imported.path = std::make_shared<const ImportedPath>(small);
    const std::string inline_json = scene_to_json(scene);
    CHECK(nlohmann::json::parse(inline_json)["runs"].back()["imported"]["x"].size() == kInlineRows);
    CHECK(scene_from_json(inline_json, "s.json") == scene);
    std::string bad = inline_json;
    bad.replace(bad.find("-1.5", bad.find("\"imported\"")), 4, "1e99");
    CHECK_THROWS_WITH(scene_from_json(bad, "s.json"), Catch::Contains("runs[6].imported: every point and loss must be a finite number"));
}

TEST_CASE("imported: a scene's imported points count towards its trajectory memory", "[imported][scene]") {
    ImportedPath big;
    big.x.assign(1'000'000, 0.0);
    big.y.assign(1'000'000, 0.0);
    const auto shared = std::make_shared<const ImportedPath>(big);  // one copy, shared by every run
    Scene scene;
    scene.steps = 100;
    for (int i = 0; i < 13; ++i) {
        RunSpec run;
        run.imported.path = shared;
        scene.runs.push_back(run);
    }
    CHECK_NOTHROW(validate_scene(scene));  // 13 million points: 1 GB with their trajectories
    scene.runs.push_back(scene.runs.back());
    CHECK_THROWS_WITH(validate_scene(scene), Catch::Contains("the limit is 1024 MB"));
}

TEST_CASE("imported: an imported run's legend label is its file or label column, never an optimizer's", "[imported][scene]") {
    Scene scene;
    scene.runs.push_back(parse_run_spec("sgd:lr=0.01", 0));
    for (const char* label : {"", "my Adam"}) {
        ImportedPath p;
        p.source = "runs/mine.csv";
        p.label = label;
        p.x = {0, 1};
        p.y = {0, 1};
        RunSpec run;
        run.imported.path = std::make_shared<const ImportedPath>(p);
        scene.runs.push_back(run);
    }
    const auto labels = run_labels(scene);
    CHECK(labels == std::vector<std::string>{"SGD lr=0.01", "mine.csv", "my Adam"});
    CHECK(imported_origin(*scene.runs[1].imported) == "imported from runs/mine.csv, 2 points; loss from the surface");
}
