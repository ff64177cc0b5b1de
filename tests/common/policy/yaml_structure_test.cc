// What yaml-cpp would take silently is refused with its position: a key
// written twice in one mapping (at the top, in a check, in a remediation,
// in a VPN profile), a second document, and text that is not UTF-8.
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "common/policy/policy_loader.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::policy {
namespace {

using ::testing::HasSubstr;

constexpr char kPolicy[] = R"(id: demo
title: Demo
enforcement: warn
checks:
  - id: fw
    title: Firewall on
    query: SELECT 1 FROM firewall WHERE enabled
    remediation:
      text: Turn it on.
      linux: sudo ufw enable
)";

constexpr char kProfile[] = R"(vpn_profile:
  id: remote-access
  title: Council remote access
  gateway:
    endpoint: vpn.council.example:51820
    public_key: 6d1040ArMyVeCzkRPeId2Km3CWna1Gy66FCclrMJGWw=
  routes: [10.10.0.0/16]
  mode: always-on
)";

// `base` with the line starting with `after` followed by `line`.
std::string InsertAfter(const std::string& base, const std::string& after,
                        const std::string& line) {
  std::string yaml = base;
  size_t at = yaml.find(after);
  if (at == std::string::npos) return "edit not found: " + after;
  at = yaml.find('\n', at) + 1;
  yaml.insert(at, line);
  return yaml;
}

struct Case {
  const char* name;
  std::string yaml;
  const char* expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class YamlStructureTest : public ::testing::TestWithParam<Case> {};

TEST_P(YamlStructureTest, IsRefusedWithPosition) {
  const Case& c = GetParam();
  absl::Status s = c.yaml.find("vpn_profile:") == 0
                       ? ParseVpnProfileYaml(c.yaml, "bad.yaml").status()
                       : ParsePolicyYaml(c.yaml, "bad.yaml").status();
  ASSERT_FALSE(s.ok()) << c.yaml;
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr(c.expected)) << s.message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, YamlStructureTest,
    ::testing::Values(
        Case{"DuplicateTopLevelKey",
             InsertAfter(kPolicy, "title: Demo", "title: Other\n"),
             "bad.yaml:3:1: key 'title' is repeated in this mapping (first "
             "at line 2)"},
        Case{"DuplicateKeyInACheck",
             InsertAfter(kPolicy,
                         "    query:", "    query: SELECT 1 FROM firewall\n"),
             "bad.yaml:8:5: key 'query' is repeated in this mapping (first "
             "at line 7)"},
        Case{"DuplicateKeyInARemediation",
             InsertAfter(kPolicy, "      linux:", "      linux: true\n"),
             "bad.yaml:11:7: key 'linux' is repeated"},
        Case{"DuplicateQuotedKey",
             InsertAfter(kPolicy, "enforcement:", "\"enforcement\": report\n"),
             "bad.yaml:4:1: key 'enforcement' is repeated"},
        Case{"DuplicateKeyInAFlowMapping",
             InsertAfter(kPolicy, "enforcement:",
                         "applies_to: {platforms: [linux], platforms: []}\n"),
             "bad.yaml:4:34: key 'platforms' is repeated"},
        Case{"DuplicateKeyThroughAnAlias",
             InsertAfter(kPolicy,
                         "enforcement:", "description: &d title\n*d : Other\n"),
             "bad.yaml:5:1: key 'title' is repeated"},
        Case{"DuplicateVpnProfileKey",
             InsertAfter(kProfile, "  routes:", "  routes: [0.0.0.0/0]\n"),
             "bad.yaml:8:3: key 'routes' is repeated"},
        Case{"DuplicateGatewayKey",
             InsertAfter(kProfile, "    endpoint:",
                         "    endpoint: other.example:51820\n"),
             "bad.yaml:6:5: key 'endpoint' is repeated"},
        Case{"DuplicateVpnProfile", std::string(kProfile) + "vpn_profile: {}\n",
             "bad.yaml:9:1: key 'vpn_profile' is repeated"},
        Case{"SecondDocument", std::string(kPolicy) + "---\nid: other\n",
             "bad.yaml:11:1: a second YAML document"},
        Case{"EmptySecondDocument", std::string(kPolicy) + "---\n",
             "bad.yaml:11:1: a second YAML document"},
        Case{"SecondVpnProfileDocument",
             std::string(kProfile) + "---\n" + kProfile,
             "bad.yaml:9:1: a second YAML document"},
        Case{"InvalidUtf8InAValue",
             InsertAfter(kPolicy, "enforcement:", "description: caf\xe9\n"),
             "bad.yaml:4:17: not valid UTF-8 (byte 0xe9)"},
        Case{"InvalidUtf8InACheckTitle",
             InsertAfter(kPolicy, "    query:",
                         "    # fine\n    detail_query: \"\xc0\xaf\"\n"),
             "bad.yaml:9:20: not valid UTF-8 (byte 0xc0)"},
        Case{"InvalidUtf8InAComment", std::string(kPolicy) + "# \xff\xfe\n",
             "bad.yaml:11:3: not valid UTF-8 (byte 0xff)"},
        Case{"EncodedSurrogate",
             InsertAfter(kPolicy, "title: Demo",
                         "description: x\xed\xa0\x80y\n"),
             "bad.yaml:3:15: not valid UTF-8 (byte 0xed)"},
        Case{"InvalidUtf8InAVpnProfile",
             InsertAfter(kProfile,
                         "  title:", "  applies_to: {groups: [\x80]}\n"),
             "bad.yaml:4:25: not valid UTF-8 (byte 0x80)"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(YamlStructureTest, SameKeyInDifferentMappingsIsFine) {
  // `title` and `id` at the top and in each check, `text` in two checks.
  std::string yaml = std::string(kPolicy) +
                     "  - id: fw2\n    title: Again\n"
                     "    query: SELECT 1 FROM firewall\n"
                     "    remediation: {text: Again.}\n";
  auto p = ParsePolicyYaml(yaml, "ok.yaml");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->checks_size(), 2);
  EXPECT_TRUE(ParseVpnProfileYaml(kProfile, "ok.yaml").ok());
}

TEST(YamlStructureTest, Utf8TextAndAnExplicitDocumentEndAreFine) {
  std::string yaml = InsertAfter(
      kPolicy, "title: Demo",
      "description: \"Caf\xc3\xa9 \xe2\x9c\x93 \\u00e9 \\U0001F512\"\n");
  yaml = "---\n" + yaml + "...\n";
  auto p = ParsePolicyYaml(yaml, "ok.yaml");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->description(),
            "Caf\xc3\xa9 \xe2\x9c\x93 \xc3\xa9 \xf0\x9f\x94\x92");
}

// The loader refuses the file before any field of a proto holds its text,
// naming the file and position.
TEST(YamlStructureTest, LoadPolicySetNamesTheFile) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("a.yaml"), kPolicy).ok());
  ASSERT_TRUE(
      WriteFileAtomic(dir.File("b.yaml"),
                      InsertAfter(kProfile, "  title:", "  title: again\n"))
          .ok());
  ASSERT_TRUE(WriteFileAtomic(dir.File("c.yaml"),
                              "id: c\ntitle: \"\xff\"\nenforcement: warn\n")
                  .ok());
  auto set = LoadPolicySet(dir.path());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(),
              HasSubstr(dir.File("b.yaml") + ":4:3: key 'title' is repeated"));
  EXPECT_THAT(set.status().message(),
              HasSubstr(dir.File("c.yaml") + ":2:9: not valid UTF-8"));
}

