#include "core/expression_surface.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Eigenvalues>
#include <ginac/ginac.h>

#include "core/simulation.h"
#include "core/surface_registry.h"
#include "core/vector_kernel.h"

namespace optiviz {

namespace {

constexpr std::string_view kGrammar =
    "  expr    := term (('+' | '-') term)*\n"
    "  term    := unary (('*' | '/') unary)*\n"
    "  unary   := ('-' | '+') unary | power\n"
    "  power   := primary ('^' unary)?          (right-associative: x^y^2 = x^(y^2))\n"
    "  primary := NUMBER | NAME | FUNCTION '(' expr ')' | '(' expr ')'\n"
    "  NAME: x, y, pi, e, or a parameter given as --param NAME=VALUE\n"
    "  FUNCTION: sin cos tan exp log sqrt abs tanh;  NUMBER: 3, 0.5, .5, 1e-3\n"
    "  e.g. --expr 'x^2 + 3*sin(y)',  --expr 'a*(x - 1)^2 + (y + x)^2' --param a=10\n"
    "  gradients are exact (symbolic); log, sqrt or / outside their domain end a run as diverged\n";

constexpr std::string_view kFunctions[] = {"sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh"};
constexpr int kMaxDepth = 200;

// ---- Parsing: text → GiNaC expression, with 1-based character positions in every error. ----

struct Token {
    enum Kind { Number, Name, Op, End } kind = End;
    std::string text;
    double value = 0.0;
    char op = 0;  // + - * / ^ ( )
    std::size_t position = 0;  // 1-based, in characters
};

class Parser {
public:
    Parser(std::string_view text, const ParamOverrides& params) : text_(text), params_(params) {
        x_ = GiNaC::realsymbol("x");
        y_ = GiNaC::realsymbol("y");
        next();
    }

    GiNaC::ex parse() {
        GiNaC::ex e = expr(0);
        if (token_.kind != Token::End) fail(token_.position, "expected an operator or the end (got '" + token_.text + "')");
        for (const auto& [name, value] : params_)
            if (!used_.count(name)) throw std::invalid_argument("expression: parameter '" + name + "' is not used in it");
        return e;
    }
    const GiNaC::realsymbol& x() const { return x_; }
    const GiNaC::realsymbol& y() const { return y_; }

private:
    [[noreturn]] void fail(std::size_t position, const std::string& what) const {
        throw std::invalid_argument("expression: position " + std::to_string(position) + ": " + what);
    }

    // Advances over one UTF-8 character and counts it.
    void advance() {
        ++offset_;
        while (offset_ < text_.size() && (static_cast<unsigned char>(text_[offset_]) & 0xC0) == 0x80) ++offset_;
        ++column_;
    }

