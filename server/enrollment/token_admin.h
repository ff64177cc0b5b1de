// Operator actions on enrolment tokens.
#ifndef TRELLIS_SERVER_ENROLLMENT_TOKEN_ADMIN_H_
#define TRELLIS_SERVER_ENROLLMENT_TOKEN_ADMIN_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/pki/server_pki.h"
#include "server/store/store.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::server {

class TokenAdmin {
 public:
  TokenAdmin(Store* store, const ServerPki* pki, const Clock* clock)
      : store_(store), pki_(pki), clock_(clock) {}

  // The host:port written into new tokens.
  void set_advertised_address(std::string address) {
    absl::MutexLock lock(&mu_);
    advertised_address_ = std::move(address);
  }

  void Create(
      const std::string& actor, const v1::CreateEnrollmentTokenRequest& request,
      std::function<void(absl::StatusOr<v1::CreateEnrollmentTokenResponse>)>
          done);
  absl::StatusOr<v1::ListEnrollmentTokensResponse> List(
      const v1::ListEnrollmentTokensRequest& request);
  void Revoke(
      const std::string& actor, const v1::RevokeEnrollmentTokenRequest& request,
      std::function<void(absl::StatusOr<v1::RevokeEnrollmentTokenResponse>)>
          done);

  // The token's state as an admin sees it at `now`.
  static v1::EnrollmentTokenInfo ToInfo(const TokenRecord& token,
                                        absl::Time now);

 private:
  Store* store_;
  const ServerPki* pki_;
  const Clock* clock_;
  absl::Mutex mu_;
  std::string advertised_address_ ABSL_GUARDED_BY(mu_);
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_ENROLLMENT_TOKEN_ADMIN_H_
