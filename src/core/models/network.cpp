#include "core/models/network.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/presentation/number_text.h"
#include "core/runtime/random.h"
#include "core/io/text_escape.h"

namespace optiviz::models {

namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr std::size_t kMaxWidth = 4096;
constexpr std::size_t kMaxHiddenLayers = 16;

Activation parse_activation(std::string_view name) {
    if (name == "tanh") return Activation::Tanh;
    if (name == "relu") return Activation::Relu;
    if (name == "sigmoid") return Activation::Sigmoid;
    throw std::invalid_argument("--model: unknown activation '" + printable(std::string(name)) +
                                "' (known: tanh, relu, sigmoid)");
}

std::vector<std::size_t> parse_widths(const std::string& text) {
    std::vector<std::size_t> widths;
    std::size_t begin = 0;
    while (true) {
        const std::size_t end = text.find('x', begin);
        const std::string item = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
        const long width = parse_whole_between(item, "--model hidden width", 1, static_cast<long>(kMaxWidth));
        widths.push_back(static_cast<std::size_t>(width));
        if (end == std::string::npos) break;
        begin = end + 1;
    }
    if (widths.size() > kMaxHiddenLayers) throw std::invalid_argument("--model: at most 16 hidden layers");
    return widths;
}

// In place on the pre-activations.
void activate(Activation a, Eigen::MatrixXd& z) {
    switch (a) {
        case Activation::Tanh: z = z.array().tanh(); break;
        case Activation::Relu: z = z.array().max(0.0); break;
        case Activation::Sigmoid: z = (1.0 + (-z.array()).exp()).inverse(); break;
    }
}

// dL/dz from dL/da and the activation's output a (relu: a > 0 exactly where z > 0; torch's relu
// gradient at 0 is 0).
void backpropagate_activation(Activation act, const Eigen::MatrixXd& a, Eigen::MatrixXd& da) {
    switch (act) {
        case Activation::Tanh: da.array() *= 1.0 - a.array().square(); break;
        case Activation::Relu: da = (a.array() > 0.0).select(da, 0.0); break;
        case Activation::Sigmoid: da.array() *= a.array() * (1.0 - a.array()); break;
    }
}

// Loss of outputs z (n × k) against targets y, and dL/dz when `dz` is set.
double loss_and_output_gradient(LossKind kind, const Eigen::MatrixXd& z, const Eigen::VectorXd& y,
                                 Eigen::MatrixXd* dz) {
    const auto n = static_cast<double>(z.rows());
    double total = 0.0;
    if (dz) dz->resize(z.rows(), z.cols());
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
        switch (kind) {
            case LossKind::Mse: {
                const double r = z(i, 0) - y(i);
                total += r * r;
                if (dz) (*dz)(i, 0) = 2.0 * r / n;
                break;
            }
            case LossKind::CrossEntropy: {
                // log_softmax as torch computes it: z − max − log Σ exp(z − max).
                const double top = z.row(i).maxCoeff();
                const double log_sum = std::log((z.row(i).array() - top).exp().sum());
                const auto label = static_cast<Eigen::Index>(y(i));
                total += -(z(i, label) - top - log_sum);
                if (dz) {
                    dz->row(i) = (z.row(i).array() - top - log_sum).exp() / n;
                    (*dz)(i, label) -= 1.0 / n;
                }
                break;
            }
            case LossKind::Bce: {
                // log(1 + e^z) − y·z, written to stay finite for large |z|.
                const double v = z(i, 0);
                total += std::max(v, 0.0) - v * y(i) + std::log1p(std::exp(-std::abs(v)));
                if (dz) (*dz)(i, 0) = (1.0 / (1.0 + std::exp(-v)) - y(i)) / n;
                break;
            }
        }
    }
    return total / n;
}

}  // namespace

std::string_view activation_name(Activation a) {
    switch (a) {
        case Activation::Tanh: return "tanh";
        case Activation::Relu: return "relu";
        case Activation::Sigmoid: return "sigmoid";
    }
    return "tanh";
}

std::string_view loss_name(LossKind loss) {
    switch (loss) {
        case LossKind::Mse: return "mse";
        case LossKind::CrossEntropy: return "cross_entropy";
        case LossKind::Bce: return "bce";
    }
    return "mse";
}

LossKind parse_loss(std::string_view name) {
    if (name == "mse") return LossKind::Mse;
    if (name == "cross_entropy") return LossKind::CrossEntropy;
    if (name == "bce") return LossKind::Bce;
    throw std::invalid_argument("unknown loss '" + printable(std::string(name)) + "' (known: mse, cross_entropy, bce)");
}

