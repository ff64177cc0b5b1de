// gRPC channels over TLS with one CA as the only trust root and, once there
// is one, a client certificate (mutual TLS). The agent, the gateway and
// trellisctl all reach the server this way; only the channel arguments
// differ.
#ifndef TRELLIS_COMMON_RPC_TLS_CHANNEL_H_
#define TRELLIS_COMMON_RPC_TLS_CHANNEL_H_

#include <memory>
#include <string>

#include "common/identity/operator_credentials.h"
#include "grpcpp/grpcpp.h"

namespace trellis::rpc {

struct TlsIdentity {
  std::string ca_pem;  // the only trust root
  // Both empty for no client certificate (an agent before enrolment).
  std::string cert_pem;
  std::string key_pem;
};

// The server's CA, the operator's (or gateway's) certificate and key.
TlsIdentity OperatorTlsIdentity(const identity::OperatorCredentials& creds);

std::shared_ptr<grpc::Channel> MakeTlsChannel(
    const std::string& address, const TlsIdentity& identity,
    const grpc::ChannelArguments& args);

}  // namespace trellis::rpc

#endif  // TRELLIS_COMMON_RPC_TLS_CHANNEL_H_
