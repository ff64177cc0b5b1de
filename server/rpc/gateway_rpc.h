// gRPC edge of the gateway service: parses the request (raw bytes, see
// parsed_request.h), authenticates the gateway's operator certificate (role
// gateway or admin) and attaches the stream to the feed.
#ifndef TRELLIS_SERVER_RPC_GATEWAY_RPC_H_
#define TRELLIS_SERVER_RPC_GATEWAY_RPC_H_

#include "server/auth/authenticator.h"
#include "server/vpn/peer_feed.h"
#include "trellis/v1/gateway_service.grpc.pb.h"

namespace trellis::server {

using RawGatewayService = v1::GatewayService::WithRawCallbackMethod_WatchPeers<
    v1::GatewayService::Service>;

class GatewayRpc final : public RawGatewayService {
 public:
  GatewayRpc(Authenticator* auth, PeerFeed* feed) : auth_(auth), feed_(feed) {}

  // Each update goes out already encoded.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchPeers(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;

 private:
  Authenticator* auth_;
  PeerFeed* feed_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_RPC_GATEWAY_RPC_H_
