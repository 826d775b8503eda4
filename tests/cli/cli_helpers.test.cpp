// SPDX-License-Identifier: BSD-3-Clause
// The pieces of the `typoguard` command that need no policy: the argument parser, the JSON
// string escaper and the terminal-safe text filter.
#include <array>
#include <string>
#include <string_view>

#include "args.hpp"
#include "catch_compat.hpp"
#include "output.hpp"

namespace {

using tg::cli::OptionSpec;

constexpr std::array kSpecs{
    OptionSpec{"--policy", '\0', true},
    OptionSpec{"--json", 'j', false},
};

tg::cli::ArgParseResult parse(std::initializer_list<std::string_view> words) {
  const std::vector<std::string_view> args(words);
  return tg::cli::parse_args(args, kSpecs);
}

std::string json(std::string_view text) {
  std::string out;
  tg::cli::append_json_string(out, text);
  return out;
}

}  // namespace

TEST_CASE("options, values and operands", "[cli][args]") {
  const auto result = parse({"--policy", "p.json", "army.ml", "-j", "--", "--not-an-option"});
  REQUIRE(result.ok());
  CHECK(result.args.value("--policy") == "p.json");
  CHECK(result.args.has("--json"));
  CHECK(result.args.operands() == std::vector<std::string>{"army.ml", "--not-an-option"});

  const auto inline_value = parse({"--policy=x.xml", "-"});
  REQUIRE(inline_value.ok());
  CHECK(inline_value.args.value("--policy") == "x.xml");
  CHECK(inline_value.args.operands() == std::vector<std::string>{"-"});
  CHECK_FALSE(inline_value.args.has("--json"));
  CHECK_FALSE(parse({}).args.value("--policy").has_value());
}

TEST_CASE("usage errors name the option", "[cli][args]") {
  CHECK(parse({"--polcy", "x"}).error == "unknown option '--polcy'");
  CHECK(parse({"-x"}).error == "unknown option '-x'");
  CHECK(parse({"-jj"}).error == "unknown option '-jj'");
  CHECK(parse({"--policy"}).error == "option '--policy' needs a value");
  CHECK(parse({"--json=1"}).error == "option '--json' takes no value");
  CHECK(parse({"--policy", "a", "--policy", "b"}).error ==
        "option '--policy' given more than once");
  CHECK(parse({"--json", "--json"}).ok());
}

TEST_CASE("JSON strings are pure ASCII", "[cli][json]") {
  CHECK(json("army.ml") == R"("army.ml")");
  CHECK(json("a\"b\\c") == R"("a\"b\\c")");
  CHECK(json("\n\t\r") == R"("\u000a\u0009\u000d")");  // as the event log writes them
  CHECK(json(std::string_view("\0\x1f\x7f", 3)) == R"("\u0000\u001f\u007f")");
  CHECK(json("\xd0\xb0rmy") == R"("\u0430rmy")");            // Cyrillic a, 2 bytes
  CHECK(json("\xe2\x80\x8b") == R"("\u200b")");              // zero-width space, 3 bytes
  CHECK(json("\xf0\x9d\x90\x9a") == R"("\ud835\udc1a")");    // U+1D41A, surrogate pair
  CHECK(json("\xff\xc3") == R"("\ufffd\ufffd")");            // not UTF-8: U+FFFD a byte
  CHECK(json("\xc0\xaf") == R"("\ufffd\ufffd")");            // overlong form rejected
  CHECK(json("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");  // encoded surrogate rejected
  CHECK(json("") == R"("")");
}

TEST_CASE("printable keeps UTF-8 and escapes control bytes", "[cli][text]") {
  CHECK(tg::cli::printable("army.ml") == "army.ml");
  CHECK(tg::cli::printable("\xd0\xb0rmy.mil") == "\xd0\xb0rmy.mil");
  CHECK(tg::cli::printable("a\x1b[31mb") == "a\\027[31mb");
  CHECK(tg::cli::printable("\xc2\x85") == "\\194\\133");  // U+0085, a C1 control
  CHECK(tg::cli::printable("\xff") == "\\255");
  CHECK(tg::cli::printable("\n") == "\\010");
}
