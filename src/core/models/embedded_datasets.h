// The data sets of assets/datasets, compiled into the binary at build time (embed_datasets.cmake)
// so they are never looked up relative to the working directory.
#pragma once

#include <string_view>

namespace optiviz::models {

// The CSV text of assets/datasets/NAME.csv, or an empty view for a name that is not shipped.
std::string_view embedded_dataset_csv(std::string_view name);

}  // namespace optiviz::models
