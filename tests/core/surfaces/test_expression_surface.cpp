// Your own function: grammar errors with positions, exact gradients, numeric minima, domain errors.
#include "support/catch.h"

#include <cmath>
#include <numbers>
#include <string>

#include "core/surfaces/expression_surface.h"
#include "core/io/limits.h"
#include "core/scene/scene.h"
#include "core/optimizers/simulation.h"
#include "core/surfaces/surface_registry.h"

using namespace optiviz;

TEST_CASE("expression errors name the position, one line", "[expression]") {
    auto message = [](const std::string& text, const ParamOverrides& params = {}) {
        try {
            validate_expression(text, params);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("x^2 + 3*)") == "expression: position 9: expected a number, a name or '(' (got ')')");
    CHECK(message("x^2 + 3*sin(y") == "expression: position 14: expected ')' to close sin( (got 'end')");
    CHECK(message("x + z") == "expression: position 5: unknown name 'z' (use x, y, pi, e, or give it with --param z=VALUE)");
    CHECK(message("foo(x)").find("position 1: unknown function 'foo'") != std::string::npos);
    CHECK(message("2x").find("position 2: expected an operator") != std::string::npos);
    CHECK(message("x # y").find("position 3: unexpected character '#'") != std::string::npos);
    CHECK(message("(x + y").find("position 7: expected ')'") != std::string::npos);
    CHECK(message("x/0").find("position 2: division by zero") != std::string::npos);
    CHECK(message("") == "expression: empty; type a function of x and y, e.g. --expr 'x^2 + 3*sin(y)'");
    CHECK(message(" \t").find("expression: empty;") == 0);
    CHECK(message("(").find("position 2:") != std::string::npos);
    CHECK(message("−x²").find("position 3: unexpected character '²'") != std::string::npos);  // positions count characters
    CHECK(message(std::string(300, '(') + "x" + std::string(300, ')')).find("nested more than 64 deep") != std::string::npos);
    CHECK(message("a*x", {{"a", 1}, {"b", 2}}) == "expression: parameter 'b' is not used in it");
    CHECK(message("a*x^2 + y^2 - pi*e", {{"a", 2}}) == "no error");
    for (const char* good : {"x^2 + 3*sin(y)", "-x^2", "2^-x + .5e1*y", "sqrt(abs(x)) + tanh(y) - log(exp(x))",
                                    "x−y", "1e-3*x^y^2"})
        CHECK(message(good) == "no error");
}

TEST_CASE("an expression evaluates its value and exact gradient over a batch", "[expression]") {
    const auto s = make_surface("expr", {{"a", 3}}, nullptr, "a*x^2*y + sin(x*y) - exp(y/2) + (x^2+y^2)^0.75 - 2^-x");
    const double a = 3;
    std::vector<double> xs, ys;
    for (int i = 0; i < 300; ++i) {  // more than one block of the register machine
        xs.push_back(-2.0 + 0.013 * i);
        ys.push_back(1.5 - 0.011 * i);
    }
    std::vector<double> f(xs.size()), gx(xs.size()), gy(xs.size());
    s->evaluate({xs.size(), xs.data(), ys.data()}, {f.data(), gx.data(), gy.data()});
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double x = xs[i], y = ys[i], r2 = x * x + y * y;
        // 1e-13 relative, or 1e-14 absolute where terms of size ~10 cancel (the expression sums its terms in
        // the order they are written, this formula in another; one point of 300 comes out near 0.003).
        CHECK(f[i] == Approx(a * x * x * y + std::sin(x * y) - std::exp(y / 2) + std::pow(r2, 0.75) - std::pow(2.0, -x)).epsilon(1e-13).margin(1e-14));
        CHECK(gx[i] == Approx(2 * a * x * y + y * std::cos(x * y) + 1.5 * x * std::pow(r2, -0.25) + std::log(2.0) * std::pow(2.0, -x)).epsilon(1e-13).margin(1e-14));
        CHECK(gy[i] == Approx(a * x * x + x * std::cos(x * y) - 0.5 * std::exp(y / 2) + 1.5 * y * std::pow(r2, -0.25)).epsilon(1e-13).margin(1e-14));
    }
    CHECK_THROWS_WITH(make_surface("rosenbrock", {}, nullptr, "x"), Catch::Contains("takes no expression"));
}

TEST_CASE("an expression's minima are found numerically, global first", "[expression]") {
    const auto s = make_surface("expr", {}, nullptr, "x^2 + 3*sin(y)");
    const auto minima = s->minima();
    // In the view [-5, 5]²: sin(y) = −1 at y = −π/2 and 3π/2; both are global.
    REQUIRE(minima.size() == 2);
    for (const auto& m : minima) {
        CHECK(std::abs(m.x()) < 1e-8);
        CHECK(std::sin(m.y()) == Approx(-1.0).epsilon(1e-12));
    }
    const auto camel = make_surface("expr", {}, nullptr, "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2");
    const auto builtin = make_surface("six_hump_camel", {});
    const auto found = camel->minima();
    CHECK(found.size() == 6);  // the six humps' minima
    CHECK(camel->value(found[0].x(), found[0].y()) == Approx(-1.0316284534898774).epsilon(1e-10));
    CHECK(make_surface("expr", {}, nullptr, "x + y")->minima().empty());
}

