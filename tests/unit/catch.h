// The tests build against Catch2 v2 (Debian 12's catch2 2.13) and v3 (Debian
// 13's catch2 3.x). They are written with v3's names; this header maps them
// onto v2 where v2 spells them differently. Nothing else differs for us.
#pragma once

#if __has_include(<catch2/catch_test_macros.hpp>)  // v3: one header per concern
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
using Catch::Approx;  // v2 declared Approx globally; the tests use it unqualified
#else                 // v2: the single header
#include <catch2/catch.hpp>
#include <string>
namespace Catch {
using Detail::Approx;  // v3's Catch::Approx was v2's Catch::Detail::Approx
namespace Matchers {
// v3 renamed the substring matcher (its Contains matches ranges).
inline StdString::ContainsMatcher ContainsSubstring(const std::string& text,
                                                   CaseSensitive::Choice sensitivity = CaseSensitive::Yes) {
  return Contains(text, sensitivity);
}
}  // namespace Matchers
}  // namespace Catch
#endif
