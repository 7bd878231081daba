// Catch2 for every test file, on Debian 12 (Catch2 2.13, one header) and Debian 13 (Catch2 3.x,
// a library with per-feature headers). CMake defines OPTIVIZ_CATCH2_MAJOR from the Catch2 it found.
// Tests write Catch2 v2 spellings: Approx, Catch::Contains, Catch::StartsWith.
#pragma once

#if OPTIVIZ_CATCH2_MAJOR >= 3
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <string>

using Catch::Approx;

namespace Catch {
// v2 put the matchers into Catch itself; v3 keeps them in Catch::Matchers and names the substring
// matcher ContainsSubstring (its Contains is about ranges).
using Matchers::EndsWith;
using Matchers::StartsWith;
using Matchers::WithinAbs;
using Matchers::WithinRel;
inline Matchers::StringContainsMatcher Contains(const std::string& text, CaseSensitive sensitivity = CaseSensitive::Yes) {
    return Matchers::ContainsSubstring(text, sensitivity);
}
}  // namespace Catch
#else
#include <catch2/catch.hpp>
#endif
