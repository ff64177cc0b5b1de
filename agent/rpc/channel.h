// gRPC channels from the agent to its server, always TLS with the pinned CA
// as the only trust root.
#ifndef TRELLIS_AGENT_RPC_CHANNEL_H_
#define TRELLIS_AGENT_RPC_CHANNEL_H_

#include <memory>
#include <string>

#include "common/rpc/tls_channel.h"
#include "grpcpp/grpcpp.h"

namespace trellis::agent {

// The pinned CA, and the device certificate and key (both empty for
// enrolment: no client certificate yet).
using ChannelIdentity = rpc::TlsIdentity;

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address,
                                           const ChannelIdentity& identity);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_RPC_CHANNEL_H_
