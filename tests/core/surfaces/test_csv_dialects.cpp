// CSV dialects from spreadsheets and old systems: BOM, CRLF and CR line ends, quotes, ';' and tabs,
// decimal commas (refused with a message, or read with decimal ','), with line-numbered errors.
#include "support/catch.h"

#include <string>
#include <vector>

#include "core/surfaces/dataset.h"

using namespace optiviz;
using V = std::vector<double>;

TEST_CASE("a UTF-8 byte-order mark and CRLF line ends are read", "[dataset][csv]") {
    const Dataset d = parse_dataset_csv("\xEF\xBB\xBFx,y\r\n1,2\r\n3,4\r\n", "bom.csv");
    CHECK(d.x == V{1, 3});
    CHECK(d.y == V{2, 4});
}

TEST_CASE("old Mac files (CR only) are read line by line, errors name the line", "[dataset][csv]") {
    const Dataset d = parse_dataset_csv("x,y\r1,2\r3,4\r5,6", "mac.csv");
    CHECK(d.x == V{1, 3, 5});
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\r1,2\r3,oops\r", "mac.csv"), "mac.csv:3:3: 'oops' is not a number");
}

TEST_CASE("quoted headers and fields, with separators and doubled quotes inside", "[dataset][csv]") {
    const Dataset d =
        parse_dataset_csv("\"id\",\"height, cm\",\"say \"\"hi\"\"\"\n1,\"170\", 65\n2, \"180\" ,80\n", "q.csv",
                          {"height, cm", "say \"hi\""});
    CHECK(d.x == V{170, 180});
    CHECK(d.y == V{65, 80});
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,\"2\n3,4\n", "q.csv"), "q.csv:2:3: the quote that opens here is not closed");
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,\"2\"x\n3,4\n", "q.csv"), "q.csv:2:6: expected ',' after a quoted field, found 'x'");
}

TEST_CASE("semicolon- and tab-separated files", "[dataset][csv]") {
    CHECK(parse_dataset_csv("x;y\n1;2\n3;4\n", "s.csv").y == V{2, 4});
    CHECK(parse_dataset_csv("x\ty\n1\t2\n3\t4\n", "t.tsv").y == V{2, 4});
    CHECK(parse_dataset_csv("a\tx\ty\n0\t1.5\t2\n0\t3\t4\n", "t.tsv").x == V{1.5, 3});
    CHECK_THROWS_WITH(parse_dataset_csv("x;y\n1;2\n3\n", "s.csv"), "s.csv:3: expected 2 fields, found 1");
}

TEST_CASE("decimal commas are refused with a message, or read with decimal ','", "[dataset][csv]") {
    const std::string text = "x;y\n1,5;2\n3;4,25\n";
    CHECK_THROWS_WITH(parse_dataset_csv(text, "de.csv"),
                      "de.csv:2:1: '1,5' has a decimal comma: read the file with --decimal , (or save it with '.')");
    const Dataset d = parse_dataset_csv(text, "de.csv", {}, ',');
    CHECK(d.x == V{1.5, 3});
    CHECK(d.y == V{2, 4.25});
    // Headerless too: the ';' line with decimal commas is data, not a header.
    CHECK(parse_dataset_csv("1,5;2\n3;4,25\n", "de.csv", {}, ',').x == V{1.5, 3});
    // In a comma-separated file decimal commas split every number in two: say so.
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,5,2,5\n3,5,4,5\n", "dc.csv"),
                      "dc.csv:2: expected 2 fields, found 4 (decimal commas? separate fields with ';' and use --decimal ,)");
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n3,4\n", "c.csv", {}, ','),
                      "c.csv:1: with the decimal mark ',' fields must be separated by ';' or tabs");
    CHECK_THROWS_WITH(parse_dataset_csv("x;y\n1.5;2\n3;4\n", "m.csv", {}, ','),
                      "m.csv:2:1: '1.5' has a '.', but the decimal mark is ','");
}

TEST_CASE("binary and escape bytes never reach a message raw", "[dataset][csv]") {
    CHECK_THROWS_WITH(parse_dataset_csv(std::string("x,y\n1,2\0\n3,4\n", 13), "b.csv"),
                      "b.csv: not a text file (it holds NUL bytes); expected rows of numbers");
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n3,\x1B[31mred\n", "e.csv"), "e.csv:3:3: '\\x1B[31mred' is not a number");
    CHECK_THROWS_WITH(parse_dataset_csv("\x1B[1mtitle\x07,y\n1,2\n3,4\n", "h.csv"),
                      "h.csv:1: no column 'x' (columns: \\x1B[1mtitle\\x07, y)");
    const std::string long_field(300, '7');
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n3," + long_field + "a\n", "l.csv"),
                      "l.csv:3:3: '" + std::string(60, '7') + "...' is not a number");
}

TEST_CASE("field and line sizes are checked before anything is stored", "[dataset][csv][limits]") {
    // One 20 MiB line of commas once became 20 million fields (1.33 GB); now the 1001st field ends it.
    CHECK_THROWS_WITH(parse_dataset_csv(std::string(1 << 20, ','), "c.csv"), "c.csv:1: more than 1000 fields in a line");
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n" + std::string(1000, ',') + "\n", "c.csv"),
                      "c.csv:3: more than 1000 fields in a line");  // the trailing empty field is the 1001st
    std::string ones = "1";
    for (int i = 0; i < 1500; ++i) ones += ",1";
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n" + ones + "\n", "c.csv"), "c.csv:3: more than 1000 fields in a line");
    std::string widest = "x,y";
    for (int i = 2; i < 1000; ++i) widest += ",c" + std::to_string(i);
    std::string row = "1,2";
    for (int i = 2; i < 1000; ++i) row += ",0";
    CHECK(parse_dataset_csv(widest + "\n" + row + "\n" + row + "\n", "w.csv").size() == 2);  // 1000 fields are fine
    const std::string at_limit = "0." + std::string(4094, '1'), over(4097, '7');
    CHECK(parse_dataset_csv("x,y\n1," + at_limit + "\n3,4\n", "f.csv").y[0] == Approx(1.0 / 9));  // 4096 bytes: a number
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n3," + over + "\n", "f.csv"), "f.csv:3:3: a field longer than 4096 bytes");
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n3,\"" + over + "\"\n", "q.csv"), "q.csv:3:3: a field longer than 4096 bytes");
    // A number too large to draw is refused where it is, its text cut (it once failed later as "the view").
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n3,4" + std::string(200, '0') + "\n", "d.csv"),
                      "d.csv:3:3: '4" + std::string(59, '0') + "...' is beyond +-1e+30, the largest value a picture can show");
    CHECK(parse_dataset_csv("x,y\n1,-1e30\n3,1e30\n", "d.csv").y[1] == 1e30);
}

TEST_CASE("a column number too large for any file is a message, not an exception from stol", "[dataset][csv]") {
    CHECK_THROWS_WITH(parse_dataset_csv("1,2\n3,4\n", "n.csv", {"99999999999999999999", "1"}),
                      "n.csv:1: column 99999999999999999999 is beyond any file's columns");
    CHECK_THROWS_WITH(parse_dataset_csv("1,2\n3,4\n", "n.csv", {"3", "1"}),
                      "n.csv:1: column 3 asked for, but the line has 2 fields");
}
