// Documentation that cannot drift from the program: the man pages (packaging/man) against the
// command line's own tables (`optiviz list --json`: commands, options, registries, choices,
// keyboard shortcuts), and every example in the man pages and in --help run through the command
// line as written.
#include "support/catch.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/scene/scene.h"
#include "app/cli/cli.h"
#include "support/run_cli.h"

namespace {

using optiviz::test::Result;
using optiviz::test::run;

const std::string kData = OPTIVIZ_TEST_DATA_DIR;
const std::string kManDir = kData + "/../../packaging/man";

std::string read_text(const std::string& path) {
    std::ifstream file(path);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// The page as a reader sees its words: roff's escapes for hyphens, backslashes and fonts undone.
std::string page_text(const std::string& page) {
    std::string roff = read_text(kManDir + "/" + page + ".1");
    std::string text;
    for (std::size_t i = 0; i < roff.size(); ++i) {
        if (roff[i] != '\\' || i + 1 >= roff.size()) {
            text += roff[i];
            continue;
        }
        const char next = roff[i + 1];
        if (next == '-') text += '-', ++i;
        else if (next == 'e') text += '\\', ++i;
        else if (next == 'f' && i + 2 < roff.size()) i += 2;  // \fB, \fR, \fI, \fP
        else text += roff[i];
    }
    return text;
}

const nlohmann::json& listing() {
    static const nlohmann::json list = nlohmann::json::parse(run({"list", "--json"}).out);
    return list;
}

bool names_word(const std::string& text, const std::string& word) {
    for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        const auto part_of_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
        const bool starts = at == 0 || !part_of_name(text[at - 1]);
        const bool ends = at + word.size() >= text.size() || !part_of_name(text[at + word.size()]);
        if (starts && ends) return true;
    }
    return false;
}

// The command lines of a page's EXAMPLES section (continuation lines joined).
std::vector<std::string> man_examples(const std::string& page) {
    std::istringstream in(page_text(page));
    std::vector<std::string> examples;
    bool in_examples = false, in_block = false;
    std::string line, pending;
    while (std::getline(in, line)) {
        if (line.rfind(".SH", 0) == 0) in_examples = line == ".SH EXAMPLES";
        if (!in_examples) continue;
        if (line == ".nf") in_block = true;
        else if (line == ".fi") in_block = false;
        else if (in_block) {
            const bool continued = !line.empty() && line.back() == '\\';
            pending += continued ? line.substr(0, line.size() - 1) : line;
            if (!continued) examples.push_back(std::exchange(pending, {}));
        }
    }
    return examples;
}

// The example lines of `optiviz [COMMAND] --help`.
std::vector<std::string> help_examples(const std::string& command) {
    std::istringstream in(command.empty() ? run({"--help"}).out : run({command, "--help"}).out);
    std::vector<std::string> examples;
    std::string line;
    bool in_examples = false;
    while (std::getline(in, line)) {
        if (line == "Example:") in_examples = true;
        else if (in_examples && line.rfind("  optiviz", 0) == 0) examples.push_back(line.substr(2, line.find("  (", 2) - 2));
    }
    return examples;
}

// Runs a documented command line. Files it reads are replaced by real ones (a CSV of tests/data, a
// saved scene); files it writes go to a folder that does not exist, so that the run stops at the
// output path after every option was checked, and a shell redirection is dropped.
Result run_example(const std::string& line) {
    std::istringstream in(line.substr(0, line.find_first_of("<>|")));
    std::vector<std::string> words;
    for (std::string word; in >> word;) {
        if (word.size() > 1 && word.front() == '\'') {  // a quoted expression: words up to the closing quote
            while (word.back() != '\'' && in) {
                std::string more;
                in >> more;
                word += " " + more;
            }
            word = word.substr(1, word.size() - 2);
        }
        words.push_back(word);
    }
    REQUIRE(!words.empty());
    REQUIRE(words.front() == "optiviz");
    words.erase(words.begin());
    static const std::string scene_file = [] {
        const std::string path = (std::filesystem::temp_directory_path() / "optiviz_docs_scene.json").string();
        std::ofstream(path) << optiviz::scene_to_json(optiviz::default_scene());
        return path;
    }();
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& previous = i > 0 ? words[i - 1] : std::string();
        if (previous == "--data" && words[i] != "-") words[i] = kData + "/linear.csv";
        else if (previous == "--scene" && words[i] != "-") words[i] = scene_file;
        else if ((previous == "--out" || previous == "--animate") && words[i] != "-")
            words[i] = "/nonexistent-optiviz-docs/" + words[i];
        else if (previous.rfind("--", 0) != 0 && words[i].size() > 5 && words[i].compare(words[i].size() - 5, 5, ".json") == 0)
            words[i] = scene_file;  // a scene opened in the window
    }
    // "< FILE": standard input is a CSV of tests/data.
    const std::string input = line.find('<') == std::string::npos ? "" : read_text(kData + "/linear.csv");
    words.insert(words.begin(), "optiviz");
    std::vector<const char*> argv;
    for (const auto& word : words) argv.push_back(word.c_str());
    std::istringstream stdin_text(input);
    std::ostringstream out, err;
    const int status = optiviz::cli::run(static_cast<int>(argv.size()), argv.data(), stdin_text, out, err);
    return {status, out.str(), err.str()};
}

