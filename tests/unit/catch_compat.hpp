// SPDX-License-Identifier: BSD-3-Clause
// The one place that names the Catch2 header: Catch2 v3 (Debian 13) has one header per part,
// of which the tests use the test macros; Catch2 v2 (Debian 12) has a single header.
#pragma once
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif
