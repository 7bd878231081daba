// CSV files as numpy and Python's csv module write them (issue 26.9): numpy.savetxt's "# x,y"
// header (and multi-line headers and footers), and RFC 4180 quoted fields that span lines. The
// files are made by tests/data/numpy/make_numpy_csvs.py and committed; every one holds y = 2x + 1
// at x = 0.5, 1.5, ..., 4.5.
#include "support/catch.h"

#include <string>
#include <vector>

#include "core/surfaces/dataset.h"

using namespace optiviz;
using V = std::vector<double>;

namespace {

std::string numpy_file(const std::string& name) { return std::string(OPTIVIZ_TEST_DATA_DIR) + "/numpy/" + name; }

const V kX = {0.5, 1.5, 2.5, 3.5, 4.5};
const V kY = {2, 4, 6, 8, 10};

}  // namespace

TEST_CASE("numpy.savetxt's '# x,y' header names the columns", "[dataset][csv]") {
    const Dataset d = load_dataset_csv(numpy_file("savetxt_header.csv"));
    CHECK(d.x == kX);
    CHECK(d.y == kY);
    // Named columns are looked up in the '#' header: swapped, x is the file's y.
    const Dataset swapped = load_dataset_csv(numpy_file("savetxt_header.csv"), {"y", "x"});
    CHECK(swapped.x == kY);
    CHECK_THROWS_WITH(load_dataset_csv(numpy_file("savetxt_header.csv"), {"a", "y"}),
                      Catch::Contains("savetxt_header.csv:1: no column 'a' (columns: x, y)"));
}

TEST_CASE("a multi-line numpy header: the last '#' line names the columns; a '#' footer is skipped", "[dataset][csv]") {
    const Dataset d = load_dataset_csv(numpy_file("savetxt_multiline_header.csv"));
    CHECK(d.x == kX);  // the file's columns are y,x
    CHECK(d.y == kY);
}

TEST_CASE("a numpy header of three columns, read by name", "[dataset][csv]") {
    const Dataset d = load_dataset_csv(numpy_file("savetxt_three_columns.csv"));
    CHECK(d.x == kX);
    CHECK(d.y == kY);
}

TEST_CASE("a quoted field with line breaks inside is one field (RFC 4180), and later lines keep their numbers", "[dataset][csv]") {
    const Dataset d = load_dataset_csv(numpy_file("csv_multiline_label.csv"));
    CHECK(d.x == kX);
    CHECK(d.y == kY);
    // Errors after a record of two lines name the file's real line.
    CHECK_THROWS_WITH(parse_dataset_csv("label,x,y\n\"a\nb\",1,2\nc,3,oops\n", "m.csv"), "m.csv:4:5: 'oops' is not a number");
    // An unclosed quote is named where it opens, not at the end of the file.
    CHECK_THROWS_WITH(parse_dataset_csv("label,x,y\nc,1,2\n\"a,1,2\nd,3,4\n", "m.csv"),
                      "m.csv:3:1: the quote that opens here is not closed");
    // A quote inside an unquoted field opens nothing: the next line is still a row.
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\"\n3,4\n", "m.csv"), Catch::Contains("m.csv:2:3: '2\"' is not a number"));
}

TEST_CASE("'#' lines are comments; a '#' line that does not fit the data is no header", "[dataset][csv]") {
    const Dataset d = parse_dataset_csv("# made by hand\n1,2\n# a note\n3,4\n", "c.csv");
    CHECK(d.x == V{1, 3});
    CHECK(d.y == V{2, 4});
    // A header line of its own wins over a '#' line before it.
    const Dataset named = parse_dataset_csv("# b,a\na,b\n1,2\n3,4\n", "c.csv", {"a", "b"});
    CHECK(named.x == V{1, 3});
}