    void next() {
        while (offset_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[offset_]))) advance();
        token_ = Token{};
        token_.position = column_;
        if (offset_ >= text_.size()) {
            token_.text = "end";
            return;
        }
        const char c = text_[offset_];
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
            const std::size_t begin = offset_;
            while (offset_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[offset_]))) advance();
            if (offset_ < text_.size() && text_[offset_] == '.') advance();
            while (offset_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[offset_]))) advance();
            // An exponent only if digits follow: "2e" is 2 followed by the name e (an error).
            if (offset_ + 1 < text_.size() && (text_[offset_] == 'e' || text_[offset_] == 'E')) {
                std::size_t look = offset_ + 1;
                if (text_[look] == '+' || text_[look] == '-') ++look;
                if (look < text_.size() && std::isdigit(static_cast<unsigned char>(text_[look]))) {
                    advance();
                    if (text_[offset_] == '+' || text_[offset_] == '-') advance();
                    while (offset_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[offset_]))) advance();
                }
            }
            token_.kind = Token::Number;
            token_.text = std::string(text_.substr(begin, offset_ - begin));
            if (token_.text == ".") fail(token_.position, "a number needs digits");
            token_.value = std::strtod(token_.text.c_str(), nullptr);
            if (!std::isfinite(token_.value)) fail(token_.position, "number out of range");
            return;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            const std::size_t begin = offset_;
            while (offset_ < text_.size() &&
                   (std::isalnum(static_cast<unsigned char>(text_[offset_])) || text_[offset_] == '_'))
                advance();
            token_.kind = Token::Name;
            token_.text = std::string(text_.substr(begin, offset_ - begin));
            return;
        }
        if (text_.substr(offset_, 3) == "\xE2\x88\x92") {  // − (U+2212 minus sign)
            advance();
            token_.kind = Token::Op, token_.op = '-', token_.text = "−";
            return;
        }
        if (std::strchr("+-*/^()", c) != nullptr && c != '\0') {
            advance();
            token_.kind = Token::Op, token_.op = c, token_.text = std::string(1, c);
            return;
        }
        // One whole UTF-8 character for the message.
        const std::size_t begin = offset_;
        advance();
        fail(token_.position, "unexpected character '" + std::string(text_.substr(begin, offset_ - begin)) + "'");
    }

    bool is_op(char op) const { return token_.kind == Token::Op && token_.op == op; }

    void enter(int depth) const {
        if (depth > kMaxDepth) fail(token_.position, "nested too deeply");
    }

    GiNaC::ex expr(int depth) {
        enter(depth);
        GiNaC::ex e = term(depth + 1);
        while (is_op('+') || is_op('-')) {
            const char op = token_.op;
            next();
            const GiNaC::ex rhs = term(depth + 1);
            e = op == '+' ? e + rhs : e - rhs;
        }
        return e;
    }

    GiNaC::ex term(int depth) {
        enter(depth);
        GiNaC::ex e = unary(depth + 1);
        while (is_op('*') || is_op('/')) {
            const char op = token_.op;
            const std::size_t at = token_.position;
            next();
            const GiNaC::ex rhs = unary(depth + 1);
            if (op == '/' && rhs.is_zero()) fail(at, "division by zero");
            e = op == '*' ? e * rhs : e / rhs;
        }
        return e;
    }

    GiNaC::ex unary(int depth) {
        enter(depth);
        if (is_op('-')) {
            next();
            return -unary(depth + 1);
        }
        if (is_op('+')) {
            next();
            return unary(depth + 1);
        }
        return power(depth + 1);
    }

    GiNaC::ex power(int depth) {
        enter(depth);
        const std::size_t at = token_.position;
        GiNaC::ex base = primary(depth + 1);
        if (!is_op('^')) return base;
        next();
        const GiNaC::ex exponent = unary(depth + 1);
        if (base.is_zero() && GiNaC::is_a<GiNaC::numeric>(exponent) && GiNaC::ex_to<GiNaC::numeric>(exponent).is_negative())
            fail(at, "zero to a negative power");
        return GiNaC::pow(base, exponent);
    }

    GiNaC::ex number(double value) const {
        // Whole numbers stay exact (x^2 keeps an integer exponent); others are doubles.
        if (value == std::floor(value) && std::abs(value) < 1e15) return GiNaC::numeric(static_cast<long>(value));
        return GiNaC::numeric(value);
    }

    GiNaC::ex primary(int depth) {
        enter(depth);
        const Token t = token_;
        if (t.kind == Token::Number) {
            next();
            return number(t.value);
        }
        if (t.kind == Token::Name) {
            next();
            if (std::find(std::begin(kFunctions), std::end(kFunctions), t.text) != std::end(kFunctions)) {
                if (!is_op('(')) fail(token_.position, "expected '(' after " + t.text);
                next();
                const GiNaC::ex arg = expr(depth + 1);
                if (!is_op(')')) fail(token_.position, "expected ')' to close " + t.text + "( (got '" + token_.text + "')");
                next();
                return apply(t, arg);
            }
            if (is_op('(')) fail(t.position, "unknown function '" + t.text + "' (known: sin cos tan exp log sqrt abs tanh)");
            if (t.text == "x") return x_;
            if (t.text == "y") return y_;
            if (t.text == "pi") return GiNaC::Pi;
            if (t.text == "e") return GiNaC::exp(GiNaC::ex(1));
            if (const auto it = params_.find(t.text); it != params_.end()) {
                used_.insert(t.text);
                return number(it->second);
            }
            fail(t.position, "unknown name '" + t.text + "' (use x, y, pi, e, or give it with --param " + t.text + "=VALUE)");
        }
        if (is_op('(')) {
            next();
            const GiNaC::ex e = expr(depth + 1);
            if (!is_op(')')) fail(token_.position, "expected ')' (got '" + token_.text + "')");
            next();
            return e;
        }
        fail(t.position, "expected a number, a name or '(' (got '" + t.text + "')");
    }

    GiNaC::ex apply(const Token& f, const GiNaC::ex& a) const {
        try {
            if (f.text == "sin") return GiNaC::sin(a);
            if (f.text == "cos") return GiNaC::cos(a);
            if (f.text == "tan") return GiNaC::tan(a);
            if (f.text == "exp") return GiNaC::exp(a);
            if (f.text == "log") return GiNaC::log(a);
            if (f.text == "sqrt") return GiNaC::sqrt(a);
            if (f.text == "abs") return GiNaC::abs(a);
            return GiNaC::tanh(a);
        } catch (const std::exception&) {  // GiNaC evaluates constants at once: log(0), tan(pi/2)
            fail(f.position, f.text + " is undefined at this constant argument");
        }
    }

    std::string_view text_;
    const ParamOverrides& params_;
    std::set<std::string> used_;
    GiNaC::realsymbol x_, y_;
    std::size_t offset_ = 0, column_ = 1;
    Token token_;
};

