#include "gateway/rpc/gateway_channel.h"

#include "common/rpc/tls_channel.h"

namespace trellis::gateway {

grpc::ChannelArguments GatewayChannelArguments() {
  grpc::ChannelArguments args;
  // A snapshot of a large fleet arrives in chunks, but a chunk may be big.
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30 * 1000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10 * 1000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  // The client only ever sends its one request, so without this gRPC would
  // stop pinging after two pings.
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  // GRPC_ARG_MIN_RECONNECT_BACKOFF_MS is left alone: gRPC uses it as the
  // time a connection attempt (TCP and TLS) may take, and a small value
  // would make every handshake over a slow link fail.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5 * 1000);
  return args;
}

std::shared_ptr<grpc::Channel> MakeGatewayChannel(
    const std::string& address, const identity::OperatorCredentials& creds) {
  return rpc::MakeTlsChannel(address, rpc::OperatorTlsIdentity(creds),
                             GatewayChannelArguments());
}

}  // namespace trellis::gateway
