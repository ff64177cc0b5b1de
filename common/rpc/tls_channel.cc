#include "common/rpc/tls_channel.h"

namespace trellis::rpc {

TlsIdentity OperatorTlsIdentity(const identity::OperatorCredentials& creds) {
  return TlsIdentity{creds.ca_certificate_pem, creds.certificate_pem,
                     creds.private_key_pem};
}

std::shared_ptr<grpc::Channel> MakeTlsChannel(
    const std::string& address, const TlsIdentity& identity,
    const grpc::ChannelArguments& args) {
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = identity.ca_pem;
  tls.pem_cert_chain = identity.cert_pem;
  tls.pem_private_key = identity.key_pem;
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(tls), args);
}

}  // namespace trellis::rpc
