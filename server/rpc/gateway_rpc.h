// gRPC edge of the gateway service: authenticates the gateway's operator
// certificate (role gateway or admin) and attaches the stream to the feed.
#ifndef TRELLIS_SERVER_RPC_GATEWAY_RPC_H_
#define TRELLIS_SERVER_RPC_GATEWAY_RPC_H_

#include "server/auth/authenticator.h"
#include "server/vpn/peer_feed.h"
#include "trellis/v1/gateway_service.grpc.pb.h"

namespace trellis::server {

class GatewayRpc final : public v1::GatewayService::CallbackService {
 public:
  GatewayRpc(Authenticator* auth, PeerFeed* feed) : auth_(auth), feed_(feed) {}

  grpc::ServerWriteReactor<v1::PeerUpdate>* WatchPeers(
      grpc::CallbackServerContext* context,
      const v1::WatchPeersRequest* request) override;

 private:
  Authenticator* auth_;
  PeerFeed* feed_;
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_RPC_GATEWAY_RPC_H_
