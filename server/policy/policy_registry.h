// The published policy bundle and the evaluators compiled from it. Publishing
// validates, plans, signs (Ed25519) and stores a new version that only ever
// grows; the server evaluates every check-in against the current bundle.
#ifndef TRELLIS_SERVER_POLICY_POLICY_REGISTRY_H_
#define TRELLIS_SERVER_POLICY_POLICY_REGISTRY_H_

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/policy/evaluator.h"
#include "server/pki/server_pki.h"
#include "server/store/store.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::server {

class PolicyRegistry {
 public:
  struct Published {
    v1::PolicyBundle bundle;
    v1::SignedPolicyBundle signed_bundle;
  };

  PolicyRegistry(Store* store, const ServerPki* pki, const Clock* clock)
      : store_(store), pki_(pki), clock_(clock) {}

  // Loads the newest bundle from the store (at start).
  absl::Status Load();

  // Null when nothing has been published.
  std::shared_ptr<const Published> current() const;
  uint64_t current_version() const;

  void Publish(
      const std::string& actor, const v1::PublishPoliciesRequest& request,
      std::function<void(absl::StatusOr<v1::PublishPoliciesResponse>)> done);

  // Runs after a new version is installed (the VPN peers follow profile
  // changes). Set before serving.
  void set_on_published(std::function<void()> fn) {
    on_published_ = std::move(fn);
  }

  // Limits (and the clock measuring them) for every evaluator compiled from
  // now on; tests slow the clock down. Set before serving.
  void set_sandbox_limits(const policy::SandboxLimits& limits) {
    sandbox_limits_ = limits;
  }

  // The verdict of the current bundle; nullopt when none is published.
  absl::StatusOr<std::optional<v1::Verdict>> Evaluate(
      const policy::DeviceContext& device, const v1::PostureReport& report);

 private:
  void Install(std::shared_ptr<const Published> published);
  std::unique_ptr<policy::Evaluator> Acquire(
      const std::shared_ptr<const Published>& published, absl::Status* error);
  void Release(std::unique_ptr<policy::Evaluator> evaluator);
  // FailedPrecondition when `compiled` would use up the evaluation budget
  // on the latest report of any of the most recently seen devices.
  absl::Status CheckCostOnRecentDevices(policy::Evaluator& compiled);

  Store* store_;
  const ServerPki* pki_;
  const Clock* clock_;
  std::function<void()> on_published_;
  policy::SandboxLimits sandbox_limits_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const Published> current_ ABSL_GUARDED_BY(mu_);
  // Compiled evaluators for the current version, one per concurrent caller.
  std::vector<std::unique_ptr<policy::Evaluator>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_POLICY_POLICY_REGISTRY_H_