// ---- Compiling: f, ∂f/∂x, ∂f/∂y → one register program with shared subexpressions. ----

enum class Op : std::uint8_t {
    Const, Add, Sub, Mul, Div, Neg, Square, Cube, Recip, Sqrt, RSqrt, InvSquare, PowConst, Pow,
    Sin, Cos, Tan, Exp, Log, Abs, Tanh,
};

struct Instruction {
    Op op;
    int dst, a, b;
    double c;
};

constexpr std::size_t kBlock = 128;

class Compiler {
public:
    Compiler(const GiNaC::realsymbol& x, const GiNaC::realsymbol& y) : x_(x), y_(y) {}

    int compile(const GiNaC::ex& e) {
        if (const auto it = cache_.find(e); it != cache_.end()) return it->second;
        const int reg = build(e);
        cache_.emplace(e, reg);
        return reg;
    }
    std::vector<Instruction> code;
    int registers = 2;  // 0: x, 1: y

private:
    int emit(Op op, int a = -1, int b = -1, double c = 0.0) {
        code.push_back({op, registers, a, b, c});
        return registers++;
    }
    int constant_register(double v) { return emit(Op::Const, -1, -1, v); }

    int build(const GiNaC::ex& e) {
        using namespace GiNaC;
        if (e.is_equal(x_)) return 0;
        if (e.is_equal(y_)) return 1;
        if (is_a<numeric>(e)) {
            const numeric& n = ex_to<numeric>(e);
            return constant_register(n.is_real() ? n.to_double() : std::nan(""));
        }
        if (is_a<GiNaC::constant>(e)) return compile(e.evalf());
        if (is_a<add>(e)) {
            int r = compile(e.op(0));
            for (std::size_t i = 1; i < e.nops(); ++i) r = emit(Op::Add, r, compile(e.op(i)));
            return r;
        }
        if (is_a<mul>(e)) {
            // Factors x^(−1) divide (as a/b is written), the rest multiply.
            int numerator = -1;
            std::vector<int> divisors;
            for (std::size_t i = 0; i < e.nops(); ++i) {
                const ex f = e.op(i);
                if (is_a<power>(f) && f.op(1).is_equal(-1)) {
                    divisors.push_back(compile(f.op(0)));
                    continue;
                }
                const int r = compile(f);
                numerator = numerator < 0 ? r : emit(Op::Mul, numerator, r);
            }
            if (numerator < 0) numerator = constant_register(1.0);
            for (int d : divisors) numerator = emit(Op::Div, numerator, d);
            return numerator;
        }
        if (is_a<power>(e)) {
            const int base = compile(e.op(0));
            if (is_a<numeric>(e.op(1)) && ex_to<numeric>(e.op(1)).is_real()) {
                const double p = ex_to<numeric>(e.op(1)).to_double();
                // torch's pow(x, scalar) special cases, so that results agree bit for bit there.
                if (p == 2) return emit(Op::Square, base);
                if (p == 3) return emit(Op::Cube, base);
                if (p == 1) return base;
                if (p == -1) return emit(Op::Recip, base);
                if (p == 0.5) return emit(Op::Sqrt, base);
                if (p == -0.5) return emit(Op::RSqrt, base);
                if (p == -2) return emit(Op::InvSquare, base);
                return emit(Op::PowConst, base, -1, p);
            }
            if (e.op(0).is_equal(exp(ex(1)))) return emit(Op::Exp, compile(e.op(1)));  // e^u
            return emit(Op::Pow, base, compile(e.op(1)));
        }
        if (is_a<function>(e)) {
            const std::string name = ex_to<function>(e).get_name();
            const int a = compile(e.op(0));
            static const std::map<std::string, Op> kOps = {{"sin", Op::Sin}, {"cos", Op::Cos}, {"tan", Op::Tan},
                                                           {"exp", Op::Exp}, {"log", Op::Log}, {"abs", Op::Abs},
                                                           {"tanh", Op::Tanh}};
            if (const auto it = kOps.find(name); it != kOps.end()) return emit(it->second, a);
            throw std::invalid_argument("expression: cannot evaluate " + name + "() (from the derivative)");
        }
        throw std::invalid_argument("expression: cannot evaluate a term of its derivative");
    }

