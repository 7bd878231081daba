#include "app/cli/train_command.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/io/file_read.h"
#include "core/io/limits.h"
#include "core/models/network.h"
#include "core/models/table_data.h"
#include "core/models/training.h"
#include "core/optimizers/optimizer.h"
#include "core/presentation/number_text.h"
#include "core/io/text_escape.h"

namespace optiviz::cli {

namespace {

// Options that take a value, and where the parser stores it. Hyperparameter options map to the
// optimizer's table key (dashes become underscores) and are checked against that table later.
constexpr const char* kHyperOptions[] = {"lr",          "momentum",       "dampening",    "beta1",
                                         "beta2",       "alpha",          "rho",          "eps",
                                         "weight-decay", "lr-decay",      "momentum-decay", "history-size",
                                         "max-iter",    "tolerance-grad", "tolerance-change", "bias-correction"};
constexpr const char* kSwitches[] = {"nesterov", "amsgrad", "centered"};

std::string key_of(std::string option) {
    for (char& c : option)
        if (c == '-') c = '_';
    return option;
}

std::map<std::string, std::optional<std::string>*> value_options(TrainRequest& r) {
    TraceRequest& t = r.run;
    return {{"data", &r.data_path},         {"dataset", &r.dataset},
            {"target", &r.target},          {"features", &r.features},
            {"loss", &r.loss},              {"init", &r.init},
            {"out", &r.out},                {"init-seed", &r.init_seed},
            {"test-fraction", &r.test_fraction}, {"split-seed", &r.split_seed},
            {"etas", &t.etas},              {"step-sizes", &t.step_sizes},
            {"line-search", &t.line_search}, {"gamma", &t.gamma},
            {"step-size", &t.step_size},    {"t-max", &t.t_max},
            {"eta-min", &t.eta_min},        {"factor", &t.factor},
            {"patience", &t.patience},      {"threshold", &t.threshold},
            {"threshold-mode", &t.threshold_mode}, {"cooldown", &t.cooldown},
            {"min-lr", &t.min_lr},          {"clip-norm", &t.clip_norm},
            {"batch", &t.batch_size},       {"batch-size", &t.batch_size},
            {"seed", &t.seed},              {"tol", &t.tol},
            {"loss-tol", &t.loss_tol},      {"loss-patience", &t.loss_patience}};
}

void append_number(std::string& out, double value) {
    char buffer[32];
    const int length = std::snprintf(buffer, sizeof buffer, "%.17g", value);
    out.append(buffer, static_cast<std::size_t>(length));
}

std::vector<std::string> split_list(const std::string& text, const std::string& what) {
    std::vector<std::string> items;
    std::size_t begin = 0;
    while (true) {
        const std::size_t comma = text.find(',', begin);
        std::string item = text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
        if (item.empty()) throw std::invalid_argument(what + ": empty name in '" + printable(text, 80) + "'");
        items.push_back(std::move(item));
        if (comma == std::string::npos) return items;
        begin = comma + 1;
    }
}

// --init FILE: whitespace-separated numbers (one per line as written by numpy.savetxt), exactly
// `count` of them, all finite.
std::vector<double> read_parameters(const std::string& path, std::size_t count) {
    const std::string text = read_regular_file(path, "parameter file", limits::kMaxDataFileBytes);
    std::vector<double> values;
    std::size_t pos = 0, line = 1;
    while (pos < text.size()) {
        const char c = text[pos];
        if (c == '\n') ++line;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++pos;
            continue;
        }
        std::size_t end = pos;
        while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\r' && text[end] != '\n') ++end;
        const std::string_view word(text.data() + pos, end - pos);
        const std::string where = path + ":" + std::to_string(line);
        if (values.size() == count)  // refused here, before a large file of short numbers is stored
            throw std::invalid_argument(where + ": more than the model's " + std::to_string(count) +
                                        " parameters (see optiviz train --help for the order)");
        values.push_back(parse_number(word, where));
        pos = end;
    }
    if (values.size() != count)
        throw std::invalid_argument(path + ": " + std::to_string(values.size()) + " parameters, the model has " +
                                    std::to_string(count) + " (see optiviz train --help for the order)");
    return values;
}

struct TrainingSetup {
    models::LabeledTable train;
    std::optional<models::LabeledTable> test;
    models::LossKind loss = models::LossKind::Mse;
    std::size_t outputs = 1;
};

// Without --loss: the model's own (logistic: bce, softmax: cross_entropy), else the data set's.
models::LossKind default_loss(const TrainRequest& r) {
    if (r.model == "softmax") return models::LossKind::CrossEntropy;
    if (r.model == "logistic") return models::LossKind::Bce;
    if (r.dataset) return models::parse_loss(models::find_builtin_dataset(*r.dataset).default_loss);
    return models::LossKind::Mse;
}

TrainingSetup load_data(const TrainRequest& r) {
    if (r.data_path && r.dataset) throw std::invalid_argument("give --data FILE or --dataset NAME, not both");
    if (!r.data_path && !r.dataset) throw std::invalid_argument("--data FILE.csv --target COLUMN or --dataset NAME is required");
    if (r.data_path && !r.target) throw std::invalid_argument("--data needs --target COLUMN");
    if (r.dataset && r.target && *r.target != "target")
        throw std::invalid_argument("--dataset tables have their target in column 'target'; --target is for --data");
    const std::vector<std::string> features = r.features ? split_list(*r.features, "--features") : std::vector<std::string>{};
    TrainingSetup s;
    models::LabeledTable table = r.dataset ? models::load_builtin_dataset(*r.dataset, features)
                                           : models::load_table_csv(*r.data_path, {*r.target, features});
    s.loss = r.loss ? models::parse_loss(*r.loss) : default_loss(r);
    if (s.loss == models::LossKind::CrossEntropy) s.outputs = models::class_count(table);
    if (s.loss == models::LossKind::Bce && models::class_count(table) > 2)
        throw std::invalid_argument(table.source + ": bce needs targets 0 or 1; use --loss cross_entropy for more classes");
    const double fraction = r.test_fraction ? parse_real(*r.test_fraction, "--test-fraction") : 0.0;
    if (r.split_seed && !r.test_fraction) throw std::invalid_argument("--split-seed needs --test-fraction");
    if (fraction > 0.0) {
        const auto seed = r.split_seed ? static_cast<std::uint64_t>(parse_count(*r.split_seed, "--split-seed")) : 0;
        models::TableSplit split = models::split_table(table, fraction, seed);
        s.train = std::move(split.train);
        s.test = std::move(split.test);
    } else {
        if (r.test_fraction && fraction < 0.0) throw std::invalid_argument("--test-fraction must be in [0, 1)");
        s.train = std::move(table);
    }
    if (r.standardize) {
        const models::ColumnScaling scaling = models::column_scaling(s.train.x);
        models::apply_scaling(scaling, s.train.x);
        if (s.test) models::apply_scaling(scaling, s.test->x);
    }
    return s;
}

// Refuses a training run past limits::check_training_work before it starts: the rows each step
// reads (the row's full training loss and gradient, the test rows, a mini-batch, L-BFGS's
// evaluations) times the parameters times the steps, and the memory of its vectors and passes.
void check_training_size(const RunConfig& config, const models::Network& network, const TrainingSetup& data) {
    const double train_rows = static_cast<double>(data.train.rows());
    const double test_rows = data.test ? static_cast<double>(data.test->rows()) : 0.0;
    double rows_per_step = train_rows + test_rows + static_cast<double>(config.batch_size);
    double vectors = 8;  // parameters, gradient, the last finite row, the optimizer's state, copies
    if (config.optimizer == "lbfgs") {
        const OptimizerInfo& info = find_optimizer("lbfgs");
        const ParamValues v(info.name, info.params, config.hyper);
        rows_per_step += std::floor(v.get("max_iter") * 5 / 4) * train_rows;  // torch's max_eval
        vectors += 2 * v.get("history_size");
    }
    double widths = 0;
    for (std::size_t l = 1; l < network.widths().size(); ++l) widths += static_cast<double>(network.widths()[l]);
    const double parameters = static_cast<double>(network.parameter_count());
    const double bytes = 8.0 * (vectors * parameters + 3.0 * std::max(train_rows, test_rows) * widths) +
                         270.0 * static_cast<double>(config.steps + 1);
    limits::check_training_work(rows_per_step, parameters, config.steps, bytes);
}

std::string format_csv(const models::TrainingResult& result, bool classification, bool with_test) {
    std::string csv = "step,loss,grad_norm";
    if (classification) csv += ",accuracy";
    if (with_test) csv += classification ? ",test_loss,test_accuracy" : ",test_loss";
    csv += '\n';
    csv.reserve(csv.size() + result.rows() * 100);
    for (std::size_t k = 0; k < result.rows(); ++k) {
        csv += std::to_string(k);
        std::vector<double> row{result.loss[k], result.grad_norm[k]};
        if (classification) row.push_back(result.accuracy[k]);
        if (with_test) row.push_back(result.test_loss[k]);
        if (with_test && classification) row.push_back(result.test_accuracy[k]);
        for (double v : row) {
            csv += ',';
            append_number(csv, v);
        }
        csv += '\n';
    }
    return csv;
}

}  // namespace

