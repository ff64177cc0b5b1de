#include "agent/policy/bundle_sync.h"

#include "absl/strings/str_cat.h"
#include "common/policy/bundle_signing.h"
#include "common/util/files.h"
#include "common/util/logging.h"

namespace trellis::agent {
namespace {

absl::StatusOr<std::string> PinnedKey(const AgentState& state) {
  auto key = ReadFile(state.PolicyKeyPath());
  if (!key.ok()) {
    return absl::FailedPreconditionError(
        "no policy-signing key was pinned at enrolment; enrol again");
  }
  return key;
}

}  // namespace

absl::StatusOr<std::optional<v1::PolicyBundle>> LoadHeldBundle(
    const AgentState& state) {
  if (!FileExists(state.BundlePath())) return std::optional<v1::PolicyBundle>();
  auto key = PinnedKey(state);
  if (!key.ok()) return key.status();
  auto bytes = ReadFile(state.BundlePath());
  if (!bytes.ok()) return bytes.status();
  v1::SignedPolicyBundle signed_bundle;
  if (!signed_bundle.ParseFromString(*bytes)) {
    return absl::DataLossError(
        absl::StrCat(state.BundlePath(), " is not a policy bundle"));
  }
  auto bundle = policy::VerifyBundle(signed_bundle, *key);
  if (!bundle.ok()) {
    return absl::DataLossError(absl::StrCat(
        "the held policy bundle no longer verifies: ",
        bundle.status().message()));
  }
  return std::optional<v1::PolicyBundle>(*std::move(bundle));
}

absl::StatusOr<v1::PolicyBundle> AcceptBundle(
    const AgentState& state, const v1::SignedPolicyBundle& signed_bundle) {
  auto key = PinnedKey(state);
  if (!key.ok()) return key.status();
  auto bundle = policy::VerifyBundle(signed_bundle, *key);
  if (!bundle.ok()) {
    LogError("policy: refusing bundle: ", bundle.status().message());
    return bundle.status();
  }
  auto held = LoadHeldBundle(state);
  uint64_t held_version = held.ok() && *held ? (*held)->version() : 0;
  if (bundle->version() <= held_version) {
    std::string why = absl::StrCat(
        "refusing policy bundle version ", bundle->version(),
        ": this device already holds version ", held_version,
        " (a bundle may never go back)");
    LogError("policy: ", why);
    return absl::FailedPreconditionError(why);
  }
  absl::Status s = WriteFileAtomic(state.BundlePath(),
                                   signed_bundle.SerializeAsString(), 0644);
  if (!s.ok()) return s;
  LogInfo("policy: now holding bundle version ", bundle->version(),
          " (signed by ", signed_bundle.key_id(), ")");
  return bundle;
}

absl::StatusOr<uint64_t> SyncBundle(const AgentState& state,
                                    v1::DeviceService::StubInterface& stub,
                                    uint64_t advertised_version,
                                    absl::Duration timeout) {
  auto held = LoadHeldBundle(state);
  uint64_t held_version = held.ok() && *held ? (*held)->version() : 0;
  if (advertised_version <= held_version) return held_version;
  v1::FetchPolicyBundleResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::Status status =
      stub.FetchPolicyBundle(&context, v1::FetchPolicyBundleRequest(), &response);
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "cannot fetch policy bundle: ", status.error_message()));
  }
  auto accepted = AcceptBundle(state, response.bundle());
  if (!accepted.ok()) return accepted.status();
  return accepted->version();
}

}  // namespace trellis::agent
