#include "agent/rpc/channel.h"

namespace trellis::agent {

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address,
                                           const ChannelIdentity& identity) {
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = identity.ca_pem;
  tls.pem_cert_chain = identity.cert_pem;
  tls.pem_private_key = identity.key_pem;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(16 << 20);
  args.SetMaxSendMessageSize(1 << 20);
  // Fresh channels per call site; no sharing of subchannels with other
  // identities (the renewal swaps the client certificate).
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(tls), args);
}

}  // namespace trellis::agent