std::string train_help() {
    return R"(Train a model on a table of numbers with one optimizer; print the loss per step as CSV.
Usage: optiviz train (--data FILE.csv --target COLUMN | --dataset NAME) [--model MODEL] [--loss LOSS]
                     --optimizer NAME [optimizer, schedule and clipping flags as for trace] --steps N
                     [--init PARAMS.txt] [--out FILE.csv]

Model and data:
  --model MODEL          linear | logistic | softmax (no hidden layer) |
                         mlp:hidden=16x8,activation=tanh|relu|sigmoid (default: linear)
  --loss LOSS            mse (one output) | cross_entropy (target = class 0..K-1, K outputs) |
                         bce (target 0 or 1, one output): PyTorch's MSELoss, CrossEntropyLoss,
                         BCEWithLogitsLoss with mean reduction. Default: bce for logistic,
                         cross_entropy for softmax, else the data set's loss, else mse
  --data FILE            CSV with a header line; every field a finite number
  --target COLUMN        the target column of --data
  --features A,B,...     feature columns (default: every column but the target, in file order)
  --dataset NAME         a shipped data set: iris, wine, breast_cancer, digits (classification),
                         diabetes (regression); its target column is "target"
  --standardize          scale each feature to mean 0, sd 1 (statistics of the training rows)
  --test-fraction F      hold out this share of the rows (0 <= F < 1, default 0) as a test set;
                         test_loss and test_accuracy columns follow
  --split-seed S         seed of the train/test shuffle (default 0)
  --init FILE            initial parameters: numbers separated by white space (one per line), in
                         the order of PyTorch's model.parameters() for nn.Sequential(Linear(d, h1),
                         act, ..., Linear(hn, out)): per layer the weight (out x in, row-major), then
                         the bias
  --init-seed S          without --init: every weight and bias uniform on +-1/sqrt(fan_in) (PyTorch's
                         default bounds), drawn layer by layer in that order from mt19937_64(S)
                         (default 0)

