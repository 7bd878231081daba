#include "support/catch.h"

#include <algorithm>
#include <memory>
#include <set>

#include "core/optimizers/minibatch_sampler.h"
#include "core/surfaces/mse_surface.h"

using namespace optiviz;

TEST_CASE("dataset CSV parsing", "[dataset]") {
    const Dataset d = parse_dataset_csv("x,y\r\n1, 2\n\n-3.5,+4e1\n", "mem.csv");
    REQUIRE(d.size() == 2);
    CHECK(d.x[1] == -3.5);
    CHECK(d.y[1] == 40.0);
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n3,abc\n", "d.csv"), "d.csv:3:3: 'abc' is not a number");
    CHECK_THROWS_WITH(parse_dataset_csv("a,b\n1,2\n", "d.csv"), "d.csv:1: no column 'x' (columns: a, b)");
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n3\n", "d.csv"), "d.csv:3: expected 2 fields, found 1");
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,2\n", "d.csv"), Catch::Contains("at least 2 data rows"));
    CHECK_THROWS_WITH(parse_dataset_csv("", "d.csv"), Catch::Contains("empty file"));
    // Columns by name or number; the header is optional.
    const Dataset named = parse_dataset_csv("id,height,weight\n1,170,65\n2,180,80\n", "p.csv", {"height", "weight"});
    CHECK(named.x == std::vector<double>{170, 180});
    CHECK(named.y == std::vector<double>{65, 80});
    const Dataset numbered = parse_dataset_csv("id,height,weight\n1,170,65\n2,180,80\n", "p.csv", {"3", "2"});
    CHECK(numbered.x == std::vector<double>{65, 80});
    const Dataset headerless = parse_dataset_csv("1,2\n3,4\n", "h.csv");
    CHECK(headerless.x == std::vector<double>{1, 3});
    CHECK(parse_dataset_csv("5,1,2\n6,3,4\n", "h.csv", {"3", "1"}).y == std::vector<double>{5, 6});
    CHECK_THROWS_WITH(parse_dataset_csv("1,2\n3,4\n", "h.csv", {"height", "y"}),
                      "h.csv:1: no column 'height' (the file has no header: use column numbers)");
    CHECK_THROWS_WITH(parse_dataset_csv("a,b,c\n1,2,3\n4,5\n", "p.csv", {"a", "c"}), "p.csv:3: expected 3 fields, found 2");
    CHECK_THROWS_WITH(load_dataset_csv("/nonexistent/file.csv"), "/nonexistent/file.csv: cannot open data file (No such file or directory)");
    CHECK_THROWS_WITH(parse_dataset_csv("x,y\n1,inf\n2,3\n", "d.csv"), Catch::Contains("not a finite number"));
}

TEST_CASE("synthetic datasets are reproducible and follow their spec", "[dataset]") {
    SyntheticDatasetSpec spec;
    spec.rows = 2000;
    spec.noise = 0.1;
    const Dataset a = make_synthetic_dataset(spec), b = make_synthetic_dataset(spec);
    CHECK(a.x == b.x);
    CHECK(a.y == b.y);
    spec.seed = 2;
    CHECK(make_synthetic_dataset(spec).x != a.x);
    const MseSurface s(std::make_shared<const Dataset>(a));
    CHECK(s.minima().front().x() == Approx(2.0).margin(0.02));
    CHECK(s.minima().front().y() == Approx(-1.0).margin(0.02));
}

TEST_CASE("mini-batches sample without replacement within an epoch", "[dataset][minibatch]") {
    MinibatchSampler sampler(10, 3, 99);
    CHECK(sampler.batches_per_epoch() == 4);
    for (int epoch = 0; epoch < 3; ++epoch) {
        std::multiset<std::uint32_t> seen;
        std::vector<std::size_t> sizes;
        for (int b = 0; b < 4; ++b) {
            const auto batch = sampler.next();
            sizes.push_back(batch.size());
            seen.insert(batch.begin(), batch.end());
        }
        CHECK(sizes == std::vector<std::size_t>{3, 3, 3, 1});
        CHECK(seen.size() == 10);
        CHECK(std::set<std::uint32_t>(seen.begin(), seen.end()).size() == 10);  // each row once
    }
    // Reproducible by seed; a different seed gives a different order.
    MinibatchSampler s1(50, 7, 5), s2(50, 7, 5), s3(50, 7, 6);
    bool differs = false;
    for (int i = 0; i < 20; ++i) {
        const auto a = s1.next();
        const auto b = s2.next();
        const auto c = s3.next();
        CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end()));
        differs = differs || !std::equal(a.begin(), a.end(), c.begin(), c.end());
    }
    CHECK(differs);
    CHECK_THROWS(MinibatchSampler(10, 0, 1));
}

TEST_CASE("the size-weighted mean of an epoch's mini-batch gradients is the full gradient", "[minibatch]") {
    SyntheticDatasetSpec spec;
    spec.rows = 103;  // not a multiple of the batch size: the last batch is smaller
    auto data = std::make_shared<const Dataset>(make_synthetic_dataset(spec));
    const MseSurface s(data);
    for (std::size_t batch : {1u, 10u, 103u}) {
        const auto plan = s.plan_minibatches(batch, 7, static_cast<long>((103 + batch - 1) / batch));
        double w = 0.3, b = -0.7, sum_gx = 0, sum_gy = 0, sum_loss = 0;
        std::size_t rows_seen = 0;
        for (long t = 0; t < plan->steps; ++t) {
            double f, gx, gy;
            s.evaluate_minibatch(*plan, t, {1, &w, &b}, {&f, &gx, &gy});
            const std::size_t size = std::min(batch, 103 - rows_seen);
            rows_seen += size;
            sum_gx += gx * static_cast<double>(size);
            sum_gy += gy * static_cast<double>(size);
            sum_loss += f * static_cast<double>(size);
        }
        CHECK(rows_seen == 103);
        const Eigen::Vector2d full = s.gradient(w, b);
        CHECK(sum_gx / 103 == Approx(full.x()).epsilon(1e-12));
        CHECK(sum_gy / 103 == Approx(full.y()).epsilon(1e-12));
        CHECK(sum_loss / 103 == Approx(s.value(w, b)).epsilon(1e-12));
    }
}
