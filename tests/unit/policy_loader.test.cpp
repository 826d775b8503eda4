// SPDX-License-Identifier: BSD-3-Clause
// The YANG-modelled policy and its loader: valid files load, invalid files fail with the
// expected message, data path and line, JSON and XML agree, defaults are filled in.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "config/data_tree.hpp"
#include "config/loader.hpp"
#include "config/sha256.hpp"
#include "config/yang_context.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kTestData{TG_TEST_DATA_DIR};
const fs::path kSource{TG_SOURCE_DIR};

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

std::vector<fs::path> files_in(const fs::path& dir, bool expectations) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    if ((entry.path().extension() == ".expect") == expectations) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string errors_text(const tg::LoadResult& r) {
  std::string s;
  for (const auto& e : r.errors) s += e.to_string() + "\n";
  return s;
}

struct Expectation {
  std::string message;
  std::string path;
  int line = -1;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

Expectation read_expectation(const fs::path& p) {
  Expectation x;
  std::istringstream in(read_bytes(p));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon);
    const std::string value = trim(line.substr(colon + 1));
    if (key == "message") x.message = value;
    if (key == "path") x.path = value;
    if (key == "line") x.line = std::stoi(value);
  }
  return x;
}

/// Field-by-field equality of two policies, except where they came from.
void require_same_policy(const tg::Policy& a, const tg::Policy& b) {
  CHECK(a.revision == b.revision);
  CHECK(a.description == b.description);
  CHECK(a.mode == b.mode);
  CHECK(a.default_action == b.default_action);
  CHECK(a.private_suffixes == b.private_suffixes);
  REQUIRE(a.protected_domains.size() == b.protected_domains.size());
  for (std::size_t i = 0; i < a.protected_domains.size(); ++i) {
    const auto& x = a.protected_domains[i];
    const auto& y = b.protected_domains[i];
    CHECK(x.name == y.name);
    CHECK(x.description == y.description);
    CHECK(x.techniques == y.techniques);
    CHECK(x.short_label_length == y.short_label_length);
    CHECK(x.action == y.action);
  }
  REQUIRE(a.blocked_suffixes.size() == b.blocked_suffixes.size());
  for (std::size_t i = 0; i < a.blocked_suffixes.size(); ++i) {
    CHECK(a.blocked_suffixes[i].name == b.blocked_suffixes[i].name);
    CHECK(a.blocked_suffixes[i].reason == b.blocked_suffixes[i].reason);
    CHECK(a.blocked_suffixes[i].action == b.blocked_suffixes[i].action);
  }
  REQUIRE(a.allow.size() == b.allow.size());
  for (std::size_t i = 0; i < a.allow.size(); ++i) {
    CHECK(a.allow[i].name == b.allow[i].name);
    CHECK(a.allow[i].reason == b.allow[i].reason);
  }
  REQUIRE(a.client_groups.size() == b.client_groups.size());
  for (std::size_t i = 0; i < a.client_groups.size(); ++i) {
    const auto& x = a.client_groups[i];
    const auto& y = b.client_groups[i];
    CHECK(x.name == y.name);
    CHECK(x.description == y.description);
    REQUIRE(x.prefixes.size() == y.prefixes.size());
    for (std::size_t j = 0; j < x.prefixes.size(); ++j) {
      CHECK(x.prefixes[j].to_string() == y.prefixes[j].to_string());
    }
  }
  CHECK(a.scope_client_groups == b.scope_client_groups);
  CHECK(a.query_types == b.query_types);
  CHECK(a.answers.sinkhole_ipv4 == b.answers.sinkhole_ipv4);
  CHECK(a.answers.sinkhole_ipv6 == b.answers.sinkhole_ipv6);
  CHECK(a.answers.mx == b.answers.mx);
  CHECK(a.answers.mx_host == b.answers.mx_host);
  CHECK(a.answers.mx_preference == b.answers.mx_preference);
  CHECK(a.answers.ttl == b.answers.ttl);
  CHECK(a.answers.soa_mname == b.answers.soa_mname);
  CHECK(a.answers.soa_rname == b.answers.soa_rname);
  CHECK(a.extended_dns_error == b.extended_dns_error);
  CHECK(a.event_log_path == b.event_log_path);
}

