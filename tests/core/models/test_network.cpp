// The models' losses and gradients (finite differences, and PyTorch's autograd from
// tests/reference/train/*.grad), the model grammar, the tables, the split, and training on the
// flattened parameter vector.
#include "support/catch.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/models/network.h"
#include "core/models/table_data.h"
#include "core/models/training.h"
#include "core/optimizers/simulation.h"

using namespace optiviz;
using namespace optiviz::models;

namespace {

const std::string kTrainDir = std::string(OPTIVIZ_REFERENCE_DIR) + "/train";

std::vector<double> read_numbers(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<double> values;
    double v = 0;
    while (in >> v) values.push_back(v);
    return values;
}

// The value after `option` in a case line, or "".
std::string option_value(const std::string& line, const std::string& option) {
    std::istringstream in(line);
    std::string word;
    while (in >> word)
        if (word == option && in >> word) return word;
    return "";
}

// A small classification table: 12 rows, 3 features, classes 0..2 (and 0/1 for bce).
LabeledTable small_table(bool binary) {
    LabeledTable t;
    t.x.resize(12, 3);
    t.y.resize(12);
    for (int i = 0; i < 12; ++i) {
        t.x(i, 0) = std::sin(1.3 * i);
        t.x(i, 1) = std::cos(0.7 * i) * 2;
        t.x(i, 2) = 0.1 * i - 0.5;
        t.y(i) = binary ? i % 2 : i % 3;
    }
    return t;
}

double central_difference(const Network& net, std::vector<double> theta, std::size_t k, const Batch& batch) {
    const double h = 1e-6 * std::max(1.0, std::abs(theta[k]));
    const double x = theta[k];
    theta[k] = x + h;
    const double up = net.loss(theta, batch);
    theta[k] = x - h;
    const double down = net.loss(theta, batch);
    return (up - down) / (2 * h);
}

}  // namespace

TEST_CASE("model gradients match central differences for every activation and loss", "[models]") {
    for (const LossKind loss : {LossKind::Mse, LossKind::CrossEntropy, LossKind::Bce}) {
        for (const char* model : {"linear", "mlp:hidden=4,activation=tanh", "mlp:hidden=5x3,activation=relu",
                                  "mlp:hidden=3x2,activation=sigmoid"}) {
            INFO(model << " " << loss_name(loss));
            const LabeledTable table = small_table(loss == LossKind::Bce);
            const Network net(parse_model_spec(model), 3, loss == LossKind::CrossEntropy ? 3 : 1, loss);
            const std::vector<double> theta = net.initial_parameters(7);
            std::vector<double> gradient(net.parameter_count());
            const Batch batch{&table.x, &table.y};
            net.loss(theta, batch, gradient);
            for (std::size_t k = 0; k < theta.size(); ++k) {
                const double fd = central_difference(net, theta, k, batch);
                CHECK(std::abs(gradient[k] - fd) <= 1e-7 * std::max(1.0, std::abs(fd)));
            }
        }
    }
}