void check_example(const std::string& line) {
    INFO(line);
    const Result r = run_example(line);
    INFO(r.err);
    // Accepted; or refused only for the output folder that does not exist.
    const bool refused_for_path = r.status == 2 && r.err.find("/nonexistent-optiviz-docs/") != std::string::npos;
    CHECK((r.status == 0 || refused_for_path));
}

const std::vector<std::string> kPages = {"optiviz", "optiviz-trace", "optiviz-render", "optiviz-sweep",
                                         "optiviz-basins", "optiviz-tune", "optiviz-list"};

}  // namespace

TEST_CASE("every command has a man page that documents each of its options", "[docs]") {
    for (const auto& [key, options] : listing()["options"].items()) {
        const std::string page = key == "optiviz" ? "optiviz" : "optiviz-" + key.substr(std::string("optiviz ").size());
        INFO(page);
        REQUIRE(std::filesystem::exists(kManDir + "/" + page + ".1"));
        const std::string text = page_text(page);
        for (const auto& option : options) {
            INFO(option.get<std::string>());
            CHECK(names_word(text, option.get<std::string>()));
        }
    }
}

TEST_CASE("optiviz(1) names every optimizer, surface, preset, overlay, schedule and shortcut", "[docs]") {
    const std::string text = page_text("optiviz");
    for (const char* registry : {"optimizers", "surfaces", "presets", "overlays"})
        for (const auto& entry : listing()[registry]) {
            INFO(registry << ": " << entry["name"].get<std::string>());
            CHECK(names_word(text, entry["name"].get<std::string>()));
        }
    for (const auto& schedule : listing()["choices"]["--schedule"]) {
        INFO(schedule.get<std::string>());
        CHECK(names_word(text, schedule.get<std::string>()));
    }
    for (const auto& shortcut : listing()["shortcuts"]) {
        INFO(shortcut["keys"].get<std::string>());
        CHECK(text.find("\n.B " + shortcut["keys"].get<std::string>() + "\n") != std::string::npos);
    }
}

TEST_CASE("man pages spell nabla f as one glyph and f, and give the window size's real default", "[docs]") {
    for (const std::string& page : kPages) {
        INFO(page);
        const std::string roff = read_text(kManDir + "/" + page + ".1");
        // \(gr is roff's nabla: "\(gradf" printed "-∇adf".
        for (std::size_t at = roff.find("\\(gr"); at != std::string::npos; at = roff.find("\\(gr", at + 1))
            CHECK(roff.substr(at + 4, 1) == "f");
    }
    const std::string text = page_text("optiviz");
    const auto size = text.find(".BI --size");
    REQUIRE(size != std::string::npos);
    CHECK(text.substr(size, 200).find("last session") != std::string::npos);
}

TEST_CASE("every example in the man pages runs as written", "[docs][examples]") {
    std::size_t count = 0;
    for (const std::string& page : kPages)
        for (const std::string& line : man_examples(page)) {
            check_example(line);
            ++count;
        }
    CHECK(count >= 12);
}

TEST_CASE("every example in --help runs as written", "[docs][examples]") {
    std::size_t count = 0;
    for (const std::string command : {"", "trace", "render", "sweep", "basins", "tune", "list"})
        for (const std::string& line : help_examples(command)) {
            check_example(line);
            ++count;
        }
    CHECK(count >= 9);
}

TEST_CASE("the page of every command that runs an optimizer names each optimizer and schedule", "[docs]") {
    for (const auto& [key, options] : listing()["options"].items()) {
        if (std::find(options.begin(), options.end(), "--optimizer") == options.end()) continue;
        const std::string page = "optiviz-" + key.substr(std::string("optiviz ").size());
        INFO(page);
        const std::string text = page_text(page);
        for (const auto& optimizer : listing()["choices"]["--optimizer"]) {
            INFO(optimizer.get<std::string>());
            CHECK(names_word(text, optimizer.get<std::string>()));
        }
        for (const auto& schedule : listing()["choices"]["--schedule"]) {
            INFO(schedule.get<std::string>());
            CHECK(names_word(text, schedule.get<std::string>()));
        }
    }
}
