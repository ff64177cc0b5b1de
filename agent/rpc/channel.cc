#include "agent/rpc/channel.h"

namespace trellis::agent {

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address,
                                           const ChannelIdentity& identity) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(16 << 20);
  args.SetMaxSendMessageSize(1 << 20);
  // Fresh channels per call site; no sharing of subchannels with other
  // identities (the renewal swaps the client certificate).
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return rpc::MakeTlsChannel(address, identity, args);
}

}  // namespace trellis::agent