TEST_CASE("model losses and gradients match PyTorch's autograd at torch's initial parameters", "[models][reference]") {
    std::ifstream cases(kTrainDir + "/cases.txt");
    REQUIRE(cases.good());
    std::string line;
    int checked = 0;
    double worst = 0;
    std::set<std::string> combinations;  // activation × loss seen
    while (std::getline(cases, line)) {
        if (line.empty() || line[0] == '#') continue;
        const std::string name = line.substr(0, line.find(':'));
        INFO("case " << name);
        const std::string dataset = option_value(line, "--dataset");
        const std::string features = option_value(line, "--features");
        std::vector<std::string> feature_list;
        for (std::size_t b = 0; !features.empty();) {
            const auto e = features.find(',', b);
            feature_list.push_back(features.substr(b, e == std::string::npos ? e : e - b));
            if (e == std::string::npos) break;
            b = e + 1;
        }
        LabeledTable table = dataset.empty()
                                 ? load_table_csv(std::string(OPTIVIZ_REFERENCE_DIR) + "/../" + option_value(line, "--data"),
                                                  {option_value(line, "--target"), feature_list})
                                 : load_builtin_dataset(dataset);
        if (line.find("--standardize") != std::string::npos) apply_scaling(column_scaling(table.x), table.x);
        const LossKind loss = parse_loss(option_value(line, "--loss"));
        const ModelSpec spec = parse_model_spec(option_value(line, "--model"));
        const Network net(spec, static_cast<std::size_t>(table.x.cols()),
                          loss == LossKind::CrossEntropy ? class_count(table) : 1, loss);
        const std::vector<double> theta = read_numbers(kTrainDir + "/" + name + ".init");
        const std::vector<double> expected = read_numbers(kTrainDir + "/" + name + ".grad");
        REQUIRE(theta.size() == net.parameter_count());
        REQUIRE(expected.size() == net.parameter_count() + 1);
        std::vector<double> gradient(net.parameter_count());
        const double value = net.loss(theta, {&table.x, &table.y}, gradient);
        CHECK(std::abs(value - expected[0]) <= 1e-13 * std::abs(expected[0]));
        double scale = 0;
        for (std::size_t k = 1; k < expected.size(); ++k) scale = std::max(scale, std::abs(expected[k]));
        for (std::size_t k = 0; k < gradient.size(); ++k) {
            const double diff = std::abs(gradient[k] - expected[k + 1]) / scale;
            worst = std::max(worst, diff);
            CHECK(diff <= 1e-12);
        }
        combinations.insert(std::string(spec.hidden.empty() ? "none" : activation_name(spec.activation)) + "/" +
                            std::string(loss_name(loss)));
        ++checked;
    }
    WARN("gradients against autograd: worst difference / max |g| = " << worst << " over " << checked << " cases");
    for (const char* act : {"tanh", "relu", "sigmoid", "none"})
        for (const char* loss : {"mse", "cross_entropy"}) CHECK(combinations.count(std::string(act) + "/" + loss) == 1);
    CHECK(combinations.count("none/bce") == 1);
    CHECK(combinations.count("sigmoid/bce") == 1);
}

TEST_CASE("model specs parse as documented and bad ones are refused", "[models]") {
    CHECK(parse_model_spec("linear").hidden.empty());
    CHECK(parse_model_spec("softmax").hidden.empty());
    const ModelSpec mlp = parse_model_spec("mlp:hidden=16x8,activation=relu");
    CHECK(mlp.hidden == std::vector<std::size_t>{16, 8});
    CHECK(mlp.activation == Activation::Relu);
    CHECK(parse_model_spec("mlp:hidden=3").activation == Activation::Tanh);
    CHECK(describe_model(mlp) == "mlp:hidden=16x8,activation=relu");
    for (const char* bad : {"mlp", "mlp:hidden=", "mlp:hidden=4x", "mlp:hidden=0", "mlp:hidden=4,act=tanh", "cnn",
                            "mlp:hidden=99999"})
        CHECK_THROWS_AS(parse_model_spec(bad), std::invalid_argument);
    // Parameter count of nn.Sequential(Linear(64, 32), ReLU, Linear(32, 10)): 64·32 + 32 + 32·10 + 10.
    CHECK(Network(parse_model_spec("mlp:hidden=32,activation=relu"), 64, 10, LossKind::CrossEntropy).parameter_count() == 2410);
}

TEST_CASE("the seeded initialisation uses PyTorch's bounds, layer by layer", "[models]") {
    const Network net(parse_model_spec("mlp:hidden=20"), 9, 3, LossKind::CrossEntropy);
    const std::vector<double> theta = net.initial_parameters(4);
    REQUIRE(theta.size() == 20 * 9 + 20 + 3 * 20 + 3);
    double first_max = 0, second_max = 0;
    for (std::size_t k = 0; k < 200; ++k) first_max = std::max(first_max, std::abs(theta[k]));
    for (std::size_t k = 200; k < theta.size(); ++k) second_max = std::max(second_max, std::abs(theta[k]));
    CHECK(first_max <= 1 / 3.0);
    CHECK(first_max > 0.9 / 3.0);  // 200 draws reach near the bound
    CHECK(second_max <= 1 / std::sqrt(20.0));
    CHECK(second_max > 0.8 / std::sqrt(20.0));
    CHECK(net.initial_parameters(4) == theta);
    CHECK(net.initial_parameters(5) != theta);
}

