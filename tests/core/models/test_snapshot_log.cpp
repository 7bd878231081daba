// The snapshot files of scripts/optiviz_log.py (core/models/snapshot_log.h): the format and each
// error in one line.
#include "support/catch.h"

#include <cmath>

#include "core/models/snapshot_log.h"

using namespace optiviz::models;

TEST_CASE("Snapshot logs: the format optiviz_log.py writes", "[models][snapshots]") {
    const SnapshotLog log = parse_snapshot_log(
        "# optiviz snapshots 1\n# dataset: digits\n# model: mlp:hidden=4,activation=tanh\n"
        "0,2.5,0.1,-0.2,3e-1\r\n\n10,nan,0.15,-0.25,0.35\n20,1.25,0.2,-0.3,0.4\n",
        "run.log");
    CHECK(log.meta.at("dataset") == "digits");
    CHECK(log.meta.at("model") == "mlp:hidden=4,activation=tanh");
    REQUIRE(log.rows() == 3);
    CHECK(log.dimension == 3);
    CHECK(log.steps == std::vector<long>{0, 10, 20});
    CHECK(log.loss[0] == 2.5);
    CHECK(std::isnan(log.loss[1]));
    CHECK(log.parameters == std::vector<double>{0.1, -0.2, 0.3, 0.15, -0.25, 0.35, 0.2, -0.3, 0.4});
}

TEST_CASE("Snapshot logs: each error in one line naming the file and line", "[models][snapshots]") {
    const std::string head = "# optiviz snapshots 1\n";
    auto error = [](const std::string& text) {
        try {
            parse_snapshot_log(text, "run.log");
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error("step,loss\n0,1,2\n") == "run.log:1: not an optiviz snapshot file (its first line must be '# optiviz snapshots 1')");
    CHECK(error("") == "run.log: empty (not an optiviz snapshot file)");
    CHECK(error(head) == "run.log: no snapshots");
    CHECK(error(head + "0,1,2,3\n1,1,2\n") == "run.log:3: 3 values, line 2 has 4");
    CHECK(error(head + "0,1,abc\n") == "run.log:2: 'abc' is not a number");
    CHECK(error(head + "5,1,2\n3,1,2\n") == "run.log:3: step 3 after step 5 (steps must increase)");
    CHECK(error(head + "5,1,2\n5,1,2\n") == "run.log:3: step 5 after step 5 (steps must increase)");
    CHECK(error(head + "1.5,1,2\n") == "run.log:2: the step must be a whole number >= 0");
    CHECK(error(head + "0,1,inf\n") == "run.log:2: parameter 1 is not finite");
    CHECK(error(head + "0,1\n") == "run.log:2: a snapshot needs a step, a loss and at least one parameter");
    for (const std::string& text : {head + "0,1,2,3\n1,1,2\n", head + "0,1,abc\n"})
        CHECK(error(text).find('\n') == std::string::npos);
}