TEST_CASE("domain errors end a run as diverged, never as garbage rows", "[expression]") {
    const auto s = make_surface("expr", {}, nullptr, "log(x) + y^2");
    RunConfig c;
    c.hyper = {{"lr", 0.5}};
    c.steps = 10;
    const Trajectory t = run_trajectory(*s, c, {1.0, 1.0});
    CHECK(t.outcome == Outcome::Diverged);
    CHECK(t.size() == 2);  // (1, 1) and (0.5, 0); the next point has x < 0
    for (double v : t.loss) CHECK(std::isfinite(v));
}

TEST_CASE("scenes save the expression", "[expression][scene]") {
    Scene scene = default_scene();
    scene.surface = "expr";
    scene.expression = "a*x^2 + 3*sin(y)";
    scene.surface_params = {{"a", 2.0}};
    const Scene back = scene_from_json(scene_to_json(scene), "s.json");
    CHECK(back.surface == "expr");
    CHECK(back.expression == "a*x^2 + 3*sin(y)");
    CHECK(back.surface_params.at("a") == 2.0);
    scene.expression = "a*x^2 +";
    CHECK_THROWS_WITH(validate_scene(scene), Catch::Contains("position 8"));
}

namespace {

struct Sample {
    double f, gx, gy;
};

Sample sample(const LossSurface& s, double x, double y) {
    Sample out{};
    s.evaluate({1, &x, &y}, {&out.f, &out.gx, &out.gy});
    return out;
}

std::string expression_error(const std::string& text, const ParamOverrides& params = {}) {
    try {
        validate_expression(text, params);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("numbers are doubles: huge powers overflow, tiny ones underflow, 0^x is a value", "[expression]") {
    // Each once hung or was refused with a library's message (issue 27).
    const auto huge = make_surface("expr", {}, nullptr, "9^9^9");
    CHECK(sample(*huge, 0.5, 0.5).f == HUGE_VAL);
    CHECK(sample(*make_surface("expr", {}, nullptr, "2^1e300+x"), 0.5, 0.5).f == HUGE_VAL);  // not 1
    const Sample tiny = sample(*make_surface("expr", {}, nullptr, "x*1e-320+y"), 0.5, 0.25);
    CHECK(tiny.f == 0.25 + 0.5 * 1e-320);
    CHECK(tiny.gx == 1e-320);  // a subnormal gradient, exactly
    CHECK(tiny.gy == 1.0);
    const Sample under = sample(*make_surface("expr", {}, nullptr, "2^-1e308+x"), 0.5, 0.5);
    CHECK(under.f == 0.5);
    CHECK(under.gx == 1.0);
    const auto zero_base = make_surface("expr", {}, nullptr, "0^x+y");
    const Sample positive = sample(*zero_base, 0.5, 2.0);
    CHECK(positive.f == 2.0);
    CHECK(positive.gx == 0.0);  // torch: the exponent's gradient is 0 where the base is 0 and exponent >= 0
    CHECK(positive.gy == 1.0);
    CHECK(sample(*zero_base, 0.0, 2.0).f == 3.0);  // 0^0 = 1
    CHECK(sample(*zero_base, -0.5, 2.0).f == HUGE_VAL);
    RunConfig c;
    c.hyper = {{"lr", 0.1}};
    c.steps = 5;
    CHECK(run_trajectory(*make_surface("expr", {}, nullptr, "2^1e300+x"), c, {0.5, 0.5}).outcome == Outcome::Diverged);
    CHECK(run_trajectory(*zero_base, c, {-0.5, 0.5}).outcome == Outcome::Diverged);
}

TEST_CASE("a product of thirty factors is evaluated, not expanded", "[expression]") {
    std::string text = "(x+1)";
    for (int k = 2; k <= 30; ++k) text += "*(x+" + std::to_string(k) + ")";
    const auto s = make_surface("expr", {}, nullptr, text + "+y");
    const double x = -0.3;
    double product = x + 1, derivative = 0;
    for (int k = 2; k <= 30; ++k) product = product * (x + k);
    for (int i = 1; i <= 30; ++i) {
        double others = 1;
        for (int k = 1; k <= 30; ++k)
            if (k != i) others *= x + k;
        derivative += others;
    }
    const Sample got = sample(*s, x, 0.0);
    CHECK(got.f == product);  // the same multiplications in the same order
    CHECK(got.gx == Approx(derivative).epsilon(1e-12));
    CHECK(got.gy == 1.0);
}

TEST_CASE("every operation's gradient is the derivative", "[expression]") {
    struct Case {
        const char* text;
        double (*gx)(double, double);
        double (*gy)(double, double);
    };
    const Case cases[] = {
        {"sin(x)*cos(y)", [](double x, double y) { return std::cos(x) * std::cos(y); },
         [](double x, double y) { return -std::sin(x) * std::sin(y); }},
        {"tan(x) + exp(y)", [](double x, double) { return 1 + std::tan(x) * std::tan(x); },
         [](double, double y) { return std::exp(y); }},
        {"log(x) - sqrt(y)", [](double x, double) { return 1 / x; }, [](double, double y) { return -0.5 / std::sqrt(y); }},
        {"abs(x - 1) + tanh(y)", [](double x, double) { return x > 1 ? 1.0 : -1.0; },
         [](double, double y) { return 1 - std::tanh(y) * std::tanh(y); }},
        {"x / y", [](double, double y) { return 1 / y; }, [](double x, double y) { return -x / (y * y); }},
        {"x ^ y", [](double x, double y) { return y * std::pow(x, y - 1); },
         [](double x, double y) { return std::pow(x, y) * std::log(x); }},
        {"-x^3 + y^-2 + x^0.5 + y^1.5 - x^-0.5", [](double x, double) { return -3 * x * x + 0.5 / std::sqrt(x) + 0.5 * std::pow(x, -1.5); },
         [](double, double y) { return -2 / (y * y * y) + 1.5 * std::sqrt(y); }},
        {"x*x*y - y*x + x^0 + 3^x", [](double x, double y) { return 2 * x * y - y + std::log(3.0) * std::pow(3.0, x); },
         [](double x, double) { return x * x - x; }},
        {"(x - y)^-1 + 1/(x + y)", [](double x, double y) { return -1 / ((x - y) * (x - y)) - 1 / ((x + y) * (x + y)); },
         [](double x, double y) { return 1 / ((x - y) * (x - y)) - 1 / ((x + y) * (x + y)); }},
    };
    for (const Case& c : cases) {
        const auto s = make_surface("expr", {}, nullptr, c.text);
        for (const auto& [x, y] : {std::pair{0.7, 1.3}, std::pair{1.9, 0.4}, std::pair{2.6, 2.2}}) {
            INFO(c.text << " at (" << x << ", " << y << ")");
            const Sample got = sample(*s, x, y);
            CHECK(got.gx == Approx(c.gx(x, y)).epsilon(1e-13));
            CHECK(got.gy == Approx(c.gy(x, y)).epsilon(1e-13));
        }
    }
}

TEST_CASE("expressions are bounded: length, size, nesting, each refused with one line", "[expression]") {
    std::string long_text = "x";
    while (long_text.size() <= limits::kMaxExpressionBytes) long_text += " + y";
    CHECK(expression_error(long_text) ==
          "expression: " + std::to_string(long_text.size()) + " bytes long; the limit is " +
              std::to_string(limits::kMaxExpressionBytes));
    std::string big = "x";
    for (int k = 0; k < 600; ++k) big += "+x";  // 1201 nodes in 1201 characters
    const std::string big_error = expression_error(big);
    CHECK(big_error.find("expression: position ") == 0);
    CHECK(big_error.find("more than 1000 numbers, names and operations") != std::string::npos);
    std::string fits = "x";
    for (int k = 0; k < 499; ++k) fits += "+x";  // 999 nodes
    CHECK(expression_error(fits) == "no error");
    const auto nested = [](int depth) { return std::string(static_cast<std::size_t>(depth), '(') + "x" + std::string(static_cast<std::size_t>(depth), ')'); };
    CHECK(expression_error(nested(limits::kMaxExpressionNesting)) == "no error");
    CHECK(expression_error(nested(limits::kMaxExpressionNesting + 1)) ==
          "expression: position 65: nested more than 64 deep (parentheses, functions, signs and exponents count)");
    CHECK(expression_error(std::string(65, '-') + "x").find("position 65: nested more than 64 deep") != std::string::npos);
    std::string tower = "x";
    for (int k = 0; k < 70; ++k) tower += "^x";
    CHECK(expression_error(tower).find("nested more than 64 deep") != std::string::npos);
}

TEST_CASE("expression messages escape control bytes and invalid UTF-8 and name clashing parameters", "[expression]") {
    const std::string escape = expression_error("x + \x1b[31my");
    CHECK(escape == "expression: position 5: unexpected character '\\x1B'");
    const std::string invalid = expression_error("x + \xff");
    CHECK(invalid == "expression: position 5: unexpected character '\\xFF'");
    CHECK(expression_error("x + \n y") == "no error");  // white space, not a character to quote
    CHECK(expression_error("e*x", {{"e", 2}}) == "expression: parameter 'e' has the name of a constant (choose another name)");
    CHECK(expression_error("x", {{"sin", 2}}) == "expression: parameter 'sin' has the name of a function (choose another name)");
    CHECK(expression_error("1e999*x") == "expression: position 1: number 1e999 out of range (the largest is 1.8e308)");
    CHECK(expression_error(std::string(300, '7') + "*x + )").find("(got ')')") != std::string::npos);
}
