#include "core/models/model_choice.h"

#include <cmath>
#include <stdexcept>

namespace optiviz::models {

namespace {

LossKind loss_of(const ModelChoice& choice) {
    const BuiltinDataset& info = find_builtin_dataset(choice.dataset);
    return parse_loss(choice.loss.empty() ? info.default_loss : std::string_view(choice.loss));
}

void validate_data_choice(const ModelChoice& choice) {
    const BuiltinDataset& info = find_builtin_dataset(choice.dataset);
    parse_model_spec(choice.model);
    const LossKind loss = loss_of(choice);
    if (info.task == "regression" && loss != LossKind::Mse)
        throw std::invalid_argument("data set '" + choice.dataset + "' has a numeric target: its loss is mse");
    if (!(choice.test_fraction >= 0.0 && choice.test_fraction <= 0.9))
        throw std::invalid_argument("model test fraction must be between 0 and 0.9");
}

}  // namespace

void validate_model_choice(const ModelChoice& choice) {
    if (!choice.snapshots.empty()) {
        for (const std::string& path : choice.snapshots)
            if (path.empty()) throw std::invalid_argument("--snapshots: an empty file name");
        if (choice.plane != "pca") throw std::invalid_argument("logged runs are drawn on their PCA plane (plane pca)");
        if (!evaluates_loss(choice)) return;
    }
    validate_data_choice(choice);
    parse_plane_kind(choice.plane);
}

ModelData build_model_data(const ModelChoice& choice) {
    validate_data_choice(choice);
    const LossKind loss = loss_of(choice);
    const LabeledTable table = load_builtin_dataset(choice.dataset);
    TableSplit split = split_table(table, choice.test_fraction, choice.split_seed);
    if (choice.standardize) {
        const ColumnScaling scaling = column_scaling(split.train.x);
        apply_scaling(scaling, split.train.x);
        if (split.test.rows() > 0) apply_scaling(scaling, split.test.x);
    }
    std::size_t outputs = 1;
    if (loss == LossKind::CrossEntropy) outputs = class_count(table);
    ModelData data{std::move(split.train), std::move(split.test),
                   Network(parse_model_spec(choice.model), static_cast<std::size_t>(table.x.cols()), outputs, loss), {}};
    data.initial = data.network.initial_parameters(choice.init_seed);
    return data;
}

std::string model_title(const ModelChoice& choice) {
    if (!evaluates_loss(choice)) return "Logged runs (paths only: no data set and model to evaluate)";
    const BuiltinDataset& info = find_builtin_dataset(choice.dataset);
    return std::string(info.title) + " · " + describe_model(parse_model_spec(choice.model)) + " · " +
           std::string(loss_name(loss_of(choice)));
}

}  // namespace optiviz::models
