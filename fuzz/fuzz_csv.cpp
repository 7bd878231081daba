// libFuzzer harness: data files (CSV dialects), both decimal marks, default and numbered columns;
// with option bit 4, the same text as a table for `optiviz train` (target column "y").
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "core/models/table_data.h"
#include "core/surfaces/dataset.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte picks the options; the rest is the file.
    const std::uint8_t options = data[0];
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    if (options & 4) {
        try {
            const optiviz::models::LabeledTable table = optiviz::models::parse_table_csv(text, "fuzz.csv", {"y", {}});
            if (table.rows() < 2 || table.x.rows() != table.y.size() || table.x.cols() < 1) std::abort();
            if (!(table.x.array().abs() <= 1e30).all() || !(table.y.array().abs() <= 1e30).all()) std::abort();
        } catch (const std::invalid_argument& e) {
            optiviz::fuzz::check_message(e);
        }
        return 0;
    }
    const char decimal = (options & 1) ? ',' : '.';
    optiviz::CsvColumns columns;
    if (options & 2) columns = {"2", "1"};
    try {
        const optiviz::Dataset rows = optiviz::parse_dataset_csv(text, "fuzz.csv", columns, decimal);
        if (rows.x.size() != rows.y.size() || rows.size() < 2) std::abort();
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (!std::isfinite(rows.x[i]) || !std::isfinite(rows.y[i])) std::abort();
    } catch (const std::invalid_argument& e) {
        optiviz::fuzz::check_message(e);
    }
    return 0;
}
