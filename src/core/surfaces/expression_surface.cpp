#include "core/surfaces/expression_surface.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Eigenvalues>

#include "core/io/limits.h"
#include "core/optimizers/simulation.h"
#include "core/surfaces/surface_registry.h"
#include "core/io/text_escape.h"
#include "core/optimizers/vector_kernel.h"

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
    "  numbers are doubles (9^9^9 is inf); gradients are exact (reverse mode, as PyTorch's autograd);\n"
    "  log, sqrt, / or ^ outside their domain, and overflow, end a run as diverged\n";

constexpr std::string_view kFunctions[] = {"sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh"};

// ---- The tree: nodes in creation order (children before their parent), constants folded. ----

enum class Kind : std::uint8_t { Const, X, Y, Add, Sub, Mul, Div, Neg, Pow, Sin, Cos, Tan, Exp, Log, Sqrt, Abs, Tanh };

struct Node {
    Kind kind = Kind::Const;
    int a = -1, b = -1;  // children (indices of earlier nodes)
    double value = 0.0;  // Const only
};

// One operation on doubles, as the register machine computes it (folding constants the same way).
double fold(Kind kind, double a, double b) {
    switch (kind) {
        case Kind::Add: return a + b;
        case Kind::Sub: return a - b;
        case Kind::Mul: return a * b;
        case Kind::Div: return a / b;
        case Kind::Neg: return -a;
        case Kind::Pow: return std::pow(a, b);
        case Kind::Sin: return std::sin(a);
        case Kind::Cos: return std::cos(a);
        case Kind::Tan: return std::tan(a);
        case Kind::Exp: return std::exp(a);
        case Kind::Log: return std::log(a);
        case Kind::Sqrt: return std::sqrt(a);
        case Kind::Abs: return std::abs(a);
        case Kind::Tanh: return std::tanh(a);
        default: return a;
    }
}

// ---- Parsing: text → tree, with 1-based character positions in every error. ----

struct Token {
    enum Kind { Number, Name, Op, End } kind = End;
    std::string text;
    double value = 0.0;
    char op = 0;  // + - * / ^ ( )
    std::size_t position = 0;  // 1-based, in characters
};

struct Tree {
    std::vector<Node> nodes;
    int root = -1;
};

class Parser {
public:
    Parser(std::string_view text, const ParamOverrides& params) : text_(text), params_(params) {
        if (text.size() > limits::kMaxExpressionBytes)
            throw std::invalid_argument("expression: " + std::to_string(text.size()) + " bytes long; the limit is " +
                                        std::to_string(limits::kMaxExpressionBytes));
        if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
            throw std::invalid_argument("expression: empty; type a function of x and y, e.g. --expr 'x^2 + 3*sin(y)'");
        next();
    }

    Tree parse() {
        tree_.root = expr();
        if (token_.kind != Token::End)
            fail(token_.position, "expected an operator or the end (got '" + shown(token_.text) + "')");
        for (const auto& [name, value] : params_) {
            if (const char* kind = reserved(name))
                throw std::invalid_argument("expression: parameter '" + printable(name) + "' has the name of " + kind +
                                            " (choose another name)");
            if (!used_.count(name))
                throw std::invalid_argument("expression: parameter '" + printable(name) + "' is not used in it");
        }
        return std::move(tree_);
    }

private:
    [[noreturn]] void fail(std::size_t position, const std::string& what) const {
        throw std::invalid_argument("expression: position " + std::to_string(position) + ": " + what);
    }
    static std::string shown(const std::string& text) { return printable(text, 24); }
    // What a parameter's name would shadow, or nullptr.
    static const char* reserved(const std::string& name) {
        if (name == "x" || name == "y") return "a variable";
        if (name == "pi" || name == "e") return "a constant";
        if (std::find(std::begin(kFunctions), std::end(kFunctions), name) != std::end(kFunctions)) return "a function";
        return nullptr;
    }

