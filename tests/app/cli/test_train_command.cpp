// `optiviz train` in-process: every case of tests/reference/train/cases.txt against the losses
// PyTorch produced from the same initial parameters (scripts/torch_train_reference.py), the CSV's
// shape, and bad input (one line, exit 2, nothing written).
#include "support/catch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_cli.h"

namespace {

const std::string kTrainDir = std::string(OPTIVIZ_REFERENCE_DIR) + "/train";

std::string read_file(const std::string& path) {
    std::ifstream file(path);
    REQUIRE(file.good());
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// Column `column` of a CSV with a header (rows after it).
std::vector<double> column_of(const std::string& text, std::size_t column) {
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    std::vector<double> values;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string field;
        for (std::size_t c = 0; c <= column; ++c) std::getline(fields, field, ',');
        values.push_back(std::stod(field));
    }
    return values;
}

std::vector<std::string> case_args(const std::string& text) {
    std::vector<std::string> args{"train"};
    std::istringstream in(text);
    std::string word;
    while (in >> word) {
        if (word.rfind("data/", 0) == 0) word = std::string(OPTIVIZ_TEST_DATA_DIR) + "/" + word.substr(5);
        args.push_back(word);
    }
    return args;
}

struct Worst {
    double abs = 0, rel = 0;
};

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("optiviz_train_test_" + name)).string();
}

}  // namespace

