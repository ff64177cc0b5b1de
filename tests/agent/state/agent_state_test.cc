#include "agent/state/agent_state.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/pki.h"
#include "common/util/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis::agent {
namespace {

using ::testing::HasSubstr;

AgentRecord FullRecord() {
  AgentRecord r;
  r.server_address = "trellis.example.com:8443";
  r.device_id = "dabcdefghijklmnopqrstuvwxyz";
  r.group = "engineering";
  r.ownership = "corporate";
  r.enrolled_at = absl::FromUnixSeconds(1767225600);
  r.next_sequence = 42;
  r.last_checkin_at = absl::FromUnixSeconds(1767229200);
  r.last_checkin_result = "ok";
  r.last_attempt_at = absl::FromUnixSeconds(1767229260);
  return r;
}

TEST(RecordTest, FormatParseRoundTrip) {
  const AgentRecord r = FullRecord();
  absl::StatusOr<AgentRecord> parsed = ParseRecord(FormatRecord(r));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->server_address, r.server_address);
  EXPECT_EQ(parsed->device_id, r.device_id);
  EXPECT_EQ(parsed->group, r.group);
  EXPECT_EQ(parsed->ownership, r.ownership);
  EXPECT_EQ(parsed->enrolled_at, r.enrolled_at);
  EXPECT_EQ(parsed->next_sequence, 42u);
  EXPECT_EQ(parsed->last_checkin_at, r.last_checkin_at);
  EXPECT_EQ(parsed->last_checkin_result, "ok");
  EXPECT_EQ(parsed->last_attempt_at, r.last_attempt_at);
}

TEST(RecordTest, OptionalTimesStayUnset) {
  AgentRecord r = FullRecord();
  r.last_checkin_at.reset();
  r.last_attempt_at.reset();
  r.last_checkin_result = "";
  const std::string text = FormatRecord(r);
  EXPECT_THAT(text, ::testing::Not(HasSubstr("last_checkin_at")));
  absl::StatusOr<AgentRecord> parsed = ParseRecord(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->last_checkin_at.has_value());
  EXPECT_FALSE(parsed->last_attempt_at.has_value());
  EXPECT_EQ(parsed->last_checkin_result, "");
}

TEST(RecordTest, MultiLineResultIsFlattenedToOneLine) {
  AgentRecord r = FullRecord();
  r.last_checkin_result = "UNAVAILABLE: connect failed\nretrying: soon\r\nx";
  absl::StatusOr<AgentRecord> parsed = ParseRecord(FormatRecord(r));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->last_checkin_result,
            "UNAVAILABLE: connect failed retrying: soon  x");
  EXPECT_EQ(parsed->next_sequence, 42u);
}

TEST(RecordTest, UnknownKeysAreSkipped) {
  const std::string text =
      absl::StrCat(FormatRecord(FullRecord()), "future_field: whatever\n");
  absl::StatusOr<AgentRecord> parsed = ParseRecord(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->device_id, "dabcdefghijklmnopqrstuvwxyz");
}

TEST(RecordTest, LineWithoutColonIsDataLossNamingTheLine) {
  const std::string text =
      "# header\nserver: h:1\ndevice_id: dx\ngarbage line here\n";
  absl::StatusOr<AgentRecord> parsed = ParseRecord(text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 4"));
}

TEST(RecordTest, BadValuesAreDataLossNamingLineAndKey) {
  struct Case {
    std::string line;
    std::string key;
  };
  for (const Case& c : {Case{"next_sequence: many", "next_sequence"},
                        Case{"next_sequence: 0", "next_sequence"},
                        Case{"next_sequence: -3", "next_sequence"},
                        Case{"enrolled_at: yesterday", "enrolled_at"},
                        Case{"last_checkin_at: 2026-13-45", "last_checkin_at"},
                        Case{"last_attempt_at: ", "last_attempt_at"}}) {
    const std::string text =
        absl::StrCat("server: h:1\ndevice_id: dx\n", c.line, "\n");
    absl::StatusOr<AgentRecord> parsed = ParseRecord(text);
    ASSERT_FALSE(parsed.ok()) << c.line;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(parsed.status().message(), HasSubstr("line 3"));
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.key));
  }
}