    // Advances over one UTF-8 character and counts it.
    void advance() {
        ++offset_;
        while (offset_ < text_.size() && (static_cast<unsigned char>(text_[offset_]) & 0xC0) == 0x80) ++offset_;
        ++column_;
    }
    bool digit_at(std::size_t i) const { return i < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i])); }

    void next() {
        while (offset_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[offset_]))) advance();
        token_ = Token{};
        token_.position = column_;
        if (offset_ >= text_.size()) {
            token_.text = "end";
            return;
        }
        const char c = text_[offset_];
        if (digit_at(offset_) || c == '.') {
            const std::size_t begin = offset_;
            while (digit_at(offset_)) advance();
            if (offset_ < text_.size() && text_[offset_] == '.') advance();
            while (digit_at(offset_)) advance();
            // An exponent only if digits follow: "2e" is 2 followed by the name e (an error).
            if (offset_ + 1 < text_.size() && (text_[offset_] == 'e' || text_[offset_] == 'E')) {
                std::size_t look = offset_ + 1;
                if (text_[look] == '+' || text_[look] == '-') ++look;
                if (digit_at(look)) {
                    advance();
                    if (text_[offset_] == '+' || text_[offset_] == '-') advance();
                    while (digit_at(offset_)) advance();
                }
            }
            token_.kind = Token::Number;
            token_.text = std::string(text_.substr(begin, offset_ - begin));
            if (token_.text == ".") fail(token_.position, "a number needs digits");
            token_.value = std::strtod(token_.text.c_str(), nullptr);  // underflow gives 0 or a subnormal: a value
            if (!std::isfinite(token_.value))
                fail(token_.position, "number " + shown(token_.text) + " out of range (the largest is 1.8e308)");
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
        // One whole UTF-8 character for the message, escaped if it is a control or not UTF-8.
        const std::size_t begin = offset_;
        advance();
        fail(token_.position, "unexpected character '" + printable(text_.substr(begin, offset_ - begin), 4) + "'");
    }

    bool is_op(char op) const { return token_.kind == Token::Op && token_.op == op; }

    // Nesting: parentheses, function calls, signs and exponents each go one level deeper.
    struct Deeper {
        explicit Deeper(Parser& p) : parser(p) {
            if (++parser.nesting_ > limits::kMaxExpressionNesting)
                parser.fail(parser.token_.position, "nested more than " + std::to_string(limits::kMaxExpressionNesting) +
                                                        " deep (parentheses, functions, signs and exponents count)");
        }
        ~Deeper() { --parser.nesting_; }
        Deeper(const Deeper&) = delete;
        Deeper& operator=(const Deeper&) = delete;
        Parser& parser;
    };

    int add_node(Node node, std::size_t position) {
        if (static_cast<int>(tree_.nodes.size()) >= limits::kMaxExpressionNodes)
            fail(position, "more than " + std::to_string(limits::kMaxExpressionNodes) +
                               " numbers, names and operations (the limit keeps every step fast)");
        tree_.nodes.push_back(node);
        return static_cast<int>(tree_.nodes.size()) - 1;
    }
    bool constant(int n) const { return tree_.nodes[static_cast<std::size_t>(n)].kind == Kind::Const; }
    double value(int n) const { return tree_.nodes[static_cast<std::size_t>(n)].value; }

    // An operation; on constants only, its value (in doubles, as the machine would compute it).
    int make(Kind kind, int a, int b, std::size_t position) {
        if (constant(a) && (b < 0 || constant(b)))
            return add_node({Kind::Const, -1, -1, fold(kind, value(a), b < 0 ? 0.0 : value(b))}, position);
        return add_node({kind, a, b, 0.0}, position);
    }

    int expr() {
        int e = term();
        while (is_op('+') || is_op('-')) {
            const char op = token_.op;
            const std::size_t at = token_.position;
            next();
            const int rhs = term();
            e = make(op == '+' ? Kind::Add : Kind::Sub, e, rhs, at);
        }
        return e;
    }

    int term() {
        int e = unary();
        while (is_op('*') || is_op('/')) {
            const char op = token_.op;
            const std::size_t at = token_.position;
            next();
            const int rhs = unary();
            if (op == '/' && constant(rhs) && value(rhs) == 0.0) fail(at, "division by zero");
            e = make(op == '*' ? Kind::Mul : Kind::Div, e, rhs, at);
        }
        return e;
    }

    int unary() {
        if (is_op('-') || is_op('+')) {
            const bool minus = is_op('-');
            const std::size_t at = token_.position;
            const Deeper deeper(*this);
            next();
            const int operand = unary();
            return minus ? make(Kind::Neg, operand, -1, at) : operand;
        }
        return power();
    }

    int power() {
        const int base = primary();
        if (!is_op('^')) return base;
        const std::size_t at = token_.position;
        const Deeper deeper(*this);
        next();
        const int exponent = unary();
        if (constant(base) && value(base) == 0.0 && constant(exponent) && value(exponent) < 0)
            fail(at, "zero to a negative power");
        return make(Kind::Pow, base, exponent, at);
    }

    int primary() {
        const Token t = token_;
        if (t.kind == Token::Number) {
            next();
            return add_node({Kind::Const, -1, -1, t.value}, t.position);
        }
        if (t.kind == Token::Name) {
            next();
            if (const auto f = std::find(std::begin(kFunctions), std::end(kFunctions), t.text); f != std::end(kFunctions)) {
                if (!is_op('(')) fail(token_.position, "expected '(' after " + t.text);
                const Deeper deeper(*this);
                next();
                const int arg = expr();
                if (!is_op(')'))
                    fail(token_.position, "expected ')' to close " + t.text + "( (got '" + shown(token_.text) + "')");
                next();
                const auto kind = static_cast<Kind>(static_cast<int>(Kind::Sin) + (f - std::begin(kFunctions)));
                return make(kind, arg, -1, t.position);
            }
            if (is_op('('))
                fail(t.position, "unknown function '" + shown(t.text) + "' (known: sin cos tan exp log sqrt abs tanh)");
            if (t.text == "x") return add_node({Kind::X, -1, -1, 0.0}, t.position);
            if (t.text == "y") return add_node({Kind::Y, -1, -1, 0.0}, t.position);
            if (t.text == "pi") return add_node({Kind::Const, -1, -1, 3.141592653589793}, t.position);
            if (t.text == "e") return add_node({Kind::Const, -1, -1, 2.718281828459045}, t.position);
            if (const auto it = params_.find(t.text); it != params_.end()) {
                used_.insert(t.text);
                return add_node({Kind::Const, -1, -1, it->second}, t.position);
            }
            fail(t.position, "unknown name '" + shown(t.text) + "' (use x, y, pi, e, or give it with --param " +
                                 shown(t.text) + "=VALUE)");
        }
        if (is_op('(')) {
            const Deeper deeper(*this);
            next();
            const int e = expr();
            if (!is_op(')')) fail(token_.position, "expected ')' (got '" + shown(token_.text) + "')");
            next();
            return e;
        }
        fail(t.position, "expected a number, a name or '(' (got '" + shown(t.text) + "')");
    }

    std::string_view text_;
    const ParamOverrides& params_;
    std::set<std::string> used_;
    std::size_t offset_ = 0, column_ = 1;
    int nesting_ = 0;
    Token token_;
    Tree tree_;
};