tg::Policy load_ok(const fs::path& p) {
  const tg::LoadResult r = tg::load_policy_file(p);
  INFO(errors_text(r));
  REQUIRE(r.ok());
  REQUIRE(r.errors.empty());
  return *r.policy;
}

/// A file in a fresh temporary directory, removed with the object.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content) {
    dir_ = fs::temp_directory_path() /
           ("tg-policy-test-" + std::to_string(std::hash<std::string>{}(name + content)));
    fs::create_directories(dir_);
    path_ = dir_ / name;
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path dir_;
  fs::path path_;
};

}  // namespace

TEST_CASE("every valid policy and every example loads", "[policy]") {
  std::vector<fs::path> files = files_in(kTestData / "policy" / "valid", false);
  const std::vector<fs::path> examples = files_in(kSource / "policy" / "examples", false);
  files.insert(files.end(), examples.begin(), examples.end());
  REQUIRE(files.size() >= 10);
  for (const fs::path& f : files) {
    INFO(f.string());
    const tg::LoadResult r = tg::load_policy_file(f);
    INFO(errors_text(r));
    CHECK(r.ok());
    CHECK(r.errors.empty());
    if (r.ok()) {
      CHECK(r.policy->source == f.string());
      CHECK_FALSE(r.policy->revision.empty());
    }
  }
}

TEST_CASE("every invalid policy fails with its expected message, data path and line", "[policy]") {
  const fs::path dir = kTestData / "policy" / "invalid";
  const std::vector<fs::path> files = files_in(dir, false);
  REQUIRE(files.size() >= 20);
  for (const fs::path& f : files) {
    INFO(f.string());
    const fs::path expect_file = fs::path(f.string() + ".expect");
    REQUIRE(fs::exists(expect_file));
    const Expectation want = read_expectation(expect_file);
    REQUIRE_FALSE(want.message.empty());
    REQUIRE(want.line >= 0);

    const tg::LoadResult r = tg::load_policy_file(f);
    INFO(errors_text(r));
    REQUIRE_FALSE(r.ok());
    REQUIRE_FALSE(r.errors.empty());
    const tg::PolicyError& e = r.errors.front();
    CHECK(e.file == f.string());
    CHECK(e.message.find(want.message) != std::string::npos);
    CHECK(e.data_path == want.path);
    CHECK(e.line == want.line);
  }
}

TEST_CASE("one PolicyLoader reused for every file gives what a fresh context gives", "[policy]") {
  std::vector<fs::path> files = files_in(kTestData / "policy" / "invalid", false);
  const std::vector<fs::path> valid = files_in(kTestData / "policy" / "valid", false);
  files.insert(files.end(), valid.begin(), valid.end());
  REQUIRE(files.size() >= 30);
  tg::PolicyLoader loader;
  for (int pass = 0; pass < 2; ++pass) {  // the second pass runs on a context used for all
    for (const fs::path& f : files) {
      if (f.extension() != ".json" && f.extension() != ".xml") continue;
      INFO(f.string() << " (pass " << pass << ")");
      std::ifstream in(f, std::ios::binary);
      std::stringstream content;
      content << in.rdbuf();
      const std::string text = content.str();
      const tg::PolicyFormat format =
          f.extension() == ".xml" ? tg::PolicyFormat::Xml : tg::PolicyFormat::Json;
      const tg::LoadResult fresh = tg::load_policy_text(text, format, f.string());
      const tg::LoadResult reused = loader.load_text(text, format, f.string());
      CHECK(errors_text(reused) == errors_text(fresh));
      REQUIRE(reused.ok() == fresh.ok());
      if (fresh.ok()) require_same_policy(*reused.policy, *fresh.policy);
    }
  }
}

