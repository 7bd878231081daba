// Your own function: grammar errors with positions, exact gradients, numeric minima, domain errors.
#include "support/catch.h"

#include <cmath>
#include <numbers>

#include "core/expression_surface.h"
#include "core/scene.h"
#include "core/simulation.h"
#include "core/surface_registry.h"

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
    CHECK(message("").find("position 1:") != std::string::npos);
    CHECK(message("−x²").find("position 3: unexpected character '²'") != std::string::npos);  // positions count characters
    CHECK(message(std::string(300, '(') + "x" + std::string(300, ')')).find("nested too deeply") != std::string::npos);
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
        // 1e-13: once, under ASan with the suite running in parallel, one point of 300 differed from the
        // formula by a little more than 1e-14 relative (a value near 0.1 after cancellation).
        CHECK(f[i] == Approx(a * x * x * y + std::sin(x * y) - std::exp(y / 2) + std::pow(r2, 0.75) - std::pow(2.0, -x)).epsilon(1e-13));
        CHECK(gx[i] == Approx(2 * a * x * y + y * std::cos(x * y) + 1.5 * x * std::pow(r2, -0.25) + std::log(2.0) * std::pow(2.0, -x)).epsilon(1e-13));
        CHECK(gy[i] == Approx(a * x * x + x * std::cos(x * y) - 0.5 * std::exp(y / 2) + 1.5 * y * std::pow(r2, -0.25)).epsilon(1e-13));
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