TEST(PolicyFileLimitsTest, OversizedFileIsRefusedNamingTheLimit) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("a.yaml"), kPolicy).ok());
  std::string big = std::string(kPolicy) + "# " +
                    std::string(kMaxPolicyFileBytes, 'x') + "\n";
  ASSERT_TRUE(WriteFileAtomic(dir.File("b.yaml"), big).ok());
  auto set = LoadPolicySet(dir.path());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(), HasSubstr(dir.File("b.yaml")));
  EXPECT_THAT(set.status().message(),
              HasSubstr(std::to_string(kMaxPolicyFileBytes) + " bytes"));
}

TEST(PolicyFileLimitsTest, DirectoryTotalIsBounded) {
  testing::TempDir dir;
  // Each file is under the per-file limit; together they are over the
  // directory's.
  std::string padded = std::string(kPolicy) + "# " +
                       std::string(kMaxPolicyFileBytes - 1000, 'x') + "\n";
  size_t files = kMaxPolicyDirectoryBytes / padded.size() + 1;
  for (size_t i = 0; i < files; ++i) {
    std::string yaml = padded;
    yaml.replace(0, 8, "id: p" + std::to_string(1000 + i));
    ASSERT_TRUE(WriteFileAtomic(
                    dir.File("p" + std::to_string(1000 + i) + ".yaml"), yaml)
                    .ok());
  }
  auto set = LoadPolicySet(dir.path());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(),
              HasSubstr(std::to_string(kMaxPolicyDirectoryBytes) +
                        " bytes, the limit for a directory"));
}

TEST(PolicyFileLimitsTest, FifoAndDeviceLinksAreRefusedNotRead) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("a.yaml"), kPolicy).ok());
  ASSERT_EQ(::mkfifo(dir.File("fifo.yaml").c_str(), 0600), 0);
  ASSERT_EQ(::symlink("/dev/zero", dir.File("zero.yaml").c_str()), 0);
  auto set = LoadPolicySet(dir.path());
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(),
              HasSubstr(dir.File("fifo.yaml") + ": it is a FIFO"));
  EXPECT_THAT(set.status().message(),
              HasSubstr(dir.File("zero.yaml") + ": it is a character device"));
}

}  // namespace
}  // namespace trellis::policy