TEST_CASE("a domain with thousands of trailing dots is an error, not a stack overflow",
          "[policy]") {
  // fuzz_policy found the one-level-a-dot recursion of the syntax message.
  const std::string name = "army.mil" + std::string(200000, '.');
  const std::string text =
      R"({"typoguard:policy": {"protected-domain": [{"name": ")" + name + R"("}]}})";
  const tg::LoadResult r = tg::load_policy_text(text, tg::PolicyFormat::Json, "dots.json");
  REQUIRE_FALSE(r.ok());
  REQUIRE_FALSE(r.errors.empty());
  INFO(errors_text(r));
  CHECK(r.errors.front().message.find("army.mil") != std::string::npos);
}

TEST_CASE("JSON and XML of the same policy load to equal policies", "[policy]") {
  SECTION("policy/examples/dod") {
    const tg::Policy json = load_ok(kSource / "policy" / "examples" / "dod.json");
    const tg::Policy xml = load_ok(kSource / "policy" / "examples" / "dod.xml");
    require_same_policy(json, xml);
  }
  SECTION("tests/policy/valid/full") {
    const tg::Policy json = load_ok(kTestData / "policy" / "valid" / "full.json");
    const tg::Policy xml = load_ok(kTestData / "policy" / "valid" / "full.xml");
    require_same_policy(json, xml);
  }
}

TEST_CASE("a default-constructed Policy carries none of the YANG defaults", "[policy]") {
  // The loader is the one place the YANG defaults come from: were they repeated as member
  // initialisers, the test below could not tell whether libyang applied them.
  const tg::Policy p{};
  CHECK(p.query_types.empty());
  CHECK_FALSE(p.extended_dns_error);
  CHECK(p.answers.mx == tg::AnswerSettings::MxKind::None);
  CHECK(p.answers.mx_preference == 0);
  CHECK(p.answers.ttl == 0);
  CHECK(p.answers.soa_mname.empty());
  CHECK(p.answers.soa_rname.empty());
  CHECK(tg::ProtectedDomain{}.short_label_length == 0);
  CHECK(tg::ProtectedDomain{}.techniques.empty());
}

TEST_CASE("defaults are filled in from the YANG module", "[policy]") {
  // Each value checked differs from the neutral one of a default-constructed Policy, except
  // mode, action and psl-private-section, whose YANG defaults are the zero values: the
  // builder reports a defaulted node missing from the tree as an internal error, so without
  // libyang's defaults this load fails.
  const fs::path file = kTestData / "policy" / "valid" / "minimal.json";
  const tg::Policy p = load_ok(file);
  CHECK(p.source == file.string());
  CHECK(p.revision == "sha256:" + tg::sha256_hex(read_bytes(file)));
  CHECK(p.description.empty());
  CHECK(p.mode == tg::Mode::Enforce);
  CHECK(p.default_action == tg::PolicyAction::NxDomain);
  CHECK_FALSE(p.private_suffixes);
  CHECK(p.extended_dns_error);
  CHECK(p.event_log_path.empty());
  REQUIRE(p.protected_domains.size() == 1);
  const tg::ProtectedDomain& d = p.protected_domains.front();
  CHECK(d.name == "army.mil");
  CHECK(d.techniques == tg::TechniqueSet::defaults());
  CHECK_FALSE(d.techniques.contains(tg::Technique::TldSwap));
  CHECK_FALSE(d.techniques.contains(tg::Technique::BlockedSuffix));
  CHECK(d.short_label_length == 4);
  CHECK_FALSE(d.action.has_value());
  CHECK(p.blocked_suffixes.empty());
  CHECK(p.allow.empty());
  CHECK(p.client_groups.empty());
  CHECK(p.scope_client_groups.empty());
  CHECK(p.query_types == std::vector<std::uint16_t>{15, 1, 28});
  CHECK_FALSE(p.answers.sinkhole_ipv4.has_value());
  CHECK_FALSE(p.answers.sinkhole_ipv6.has_value());
  CHECK(p.answers.mx == tg::AnswerSettings::MxKind::NullMx);
  CHECK(p.answers.mx_host.empty());
  CHECK(p.answers.mx_preference == 10);
  CHECK(p.answers.ttl == 60);
  CHECK(p.answers.soa_mname == "typoguard.invalid");
  CHECK(p.answers.soa_rname == "hostmaster.typoguard.invalid");
}

