// gRPC channels from the agent to its server, always TLS with the pinned CA
// as the only trust root.
#ifndef TRELLIS_AGENT_RPC_CHANNEL_H_
#define TRELLIS_AGENT_RPC_CHANNEL_H_

#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"

namespace trellis::agent {

struct ChannelIdentity {
  std::string ca_pem;
  // Empty for enrolment (no client certificate yet).
  std::string cert_pem;
  std::string key_pem;
};

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address,
                                           const ChannelIdentity& identity);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_RPC_CHANNEL_H_