Optimizer (as optiviz trace; see optiviz list):
  --optimizer NAME       sgd adagrad rmsprop adadelta adam adamw adamax nadam radam rprop lbfgs
  --lr --momentum --dampening --beta1 --beta2 --alpha --rho --eps --weight-decay --lr-decay
  --momentum-decay --history-size --max-iter --tolerance-grad --tolerance-change --bias-correction
                         hyperparameters (each optimizer takes its own; others are refused)
  --nesterov --amsgrad --centered   switches (also --nesterov=0|1)
  --etas A,B --step-sizes MIN,MAX   rprop;   --line-search none|strong_wolfe   lbfgs
  --schedule constant|step|exp|cosine|plateau, with --gamma --step-size --t-max --eta-min
                         and, for plateau, --factor --patience --threshold --threshold-mode
                         --cooldown --min-lr
  --clip-norm C          clip_grad_norm_: one norm over all parameters
  --batch B              mini-batches of B rows (also --batch-size), reshuffled every epoch with
  --seed S               this seed (default 0); without --batch every step is full batch
  --tol T                mark convergence when the gradient norm <= T (1e-8)
  --loss-tol T           stop when the loss changes by less than T ...
  --loss-patience K      ... for K consecutive steps (1)
  --steps N              optimizer steps (rows 0..N)

Output:
  --out FILE             write the CSV here (atomically) instead of standard output
  CSV columns: step,loss,grad_norm[,accuracy][,test_loss[,test_accuracy]]; row t is the mean
  training loss at the parameters after t steps (row 0: the initial parameters), %.17g.
  --help                 this text
)";
}