TEST(RecordTest, MissingServerOrDeviceIdIsDataLoss) {
  for (const char* text :
       {"", "server: h:1\n", "device_id: dx\n", "server:\ndevice_id: dx\n"}) {
    absl::StatusOr<AgentRecord> parsed = ParseRecord(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(parsed.status().message(), HasSubstr("server or device_id"));
  }
}

TEST(AgentStateTest, SaveAndLoadRecord) {
  testing::TempDir dir;
  AgentState state(dir.path());
  ASSERT_TRUE(state.SaveRecord(FullRecord()).ok());
  EXPECT_EQ(*FileMode(state.RecordPath()), 0600);
  absl::StatusOr<AgentRecord> loaded = state.LoadRecord();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->group, "engineering");
}

TEST(AgentStateTest, LoadRecordWhenNotEnrolled) {
  testing::TempDir dir;
  AgentState state(dir.File("nothing-here"));
  EXPECT_FALSE(state.IsEnrolled());
  absl::StatusOr<AgentRecord> loaded = state.LoadRecord();
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(loaded.status().message(), HasSubstr("not enrolled"));
}

// Device key pairs with certificates from one test CA.
class IdentityTest : public ::testing::Test {
 protected:
  struct Pair {
    std::string key_pem;
    std::string cert_pem;
  };

  void SetUp() override {
    auto ca = crypto::CertificateAuthority::Create("Agent test CA", now_,
                                                   absl::Hours(24));
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = std::make_unique<crypto::CertificateAuthority>(*std::move(ca));
  }

  Pair NewPair(const std::string& cn) {
    auto keys = crypto::GenerateKeyPair();
    EXPECT_TRUE(keys.ok()) << keys.status();
    crypto::CertRequest req;
    req.public_key_pem = keys->public_key_pem;
    req.common_name = cn;
    req.organizational_unit = "device";
    req.not_before = now_;
    req.not_after = now_ + absl::Hours(1);
    auto cert = ca_->Issue(req);
    EXPECT_TRUE(cert.ok()) << cert.status();
    return {keys->private_key_pem, *cert};
  }

  const absl::Time now_ = absl::Now();
  std::unique_ptr<crypto::CertificateAuthority> ca_;
  testing::TempDir dir_;
};

TEST_F(IdentityTest, SaveIdentityWritesPrivateKeyFile) {
  AgentState state(dir_.File("state"));
  Pair p = NewPair("dev1");
  ASSERT_TRUE(
      state.SaveIdentity(p.key_pem, p.cert_pem, ca_->certificate_pem()).ok());
  absl::StatusOr<int> key_mode = FileMode(state.KeyPath());
  ASSERT_TRUE(key_mode.ok()) << key_mode.status();
  EXPECT_EQ(*key_mode, 0600);
  EXPECT_EQ(*FileMode(state.CertPath()), 0644);
  EXPECT_EQ(*FileMode(dir_.File("state")), 0700);

  absl::StatusOr<AgentState::Identity> id = state.LoadIdentity();
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->key_pem, p.key_pem);
  EXPECT_EQ(id->cert_pem, p.cert_pem);
  EXPECT_EQ(id->ca_pem, ca_->certificate_pem());
}

TEST_F(IdentityTest, IsEnrolledNeedsRecordKeyAndCertificate) {
  AgentState state(dir_.path());
  Pair p = NewPair("dev1");
  ASSERT_TRUE(
      state.SaveIdentity(p.key_pem, p.cert_pem, ca_->certificate_pem()).ok());
  EXPECT_FALSE(state.IsEnrolled());
  ASSERT_TRUE(state.SaveRecord(FullRecord()).ok());
  EXPECT_TRUE(state.IsEnrolled());
}