// ---- Compiling: f and its gradient by reverse mode → one register program. ----
//
// The backward formulas and their order of operations are PyTorch autograd's (derivatives.yaml,
// FunctionsManual.cpp), and adjoints flow from the last-created operation to the first, as torch's
// engine runs them; a variable used several times sums its contributions in that order. So a run
// on a typed function follows torch's trajectory to the last bits (tests/reference/expr_*.csv).

enum class Op : std::uint8_t {
    Const, Add, Sub, Mul, Div, Neg, Square, Cube, Recip, Sqrt, RSqrt, InvSquare, PowConst, Pow,
    Sin, Cos, Tan, Exp, Log, Abs, Tanh,
    Sign,         // sgn(a): abs's derivative
    PowBaseGrad,  // e == 0 ? 0 : a * (e * pow(b, e - 1)): g, base, exponent (torch's pow_backward_self)
    PowExpGrad,   // (b == 0 && e >= 0) ? 0 : a * log(b): result, base, exponent (pow_backward_exponent)
    TanhGrad,     // a * (1 - b * b): g, result (tanh_backward)
};

struct Instruction {
    Op op;
    int dst, a, b, e;
    double c;
};

constexpr std::size_t kBlock = 128;

struct Program {
    std::vector<Instruction> code;
    int registers = 2;  // 0: x, 1: y
    int f = 0, gx = 0, gy = 0;
};