TEST_CASE("tables: every column but the target, named features, errors name file and line", "[models]") {
    const std::string text = "\xEF\xBB\xBF\"a\", b ,label,c\r\n1,2,0,3\r\n4,\"5\",1,6\n\n7,8,1,9\n";
    const LabeledTable all = parse_table_csv(text, "t.csv", {"label", {}});
    CHECK(all.feature_names == std::vector<std::string>{"a", "b", "c"});
    CHECK(all.x.rows() == 3);
    CHECK(all.x(2, 2) == 9);
    CHECK(all.x(1, 1) == 5);
    CHECK(all.y(2) == 1);
    const LabeledTable some = parse_table_csv(text, "t.csv", {"label", {"c", "a"}});
    CHECK(some.x(0, 0) == 3);
    CHECK(some.x(0, 1) == 1);
    CHECK(class_count(all) == 2);
    auto message = [](const std::string& csv, const TableColumns& columns) {
        try {
            parse_table_csv(csv, "t.csv", columns);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("a,b\n1,2\n3,x\n", {"b", {}}) == "t.csv:3: column 'b': 'x' is not a number");
    CHECK(message("a,b\n1,2\n\n3,inf\n", {"b", {}}) == "t.csv:4: column 'b': 'inf' is not a finite number");
    CHECK(message("a,b\n1,2\n3,4\n", {"z", {}}) == "t.csv: no column 'z' (columns: a, b)");
    CHECK(message("a,b\n1,2\n3\n", {"b", {}}) == "t.csv:3: 1 fields, the header has 2");
    LabeledTable fractional = parse_table_csv("a,b\n1,0\n2,2.5\n", "f.csv", {"b", {}});
    CHECK_THROWS_WITH(class_count(fractional), Catch::Contains("data row 2 is 2.5"));
}

TEST_CASE("shipped data sets load with their documented shapes", "[models]") {
    struct Shape {
        const char* name;
        Eigen::Index rows, features;
        std::size_t classes;
    };
    for (const Shape s : {Shape{"iris", 150, 4, 3}, Shape{"wine", 178, 13, 3}, Shape{"breast_cancer", 569, 30, 2},
                          Shape{"digits", 1797, 64, 10}, Shape{"diabetes", 442, 10, 0}}) {
        INFO(s.name);
        const LabeledTable t = load_builtin_dataset(s.name);
        CHECK(t.x.rows() == s.rows);
        CHECK(t.x.cols() == s.features);
        if (s.classes > 0) CHECK(class_count(t) == s.classes);
    }
    CHECK_THROWS_WITH(load_builtin_dataset("mnist"), Catch::Contains("known: iris, wine"));
}

TEST_CASE("the seeded split keeps every row once and standardisation uses training statistics", "[models]") {
    const LabeledTable iris = load_builtin_dataset("iris");
    const TableSplit split = split_table(iris, 0.2, 9);
    CHECK(split.test.rows() == 30);
    CHECK(split.train.rows() == 120);
    CHECK(std::abs(split.train.x.sum() + split.test.x.sum() - iris.x.sum()) < 1e-9);
    CHECK(split_table(iris, 0.2, 9).test.x == split.test.x);
    CHECK(split_table(iris, 0.2, 10).test.x != split.test.x);
    Eigen::MatrixXd x = split.train.x;
    apply_scaling(column_scaling(split.train.x), x);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        CHECK(std::abs(x.col(j).mean()) < 1e-12);
        CHECK(std::abs(std::sqrt(x.col(j).array().square().mean()) - 1.0) < 1e-12);
    }
}

TEST_CASE("an odd parameter count (a padding coordinate) trains like an even one", "[models]") {
    // The flattened vector is laid out as the x and y halves of the 2-D rules; with an odd count the
    // halves differ in where each parameter lands and one padding coordinate is added.
    const LabeledTable table = small_table(false);
    const Network net(parse_model_spec("linear"), 3, 1, LossKind::Mse);  // 4 parameters
    RunConfig config;
    config.optimizer = "adam";
    config.hyper = {{"lr", 0.05}};
    config.steps = 20;
    const std::vector<double> start{0.1, -0.2, 0.3, 0.05};
    const TrainingResult whole = train_model(net, table, nullptr, config, start);
    // The same model with one more, irrelevant feature (all zeros: its weight's gradient stays 0, so
    // Adam never moves it) has 5 parameters: the padded layout must give the same losses.
    LabeledTable wider = table;
    wider.x.conservativeResize(Eigen::NoChange, 4);
    wider.x.col(3).setZero();
    const Network net5(parse_model_spec("linear"), 4, 1, LossKind::Mse);
    const std::vector<double> start5{0.1, -0.2, 0.3, 0.0, 0.05};
    const TrainingResult padded = train_model(net5, wider, nullptr, config, start5);
    REQUIRE(padded.rows() == whole.rows());
    for (std::size_t k = 0; k < whole.rows(); ++k) CHECK(padded.loss[k] == Approx(whole.loss[k]).epsilon(1e-14));
    CHECK(padded.parameters[3] == 0.0);
    CHECK(whole.lr.size() == 20);
}