TEST_CASE("train reproduces PyTorch's training losses for every optimizer", "[train][reference]") {
    std::ifstream cases(kTrainDir + "/cases.txt");
    REQUIRE(cases.good());
    std::map<std::string, Worst> per_optimizer;
    std::string line;
    int case_count = 0;
    while (std::getline(cases, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto colon = line.find(':');
        const std::string name = line.substr(0, colon);
        std::vector<std::string> args = case_args(line.substr(colon + 1));
        args.insert(args.end(), {"--init", kTrainDir + "/" + name + ".init"});
        INFO("case " << name);
        const auto result = optiviz::test::run(args);
        REQUIRE(result.status == 0);
        const std::vector<double> ours = column_of(result.out, 1);
        const std::vector<double> torch = column_of(read_file(kTrainDir + "/" + name + ".csv"), 1);
        REQUIRE(ours.size() == torch.size());
        const auto steps = std::stol(*(std::find(args.begin(), args.end(), "--steps") + 1));
        if (torch.size() < static_cast<std::size_t>(steps) + 1) {  // torch's run diverged or stopped
            const bool stopped = line.find("--loss-tol") != std::string::npos;
            const std::string expected = stopped ? "stopped at step " + std::to_string(torch.size() - 1)
                                                 : "diverged at step " + std::to_string(torch.size());
            CHECK(result.err.find(expected) != std::string::npos);
        }
        const std::string optimizer = *(std::find(args.begin(), args.end(), "--optimizer") + 1);
        Worst& worst = per_optimizer[optimizer];
        double case_rel = 0;
        for (std::size_t k = 0; k < ours.size(); ++k) {
            const double diff = std::abs(ours[k] - torch[k]);
            worst.abs = std::max(worst.abs, diff);
            case_rel = std::max(case_rel, diff / std::max(std::abs(torch[k]), 1e-300));
        }
        worst.rel = std::max(worst.rel, case_rel);
        INFO("worst relative difference " << case_rel);
        // Elementwise rules match to ~1e-12 (observed worst 1.8e-12, nadam). L-BFGS's curvature pairs
        // amplify the last-bit differences of long dot products (Eigen's order against torch's BLAS)
        // over its iterations: observed worst 6.0e-10 at step 27.
        CHECK(case_rel <= (optimizer == "lbfgs" ? 1e-8 : 1e-10));
        ++case_count;
    }
    std::ostringstream report;
    for (const auto& [optimizer, worst] : per_optimizer)
        report << optimizer << ": max abs " << worst.abs << ", max rel " << worst.rel << "\n";
    WARN("train against PyTorch, per optimizer:\n" << report.str());
    CHECK(case_count >= 35);
    CHECK(per_optimizer.size() == 11);
}

TEST_CASE("train writes step,loss rows 0..N with the documented columns", "[train]") {
    const auto ce = optiviz::test::run({"train", "--dataset", "iris", "--model", "mlp:hidden=4", "--loss", "cross_entropy",
                                        "--optimizer", "adam", "--steps", "3", "--test-fraction", "0.2", "--split-seed", "5"});
    REQUIRE(ce.status == 0);
    std::istringstream in(ce.out);
    std::string header;
    std::getline(in, header);
    CHECK(header == "step,loss,grad_norm,accuracy,test_loss,test_accuracy");
    CHECK(column_of(ce.out, 0) == std::vector<double>{0, 1, 2, 3});
    for (double a : column_of(ce.out, 3)) CHECK((a >= 0.0 && a <= 1.0));
    // 30 test rows of 150: accuracy is a multiple of 1/30.
    for (double a : column_of(ce.out, 5)) CHECK(std::abs(a * 30 - std::round(a * 30)) < 1e-9);

    const auto mse = optiviz::test::run({"train", "--data", std::string(OPTIVIZ_TEST_DATA_DIR) + "/train_regression.csv",
                                         "--target", "y", "--optimizer", "sgd", "--steps", "2"});
    REQUIRE(mse.status == 0);
    CHECK(mse.out.rfind("step,loss,grad_norm\n0,", 0) == 0);

    // %.17g: the printed loss reads back to the same double as a second run's.
    const auto again = optiviz::test::run({"train", "--data", std::string(OPTIVIZ_TEST_DATA_DIR) + "/train_regression.csv",
                                           "--target", "y", "--optimizer", "sgd", "--steps", "2"});
    CHECK(again.out == mse.out);
}

TEST_CASE("train's default loss follows the model, then the data set", "[train]") {
    const auto logistic = optiviz::test::run({"train", "--dataset", "breast_cancer", "--standardize", "--model", "logistic",
                                              "--optimizer", "adam", "--lr", "0.05", "--steps", "20"});
    REQUIRE(logistic.status == 0);
    const auto accuracy = column_of(logistic.out, 3);
    CHECK(accuracy.back() > 0.9);  // bce on one output, not a 2-class softmax refused by the data set's default
    const auto plateau = optiviz::test::run({"train", "--dataset", "iris", "--optimizer", "sgd", "--lr", "0.5", "--steps",
                                             "30", "--schedule", "plateau", "--patience", "0", "--threshold", "0.5"});
    REQUIRE(plateau.status == 0);
    CHECK(plateau.err.find("lr reduced to 0.05 before step 3") != std::string::npos);
}

TEST_CASE("train --out writes the file and nothing to stdout", "[train]") {
    const std::string path = temp_path("out.csv");
    std::remove(path.c_str());
    const auto r = optiviz::test::run({"train", "--dataset", "wine", "--standardize", "--model", "softmax", "--optimizer",
                                       "sgd", "--lr", "0.1", "--steps", "5", "--out", path});
    REQUIRE(r.status == 0);
    CHECK(r.out.empty());
    const std::string text = read_file(path);
    CHECK(text.rfind("step,loss,grad_norm,accuracy\n", 0) == 0);
    CHECK(column_of(text, 0).size() == 6);
    const auto losses = column_of(text, 1);
    CHECK(losses.back() < losses.front());
    std::remove(path.c_str());
}

TEST_CASE("train refuses bad input with one line and exit 2, writing nothing", "[train]") {
    const std::string data = std::string(OPTIVIZ_TEST_DATA_DIR) + "/train_regression.csv";
    const std::string bad_csv = temp_path("bad.csv"), bad_init = temp_path("bad.init"), out = temp_path("never.csv");
    std::ofstream(bad_csv) << "a,b,label\n1,2,0\n3,nan,1\n4,5,1\n";
    std::ofstream(bad_init) << "0.1\n0.2\n";
    const std::string long_init = temp_path("long.init");
    std::ofstream(long_init) << "0.1\n0.2\n0.3\n0.4\n0.5\n0.6\n";
    std::remove(out.c_str());
    const std::string half_class = temp_path("half.csv");
    std::ofstream(half_class) << "a,label\n1,0\n2,1.5\n3,1\n";
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"--data", data, "--target", "nope"}, "no column 'nope'"},
        {{"--data", data, "--target", "y", "--features", "x1,zz"}, "no column 'zz'"},
        {{"--data", half_class, "--target", "label", "--loss", "cross_entropy"}, "not a class index"},
        {{"--data", bad_csv, "--target", "label"}, "'nan' is not a finite number"},
        {{"--data", data, "--target", "y", "--init", bad_init}, "2 parameters, the model has 5"},
        {{"--data", data, "--target", "y", "--init", long_init}, "long.init:6: more than the model's 5 parameters"},
        {{"--data", data, "--target", "y", "--model", "mlp:hidden=0"}, "--model hidden width must be a whole number from 1 to 4096, got 0"},
        {{"--data", data, "--target", "y", "--model", "mlp:hidden=4,activation=gelu"}, "unknown activation 'gelu'"},
        {{"--data", data, "--target", "y", "--loss", "hinge"}, "unknown loss 'hinge'"},
        {{"--dataset", "mnist"}, "unknown data set 'mnist'"},
        {{"--data", data, "--target", "y", "--momentum", "0.9", "--optimizer", "adam"}, "momentum"},
        {{"--data", data, "--target", "y", "--optimizer", "lbfgs", "--batch", "4"}, "no mini-batches"},
        {{"--data", data, "--target", "y", "--frobnicate", "1"}, "unknown option --frobnicate"},
        {{"--data", data}, "--data needs --target"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args{"train"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        if (std::find(args.begin(), args.end(), "--optimizer") == args.end()) args.insert(args.end(), {"--optimizer", "sgd"});
        args.insert(args.end(), {"--steps", "3", "--out", out});
        INFO(c.message);
        const auto r = optiviz::test::run(args);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find(c.message) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(out));
        std::remove(out.c_str());  // so that one wrong case does not fail the rest
    }
    for (const auto& p : {bad_csv, bad_init, long_init, half_class}) std::remove(p.c_str());
}

