// Loading the server's key material: a damaged state file stops the load
// with an error naming the file, whichever file it is and however it is
// damaged; intact state is reused as it is.
#include "server/pki/server_pki.h"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "common/policy/bundle_signing.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

using ::testing::HasSubstr;
using ::trellis::testing::TempDir;

const std::vector<std::string> kDns = {"localhost"};
const std::vector<std::string> kIps = {"127.0.0.1"};

class ServerPkiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto first = Load();
    ASSERT_TRUE(first.ok()) << first.status();
    original_.emplace(*std::move(first));
  }

  absl::StatusOr<ServerPki> Load() {
    return LoadOrCreateServerPki(dir_.path(), kDns, kIps, clock_);
  }

  std::string PathOf(const std::string& name) { return dir_.File(name); }

  void Replace(const std::string& name, const std::string& text) {
    int mode = *FileMode(PathOf(name));
    ASSERT_TRUE(WriteFileAtomic(PathOf(name), text, mode).ok());
  }

  TempDir dir_;
  FakeClock clock_{absl::Now()};
  std::optional<ServerPki> original_;
};

TEST_F(ServerPkiTest, IntactStateIsReusedAsItIs) {
  auto again = Load();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->ca.certificate_pem(), original_->ca.certificate_pem());
  EXPECT_EQ(again->server_cert_pem, original_->server_cert_pem);
  EXPECT_EQ(again->server_key_pem, original_->server_key_pem);
  EXPECT_EQ(again->policy_signing.public_key_pem,
            original_->policy_signing.public_key_pem);
}

TEST_F(ServerPkiTest, EveryDamagedStateFileIsNamed) {
  const std::vector<std::string> files = {"ca.crt",
                                          "ca.key",
                                          "server.crt",
                                          "server.key",
                                          "policy-signing.key",
                                          "policy-signing.pub",
                                          "audit-signing.key",
                                          "audit-signing.pub"};
  for (const std::string& name : files) {
    const std::string intact = *ReadFile(PathOf(name));
    const std::vector<std::pair<std::string, std::string>> damages = {
        {"garbage", "this is not PEM at all\n"},
        {"empty", ""},
        {"truncated", intact.substr(0, intact.size() / 2)},
        {"trailing text", absl::StrCat(intact, "junk after the block\n")},
        {"leading text", absl::StrCat("junk before the block\n", intact)},
        {"corrupt body",
         absl::StrCat(intact.substr(0, 40), "!!!!", intact.substr(44))},
    };
    for (const auto& [kind, text] : damages) {
      Replace(name, text);
      auto loaded = Load();
      EXPECT_FALSE(loaded.ok()) << name << " (" << kind << ") was accepted";
      if (!loaded.ok()) {
        EXPECT_THAT(loaded.status().message(), HasSubstr(PathOf(name)))
            << name << " (" << kind << ")";
      }
      Replace(name, intact);
    }
  }
  auto restored = Load();
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->server_cert_pem, original_->server_cert_pem);
}

TEST_F(ServerPkiTest, KeysThatDoNotMatchTheirPartnerAreNamed) {
  auto other_ca = crypto::CertificateAuthority::Create("other", clock_.Now(),
                                                       absl::Hours(24));
  ASSERT_TRUE(other_ca.ok());
  auto other_keys = crypto::GenerateKeyPair();
  ASSERT_TRUE(other_keys.ok());
  auto other_signing = policy::GenerateSigningKey();
  ASSERT_TRUE(other_signing.ok());

  struct Case {
    std::string file;
    std::string text;
    std::string named;
  };
  for (const Case& c : {
           Case{"ca.key", other_ca->private_key_pem(), "ca.crt and "},
           Case{"server.key", other_keys->private_key_pem, "server.key"},
           Case{"policy-signing.pub", other_signing->public_key_pem,
                "policy-signing.pub"},
           Case{"audit-signing.pub", other_signing->public_key_pem,
                "audit-signing.pub"},
       }) {
    const std::string intact = *ReadFile(PathOf(c.file));
    Replace(c.file, c.text);
    auto loaded = Load();
    ASSERT_FALSE(loaded.ok()) << c.file;
    EXPECT_THAT(loaded.status().message(), HasSubstr(c.named)) << c.file;
    Replace(c.file, intact);
  }
}

TEST_F(ServerPkiTest, MissingServerCertificateIsIssuedAnew) {
  ASSERT_EQ(std::remove(PathOf("server.crt").c_str()), 0);
  ASSERT_EQ(std::remove(PathOf("server.key").c_str()), 0);
  auto reissued = Load();
  ASSERT_TRUE(reissued.ok()) << reissued.status();
  EXPECT_NE(reissued->server_cert_pem, original_->server_cert_pem);
  EXPECT_TRUE(FileExists(PathOf("server.crt")));
}

TEST_F(ServerPkiTest, LoadCaNamesADamagedCaCertificate) {
  Replace("ca.crt", "garbage\n");
  auto ca = LoadCa(dir_.path());
  ASSERT_FALSE(ca.ok());
  EXPECT_THAT(ca.status().message(), HasSubstr(PathOf("ca.crt")));
}

}  // namespace
}  // namespace trellis::server
