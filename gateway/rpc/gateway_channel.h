// The gateway's gRPC channel to the server: mutual TLS with the gateway
// credential, the server's CA as the only trust root, and connection
// settings for a stream that must stay up for weeks.
#ifndef TRELLIS_GATEWAY_RPC_GATEWAY_CHANNEL_H_
#define TRELLIS_GATEWAY_RPC_GATEWAY_CHANNEL_H_

#include <memory>
#include <string>

#include "common/identity/operator_credentials.h"
#include "grpcpp/grpcpp.h"

namespace trellis::gateway {

// Keepalive pings so a silently dropped connection (NAT timeout, a server
// host that vanished) is noticed by the transport too, and reconnect
// backoff capped like the watcher's own: gRPC's default grows to two
// minutes, which would hold the gateway off a restarted server for that
// long. Tests use these with insecure credentials.
grpc::ChannelArguments GatewayChannelArguments();

std::shared_ptr<grpc::Channel> MakeGatewayChannel(
    const std::string& address, const identity::OperatorCredentials& creds);

}  // namespace trellis::gateway

#endif  // TRELLIS_GATEWAY_RPC_GATEWAY_CHANNEL_H_
