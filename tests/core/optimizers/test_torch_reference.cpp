// Every case in tests/reference/cases.txt runs through `optiviz trace` in-process and must match
// the trajectory torch.optim produced (scripts/make_torch_reference.py) within 1e-12 relative.
#include "support/catch.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli/cli.h"

namespace {

constexpr double kTolerance = 1e-12;  // observed worst: 7.4e-14 (adamw_no_bias_correction_amsgrad_beale)

struct Csv {
    std::vector<std::vector<double>> rows;
};

Csv parse_csv(const std::string& text) {
    Csv csv;
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    REQUIRE(line == "step,x,y,loss");
    while (std::getline(in, line)) {
        std::vector<double> row;
        std::istringstream fields(line);
        std::string field;
        while (std::getline(fields, field, ',')) row.push_back(std::stod(field));
        REQUIRE(row.size() == 4);
        csv.rows.push_back(row);
    }
    return csv;
}

std::string read_file(const std::string& path) {
    std::ifstream file(path);
    REQUIRE(file.good());
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

std::vector<std::string> split_args(const std::string& text) {
    std::vector<std::string> args;
    std::istringstream in(text);
    std::string word;
    while (in >> word) args.push_back(word);
    return args;
}

}  // namespace

TEST_CASE("trace reproduces torch.optim trajectories within 1e-12 relative", "[reference]") {
    const std::string dir = OPTIVIZ_REFERENCE_DIR;
    std::ifstream cases(dir + "/cases.txt");
    REQUIRE(cases.good());
    std::string line;
    int case_count = 0;
    double worst_of_all = 0;
    while (std::getline(cases, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto colon = line.find(':');
        const std::string name = line.substr(0, colon);
        std::vector<std::string> args = {"optiviz", "trace"};
        for (auto& arg : split_args(line.substr(colon + 1))) {
            if (arg.rfind("data/", 0) == 0) arg = std::string(OPTIVIZ_TEST_DATA_DIR) + "/" + arg.substr(5);
            args.push_back(arg);
        }
        std::vector<const char*> argv;
        for (const auto& a : args) argv.push_back(a.c_str());

        INFO("case " << name);
        std::ostringstream out, err;
        REQUIRE(optiviz::cli::run(static_cast<int>(argv.size()), argv.data(), out, err) == 0);
        const Csv ours = parse_csv(out.str());
        const Csv torch = parse_csv(read_file(dir + "/" + name + ".csv"));
        REQUIRE(ours.rows.size() == torch.rows.size());
        // Fewer rows than steps: torch's run diverged, or the loss-change rule stopped it at its last row.
        if (torch.rows.size() < static_cast<std::size_t>(std::stol(args[args.size() - 1])) + 1) {
            const bool stopped = line.find("--loss-tol") != std::string::npos;
            const std::string expected = stopped ? "stopped at step " + std::to_string(torch.rows.size() - 1) + " (loss change"
                                                 : "diverged at step " + std::to_string(torch.rows.size());
            CHECK(err.str().find(expected) != std::string::npos);
        }
        double worst = 0;
        for (std::size_t k = 0; k < ours.rows.size(); ++k) {
            for (std::size_t c = 0; c < 4; ++c) {
                const double a = ours.rows[k][c], b = torch.rows[k][c];
                const double scale = std::max({std::abs(a), std::abs(b), 1e-3});
                worst = std::max(worst, std::abs(a - b) / scale);
            }
        }
        INFO("worst relative difference " << worst);
        CHECK(worst <= kTolerance);
        worst_of_all = std::max(worst_of_all, worst);
        ++case_count;
    }
    WARN("worst relative difference over " << case_count << " cases: " << worst_of_all);
    CHECK(case_count >= 30);
}