class Compiler {
public:
    explicit Compiler(const Tree& tree) : nodes_(tree.nodes), value_(tree.nodes.size(), -1), adjoint_(tree.nodes.size(), kNone) {}

    Program compile(int root) {
        std::vector<bool> reached(nodes_.size(), false);
        reached[static_cast<std::size_t>(root)] = true;
        for (int i = root; i >= 0; --i) {
            if (!reached[static_cast<std::size_t>(i)]) continue;
            const Node& n = node(i);
            if (n.a >= 0) reached[static_cast<std::size_t>(n.a)] = true;
            if (n.b >= 0) reached[static_cast<std::size_t>(n.b)] = true;
        }
        for (int i = 0; i <= root; ++i)
            if (reached[static_cast<std::size_t>(i)]) value_[static_cast<std::size_t>(i)] = forward(node(i));
        if (node(root).kind != Kind::Const) adjoint_[static_cast<std::size_t>(root)] = kOne;
        for (int i = root; i >= 0; --i) {
            const Kind k = node(i).kind;
            if (reached[static_cast<std::size_t>(i)] && k != Kind::Const && k != Kind::X && k != Kind::Y &&
                adjoint_[static_cast<std::size_t>(i)] != kNone)
                backward(i);
        }
        program_.f = value_[static_cast<std::size_t>(root)];
        program_.gx = materialize(adjoint_x_);
        program_.gy = materialize(adjoint_y_);
        allocate_registers();
        return std::move(program_);
    }

private:
    static constexpr int kNone = -1, kOne = -2;  // no adjoint yet; the root's adjoint, 1

    const Node& node(int i) const { return nodes_[static_cast<std::size_t>(i)]; }
    int value(int i) const { return value_[static_cast<std::size_t>(i)]; }

    int emit(Op op, int a = -1, int b = -1, int e = -1, double c = 0.0) {
        program_.code.push_back({op, program_.registers, a, b, e, c});
        return program_.registers++;
    }
    int constant(double v) {
        const auto [it, fresh] = constants_.try_emplace(std::bit_cast<std::uint64_t>(v), -1);
        if (fresh) it->second = emit(Op::Const, -1, -1, -1, v);
        return it->second;
    }
    int materialize(int adjoint) { return adjoint == kNone ? constant(0.0) : adjoint == kOne ? constant(1.0) : adjoint; }

    // torch's pow(tensor, scalar): special cases first (at::pow and pow_tensor_scalar_kernel).
    int pow_const(int base, double p) {
        if (p == 0) return constant(1.0);
        if (p == 1) return base;
        if (p == 2) return emit(Op::Square, base);
        if (p == 3) return emit(Op::Cube, base);
        if (p == -1) return emit(Op::Recip, base);
        if (p == 0.5) return emit(Op::Sqrt, base);
        if (p == -0.5) return emit(Op::RSqrt, base);
        if (p == -2) return emit(Op::InvSquare, base);
        return emit(Op::PowConst, base, -1, -1, p);
    }

