#include "support/catch.h"

#include <string>

#include "core/io/text_escape.h"

using optiviz::is_printable_line;
using optiviz::printable;

TEST_CASE("printable escapes control bytes and invalid UTF-8, keeps letters, cuts long text", "[text]") {
    CHECK(printable("plain text") == "plain text");
    CHECK(printable("a\nb\rc\x1B[2J\x7F") == "a\\x0Ab\\x0Dc\\x1B[2J\\x7F");
    CHECK(printable("h\xC3\xB6he \xE2\x88\x87" "f") == "h\xC3\xB6he \xE2\x88\x87" "f");  // höhe ∇f
    CHECK(printable("\xC3") == "\\xC3");              // a cut sequence
    CHECK(printable("\xC0\xAF") == "\\xC0\\xAF");     // overlong '/'
    CHECK(printable("\xC2\x9B") == "\\xC2\\x9B");     // C1 control (CSI)
    CHECK(printable(std::string(100, 'a'), 10) == "aaaaaaaaaa...");
    CHECK(printable(std::string(10, 'a'), 10) == "aaaaaaaaaa");
    CHECK(printable(std::string("\0", 1)) == "\\x00");
}

TEST_CASE("is_printable_line accepts one line of printable text only", "[text]") {
    CHECK(is_printable_line("optiviz: error: x.csv:3:1: 'a' is not a number"));
    CHECK(is_printable_line("\xE2\x88\x87"));
    CHECK_FALSE(is_printable_line("two\nlines"));
    CHECK_FALSE(is_printable_line("tab\there"));
    CHECK_FALSE(is_printable_line("\x1B[31m"));
    CHECK_FALSE(is_printable_line("\xFF"));
    CHECK(is_printable_line(printable("\x1B\n\xFF")));
}
