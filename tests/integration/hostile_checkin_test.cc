// A device sending hostile check-ins through the real check-in path:
// terminal escapes and over-long text in the facts that become its OS name
// and version, and a sequence number that would freeze it. Each is refused
// naming the field, the device row keeps what it had, and the device still
// checks in normally afterwards.
#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "server/checkin/checkin_handler.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class HostileCheckInTest : public IntegrationTest {
 protected:
  void SetUp() override {
    StartServer();
    auto state = Enroll(CreateToken(), "hostile");
    ASSERT_TRUE(state.ok()) << state.status();
    ASSERT_TRUE(CheckIn(*state).ok());
    device_id_ = state->LoadRecord()->device_id;
    auto identity = state->LoadIdentity();
    stub_ = DeviceStub(identity->cert_pem, identity->key_pem);
  }

  grpc::Status Send(uint64_t sequence, const std::string& os_name,
                    const std::string& os_version,
                    v1::CheckInResponse* response = nullptr) {
    v1::CheckInRequest request;
    request.set_sequence(sequence);
    v1::PostureReport* report = request.mutable_report();
    report->set_platform(v1::PLATFORM_LINUX);
    v1::FactTable* t = report->add_tables();
    t->set_name("os_version");
    t->set_status(v1::FactTable::STATUS_OK);
    t->add_columns("name");
    t->add_columns("version");
    v1::FactRow* row = t->add_rows();
    row->add_values()->set_text_value(os_name);
    row->add_values()->set_text_value(os_version);
    v1::CheckInResponse ignored;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    return stub_->CheckIn(&context, request,
                          response != nullptr ? response : &ignored);
  }

  server::DeviceRecord Device() {
    std::optional<server::DeviceRecord> device;
    absl::Status read = server_->store().Read([&](server::StoreReader& r) {
      auto d = r.GetDevice(device_id_);
      if (!d.ok()) return d.status();
      device = *std::move(d);
      return absl::OkStatus();
    });
    EXPECT_TRUE(read.ok()) << read;
    EXPECT_TRUE(device.has_value());
    return device.value_or(server::DeviceRecord());
  }

  std::string device_id_;
  std::unique_ptr<v1::DeviceService::Stub> stub_;
};

TEST_F(HostileCheckInTest, EscapesAndOverlongOsTextAreRefusedNamingTheField) {
  const server::DeviceRecord before = Device();
  ASSERT_FALSE(before.os_name.empty());
  uint64_t sequence = before.last_sequence;
  struct Case {
    std::string name;
    std::string version;
    std::string named;
  };
  for (const Case& c : {
           Case{"Debian\x1b]0;owned\x07", "12", "column name"},
           Case{"Debian\x1b[2J\x1b[H", "12", "column name"},
           Case{"Debian", "12\r\n2026-01-01 INFO fake line", "column version"},
           Case{std::string(16000, 'A'), "12", "column name"},
           Case{"Debian", std::string(129, '9'), "column version"},
       }) {
    grpc::Status s = Send(++sequence, c.name, c.version);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.named;
    EXPECT_THAT(s.error_message(),
                AllOf(HasSubstr("table os_version row 0"), HasSubstr(c.named)));
  }
  const server::DeviceRecord after = Device();
  EXPECT_EQ(after.os_name, before.os_name);
  EXPECT_EQ(after.os_version, before.os_version);
  EXPECT_EQ(after.last_sequence, before.last_sequence);
  EXPECT_THAT(after.os_name, Not(HasSubstr("\x1b")));

  // Ordinary text right at the limit is stored.
  ASSERT_TRUE(Send(++sequence, std::string(128, 'N'), "12 (bookworm)").ok());
  EXPECT_EQ(Device().os_name, std::string(128, 'N'));
}

TEST_F(HostileCheckInTest, SequenceJumpPastTheBoundIsRefusedAndDoesNotFreeze) {
  const server::DeviceRecord before = Device();
  const uint64_t last = before.last_sequence;
  for (uint64_t jump : {std::numeric_limits<uint64_t>::max(),
                        last + server::kMaxSequenceStep + 1}) {
    grpc::Status s = Send(jump, "Debian GNU/Linux", "12");
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << jump;
    EXPECT_THAT(s.error_message(),
                AllOf(HasSubstr(absl::StrCat("sequence ", jump)),
                      HasSubstr("more than 1000000 ahead")));
  }
  EXPECT_EQ(Device().last_sequence, last);

  // The next ordinary report is accepted, not a "duplicate", and moves
  // last-seen on.
  clock_.Advance(absl::Minutes(1));
  v1::CheckInResponse response;
  ASSERT_TRUE(Send(last + 1, "Debian GNU/Linux", "12", &response).ok());
  EXPECT_FALSE(response.duplicate());
  EXPECT_EQ(response.accepted_sequence(), last + 1);
  const std::optional<absl::Time> seen = Device().last_seen_at;
  ASSERT_TRUE(seen.has_value() && before.last_seen_at.has_value());
  EXPECT_GE(*seen - *before.last_seen_at, absl::Seconds(59));
  // The largest allowed step is taken.
  ASSERT_TRUE(Send(last + 1 + server::kMaxSequenceStep, "Debian GNU/Linux",
                   "12", &response)
                  .ok());
  EXPECT_FALSE(response.duplicate());
}

}  // namespace
}  // namespace trellis::testing