    int forward(const Node& n) {
        switch (n.kind) {
            case Kind::Const: return constant(n.value);
            case Kind::X: return 0;
            case Kind::Y: return 1;
            case Kind::Add: return emit(Op::Add, value(n.a), value(n.b));
            case Kind::Sub: return emit(Op::Sub, value(n.a), value(n.b));
            case Kind::Mul: return emit(Op::Mul, value(n.a), value(n.b));
            case Kind::Div: return emit(Op::Div, value(n.a), value(n.b));
            case Kind::Neg: return emit(Op::Neg, value(n.a));
            case Kind::Pow:
                if (node(n.b).kind == Kind::Const) return pow_const(value(n.a), node(n.b).value);
                return emit(Op::Pow, value(n.a), value(n.b));
            default: {
                constexpr Op kOps[] = {Op::Sin, Op::Cos, Op::Tan, Op::Exp, Op::Log, Op::Sqrt, Op::Abs, Op::Tanh};
                return emit(kOps[static_cast<int>(n.kind) - static_cast<int>(Kind::Sin)], value(n.a));
            }
        }
    }

    int times(int g, int t) { return g == kOne ? t : emit(Op::Mul, g, t); }  // grad * t; 1 * t is t exactly
    int negated(int g) { return g == kOne ? constant(-1.0) : emit(Op::Neg, g); }

    void accumulate(int child, int contribution) {
        if (node(child).kind == Kind::Const) return;
        int& target = node(child).kind == Kind::X   ? adjoint_x_
                      : node(child).kind == Kind::Y ? adjoint_y_
                                                    : adjoint_[static_cast<std::size_t>(child)];
        target = target == kNone ? contribution : emit(Op::Add, materialize(target), materialize(contribution));
    }

    void backward(int i) {
        const Node& n = node(i);
        const int g = adjoint_[static_cast<std::size_t>(i)], r = value(i);
        const bool a_varies = n.a >= 0 && node(n.a).kind != Kind::Const;
        const bool b_varies = n.b >= 0 && node(n.b).kind != Kind::Const;
        switch (n.kind) {
            case Kind::Add:
                accumulate(n.a, g);
                accumulate(n.b, g);
                break;
            case Kind::Sub:
                accumulate(n.a, g);
                if (b_varies) accumulate(n.b, negated(g));
                break;
            case Kind::Mul:  // grad * other
                if (a_varies) accumulate(n.a, times(g, value(n.b)));
                if (b_varies) accumulate(n.b, times(g, value(n.a)));
                break;
            case Kind::Div:  // grad / other;  -grad * ((self / other) / other)
                if (a_varies) accumulate(n.a, emit(Op::Div, materialize(g), value(n.b)));
                if (b_varies) accumulate(n.b, times(negated(g), emit(Op::Div, r, value(n.b))));
                break;
            case Kind::Neg: accumulate(n.a, negated(g)); break;
            case Kind::Pow:
                if (node(n.b).kind == Kind::Const) {  // grad * (exponent * self.pow(exponent - 1)); 0 if exponent is 0
                    const double p = node(n.b).value;
                    accumulate(n.a, p == 0 ? constant(0.0) : times(g, emit(Op::Mul, pow_const(value(n.a), p - 1), constant(p))));
                    break;
                }
                if (a_varies) accumulate(n.a, emit(Op::PowBaseGrad, materialize(g), value(n.a), value(n.b)));
                accumulate(n.b, times(g, emit(Op::PowExpGrad, r, value(n.a), value(n.b))));
                break;
            case Kind::Sin: accumulate(n.a, times(g, emit(Op::Cos, value(n.a)))); break;
            case Kind::Cos: accumulate(n.a, times(g, emit(Op::Neg, emit(Op::Sin, value(n.a))))); break;
            case Kind::Tan: accumulate(n.a, times(g, emit(Op::Add, emit(Op::Square, r), constant(1.0)))); break;
            case Kind::Exp: accumulate(n.a, times(g, r)); break;
            case Kind::Log: accumulate(n.a, emit(Op::Div, materialize(g), value(n.a))); break;
            case Kind::Sqrt: accumulate(n.a, emit(Op::Div, materialize(g), emit(Op::Mul, r, constant(2.0)))); break;
            case Kind::Abs: accumulate(n.a, times(g, emit(Op::Sign, value(n.a)))); break;
            case Kind::Tanh: accumulate(n.a, emit(Op::TanhGrad, materialize(g), r)); break;
            default: break;
        }
    }