ModelSpec parse_model_spec(std::string_view text) {
    const std::string whole(text);
    if (whole == "linear" || whole == "logistic" || whole == "softmax") return {};
    if (whole != "mlp" && whole.rfind("mlp:", 0) != 0)
        throw std::invalid_argument("--model: unknown model '" + printable(whole) +
                                    "' (known: linear, logistic, softmax, mlp:hidden=16x8,activation=tanh)");
    ModelSpec spec;
    bool has_hidden = false;
    for (const std::string& item : spec_items(whole)) {
        const auto eq = item.find('=');
        const std::string key = item.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
        if (key == "hidden") {
            spec.hidden = parse_widths(value);
            has_hidden = true;
        } else if (key == "activation") {
            spec.activation = parse_activation(value);
        } else {
            throw std::invalid_argument("--model: unknown setting '" + printable(key) + "' (known: hidden, activation)");
        }
    }
    if (!has_hidden) throw std::invalid_argument("--model mlp needs hidden=WIDTHS, e.g. mlp:hidden=16x8");
    return spec;
}

std::string describe_model(const ModelSpec& spec) {
    if (spec.hidden.empty()) return "linear";
    std::string text = "mlp:hidden=";
    for (std::size_t i = 0; i < spec.hidden.size(); ++i) {
        if (i > 0) text += 'x';
        text += std::to_string(spec.hidden[i]);
    }
    return text + ",activation=" + std::string(activation_name(spec.activation));
}

Network::Network(ModelSpec spec, std::size_t inputs, std::size_t outputs, LossKind loss)
    : spec_(std::move(spec)), loss_(loss) {
    if (inputs < 1 || outputs < 1) throw std::invalid_argument("a model needs at least one input and one output");
    if (loss != LossKind::CrossEntropy && outputs != 1)
        throw std::invalid_argument(std::string(loss_name(loss)) + " needs one output unit");
    widths_.push_back(inputs);
    widths_.insert(widths_.end(), spec_.hidden.begin(), spec_.hidden.end());
    widths_.push_back(outputs);
    for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
        offsets_.push_back(parameter_count_);
        parameter_count_ += widths_[l + 1] * widths_[l] + widths_[l + 1];
    }
}

std::vector<double> Network::initial_parameters(std::uint64_t seed) const {
    DeterministicRng rng(seed);
    std::vector<double> theta;
    theta.reserve(parameter_count_);
    for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
        const double bound = 1.0 / std::sqrt(static_cast<double>(widths_[l]));
        const std::size_t count = widths_[l + 1] * widths_[l] + widths_[l + 1];
        for (std::size_t k = 0; k < count; ++k) theta.push_back(bound * (2.0 * rng.uniform() - 1.0));
    }
    return theta;
}

double Network::loss(std::span<const double> theta, const Batch& batch, std::span<double> gradient,
                     Eigen::MatrixXd* outputs) const {
    if (theta.size() != parameter_count_) throw std::invalid_argument("model parameters: wrong count");
    Eigen::MatrixXd gathered_x;
    Eigen::VectorXd gathered_y;
    const Eigen::MatrixXd* x = batch.x;
    const Eigen::VectorXd* y = batch.y;
    if (!batch.rows.empty()) {
        gathered_x.resize(static_cast<Eigen::Index>(batch.rows.size()), x->cols());
        gathered_y.resize(gathered_x.rows());
        for (std::size_t i = 0; i < batch.rows.size(); ++i) {
            gathered_x.row(static_cast<Eigen::Index>(i)) = x->row(batch.rows[i]);
            gathered_y(static_cast<Eigen::Index>(i)) = (*y)(batch.rows[i]);
        }
        x = &gathered_x;
        y = &gathered_y;
    }
    const std::size_t layers = widths_.size() - 1;
    // activations[l]: the input of layer l (activations[0] is x itself, not copied).
    std::vector<Eigen::MatrixXd> activations(layers);
    auto input_of = [&](std::size_t l) -> const Eigen::MatrixXd& { return l == 0 ? *x : activations[l]; };
    Eigen::MatrixXd z;
    for (std::size_t l = 0; l < layers; ++l) {
        const auto out = static_cast<Eigen::Index>(widths_[l + 1]), in = static_cast<Eigen::Index>(widths_[l]);
        const Eigen::Map<const RowMajor> w(theta.data() + offsets_[l], out, in);
        const Eigen::Map<const Eigen::RowVectorXd> b(theta.data() + offsets_[l] + widths_[l + 1] * widths_[l], out);
        z.noalias() = input_of(l) * w.transpose();
        z.rowwise() += b;
        if (l + 1 < layers) {
            activate(spec_.activation, z);
            activations[l + 1] = std::move(z);
            z = Eigen::MatrixXd();
        }
    }
    if (gradient.empty()) {
        const double value = loss_and_output_gradient(loss_, z, *y, nullptr);
        if (outputs) *outputs = std::move(z);
        return value;
    }
    if (gradient.size() != parameter_count_) throw std::invalid_argument("model gradient: wrong count");

    Eigen::MatrixXd dz;
    const double value = loss_and_output_gradient(loss_, z, *y, &dz);
    if (outputs) *outputs = std::move(z);
    for (std::size_t l = layers; l-- > 0;) {
        const auto out = static_cast<Eigen::Index>(widths_[l + 1]), in = static_cast<Eigen::Index>(widths_[l]);
        Eigen::Map<RowMajor> gw(gradient.data() + offsets_[l], out, in);
        Eigen::Map<Eigen::RowVectorXd> gb(gradient.data() + offsets_[l] + widths_[l + 1] * widths_[l], out);
        gw.noalias() = dz.transpose() * input_of(l);
        gb = dz.colwise().sum();
        if (l == 0) break;
        const Eigen::Map<const RowMajor> w(theta.data() + offsets_[l], out, in);
        Eigen::MatrixXd da = dz * w;
        backpropagate_activation(spec_.activation, activations[l], da);
        dz = std::move(da);
    }
    return value;
}