TEST_CASE("train --help documents the --init order and every optimizer flag", "[train]") {
    const auto r = optiviz::test::run({"train", "--help"});
    REQUIRE(r.status == 0);
    for (const char* text : {"model.parameters()", "row-major", "--clip-norm", "--schedule", "--nesterov", "--batch",
                             "--standardize", "--test-fraction", "1/sqrt(fan_in)"})
        CHECK(r.out.find(text) != std::string::npos);
    const auto listed = optiviz::test::run({"--help"});
    CHECK(listed.out.find("train") != std::string::npos);
}

TEST_CASE("train refuses hostile tables and work past its bounds before the work", "[train][limits]") {
    const std::string wide = temp_path("wide.csv"), long_field = temp_path("long_field.csv"), huge = temp_path("huge.csv"),
                      ragged = temp_path("ragged.csv"), out = temp_path("never.csv");
    {
        std::ofstream file(wide);
        for (int c = 0; c < 1001; ++c) file << "c" << c << ",";
        file << "y\n";
    }
    std::ofstream(long_field) << "x,y\n1,2\n" << std::string(5000, '7') << ",1\n";
    std::ofstream(huge) << "x,y\n1,2\n-1e31,1\n3,4\n";
    std::ofstream(ragged) << "x,y\n1,2\n1,2,3\n4,5\n";
    std::remove(out.c_str());
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--data", wide, "--target", "y"}, "wide.csv:1: more than 1000 fields in a line"},
        {{"--data", long_field, "--target", "y"}, "long_field.csv:3:1: a field longer than 4096 bytes"},
        {{"--data", huge, "--target", "y"}, "huge.csv:3: column 'x': '-1e31' is beyond +-1e+30"},
        {{"--data", ragged, "--target", "y"}, "ragged.csv:3: more fields than the header's 2"},
        {{"--dataset", "digits", "--model", "mlp:hidden=4096x4096x4096", "--steps", "3"},
         "training: 3 steps x 1797 rows a step x 33869834 parameters is 2.43e+11 row-parameter products; the limit is 2e+10"},
        // L-BFGS keeps 2 vectors a pair: 100 pairs of 1.3 million parameters, even for row 0 alone.
        {{"--dataset", "digits", "--model", "mlp:hidden=4096x256", "--optimizer", "lbfgs", "--history-size", "100", "--steps", "0"},
         "parameters and their passes over 3594 rows need"},
        {{"--dataset", "iris", "--model", "softmax", "--steps", "1000001", "--loss-tol", "1"},
         "--steps must be at most 1000000 for train"},
        {{"--dataset", "iris", "--model", "softmax", "--steps", "3", "--loss-tol", "0.1", "--loss-patience", "-1"},
         "--loss-patience must be a whole number from 1 to 1000000000000, got -1"},
        {{"--dataset", "iris", "--model", "softmax", "--steps", "3", "--batch", "0"}, "--batch-size must be a whole number from 1 to 10000000, got 0"},
    };
    for (const auto& [options, message] : cases) {
        std::vector<std::string> args{"train"};
        args.insert(args.end(), options.begin(), options.end());
        if (std::find(args.begin(), args.end(), "--optimizer") == args.end()) args.insert(args.end(), {"--optimizer", "sgd"});
        if (std::find(args.begin(), args.end(), "--steps") == args.end()) args.insert(args.end(), {"--steps", "3"});
        args.insert(args.end(), {"--out", out});
        INFO(message);
        const auto r = optiviz::test::run(args);
        CHECK(r.status == 2);
        CHECK(r.err.find(message) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(out));
        std::remove(out.c_str());
    }
    // Within the bounds: a small model on every row trains.
    const auto ok = optiviz::test::run({"train", "--dataset", "iris", "--model", "softmax", "--optimizer", "sgd", "--steps", "3"});
    CHECK(ok.status == 0);
    for (const auto& p : {wide, long_field, huge, ragged}) std::remove(p.c_str());
}
