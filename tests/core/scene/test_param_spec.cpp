#include "support/catch.h"

#include <limits>

#include "core/optimizers/optimizer.h"
#include "core/surfaces/surface_registry.h"

using namespace optiviz;

TEST_CASE("parameter values are filled, overridden and validated", "[params]") {
    const auto& adam = find_optimizer("adam");
    const ParamValues defaults("adam", adam.params, {});
    CHECK(defaults.get("lr") == 1e-3);
    CHECK(defaults.get("beta2") == 0.999);
    const ParamValues custom("adam", adam.params, {{"lr", 0.5}, {"amsgrad", 1.0}});
    CHECK(custom.get("lr") == 0.5);
    CHECK(custom.flag("amsgrad"));
    CHECK(custom.as_overrides().at("beta1") == 0.9);

    CHECK_THROWS_WITH(ParamValues("adam", adam.params, {{"beta1", 1.0}}), "adam: beta1 must be [0, 1), got 1");
    CHECK_THROWS_WITH(ParamValues("adam", adam.params, {{"lr", -0.1}}), "adam: lr must be >= 0, got -0.1");
    CHECK_THROWS_WITH(ParamValues("adam", adam.params, {{"amsgrad", 0.5}}), Catch::Contains("whole number"));
    CHECK_THROWS_WITH(ParamValues("adam", adam.params, {{"lr", std::numeric_limits<double>::quiet_NaN()}}),
                      Catch::Contains("finite"));
    CHECK_THROWS_WITH(ParamValues("adam", adam.params, {{"momentum", 0.9}}),
                      Catch::StartsWith("adam has no parameter 'momentum' (it takes: lr, beta1"));
}

TEST_CASE("every table is self-consistent", "[params]") {
    auto check_table = [](std::string_view owner, ParamTable table) {
        for (const auto& p : table) {
            INFO(owner << "." << p.name);
            CHECK_NOTHROW(validate_param(owner, p, p.default_value));
            CHECK(p.ui_min <= p.ui_max);
            CHECK_NOTHROW(validate_param(owner, p, p.ui_min));
            CHECK_NOTHROW(validate_param(owner, p, p.ui_max));
            if (p.log_scale) CHECK(p.ui_min > 0);
            CHECK(!p.help.empty());
            CHECK(!p.label.empty());
        }
    };
    for (const auto& o : optimizer_registry()) {
        check_table(o.name, o.params);
        bool has_lr = false;
        for (const auto& p : o.params) has_lr = has_lr || p.name == "lr";
        CHECK(has_lr);
    }
    for (const auto& s : surface_registry()) check_table(s.name, s.params);
}
