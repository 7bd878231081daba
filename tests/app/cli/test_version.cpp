// `optiviz --version` and the version in `--help`.
#include "support/catch.h"

#include <sstream>
#include <string>

#include "app/cli/cli.h"
#include "app/version.h"

namespace {
struct Result {
    int status;
    std::string out, err;
};
Result run_cli(std::initializer_list<const char*> args) {
    std::vector<const char*> argv{"optiviz"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::ostringstream out, err;
    const int status = optiviz::cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
    return {status, out.str(), err.str()};
}
}  // namespace

TEST_CASE("optiviz --version prints 'optiviz X.Y.Z' and the commit when known", "[cli]") {
    const Result r = run_cli({"--version"});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out == optiviz::app::version_line() + "\n");
    CHECK(r.out.rfind("optiviz " OPTIVIZ_EXPECTED_VERSION, 0) == 0);
    const std::string commit(optiviz::app::git_commit());
    if (!commit.empty()) CHECK_THAT(r.out, Catch::Contains(" (git " + commit + ")"));
}

TEST_CASE("the version line names the project version, and the commit only when there is one", "[cli]") {
    CHECK(std::string(optiviz::app::version()) == OPTIVIZ_EXPECTED_VERSION);
    const std::string line = optiviz::app::version_line();
    CHECK(line.rfind("optiviz " OPTIVIZ_EXPECTED_VERSION, 0) == 0);
    CHECK((line.find("(git ") != std::string::npos) == !optiviz::app::git_commit().empty());
}

TEST_CASE("optiviz --help shows the version", "[cli]") {
    const Result r = run_cli({"--help"});
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains(optiviz::app::version_line()));
    CHECK_THAT(r.out, Catch::Contains("--version"));
}
