// SPDX-License-Identifier: BSD-3-Clause
// The test runner's main(). Catch2 v3 is a library whose Catch2::Catch2 has no main(), so it is
// written here for both versions, and every test program links Catch2::Catch2 alone.
#if __has_include(<catch2/catch_session.hpp>)
#include <catch2/catch_session.hpp>

int main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }
#else
#define CATCH_CONFIG_MAIN
#include "catch_compat.hpp"
#endif
