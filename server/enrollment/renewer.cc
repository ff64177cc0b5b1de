#include "server/enrollment/renewer.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/util/json.h"
#include "common/util/proto_time.h"
#include "common/util/time_format.h"
#include "server/store/reply_after_commit.h"

namespace trellis::server {

void Renewer::Renew(const AuthenticatedDevice& caller,
                    const v1::RenewRequest& request, Done done) {
  if (request.csr_pem().empty() || request.csr_pem().size() > 16384) {
    done(absl::InvalidArgumentError("csr_pem is missing or too long"));
    return;
  }
  auto public_key = crypto::PublicKeyFromCsr(request.csr_pem());
  if (!public_key.ok()) {
    done(absl::InvalidArgumentError(
        absl::StrCat("csr_pem: ", public_key.status().message())));
    return;
  }
  auto key_hash = crypto::PublicKeySha256(*public_key);
  if (!key_hash.ok()) {
    done(key_hash.status());
    return;
  }
  const DeviceRecord& device = caller.device;
  if (*key_hash == device.key_hash) {
    done(absl::InvalidArgumentError(
        "renewal needs a fresh key; the CSR reuses the current one"));
    return;
  }
  const absl::Time now = clock_->Now();
  auto cert_pem =
      enroller_->IssueDeviceCertificate(device.device_id, *public_key, now);
  if (!cert_pem.ok()) {
    done(cert_pem.status());
    return;
  }
  auto cert = crypto::ParseCertificate(*cert_pem);
  if (!cert.ok()) {
    done(cert.status());
    return;
  }
  std::string device_id = device.device_id;
  bool promote = caller.used_pending_key;
  std::string new_hash = *key_hash;
  std::string serial = cert->serial_hex;
  absl::Time expiry = cert->not_after;
  auto response = std::make_shared<v1::RenewResponse>();
  response->set_certificate_pem(*cert_pem);
  *response->mutable_certificate_expires_at() = ToProtoTime(expiry);
  store_->Write(
      [=](StoreWriter& w) -> absl::Status {
        auto current = RequireActiveDevice(w, device_id);
        if (!current.ok()) return current.status();
        DeviceRecord d = *std::move(current);
        if (promote) PromotePendingKey(d);
        d.pending_key_hash = new_hash;
        return SaveIssuedCertificate(w, std::move(d), serial, expiry, now,
                                     "device.renew",
                                     JsonObject()
                                         .Add("certificate_serial", serial)
                                         .Add("expires_at", Rfc3339(expiry))
                                         .Build());
      },
      ReplyAfterCommit(response, std::move(done)));
}

}  // namespace trellis::server
