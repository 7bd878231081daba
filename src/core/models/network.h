// Small d-dimensional models trained on tables of numbers: linear, logistic and softmax regression
// and multilayer perceptrons, with PyTorch's losses (mean reduction) and exact backpropagated
// gradients, in float64 with Eigen.
//
// A model is torch's nn.Sequential(Linear(d, h1), act, Linear(h1, h2), act, ..., Linear(hn, out)):
// no hidden layer for linear, logistic and softmax regression. Its parameters are one flat vector
// in the order of model.parameters(): per layer, the weight (out × in, row-major), then the bias.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace optiviz::models {

enum class Activation { Tanh, Relu, Sigmoid };
enum class LossKind {
    Mse,           // MSELoss: mean over rows of (z − y)², one output unit
    CrossEntropy,  // CrossEntropyLoss: mean over rows of logsumexp(z) − z_y; target 0..K−1, K outputs
    Bce,           // BCEWithLogitsLoss: mean of log(1 + e^z) − y·z; target 0 or 1, one output unit
};

std::string_view activation_name(Activation a);  // "tanh", "relu", "sigmoid"
std::string_view loss_name(LossKind loss);        // "mse", "cross_entropy", "bce"
// Throws std::invalid_argument("unknown loss 'x' (known: mse, cross_entropy, bce)").
LossKind parse_loss(std::string_view name);

// What --model says: the hidden layer widths (none for linear/logistic/softmax) and the activation.
struct ModelSpec {
    std::vector<std::size_t> hidden;
    Activation activation = Activation::Tanh;
    bool operator==(const ModelSpec&) const = default;
};

// "linear", "logistic", "softmax" (all: no hidden layer; the loss decides the outputs) or
// "mlp:hidden=16x8,activation=tanh|relu|sigmoid" (activation defaults to tanh). Widths are 1..4096,
// at most 16 hidden layers. Throws std::invalid_argument with one line.
ModelSpec parse_model_spec(std::string_view text);
std::string describe_model(const ModelSpec& spec);  // "mlp:hidden=16x8,activation=tanh" or "linear"

// Rows of features (n × d, one row per example) and targets (n; class indices for classification).
struct Batch {
    const Eigen::MatrixXd* x = nullptr;
    const Eigen::VectorXd* y = nullptr;
    // Optional: the rows that make up this batch (mini-batches); empty means every row.
    std::span<const std::uint32_t> rows = {};
};

class Network {
public:
    // inputs >= 1, outputs >= 1 (K classes for cross_entropy, 1 otherwise).
    Network(ModelSpec spec, std::size_t inputs, std::size_t outputs, LossKind loss);

    const ModelSpec& spec() const { return spec_; }
    LossKind loss_kind() const { return loss_; }
    std::size_t inputs() const { return widths_.front(); }
    std::size_t outputs() const { return widths_.back(); }
    // Layer widths, inputs first and outputs last.
    const std::vector<std::size_t>& widths() const { return widths_; }
    std::size_t parameter_count() const { return parameter_count_; }
    std::size_t layers() const { return offsets_.size(); }
    // Where layer l's weight (widths()[l+1] × widths()[l], row-major) starts in theta; its bias follows.
    std::size_t layer_offset(std::size_t l) const { return offsets_[l]; }

    // torch's default initialisation, seeded: every weight and bias uniform on ±1/√fan_in (fan_in:
    // the layer's input width), drawn layer by layer in parameter order from DeterministicRng(seed).
    std::vector<double> initial_parameters(std::uint64_t seed) const;

    // The mean loss on the batch at `theta`; with `gradient` (parameter_count() values), also its
    // exact gradient; with `outputs`, the outputs it computed (as predict()). Non-finite numbers
    // propagate (the caller decides what divergence means).
    double loss(std::span<const double> theta, const Batch& batch, std::span<double> gradient = {},
                Eigen::MatrixXd* outputs = nullptr) const;

    // The outputs (n × outputs) on every row of x: logits for cross_entropy and bce.
    Eigen::MatrixXd predict(std::span<const double> theta, const Eigen::MatrixXd& x) const;
    // The first layer's pre-activations x·W1ᵀ + b1 (n × widths()[1]) for any vector laid out as the
    // parameters (a direction too: it is linear in `theta`).
    Eigen::MatrixXd first_layer(std::span<const double> theta, const Eigen::MatrixXd& x) const;
    // The mean loss against y when the first layer's pre-activations are `z1` (as first_layer()
    // gives them) and the later layers are theta's: the loss plane knows z1 without the product.
    double loss_after_first_layer(std::span<const double> theta, Eigen::MatrixXd z1, const Eigen::VectorXd& y) const;

    // Fraction of rows classified right (argmax of the logits; z > 0 for bce), or NaN for mse.
    double accuracy(std::span<const double> theta, const Eigen::MatrixXd& x, const Eigen::VectorXd& y) const;
    // The same from outputs already computed (predict() or loss()'s `outputs`).
    double accuracy_of(const Eigen::MatrixXd& outputs, const Eigen::VectorXd& y) const;

private:
    ModelSpec spec_;
    LossKind loss_;
    std::vector<std::size_t> widths_;
    std::vector<std::size_t> offsets_;  // where layer l's weight starts in theta
    std::size_t parameter_count_ = 0;
};

}  // namespace optiviz::models