    // Virtual registers (one per instruction) → few physical ones: a register is reused after its last
    // read, never as an operand of the instruction that writes it (the kernels' pointers are restrict).
    void allocate_registers() {
        auto& code = program_.code;
        const int virtual_count = program_.registers;
        std::vector<int> last_read(static_cast<std::size_t>(virtual_count), -1);
        for (int k = 0; k < static_cast<int>(code.size()); ++k)
            for (int operand : {code[static_cast<std::size_t>(k)].a, code[static_cast<std::size_t>(k)].b,
                                code[static_cast<std::size_t>(k)].e})
                if (operand >= 0) last_read[static_cast<std::size_t>(operand)] = k;
        for (int kept : {0, 1, program_.f, program_.gx, program_.gy}) last_read[static_cast<std::size_t>(kept)] = INT32_MAX;
        std::vector<int> physical(static_cast<std::size_t>(virtual_count), -1), free;
        physical[0] = 0, physical[1] = 1;
        int used = 2;
        for (int k = 0; k < static_cast<int>(code.size()); ++k) {
            Instruction& in = code[static_cast<std::size_t>(k)];
            const int virtual_dst = in.dst;
            if (free.empty()) free.push_back(used++);
            physical[static_cast<std::size_t>(virtual_dst)] = free.back();
            free.pop_back();
            for (int* operand : {&in.a, &in.b, &in.e}) {
                if (*operand < 0) continue;
                const int v = *operand;
                *operand = physical[static_cast<std::size_t>(v)];
                if (last_read[static_cast<std::size_t>(v)] == k) {
                    free.push_back(physical[static_cast<std::size_t>(v)]);
                    last_read[static_cast<std::size_t>(v)] = -2;  // freed once even if read twice here
                }
            }
            in.dst = physical[static_cast<std::size_t>(virtual_dst)];
            if (last_read[static_cast<std::size_t>(virtual_dst)] == -1) free.push_back(in.dst);  // never read
        }
        program_.f = physical[static_cast<std::size_t>(program_.f)];
        program_.gx = physical[static_cast<std::size_t>(program_.gx)];
        program_.gy = physical[static_cast<std::size_t>(program_.gy)];
        program_.registers = used;
    }

    const std::vector<Node>& nodes_;
    std::vector<int> value_, adjoint_;
    int adjoint_x_ = kNone, adjoint_y_ = kNone;
    std::map<std::uint64_t, int> constants_;
    Program program_;
};

OPTIVIZ_VECTOR_KERNEL void run_program(const Instruction* code, std::size_t length, double* regs, std::size_t n) {
    for (std::size_t k = 0; k < length; ++k) {
        const Instruction& in = code[k];
        const auto reg = [regs](int r) { return r >= 0 ? regs + static_cast<std::size_t>(r) * kBlock : nullptr; };
        double* __restrict d = regs + static_cast<std::size_t>(in.dst) * kBlock;
        const double* a = reg(in.a);
        const double* b = reg(in.b);
        const double* e = reg(in.e);
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
            case Op::Sign:
                for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<double>((0.0 < a[i]) - (a[i] < 0.0));
                break;
            case Op::PowBaseGrad:
                for (std::size_t i = 0; i < n; ++i) d[i] = e[i] == 0.0 ? 0.0 : a[i] * (e[i] * std::pow(b[i], e[i] - 1.0));
                break;
            case Op::PowExpGrad:
                for (std::size_t i = 0; i < n; ++i) d[i] = b[i] == 0.0 && e[i] >= 0.0 ? 0.0 : a[i] * std::log(b[i]);
                break;
            case Op::TanhGrad: for (std::size_t i = 0; i < n; ++i) d[i] = a[i] * (1.0 - b[i] * b[i]); break;
        }
    }
}

