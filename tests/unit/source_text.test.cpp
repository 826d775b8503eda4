// SPDX-License-Identifier: BSD-3-Clause
// SourceText (config/source_text.hpp) directly: where a data path is in a JSON or XML policy.
#include "config/source_text.hpp"

#include <string>
#include <string_view>

#include "catch_compat.hpp"

namespace {

// Line numbers are in the comments; the tests below name them.
constexpr std::string_view kJson = R"({
  "typoguard:policy": {
    "revision": "r1",
    "protected-domain": [
      {
        "name": "army.mil",
        "technique": ["omission", "suffix-typo"]
      },
      {
        "typoguard:name": "gmail.com"
      },
      {
        "name": "army.mil"
      }
    ],
    "short-label-length": 4,
    "enabled": true
  }
}
)";

constexpr std::string_view kXml = R"(<?xml version="1.0" encoding="UTF-8"?>
<policy xmlns="urn:example:typoguard">
  <revision>r1</revision>
  <protected-domain>
    <name>army.mil</name>
    <technique>omission</technique>
    <technique>suffix-typo</technique>
  </protected-domain>
  <!-- <protected-domain><name>commented.mil</name></protected-domain> -->
  <tg:protected-domain xmlns:tg="urn:example:typoguard">
    <tg:name>gmail.com</tg:name>
  </tg:protected-domain>
  <protected-domain>
    <name>a&amp;b&#xe4;.example</name>
  </protected-domain>
  <short-label-length>4</short-label-length>
  <empty/>
</policy>
)";

}  // namespace

TEST_CASE("source text: JSON data paths find their lines", "[source-text]") {
  const tg::SourceText t(kJson, tg::PolicyFormat::Json);
  CHECK(t.locate("/typoguard:policy") == 2);
  CHECK(t.locate("/typoguard:policy/revision") == 3);
  CHECK(t.locate("/typoguard:policy/revision", "r1") == 3);
  CHECK(t.locate("/typoguard:policy/short-label-length") == 16);
  CHECK(t.locate("/typoguard:policy/short-label-length", "4") == 16);
  CHECK(t.locate("/typoguard:policy/enabled", "true") == 17);

  SECTION("list entries by key, and the key itself") {
    CHECK(t.locate("/typoguard:policy/protected-domain[name='army.mil']") == 6);
    CHECK(t.locate("/typoguard:policy/protected-domain[name='army.mil']/name") == 6);
    CHECK(t.locate("/typoguard:policy/protected-domain[name='army.mil']/technique") == 7);
    // A member written with its module prefix matches the path's plain name.
    CHECK(t.locate("/typoguard:policy/protected-domain[name='gmail.com']") == 10);
    CHECK(t.locate("/typoguard:policy/protected-domain[typoguard:name='gmail.com']") == 10);
  }
  SECTION("leaf-list values and the nth duplicate") {
    CHECK(t.locate("/typoguard:policy/protected-domain[name='army.mil']/technique[.='omission']") ==
          7);
    CHECK(t.locate("/typoguard:policy/protected-domain[name='army.mil']/technique",
                   "suffix-typo") == 7);
    CHECK(t.locate("/typoguard:policy/protected-domain[name='army.mil']", {}, 2) == 13);
    // No third: the line of the longest prefix found (the list's member name).
    CHECK(t.locate("/typoguard:policy/protected-domain[name='army.mil']", {}, 3) == 4);
  }
  SECTION("position() is the index of the event, only when the whole path is found") {
    const auto at = t.position("/typoguard:policy/protected-domain[name='gmail.com']");
    REQUIRE(at.has_value());
    const tg::TextEvent& e = t.events().at(*at);
    CHECK(e.is_value);
    CHECK(e.quoted);
    CHECK(e.name == "name");
    CHECK(e.value == "gmail.com");
    CHECK(e.line == 10);
    CHECK_FALSE(t.position("/typoguard:policy/protected-domain[name='navy.mil']").has_value());
    CHECK_FALSE(t.position("/typoguard:policy/nothing").has_value());
    CHECK_FALSE(t.position("").has_value());
  }
  SECTION("a path that is not there gives the line of its longest found prefix, or 0") {
    CHECK(t.locate("/typoguard:policy/protected-domain[name='navy.mil']") == 4);
    CHECK(t.locate("/typoguard:policy/nothing") == 2);
    CHECK(t.locate("/other:thing") == 0);
    CHECK(t.locate("") == 0);
    CHECK(t.locate("/typoguard:policy/revision", "r2") == 3);
  }
  CHECK_FALSE(t.trailing_comma().has_value());
}

TEST_CASE("source text: XML data paths find their lines", "[source-text]") {
  const tg::SourceText t(kXml, tg::PolicyFormat::Xml);
  CHECK(t.locate("/typoguard:policy") == 2);
  CHECK(t.locate("/typoguard:policy/revision") == 3);
  CHECK(t.locate("/typoguard:policy/revision", "r1") == 3);
  CHECK(t.locate("/typoguard:policy/protected-domain[name='army.mil']") == 5);
  CHECK(t.locate(
            "/typoguard:policy/protected-domain[name='army.mil']/technique[.='suffix-typo']") == 7);
  // Prefixed elements match; the commented-out entry is not there.
  CHECK(t.locate("/typoguard:policy/protected-domain[name='gmail.com']") == 11);
  CHECK_FALSE(t.position("/typoguard:policy/protected-domain[name='commented.mil']").has_value());
  // Entities are decoded (&#xe4; is U+00E4, two bytes of UTF-8).
  CHECK(t.locate("/typoguard:policy/protected-domain[name='a&b\xc3\xa4.example']") == 14);
  CHECK(t.locate("/typoguard:policy/short-label-length", "4") == 16);
  const auto empty = t.position("/typoguard:policy/empty");  // self-closing: a name, no value
  REQUIRE(empty.has_value());
  CHECK_FALSE(t.events().at(*empty).is_value);
  CHECK(t.locate("/typoguard:policy/empty") == 17);
  CHECK_FALSE(t.trailing_comma().has_value());
}