TEST_CASE("every node of full.json reaches the Policy", "[policy]") {
  const tg::Policy p = load_ok(kTestData / "policy" / "valid" / "full.json");
  CHECK(p.revision == "full-1");
  CHECK(p.mode == tg::Mode::Monitor);
  CHECK(p.default_action == tg::PolicyAction::Sinkhole);
  CHECK(p.private_suffixes);
  CHECK_FALSE(p.extended_dns_error);
  CHECK(p.event_log_path == "/var/log/typoguard/events.json");

  REQUIRE(p.protected_domains.size() == 3);
  const auto& example = p.protected_domains[0];
  tg::TechniqueSet own;
  own.insert(tg::Technique::SuffixTypo);
  own.insert(tg::Technique::TldSwap);
  CHECK(example.name == "example.com");
  CHECK(example.techniques == own);
  CHECK(example.short_label_length == 3);
  CHECK(example.action == tg::PolicyAction::NxDomain);

  tg::TechniqueSet global;
  for (auto t : {tg::Technique::SuffixTypo, tg::Technique::DotShift, tg::Technique::MissingDot,
                 tg::Technique::Omission, tg::Technique::Homoglyph}) {
    global.insert(t);
  }
  tg::TechniqueSet gmail = global;
  gmail.insert(tg::Technique::Transposition);
  gmail.insert(tg::Technique::VowelSwap);
  gmail.erase(tg::Technique::Homoglyph);
  CHECK(p.protected_domains[1].techniques == gmail);
  CHECK(p.protected_domains[1].short_label_length == 5);
  CHECK_FALSE(p.protected_domains[1].action.has_value());
  CHECK(p.protected_domains[2].name == "example.blogspot.com");
  CHECK(p.protected_domains[2].techniques == global);

  REQUIRE(p.blocked_suffixes.size() == 2);
  CHECK(p.blocked_suffixes[0].action == tg::PolicyAction::NxDomain);
  CHECK_FALSE(p.blocked_suffixes[1].action.has_value());

  REQUIRE(p.client_groups.size() == 2);
  const auto& mail = p.client_groups[0];
  CHECK(mail.description == "MTAs");
  REQUIRE(mail.prefixes.size() == 4);
  CHECK(mail.prefixes[0].to_string() == "192.0.2.0/24");
  CHECK_FALSE(mail.prefixes[0].ipv6);
  CHECK(mail.prefixes[0].length == 24);
  CHECK(mail.prefixes[2].ipv6);
  CHECK(mail.prefixes[2].length == 32);
  const std::uint8_t inside[4] = {192, 0, 2, 77};
  const std::uint8_t outside[4] = {192, 0, 3, 1};
  CHECK(mail.prefixes[0].contains(false, inside));
  CHECK_FALSE(mail.prefixes[0].contains(false, outside));
  CHECK(p.scope_client_groups == std::vector<std::string>{"mail-servers", "relays"});
  CHECK(p.query_types == std::vector<std::uint16_t>{15, 1, 28, 65535, 65});

  CHECK(p.answers.ttl == 30);
  REQUIRE(p.answers.sinkhole_ipv4.has_value());
  CHECK(*p.answers.sinkhole_ipv4 == std::array<std::uint8_t, 4>{192, 0, 2, 53});
  REQUIRE(p.answers.sinkhole_ipv6.has_value());
  CHECK((*p.answers.sinkhole_ipv6)[0] == 0x20);
  CHECK((*p.answers.sinkhole_ipv6)[15] == 0x53);
  CHECK(p.answers.mx == tg::AnswerSettings::MxKind::Host);
  CHECK(p.answers.mx_host == "quarantine.example.net");
  CHECK(p.answers.mx_preference == 5);
  CHECK(p.answers.soa_mname == "ns.example.net");
  CHECK(p.answers.soa_rname == "dns-admin.example.net");
}

