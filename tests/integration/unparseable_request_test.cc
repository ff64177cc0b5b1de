// Bytes that are not the method's request message: every method of every
// service answers INVALID_ARGUMENT naming the message type (gRPC's typed
// callback handlers would answer UNIMPLEMENTED with no message), and the
// server keeps serving.
#include <string>

#include "absl/strings/str_cat.h"
#include "agent/rpc/channel.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "tests/integration/integration_env.h"

namespace trellis::testing {
namespace {

using ::testing::HasSubstr;

class UnparseableRequestTest : public IntegrationTest {
 protected:
  void SetUp() override { StartServer(); }

  grpc::Status RawCall(const std::string& method, const std::string& bytes) {
    return RawUnaryCall(
        agent::MakeChannel(address(), agent::ChannelIdentity{CaPem(), "", ""}),
        method, bytes);
  }
};

TEST_F(UnparseableRequestTest, EveryMethodAnswersInvalidArgumentNamingTheType) {
  // A field tag whose varint never ends, a length running past the end, and
  // invalid UTF-8 in field 1 where that is a string.
  struct Garbage {
    std::string bytes;
    bool needs_string_field_1;
  };
  const Garbage garbage[] = {{std::string("\xff\xff\xff\xff\xff", 5), false},
                             {std::string("\x0a\x7f"
                                          "abc",
                                          5),
                              false},
                             {std::string("\x0a\x02\xff\xfe", 4), true}};
  int methods = 0;
  for (const char* service_name :
       {"trellis.v1.DeviceService", "trellis.v1.AdminService",
        "trellis.v1.GatewayService"}) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service_name);
    ASSERT_NE(service, nullptr) << service_name;
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor* method = service->method(m);
      const std::string path =
          absl::StrCat("/", service->full_name(), "/", method->name());
      const google::protobuf::FieldDescriptor* first =
          method->input_type()->FindFieldByNumber(1);
      const bool string_field_1 =
          first != nullptr &&
          first->type() == google::protobuf::FieldDescriptor::TYPE_STRING;
      for (const auto& [bytes, needs_string_field_1] : garbage) {
        if (needs_string_field_1 && !string_field_1) continue;
        grpc::Status s = RawCall(path, bytes);
        EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << path << ": " << s.error_message();
        EXPECT_THAT(s.error_message(),
                    HasSubstr(absl::StrCat("not a valid ",
                                           method->input_type()->full_name())))
            << path;
      }
      ++methods;
    }
  }
  EXPECT_GE(methods, 4 + 17 + 1);

  // An unknown method is still UNIMPLEMENTED.
  EXPECT_EQ(RawCall("/trellis.v1.DeviceService/NoSuchMethod", "").error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  // And the server still serves a real agent.
  auto state = Enroll(CreateToken(), "after-garbage");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_TRUE(CheckIn(*state).ok());
}

}  // namespace
}  // namespace trellis::testing