std::optional<TrainRequest> parse_train_arguments(const std::vector<std::string>& args) {
    TrainRequest r;
    auto values = value_options(r);
    std::map<std::string, std::string> hyper;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (arg == "--help" || arg == "-h") return std::nullopt;
        if (arg.rfind("--", 0) != 0) throw std::invalid_argument("train: unexpected argument '" + printable(arg, 80) + "'");
        std::optional<std::string> inline_value;
        if (const auto eq = arg.find('='); eq != std::string::npos) {
            inline_value = arg.substr(eq + 1);
            arg.resize(eq);
        }
        const std::string name = arg.substr(2);
        const bool is_switch = std::find(std::begin(kSwitches), std::end(kSwitches), name) != std::end(kSwitches);
        if (name == "standardize" || is_switch) {
            const std::string v = inline_value.value_or("1");
            if (v != "0" && v != "1") throw std::invalid_argument(arg + ": expected 0 or 1, got '" + printable(v, 40) + "'");
            if (is_switch) r.run.run.hyper[key_of(name)] = v == "1" ? 1.0 : 0.0;
            else r.standardize = v == "1";
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) throw std::invalid_argument(arg + " needs a value");
            inline_value = args[++i];
        }
        const bool is_hyper = std::find_if(std::begin(kHyperOptions), std::end(kHyperOptions),
                                           [&](const char* o) { return name == o; }) != std::end(kHyperOptions);
        if (is_hyper) r.run.hyper_text.emplace_back(key_of(name), *inline_value);
        else if (name == "model") r.model = *inline_value;
        else if (name == "optimizer") r.run.run.optimizer = *inline_value;
        else if (name == "schedule") r.run.schedule = *inline_value;
        else if (name == "steps") r.run.steps = *inline_value;
        else if (const auto it = values.find(name); it != values.end()) *it->second = *inline_value;
        else throw std::invalid_argument("train: unknown option " + printable(arg, 80) + " (see optiviz train --help)");
    }
    if (r.run.steps.empty()) throw std::invalid_argument("train: --steps N is required");
    return r;
}

void run_train(const TrainRequest& request, std::ostream& out, std::ostream& err) {
    RunConfig config = resolve_run_config(request.run);
    models::validate_training(config);
    if (config.steps > limits::kMaxTrainSteps)
        throw std::invalid_argument("--steps must be at most " + std::to_string(limits::kMaxTrainSteps) +
                                    " for train (every row is kept until the CSV is written), got " +
                                    std::to_string(config.steps));
    if (request.out) check_output_path(*request.out);
    const models::ModelSpec spec = models::parse_model_spec(request.model);
    TrainingSetup data = load_data(request);
    if ((request.model == "logistic" && data.loss != models::LossKind::Bce) ||
        (request.model == "softmax" && data.loss != models::LossKind::CrossEntropy))
        throw std::invalid_argument("--model " + request.model + " goes with --loss " +
                                    (request.model == "logistic" ? "bce" : "cross_entropy") + " (or use --model linear)");
    if (config.batch_size > data.train.rows()) config.batch_size = data.train.rows();
    const models::Network network(spec, static_cast<std::size_t>(data.train.x.cols()), data.outputs, data.loss);
    check_training_size(config, network, data);
    if (request.init && request.init_seed) throw std::invalid_argument("give --init FILE or --init-seed S, not both");
    const std::vector<double> initial =
        request.init ? read_parameters(*request.init, network.parameter_count())
                     : network.initial_parameters(request.init_seed ? static_cast<std::uint64_t>(parse_count(*request.init_seed, "--init-seed")) : 0);

    const models::TrainingResult result =
        models::train_model(network, data.train, data.test ? &*data.test : nullptr, config, initial);
    const bool classification = data.loss != models::LossKind::Mse;
    const std::string csv = format_csv(result, classification, data.test.has_value());
    if (request.out) write_file_atomically(*request.out, csv);
    else out << csv;

    Trajectory how;  // describe_stop reads only the outcome fields
    how.outcome = result.outcome;
    how.stop_reason = result.stop_reason;
    how.converged_step = result.converged_step;
    how.diverged_step = result.diverged_step;
    how.stopped_step = result.stopped_step;
    if (const std::string line = describe_stop(how, config.stop); !line.empty()) err << line << "\n";
    for (std::size_t k = 1; k < result.lr.size(); ++k)
        if (config.schedule.kind == ScheduleKind::Plateau && result.lr[k] != result.lr[k - 1]) {
            char note[96];
            std::snprintf(note, sizeof note, "lr reduced to %.6g before step %zu\n", result.lr[k], k + 1);
            err << note;
        }
}

int train_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        const std::optional<TrainRequest> request = parse_train_arguments(args);
        if (!request) {
            out << train_help();
            return 0;
        }
        std::ostringstream csv, notes;
        run_train(*request, csv, notes);
        out << csv.str();
        err << notes.str();
        return 0;
    } catch (const std::exception& e) {
        err << "optiviz: error: " << printable(e.what(), 400) << "\n";
        return 2;
    }
}

}  // namespace optiviz::cli