TEST_CASE("training records snapshots and honours the stopping rules", "[models]") {
    const LabeledTable table = small_table(false);
    const Network net(parse_model_spec("mlp:hidden=3"), 3, 3, LossKind::CrossEntropy);
    RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 0.5}};
    config.steps = 10;
    TrainingOptions options;
    options.snapshot_every = 4;
    const TrainingResult r = train_model(net, table, nullptr, config, net.initial_parameters(1), options);
    CHECK(r.snapshot_rows == std::vector<long>{0, 4, 8, 10});
    CHECK(r.snapshots.size() == 4 * net.parameter_count());
    CHECK(std::equal(r.parameters.begin(), r.parameters.end(), r.snapshots.end() - static_cast<long>(net.parameter_count())));

    config.stop.grad_tol = 1e3;  // met at row 0
    config.stop.stop_at_convergence = true;
    const TrainingResult stopped = train_model(net, table, nullptr, config, net.initial_parameters(1));
    CHECK(stopped.rows() == 1);
    CHECK(stopped.outcome == Outcome::Converged);
    CHECK_THROWS_AS(train_model(net, table, nullptr, config, std::vector<double>(3, 0.0)), std::invalid_argument);
}

namespace {

void check_same_run(const TrainingResult& a, const TrainingResult& b) {
    CHECK(a.loss == b.loss);
    CHECK(a.grad_norm == b.grad_norm);
    CHECK(a.test_loss == b.test_loss);
    CHECK(a.lr == b.lr);
    CHECK(a.evaluations == b.evaluations);
    CHECK(a.parameters == b.parameters);
    CHECK(a.snapshots == b.snapshots);
    CHECK(a.snapshot_rows == b.snapshot_rows);
    CHECK(a.outcome == b.outcome);
    CHECK(a.stopped_step == b.stopped_step);
    CHECK(a.converged_step == b.converged_step);
}

}  // namespace

TEST_CASE("a Trainer advanced in any chunks equals train_model bit for bit", "[models][trainer]") {
    const LabeledTable table = small_table(false);
    const Network net(parse_model_spec("mlp:hidden=3"), 3, 3, LossKind::CrossEntropy);
    std::vector<RunConfig> configs(4);
    configs[0].optimizer = "adam";
    configs[0].hyper = {{"lr", 0.05}};
    configs[1].optimizer = "sgd";
    configs[1].hyper = {{"lr", 0.3}, {"momentum", 0.9}};
    configs[1].schedule.kind = ScheduleKind::Plateau;
    configs[1].batch_size = 2;
    configs[1].seed = 7;
    configs[2].optimizer = "lbfgs";
    configs[2].hyper = {{"lr", 0.5}};
    configs[3].optimizer = "rmsprop";
    configs[3].hyper = {{"lr", 0.01}};
    configs[3].stop.loss_tol = 1e-3;
    configs[3].stop.loss_patience = 2;
    TrainingOptions options;
    options.snapshot_every = 3;
    for (RunConfig& config : configs) {
        CAPTURE(config.optimizer);
        config.steps = 25;
        const TrainingResult whole = train_model(net, table, &table, config, net.initial_parameters(2), options);
        for (long chunk : {1L, 4L, 7L}) {
            CAPTURE(chunk);
            Trainer trainer(net, table, &table, config, net.initial_parameters(2), options);
            CHECK(trainer.total_rows() == 26);
            std::size_t before = 0;
            while (!trainer.advance(chunk)) {
                // The rows so far are the whole run's first rows, a chunk more each time.
                const TrainingResult& rows = trainer.result();
                CHECK(rows.rows() == before + static_cast<std::size_t>(chunk));
                CHECK(std::equal(rows.loss.begin(), rows.loss.end(), whole.loss.begin()));
                before = rows.rows();
            }
            CHECK(trainer.done());
            check_same_run(std::move(trainer).take(), whole);
        }
    }
}

TEST_CASE("a Trainer stops between rows when cancelled and refuses to hand over an unfinished run", "[models][trainer]") {
    const LabeledTable table = small_table(false);
    const Network net(parse_model_spec("mlp:hidden=3"), 3, 3, LossKind::CrossEntropy);
    RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 0.1}};
    config.steps = 10;
    Trainer trainer(net, table, nullptr, config, net.initial_parameters(1));
    CHECK_FALSE(trainer.advance(3));
    const std::atomic<bool> cancel{true};
    CHECK_THROWS_WITH(trainer.advance(1, &cancel), "cancelled");
    CHECK(trainer.result().rows() == 3);
    CHECK_THROWS_AS(std::move(trainer).take(), std::logic_error);
}