Eigen::MatrixXd Network::predict(std::span<const double> theta, const Eigen::MatrixXd& x) const {
    Eigen::MatrixXd a = x;
    const std::size_t layers = widths_.size() - 1;
    for (std::size_t l = 0; l < layers; ++l) {
        const auto out = static_cast<Eigen::Index>(widths_[l + 1]), in = static_cast<Eigen::Index>(widths_[l]);
        const Eigen::Map<const RowMajor> w(theta.data() + offsets_[l], out, in);
        const Eigen::Map<const Eigen::RowVectorXd> b(theta.data() + offsets_[l] + widths_[l + 1] * widths_[l], out);
        Eigen::MatrixXd z = a * w.transpose();
        z.rowwise() += b;
        if (l + 1 < layers) activate(spec_.activation, z);
        a = std::move(z);
    }
    return a;
}

Eigen::MatrixXd Network::first_layer(std::span<const double> theta, const Eigen::MatrixXd& x) const {
    if (theta.size() != parameter_count_) throw std::invalid_argument("model parameters: wrong count");
    const auto out = static_cast<Eigen::Index>(widths_[1]), in = static_cast<Eigen::Index>(widths_[0]);
    const Eigen::Map<const RowMajor> w(theta.data(), out, in);
    const Eigen::Map<const Eigen::RowVectorXd> b(theta.data() + widths_[1] * widths_[0], out);
    Eigen::MatrixXd z = x * w.transpose();
    z.rowwise() += b;
    return z;
}

double Network::loss_after_first_layer(std::span<const double> theta, Eigen::MatrixXd z, const Eigen::VectorXd& y) const {
    if (theta.size() != parameter_count_) throw std::invalid_argument("model parameters: wrong count");
    const std::size_t layers = widths_.size() - 1;
    for (std::size_t l = 1; l < layers; ++l) {
        activate(spec_.activation, z);
        const auto out = static_cast<Eigen::Index>(widths_[l + 1]), in = static_cast<Eigen::Index>(widths_[l]);
        const Eigen::Map<const RowMajor> w(theta.data() + offsets_[l], out, in);
        const Eigen::Map<const Eigen::RowVectorXd> b(theta.data() + offsets_[l] + widths_[l + 1] * widths_[l], out);
        Eigen::MatrixXd next = z * w.transpose();
        next.rowwise() += b;
        z = std::move(next);
    }
    return loss_and_output_gradient(loss_, z, y, nullptr);
}

double Network::accuracy(std::span<const double> theta, const Eigen::MatrixXd& x, const Eigen::VectorXd& y) const {
    if (loss_ == LossKind::Mse || x.rows() == 0) return std::numeric_limits<double>::quiet_NaN();
    return accuracy_of(predict(theta, x), y);
}

double Network::accuracy_of(const Eigen::MatrixXd& z, const Eigen::VectorXd& y) const {
    if (loss_ == LossKind::Mse || z.rows() == 0) return std::numeric_limits<double>::quiet_NaN();
    long right = 0;
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
        Eigen::Index predicted = 0;
        if (loss_ == LossKind::Bce) predicted = z(i, 0) > 0.0 ? 1 : 0;
        else z.row(i).maxCoeff(&predicted);
        right += predicted == static_cast<Eigen::Index>(y(i)) ? 1 : 0;
    }
    return static_cast<double>(right) / static_cast<double>(z.rows());
}

}  // namespace optiviz::models