TEST_CASE("query types accept names and numbers", "[policy]") {
  const tg::Policy p = load_ok(kTestData / "policy" / "valid" / "query-types.json");
  CHECK(p.query_types == std::vector<std::uint16_t>{15, 16, 0, 65535, 255, 33, 257, 52, 64, 99});
}

TEST_CASE("the embedded demo policy loads", "[policy]") {
  const tg::LoadResult r = tg::load_default_policy();
  INFO(errors_text(r));
  REQUIRE(r.ok());
  const tg::Policy& p = *r.policy;
  CHECK(p.source == "builtin:demo");
  CHECK(p.mode == tg::Mode::Enforce);
  CHECK(p.protected_domains.size() >= 8);
  const auto has_domain = [&](std::string_view n) {
    return std::any_of(p.protected_domains.begin(), p.protected_domains.end(),
                       [&](const tg::ProtectedDomain& d) { return d.name == n; });
  };
  CHECK(has_domain("army.mil"));
  CHECK(has_domain("navy.mil"));
  CHECK(has_domain("mail.mil"));
  REQUIRE(p.blocked_suffixes.size() == 1);
  CHECK(p.blocked_suffixes[0].name == "ml");
  CHECK_FALSE(p.blocked_suffixes[0].reason.empty());
  CHECK(p.allow.size() >= 2);
  REQUIRE(p.client_groups.size() == 1);
  CHECK(p.client_groups[0].name == "mail-servers");
  const std::uint8_t mta[4] = {127, 0, 0, 2};
  const std::uint8_t dig[4] = {127, 0, 0, 1};
  CHECK(p.client_groups[0].prefixes[0].contains(false, mta));
  const bool any_contains_dig =
      std::any_of(p.client_groups[0].prefixes.begin(), p.client_groups[0].prefixes.end(),
                  [&](const tg::IpPrefix& pre) { return pre.contains(false, dig); });
  CHECK_FALSE(any_contains_dig);
  CHECK(p.scope_client_groups == std::vector<std::string>{"mail-servers"});
  CHECK(p.query_types == std::vector<std::uint16_t>{15, 1, 28});

  // The embedded text is policy/examples/default.json as configured.
  const tg::LoadResult file =
      tg::load_policy_file(kSource / "policy" / "examples" / "default.json");
  REQUIRE(file.ok());
  require_same_policy(p, *file.policy);
}

TEST_CASE("policies load from memory", "[policy]") {
  const std::string json = R"({"typoguard:policy": {"protected-domain": [{"name": "gmail.com"}]}})";
  const tg::LoadResult ok = tg::load_policy_text(json, tg::PolicyFormat::Json, "<string>");
  INFO(errors_text(ok));
  REQUIRE(ok.ok());
  CHECK(ok.policy->source == "<string>");
  CHECK(ok.policy->revision == "sha256:" + tg::sha256_hex(json));

  const std::string xml =
      "<policy xmlns=\"urn:typoguard:yang:typoguard\">\n"
      "  <protected-domain><name>gmail.com</name></protected-domain>\n"
      "  <mode>monitr</mode>\n"
      "</policy>\n";
  const tg::LoadResult bad = tg::load_policy_text(xml, tg::PolicyFormat::Xml, "inline.xml");
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].file == "inline.xml");
  CHECK(bad.errors[0].line == 3);
  CHECK(bad.errors[0].data_path == "/typoguard:policy/mode");
  CHECK(bad.errors[0].message.find("did you mean \"monitor\"") != std::string::npos);

  const tg::LoadResult nul =
      tg::load_policy_text(std::string_view("{\n\0}", 4), tg::PolicyFormat::Json, "nul.json");
  REQUIRE_FALSE(nul.ok());
  CHECK(nul.errors[0].line == 2);
}

