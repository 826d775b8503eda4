// SPDX-License-Identifier: BSD-3-Clause
// The one place that names the Catch2 header (Debian 12 ships Catch2 v2); moving to v3 is a
// one-file change.
#pragma once
#include <catch2/catch.hpp>