TEST_CASE("source text: empty and odd input", "[source-text]") {
  for (const tg::PolicyFormat f : {tg::PolicyFormat::Json, tg::PolicyFormat::Xml}) {
    const tg::SourceText empty("", f);
    CHECK(empty.events().empty());
    CHECK(empty.locate("/typoguard:policy") == 0);
    CHECK_FALSE(empty.position("/typoguard:policy").has_value());
    CHECK_FALSE(empty.trailing_comma().has_value());
  }
  // Unterminated strings, elements and comments end the scan, never the process.
  for (const std::string_view text : {R"({"a": "b)", R"({"a)", "<a", "<a>b", "<!-- x", "{[}]"}) {
    const tg::SourceText json(text, tg::PolicyFormat::Json);
    const tg::SourceText xml(text, tg::PolicyFormat::Xml);
    CHECK(json.locate("/a") >= 0);
    CHECK(xml.locate("/a") >= 0);
  }
}

TEST_CASE("source text: CRLF line ends count once", "[source-text]") {
  const tg::SourceText json(
      "{\r\n  \"typoguard:policy\": {\r\n    \"revision\": \"r1\"\r\n  }\r\n}\r\n",
      tg::PolicyFormat::Json);
  CHECK(json.locate("/typoguard:policy/revision", "r1") == 3);
  const tg::SourceText xml("<policy>\r\n  <revision>r1</revision>\r\n</policy>\r\n",
                           tg::PolicyFormat::Xml);
  CHECK(xml.locate("/typoguard:policy/revision", "r1") == 2);
}

TEST_CASE("source text: UTF-8 and JSON escapes decode to the same value", "[source-text]") {
  const tg::SourceText t(
      "{\"p\": [\n"
      "  {\"name\": \"\xc3\xa4rmy.mil\"},\n"                  // raw UTF-8
      "  {\"name\": \"\\u00e4rmy.mil\"},\n"                   // the same as an escape
      "  {\"name\": \"\\ud83d\\ude00.example\"},\n"           // a surrogate pair
      "  {\"name\": \"tab\\there\", \"x\": \"\\\"q\\\"\"}\n"  // simple escapes
      "]}\n",
      tg::PolicyFormat::Json);
  CHECK(t.locate("/p[name='\xc3\xa4rmy.mil']") == 2);
  CHECK(t.locate("/p[name='\xc3\xa4rmy.mil']", {}, 2) == 3);
  CHECK(t.locate("/p[name='\xf0\x9f\x98\x80.example']") == 4);
  CHECK(t.locate("/p[name='tab\there']") == 5);
  CHECK(t.locate("/p/x", "\"q\"") == 5);
}

TEST_CASE("source text: the first trailing comma and its data path", "[source-text]") {
  const tg::SourceText t(R"({
  "typoguard:policy": {
    "protected-domain": [
      {"name": "army.mil", "technique": ["omission",
      ]},
      {"name": "gmail.com",}
    ]
  }
})",
                         tg::PolicyFormat::Json);
  REQUIRE(t.trailing_comma().has_value());
  const tg::TrailingComma& c = *t.trailing_comma();
  CHECK(c.line == 5);
  CHECK_FALSE(c.in_object);
  CHECK(c.rest.starts_with("]}"));
  CHECK(c.rest.size() <= 20);
  CHECK(c.data_path == "/typoguard:policy/protected-domain[name='army.mil']");

  const tg::SourceText top(R"({"revision": "r1",})", tg::PolicyFormat::Json);
  REQUIRE(top.trailing_comma().has_value());
  CHECK(top.trailing_comma()->in_object);
  CHECK(top.trailing_comma()->line == 1);
  CHECK(top.trailing_comma()->data_path.empty());
}

TEST_CASE("source text: split_data_path", "[source-text]") {
  const auto steps = tg::split_data_path(
      "/typoguard:policy/protected-domain[name='army.mil']/technique[.=\"omission\"]");
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].name == "policy");
  CHECK(steps[0].predicates.empty());
  CHECK(steps[1].name == "protected-domain");
  REQUIRE(steps[1].predicates.size() == 1);
  CHECK(steps[1].predicates[0] == std::pair<std::string, std::string>{"name", "army.mil"});
  CHECK(steps[2].predicates[0] == std::pair<std::string, std::string>{".", "omission"});

  const auto two_keys = tg::split_data_path("/a[x:k1='1'][k2='2']");
  REQUIRE(two_keys.size() == 1);
  CHECK(two_keys[0].predicates.size() == 2);
  CHECK(two_keys[0].predicates[0].first == "k1");

  CHECK(tg::split_data_path("").empty());
  CHECK(tg::split_data_path("no-slash").empty());
  CHECK(tg::split_data_path("/a[k=unquoted]").empty());  // the unparsable step ends the path
  CHECK(tg::split_data_path("/a/b[k='open").size() == 1);
}