TEST_CASE("semantic checks report every problem, in file order", "[policy]") {
  const std::string json = R"({
  "typoguard:policy": {
    "protected-domain": [
      { "name": "mil" },
      { "name": "mail.army.mil" }
    ],
    "allow-list": [
      { "name": "x.mail.army.mil", "reason": "ours" }
    ]
  }
})";
  const tg::LoadResult r = tg::load_policy_text(json, tg::PolicyFormat::Json, "many.json");
  REQUIRE_FALSE(r.ok());
  INFO(errors_text(r));
  REQUIRE(r.errors.size() == 3);
  CHECK(r.errors[0].line == 4);
  CHECK(r.errors[0].message.find("is a public suffix") != std::string::npos);
  CHECK(r.errors[1].line == 5);
  CHECK(r.errors[1].message.find("protect \"army.mil\" instead") != std::string::npos);
  CHECK(r.errors[2].line == 8);
  CHECK(r.errors[2].data_path == "/typoguard:policy/allow-list[name='x.mail.army.mil']/name");
}

TEST_CASE("a trailing comma is a JSON syntax error at its closing bracket", "[policy]") {
  // libyang 2 rejects a trailing comma itself, libyang 3 accepts it: the message is the same.
  struct Case {
    const char* text;
    int line;
    const char* data_path;
    const char* message;
  };
  const Case cases[] = {
      {"{\n  \"typoguard:policy\": {\n    \"protected-domain\": [\n"
       "      { \"name\": \"army.mil\", }\n    ]\n  }\n}\n",
       4, "/typoguard:policy/protected-domain[name='army.mil']",
       "JSON syntax error: Invalid character sequence \"} ] } } \", expected a JSON object's "
       "member."},
      {"{\n  \"typoguard:policy\": {\n    \"protected-domain\": [{ \"name\": \"army.mil\" }],\n"
       "    \"scope\": { \"client-group\": [\"a\",\n] }\n  }\n}\n",
       5, "/typoguard:policy/scope",
       "JSON syntax error: Invalid character sequence \"] } } } \", expected a JSON value."},
      {"{\"typoguard:policy\": {\"protected-domain\": [{\"name\": \"army.mil\"}]},\n}", 2, "",
       "JSON syntax error: Invalid character sequence \"}\", expected a JSON object's member."},
      {"{\n  \"typoguard:policy\": {\n    \"protected-domain\": [\n"
       "      { \"description\": \"x\", }\n    ]\n  }\n}\n",
       4, "/typoguard:policy/protected-domain",
       "JSON syntax error: Invalid character sequence \"} ] } } \", expected a JSON object's "
       "member."},
  };
  for (const Case& c : cases) {
    const tg::LoadResult r = tg::load_policy_text(c.text, tg::PolicyFormat::Json, "comma.json");
    INFO(c.text << errors_text(r));
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors[0].line == c.line);
    CHECK(r.errors[0].data_path == c.data_path);
    CHECK(r.errors[0].message == c.message);
  }
}