TEST_F(IdentityTest, InstallRenewedIdentityReplacesThePair) {
  AgentState state(dir_.path());
  Pair old_pair = NewPair("dev1");
  Pair new_pair = NewPair("dev1");
  ASSERT_TRUE(state
                  .SaveIdentity(old_pair.key_pem, old_pair.cert_pem,
                                ca_->certificate_pem())
                  .ok());
  ASSERT_TRUE(
      state.InstallRenewedIdentity(new_pair.key_pem, new_pair.cert_pem).ok());
  EXPECT_EQ(*FileMode(state.KeyPath()), 0600);
  EXPECT_FALSE(FileExists(state.KeyPath() + ".new"));
  EXPECT_FALSE(FileExists(state.CertPath() + ".new"));
  absl::StatusOr<AgentState::Identity> id = state.LoadIdentity();
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->key_pem, new_pair.key_pem);
  EXPECT_EQ(id->cert_pem, new_pair.cert_pem);
}

TEST_F(IdentityTest, LoadIdentityRecoversFromCrashMidRenewal) {
  AgentState state(dir_.path());
  Pair old_pair = NewPair("dev1");
  Pair new_pair = NewPair("dev1");
  // The key was renamed into place, the certificate not yet.
  ASSERT_TRUE(WriteFileAtomic(state.KeyPath(), new_pair.key_pem, 0600).ok());
  ASSERT_TRUE(WriteFileAtomic(state.CertPath(), old_pair.cert_pem).ok());
  ASSERT_TRUE(
      WriteFileAtomic(state.CertPath() + ".new", new_pair.cert_pem).ok());
  ASSERT_TRUE(WriteFileAtomic(state.CaPath(), ca_->certificate_pem()).ok());

  absl::StatusOr<AgentState::Identity> id = state.LoadIdentity();
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->key_pem, new_pair.key_pem);
  EXPECT_EQ(id->cert_pem, new_pair.cert_pem);
}

TEST_F(IdentityTest, LoadIdentityRecoversBeforeAnyRename) {
  AgentState state(dir_.path());
  Pair old_pair = NewPair("dev1");
  Pair new_pair = NewPair("dev1");
  ASSERT_TRUE(state
                  .SaveIdentity(old_pair.key_pem, old_pair.cert_pem,
                                ca_->certificate_pem())
                  .ok());
  // Both .new files written, nothing renamed: the old pair still matches.
  ASSERT_TRUE(
      WriteFileAtomic(state.KeyPath() + ".new", new_pair.key_pem, 0600).ok());
  ASSERT_TRUE(
      WriteFileAtomic(state.CertPath() + ".new", new_pair.cert_pem).ok());
  absl::StatusOr<AgentState::Identity> id = state.LoadIdentity();
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->key_pem, old_pair.key_pem);
  EXPECT_EQ(id->cert_pem, old_pair.cert_pem);
}

TEST_F(IdentityTest, LoadIdentityWithNoMatchingPairIsDataLoss) {
  AgentState state(dir_.path());
  Pair a = NewPair("dev1");
  Pair b = NewPair("dev1");
  Pair c = NewPair("dev1");
  ASSERT_TRUE(
      state.SaveIdentity(a.key_pem, b.cert_pem, ca_->certificate_pem()).ok());
  ASSERT_TRUE(WriteFileAtomic(state.CertPath() + ".new", c.cert_pem).ok());
  absl::StatusOr<AgentState::Identity> id = state.LoadIdentity();
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(id.status().message(), HasSubstr("matches its certificate"));
  EXPECT_THAT(id.status().message(), HasSubstr(dir_.path()));
}

TEST_F(IdentityTest, LoadIdentityWithoutCaIsNotFound) {
  AgentState state(dir_.path());
  Pair p = NewPair("dev1");
  ASSERT_TRUE(WriteFileAtomic(state.KeyPath(), p.key_pem, 0600).ok());
  ASSERT_TRUE(WriteFileAtomic(state.CertPath(), p.cert_pem).ok());
  absl::StatusOr<AgentState::Identity> id = state.LoadIdentity();
  EXPECT_EQ(id.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(id.status().message(), HasSubstr(state.CaPath()));
}

}  // namespace
}  // namespace trellis::agent