class ExpressionSurface final : public LossSurface {
public:
    ExpressionSurface(std::string_view text, const ParamOverrides& params, bool search_minima) {
        const Tree tree = Parser(text, params).parse();
        Program program = Compiler(tree).compile(tree.root);
        node_count_ = tree.nodes.size();
        code_ = std::move(program.code);
        registers_ = program.registers;
        f_ = program.f, gx_ = program.gx, gy_ = program.gy;
        if (search_minima) find_minima();
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

    // Measured: a 1000-node expression (1002 instructions) takes about 200 ns a particle-step, the
    // slowest built-in surface about 30 ns, so about 128 instructions cost one built-in evaluation;
    // an expression shorter than that costs as much as one.
    EvaluationCost evaluation_cost() const override {
        constexpr double kBuiltinInstructions = 128;
        const double factor = std::max(1.0, static_cast<double>(code_.size()) / kBuiltinInstructions);
        if (factor == 1.0) return {};
        return {factor, "a " + std::to_string(node_count_) + "-node expression (" + std::to_string(code_.size()) +
                            " instructions per point)"};
    }

private:
    // L-BFGS with strong Wolfe from a grid of starts; kept where the gradient vanishes, the Hessian
    // is positive definite and the point is inside the view (with a margin), one per cluster.
    // The search's work at worst: starts × (steps × 25 line-search evaluations + 260 for the polish) ×
    // instructions. A long program gets fewer steps, then fewer starts, so that building any accepted
    // expression takes a few seconds at most (a 1000-node expression of tan and ^, where the line
    // search uses all its evaluations, took 35 s with the full search).
    void find_minima() {
        const ViewRect v = default_view();
        const auto work = [&](int grid, long steps) {
            return grid * grid * (static_cast<double>(steps) * 25.0 + 260.0) * static_cast<double>(code_.size());
        };
        const double budget = 16.0 * 16.0 * (200.0 * 25.0 + 260.0) * 50.0;  // the full search up to 50 instructions
        int grid = 16;
        long steps = 200;
        while (work(grid, steps) > budget && steps >= 20) steps /= 2;
        while (work(grid, steps) > budget && grid > 4) grid /= 2;
        std::vector<double> sx, sy;
        for (int i = 0; i < grid; ++i)
            for (int j = 0; j < grid; ++j) {
                sx.push_back(v.x_min + (v.x_max - v.x_min) * (i + 0.5) / grid);
                sy.push_back(v.y_min + (v.y_max - v.y_min) * (j + 0.5) / grid);
            }
        RunConfig config;
        config.optimizer = "lbfgs";
        config.hyper = {{"line_search", 1}, {"history_size", 10}};
        config.steps = steps;
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
    std::size_t node_count_ = 0;
};

}  // namespace

std::string_view expression_grammar() { return kGrammar; }

void validate_expression(std::string_view text, const ParamOverrides& params) { (void)Parser(text, params).parse(); }

std::unique_ptr<LossSurface> make_expression_surface(std::string_view text, const ParamOverrides& params) {
    return std::make_unique<ExpressionSurface>(text, params, true);
}

std::unique_ptr<LossSurface> make_expression_surface_without_minima(std::string_view text, const ParamOverrides& params) {
    return std::make_unique<ExpressionSurface>(text, params, false);
}

}  // namespace optiviz