    GiNaC::realsymbol x_, y_;
    std::map<GiNaC::ex, int, GiNaC::ex_is_less> cache_;
};

OPTIVIZ_VECTOR_KERNEL void run_program(const Instruction* code, std::size_t length, double* regs, std::size_t n) {
    for (std::size_t k = 0; k < length; ++k) {
        const Instruction& in = code[k];
        double* __restrict d = regs + static_cast<std::size_t>(in.dst) * kBlock;
        const double* __restrict a = in.a >= 0 ? regs + static_cast<std::size_t>(in.a) * kBlock : nullptr;
        const double* __restrict b = in.b >= 0 ? regs + static_cast<std::size_t>(in.b) * kBlock : nullptr;
        const double c = in.c;
        switch (in.op) {
            case Op::Const: for (std::size_t i = 0; i < n; ++i) d[i] = c; break;
            case Op::Add: for (std::size_t i = 0; i < n; ++i) d[i] = a[i] + b[i]; break;
            case Op::Sub: for (std::size_t i = 0; i < n; ++i) d[i] = a[i] - b[i]; break;
            case Op::Mul: for (std::size_t i = 0; i < n; ++i) d[i] = a[i] * b[i]; break;
            case Op::Div: for (std::size_t i = 0; i < n; ++i) d[i] = a[i] / b[i]; break;
            case Op::Neg: for (std::size_t i = 0; i < n; ++i) d[i] = -a[i]; break;
            case Op::Square: for (std::size_t i = 0; i < n; ++i) d[i] = a[i] * a[i]; break;
            case Op::Cube: for (std::size_t i = 0; i < n; ++i) d[i] = a[i] * a[i] * a[i]; break;
            case Op::Recip: for (std::size_t i = 0; i < n; ++i) d[i] = 1.0 / a[i]; break;
            case Op::Sqrt: for (std::size_t i = 0; i < n; ++i) d[i] = std::sqrt(a[i]); break;
            case Op::RSqrt: for (std::size_t i = 0; i < n; ++i) d[i] = 1.0 / std::sqrt(a[i]); break;
            case Op::InvSquare: for (std::size_t i = 0; i < n; ++i) d[i] = 1.0 / (a[i] * a[i]); break;
            case Op::PowConst: for (std::size_t i = 0; i < n; ++i) d[i] = std::pow(a[i], c); break;
            case Op::Pow: for (std::size_t i = 0; i < n; ++i) d[i] = std::pow(a[i], b[i]); break;
            case Op::Sin: for (std::size_t i = 0; i < n; ++i) d[i] = std::sin(a[i]); break;
            case Op::Cos: for (std::size_t i = 0; i < n; ++i) d[i] = std::cos(a[i]); break;
            case Op::Tan: for (std::size_t i = 0; i < n; ++i) d[i] = std::tan(a[i]); break;
            case Op::Exp: for (std::size_t i = 0; i < n; ++i) d[i] = std::exp(a[i]); break;
            case Op::Log: for (std::size_t i = 0; i < n; ++i) d[i] = std::log(a[i]); break;
            case Op::Abs: for (std::size_t i = 0; i < n; ++i) d[i] = std::abs(a[i]); break;
            case Op::Tanh: for (std::size_t i = 0; i < n; ++i) d[i] = std::tanh(a[i]); break;
        }
    }
}

class ExpressionSurface final : public LossSurface {
public:
    ExpressionSurface(std::string_view text, const ParamOverrides& params) {
        Parser parser(text, params);
        const GiNaC::ex f = parser.parse();
        Compiler compiler(parser.x(), parser.y());
        try {
            f_ = compiler.compile(f);
            gx_ = compiler.compile(f.diff(parser.x()));
            gy_ = compiler.compile(f.diff(parser.y()));
        } catch (const std::invalid_argument&) {
            throw;
        } catch (const std::exception& e) {  // GiNaC's own (a pole while simplifying a derivative)
            throw std::invalid_argument(std::string("expression: ") + e.what());
        }
        code_ = std::move(compiler.code);
        registers_ = compiler.registers;
        find_minima();
    }