TEST_CASE("files that cannot be loaded say why", "[policy]") {
  SECTION("missing file") {
    const tg::LoadResult r = tg::load_policy_file("/nonexistent/typoguard.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors[0].file == "/nonexistent/typoguard.json");
    CHECK(r.errors[0].message.find("cannot be read") != std::string::npos);
  }
  SECTION("unsupported extension") {
    const tg::LoadResult r = tg::load_policy_file(kTestData / "policy" / "invalid" / "policy.yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors[0].message.find(".json") != std::string::npos);
  }
}

TEST_CASE("the loader reads no YANG file: it loads from an empty working directory", "[policy]") {
  // The YANG module is compiled in: with the working directory an empty temp dir and the
  // variable that once named a YANG directory pointing nowhere, files and texts still load.
  const std::string minimal = read_bytes(kTestData / "policy" / "valid" / "minimal.json");
  const fs::path policy_file = fs::absolute(kTestData / "policy" / "valid" / "full.json");
  const tg::test::TempDir empty("tg-no-yang");
  const fs::path before = fs::current_path();
  ::setenv("TYPOGUARD_YANG_DIR", "/nonexistent/yang", 1);
  fs::current_path(empty.path());
  const tg::LoadResult text = tg::load_policy_text(minimal, tg::PolicyFormat::Json, "<string>");
  const tg::LoadResult file = tg::load_policy_file(policy_file);
  const tg::LoadResult embedded = tg::load_default_policy();
  tg::PolicyLoader loader;
  const tg::LoadResult reused = loader.load_text(minimal, tg::PolicyFormat::Json, "<string>");
  fs::current_path(before);
  ::unsetenv("TYPOGUARD_YANG_DIR");
  INFO(errors_text(text) + errors_text(file) + errors_text(embedded) + errors_text(reused));
  CHECK(text.ok());
  CHECK(file.ok());
  CHECK(embedded.ok());
  CHECK(reused.ok());
  CHECK(fs::is_empty(empty.path()));
}

TEST_CASE("protect lists: one domain a line, defaults for the rest", "[policy]") {
  SECTION("a good list") {
    const TempFile f("protect.txt",
                     "# domains our mail servers send to\n"
                     "army.mil\n"
                     "\n"
                     "  navy.mil   # trailing comment\n"
                     "gmail.com\r\n");
    const tg::LoadResult r = tg::load_protect_list(f.path());
    INFO(errors_text(r));
    REQUIRE(r.ok());
    const tg::Policy& p = *r.policy;
    CHECK(p.source == f.path().string());
    CHECK(p.revision == "sha256:" + tg::sha256_hex(read_bytes(f.path())));
    REQUIRE(p.protected_domains.size() == 3);
    CHECK(p.protected_domains[0].name == "army.mil");
    CHECK(p.protected_domains[1].name == "navy.mil");
    CHECK(p.protected_domains[2].name == "gmail.com");
    CHECK(p.protected_domains[2].techniques == tg::TechniqueSet::defaults());
    CHECK(p.query_types == std::vector<std::uint16_t>{15, 1, 28});
    CHECK(p.mode == tg::Mode::Enforce);
  }
  SECTION("errors name the file and the line") {
    const TempFile f("bad.txt",
                     "army.mil\n"
                     "# comment\n"
                     "Navy.mil\n"
                     "army.mil\n"
                     "mil\n"
                     "mail.navy.mil\n");
    const tg::LoadResult r = tg::load_protect_list(f.path());
    REQUIRE_FALSE(r.ok());
    INFO(errors_text(r));
    REQUIRE(r.errors.size() == 4);
    CHECK(r.errors[0].file == f.path().string());
    CHECK(r.errors[0].line == 3);
    CHECK(r.errors[0].message.find("invalid domain name \"Navy.mil\"") != std::string::npos);
    CHECK(r.errors[0].message.find("\"navy.mil\"") != std::string::npos);
    CHECK(r.errors[1].line == 4);
    CHECK(r.errors[1].message.find("already listed on line 1") != std::string::npos);
    CHECK(r.errors[2].line == 5);
    CHECK(r.errors[2].message.find("is a public suffix") != std::string::npos);
    CHECK(r.errors[3].line == 6);
    CHECK(r.errors[3].message.find("protect \"navy.mil\"") != std::string::npos);
    CHECK(r.errors[3].to_string().rfind(f.path().string() + ":6: mail.navy.mil", 0) == 0);
  }
  SECTION("an empty list does nothing, which is an error") {
    const TempFile f("empty.txt", "# nothing yet\n\n");
    const tg::LoadResult r = tg::load_protect_list(f.path());
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors[0].message.find("names no domain") != std::string::npos);
  }
}

TEST_CASE("a policy of protected domains gets the YANG defaults", "[policy]") {
  const std::vector<std::string> domains{"af.mil", "army.mil"};
  const tg::LoadResult r = tg::load_protected_domains(domains, "<command line>");
  INFO(errors_text(r));
  REQUIRE(r.ok());
  CHECK(r.policy->source == "<command line>");
  CHECK(r.policy->revision.starts_with("sha256:"));
  REQUIRE(r.policy->protected_domains.size() == 2);
  CHECK(r.policy->protected_domains[0].name == "af.mil");
  CHECK(r.policy->protected_domains[0].short_label_length == 4);
  CHECK(r.policy->protected_domains[0].techniques == tg::TechniqueSet::defaults());
  CHECK(r.policy->query_types == std::vector<std::uint16_t>{15, 1, 28});
  CHECK(r.policy->answers.ttl == 60);

  // Names are checked before they go into the policy text: no JSON can be smuggled in.
  const std::vector<std::string> bad{R"(army.mil"},{"name":"navy.mil)"};
  const tg::LoadResult e = tg::load_protected_domains(bad, "<command line>");
  REQUIRE_FALSE(e.ok());
  CHECK(e.errors.front().message.find("invalid domain name") != std::string::npos);
  const std::vector<std::string> suffix{"mil"};
  const tg::LoadResult f = tg::load_protected_domains(suffix, "<command line>");
  REQUIRE_FALSE(f.ok());
  CHECK(f.errors.front().message.find("is a public suffix") != std::string::npos);
}

TEST_CASE("the YANG technique enumeration and the engine's techniques agree", "[policy]") {
  // The builder reports a technique the schema accepts and the engine does not know as an
  // internal error; valid input cannot reach that as long as this holds.
  std::vector<tg::PolicyError> errors;
  const tg::config::ContextPtr ctx = tg::config::make_context("<test>", errors);
  REQUIRE(ctx);
  std::set<tg::Technique> in_yang;
  for (const char* path :
       {"/typoguard:policy/technique", "/typoguard:policy/protected-domain/technique",
        "/typoguard:policy/protected-domain/add-technique",
        "/typoguard:policy/protected-domain/remove-technique"}) {
    INFO(path);
    const lysc_node* leaf_list = lys_find_path(ctx.get(), nullptr, path, 0);
    REQUIRE(leaf_list != nullptr);
    const lysc_type* type = tg::config::type_of(leaf_list);
    REQUIRE(type != nullptr);
    REQUIRE(type->basetype == LY_TYPE_ENUM);
    const auto* enumeration = reinterpret_cast<const lysc_type_enum*>(type);
    const std::size_t count = tg::config::sized_array_count(enumeration->enums);
    REQUIRE(count > 0);
    for (std::size_t i = 0; i < count; ++i) {
      const std::string name = enumeration->enums[i].name;
      INFO(name);
      const std::optional<tg::Technique> t = tg::technique_from_name(name);
      REQUIRE(t.has_value());
      CHECK(*t != tg::Technique::BlockedSuffix);
      CHECK(static_cast<int>(*t) == enumeration->enums[i].value);
      CHECK(tg::technique_name(*t) == name);
      in_yang.insert(*t);
    }
  }
  // ... and every per-domain technique of the engine can be chosen in a policy.
  for (const tg::Technique t : tg::kPrecedence) {
    INFO(tg::technique_name(t));
    if (t != tg::Technique::BlockedSuffix) CHECK(in_yang.count(t) == 1);
  }
}

TEST_CASE("PolicyError::to_string leaves out unknown parts", "[policy]") {
  CHECK(tg::PolicyError{"p.json", 7, "/typoguard:policy/mode", "bad"}.to_string() ==
        "p.json:7: /typoguard:policy/mode: bad");
  CHECK(tg::PolicyError{"p.json", 0, "", "bad"}.to_string() == "p.json: bad");
  CHECK(tg::PolicyError{"", 3, "", "bad"}.to_string() == "line 3: bad");
}

TEST_CASE("sha256 matches the FIPS 180-4 examples", "[policy]") {
  CHECK(tg::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(tg::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(tg::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(tg::sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
