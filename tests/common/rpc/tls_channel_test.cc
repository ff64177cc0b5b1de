#include "common/rpc/tls_channel.h"

#include "gtest/gtest.h"

namespace trellis::rpc {
namespace {

// Mutual TLS over these channels is exercised end to end by the gateway's
// watcher tests and the integration tests; here only the credential
// mapping, which a swapped field would silently break.
TEST(TlsChannelTest, OperatorCredentialsMapOntoTheIdentity) {
  identity::OperatorCredentials creds;
  creds.ca_certificate_pem = "ca";
  creds.certificate_pem = "cert";
  creds.private_key_pem = "key";
  TlsIdentity id = OperatorTlsIdentity(creds);
  EXPECT_EQ(id.ca_pem, "ca");
  EXPECT_EQ(id.cert_pem, "cert");
  EXPECT_EQ(id.key_pem, "key");
}

TEST(TlsChannelTest, MakesAChannelWithoutConnecting) {
  grpc::ChannelArguments args;
  std::shared_ptr<grpc::Channel> channel =
      MakeTlsChannel("127.0.0.1:1", TlsIdentity{"", "", ""}, args);
  ASSERT_NE(channel, nullptr);
  EXPECT_EQ(channel->GetState(/*try_to_connect=*/false), GRPC_CHANNEL_IDLE);
}

}  // namespace
}  // namespace trellis::rpc