    std::string_view name() const override { return "expr"; }

    void evaluate(PointsView p, LossAndGradient out) const override {
        thread_local std::vector<double> regs;
        regs.resize(static_cast<std::size_t>(registers_) * kBlock);
        for (std::size_t begin = 0; begin < p.count; begin += kBlock) {
            const std::size_t n = std::min(kBlock, p.count - begin);
            std::memcpy(regs.data(), p.x + begin, n * sizeof(double));
            std::memcpy(regs.data() + kBlock, p.y + begin, n * sizeof(double));
            run_program(code_.data(), code_.size(), regs.data(), n);
            std::memcpy(out.loss + begin, regs.data() + static_cast<std::size_t>(f_) * kBlock, n * sizeof(double));
            std::memcpy(out.gx + begin, regs.data() + static_cast<std::size_t>(gx_) * kBlock, n * sizeof(double));
            std::memcpy(out.gy + begin, regs.data() + static_cast<std::size_t>(gy_) * kBlock, n * sizeof(double));
        }
    }

    std::vector<Eigen::Vector2d> minima() const override { return minima_; }
    ViewRect default_view() const override { return {-5, 5, -5, 5}; }

private:
    // L-BFGS with strong Wolfe from a grid of starts; kept where the gradient vanishes, the Hessian
    // is positive definite and the point is inside the view (with a margin), one per cluster.
    void find_minima() {
        const ViewRect v = default_view();
        constexpr int kGrid = 16;
        std::vector<double> sx, sy;
        for (int i = 0; i < kGrid; ++i)
            for (int j = 0; j < kGrid; ++j) {
                sx.push_back(v.x_min + (v.x_max - v.x_min) * (i + 0.5) / kGrid);
                sy.push_back(v.y_min + (v.y_max - v.y_min) * (j + 0.5) / kGrid);
            }
        RunConfig config;
        config.optimizer = "lbfgs";
        config.hyper = {{"line_search", 1}, {"history_size", 10}};
        config.steps = 200;
        config.stop.grad_tol = 0;
        const EnsembleResult r = run_ensemble(*this, config, sx, sy, {.threads = 1});
        const double width = v.x_max - v.x_min, margin = 0.25 * width;
        std::vector<std::pair<double, Eigen::Vector2d>> found;
        for (std::size_t i = 0; i < sx.size(); ++i) {
            Eigen::Vector2d p = polish_stationary_point(*this, {r.x[i], r.y[i]});
            const double f = value(p.x(), p.y());
            if (!p.allFinite() || !std::isfinite(f) || p.x() < v.x_min - margin || p.x() > v.x_max + margin ||
                p.y() < v.y_min - margin || p.y() > v.y_max + margin)
                continue;
            if (gradient(p.x(), p.y()).norm() > 1e-6 * std::max(1.0, std::abs(f))) continue;
            const double h = 1e-5 * std::max(1.0, p.norm());
            Eigen::Matrix2d hessian;
            hessian.col(0) = (gradient(p.x() + h, p.y()) - gradient(p.x() - h, p.y())) / (2 * h);
            hessian.col(1) = (gradient(p.x(), p.y() + h) - gradient(p.x(), p.y() - h)) / (2 * h);
            const Eigen::Matrix2d symmetric = 0.5 * (hessian + hessian.transpose());
            if (!symmetric.allFinite() || symmetric.selfadjointView<Eigen::Lower>().eigenvalues().minCoeff() <= 1e-9)
                continue;
            const bool seen = std::any_of(found.begin(), found.end(),
                                          [&](const auto& q) { return (q.second - p).norm() < 1e-3 * width; });
            if (!seen) found.push_back({f, p});
        }
        std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t i = 0; i < found.size() && i < 32; ++i) minima_.push_back(found[i].second);
    }

    std::vector<Instruction> code_;
    int registers_ = 2;
    int f_ = 0, gx_ = 0, gy_ = 0;
    std::vector<Eigen::Vector2d> minima_;
};

}  // namespace

std::string_view expression_grammar() { return kGrammar; }

void validate_expression(std::string_view text, const ParamOverrides& params) { Parser(text, params).parse(); }

std::unique_ptr<LossSurface> make_expression_surface(std::string_view text, const ParamOverrides& params) {
    return std::make_unique<ExpressionSurface>(text, params);
}

}  // namespace optiviz

