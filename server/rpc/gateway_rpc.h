// gRPC edge of the gateway service: parses the request (raw bytes, see
// parsed_request.h), authenticates the gateway's operator certificate (role
// gateway or admin) and attaches the stream to the feed, which re-checks that
// credential while the stream lasts.
#ifndef TRELLIS_SERVER_RPC_GATEWAY_RPC_H_
#define TRELLIS_SERVER_RPC_GATEWAY_RPC_H_

#include "common/util/clock.h"
#include "server/auth/authenticator.h"
#include "server/vpn/peer_feed.h"
#include "trellis/v1/gateway_service.grpc.pb.h"

namespace trellis::server {

using RawGatewayService = v1::GatewayService::WithRawCallbackMethod_WatchPeers<
    v1::GatewayService::Service>;

class GatewayRpc final : public RawGatewayService {
 public:
  // `clock` dates the re-checks of a stream's credential (expiry).
  GatewayRpc(Authenticator* auth, PeerFeed* feed, const Clock* clock)
      : auth_(auth), feed_(feed), clock_(clock) {}

  // Each update goes out already encoded.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchPeers(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;

 private:
  Authenticator* auth_;
  PeerFeed* feed_;
  const Clock* clock_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_RPC_GATEWAY_RPC_H_
