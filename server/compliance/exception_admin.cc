#include "server/compliance/exception_admin.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/identity/device_id.h"
#include "common/rpc/admin_limits.h"
#include "common/util/json.h"
#include "common/util/proto_time.h"
#include "common/util/time_format.h"
#include "server/audit/audit_log.h"
#include "server/store/reply_after_commit.h"
#include "server/validation/fields.h"

namespace trellis::server {
namespace {

v1::ComplianceException ToProto(const ExceptionRecord& e, absl::Time now) {
  v1::ComplianceException out;
  out.set_exception_id(e.exception_id);
  out.set_device_id(e.device_id);
  out.set_policy_id(e.policy_id);
  out.set_check_id(e.check_id);
  *out.mutable_until() = ToProtoTime(e.until);
  out.set_reason(e.reason);
  out.set_created_by(e.created_by);
  *out.mutable_created_at() = ToProtoTime(e.created_at);
  out.set_active(e.until > now);
  return out;
}

// NotFound naming the policy or check when the bundle published now does
// not have it: an exception for a check that does not exist would excuse
// nothing and hide a typo.
absl::Status CheckIsPublished(StoreReader& r, const std::string& policy_id,
                              const std::string& check_id) {
  auto latest = r.GetLatestPolicyBundle();
  if (!latest.ok()) return latest.status();
  if (!latest->has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "policy ", policy_id, " is unknown: no policy bundle is published"));
  }
  v1::SignedPolicyBundle signed_bundle;
  v1::PolicyBundle bundle;
  if (!signed_bundle.ParseFromString((*latest)->signed_bundle) ||
      !bundle.ParseFromString(signed_bundle.bundle())) {
    return absl::DataLossError("stored policy bundle cannot be read");
  }
  for (const v1::Policy& p : bundle.policies()) {
    if (p.id() != policy_id) continue;
    for (const v1::Check& c : p.checks()) {
      if (c.id() == check_id) return absl::OkStatus();
    }
    return absl::NotFoundError(absl::StrCat(
        "policy ", policy_id, " has no check ", check_id,
        " in the current bundle (version ", bundle.version(), ")"));
  }
  return absl::NotFoundError(absl::StrCat("no policy ", policy_id,
                                          " in the current bundle (version ",
                                          bundle.version(), ")"));
}

// AlreadyExists naming the exception that already covers this check on this
// device: two would only make removing one look like it ended the excuse.
absl::Status CheckNotCovered(StoreReader& r, const ExceptionRecord& e,
                             absl::Time now) {
  auto active = r.ListExceptions(e.device_id, now);
  if (!active.ok()) return active.status();
  for (const ExceptionRecord& other : *active) {
    if (other.policy_id == e.policy_id && other.check_id == e.check_id) {
      return absl::AlreadyExistsError(absl::StrCat(
          "exception ", other.exception_id, " already covers ", e.policy_id,
          "/", e.check_id, " on device ", e.device_id, " until ",
          Rfc3339(other.until), "; remove it first to change it"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

void ApplyExceptions(const std::vector<ExceptionRecord>& exceptions,
                     absl::Time now, v1::Verdict* verdict) {
  for (v1::CheckResult& r : *verdict->mutable_results()) {
    for (const ExceptionRecord& e : exceptions) {
      if (e.until <= now || e.policy_id != r.policy_id() ||
          e.check_id != r.check_id()) {
        continue;
      }
      *r.mutable_excepted_until() = ToProtoTime(e.until);
      r.set_exception_reason(e.reason);
    }
  }
}

void ExceptionAdmin::Add(
    const std::string& actor, const v1::AddExceptionRequest& request,
    std::function<void(absl::StatusOr<v1::AddExceptionResponse>)> done) {
  const absl::Time now = clock_->Now();
  absl::Status s;
  if (!identity::IsValidDeviceId(request.device_id())) {
    s = absl::InvalidArgumentError("device_id is not a device id");
  }
  if (s.ok()) s = CheckName("policy_id", request.policy_id());
  if (s.ok()) s = CheckName("check_id", request.check_id());
  if (s.ok()) s = CheckText("reason", request.reason(), 256, true);
  absl::Time until = FromProtoTime(request.until());
  if (s.ok() && (until <= now || until > now + rpc::kMaxExceptionLength)) {
    s = absl::InvalidArgumentError(
        "until must be in the future and at most 365 days away");
  }
  if (!s.ok()) {
    done(s);
    return;
  }
  ExceptionRecord e;
  e.device_id = request.device_id();
  e.policy_id = request.policy_id();
  e.check_id = request.check_id();
  e.until = until;
  e.reason = request.reason();
  e.created_by = actor;
  e.created_at = now;
  auto response = std::make_shared<v1::AddExceptionResponse>();
  store_->Write(
      [=](StoreWriter& w) mutable -> absl::Status {
        auto device = w.GetDevice(e.device_id);
        if (!device.ok()) return device.status();
        if (!device->has_value()) {
          return absl::NotFoundError(
              absl::StrCat("no device with id ", e.device_id));
        }
        absl::Status st = CheckIsPublished(w, e.policy_id, e.check_id);
        if (st.ok()) st = CheckNotCovered(w, e, now);
        if (!st.ok()) return st;
        auto id = w.InsertException(e);
        if (!id.ok()) return id.status();
        e.exception_id = *id;
        AuditRecord a;
        a.time = now;
        a.actor = actor;
        a.action = "exception.add";
        a.target = e.device_id;
        a.details_json =
            JsonObject()
                .Add("exception_id", e.exception_id)
                .Add("check", absl::StrCat(e.policy_id, "/", e.check_id))
                .Add("until", Rfc3339(e.until))
                .Add("reason", e.reason)
                .Build();
        st = AppendAudit(w, a).status();
        if (!st.ok()) return st;
        if (redecider_ != nullptr) {
          st = redecider_
                   ->Redecide(w, e.device_id,
                              absl::StrCat("exception ", e.exception_id,
                                           " granted by ", actor),
                              now)
                   .status();
          if (!st.ok()) return st;
        }
        *response->mutable_exception() = ToProto(e, now);
        return absl::OkStatus();
      },
      ReplyAfterCommit(response, std::move(done)));
}

absl::StatusOr<v1::ListExceptionsResponse> ExceptionAdmin::List(
    const v1::ListExceptionsRequest& request) {
  if (!request.device_id().empty() &&
      !identity::IsValidDeviceId(request.device_id())) {
    return absl::InvalidArgumentError("device_id is not a device id");
  }
  const absl::Time now = clock_->Now();
  v1::ListExceptionsResponse response;
  absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
    auto list = r.ListExceptions(request.device_id(), request.include_expired()
                                                          ? absl::InfinitePast()
                                                          : now);
    if (!list.ok()) return list.status();
    for (const auto& e : *list) *response.add_exceptions() = ToProto(e, now);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return response;
}

void ExceptionAdmin::Remove(
    const std::string& actor, const v1::RemoveExceptionRequest& request,
    std::function<void(absl::StatusOr<v1::RemoveExceptionResponse>)> done) {
  const absl::Time now = clock_->Now();
  int64_t id = request.exception_id();
  auto response = std::make_shared<v1::RemoveExceptionResponse>();
  store_->Write(
      [=](StoreWriter& w) -> absl::Status {
        auto e = w.GetException(id);
        if (!e.ok()) return e.status();
        if (!e->has_value()) {
          return absl::NotFoundError(absl::StrCat("no exception with id ", id));
        }
        if ((*e)->until <= now) return absl::OkStatus();  // already over
        absl::Status st = w.EndException(id, now);
        if (!st.ok()) return st;
        AuditRecord a;
        a.time = now;
        a.actor = actor;
        a.action = "exception.remove";
        a.target = (*e)->device_id;
        a.details_json = JsonObject()
                             .Add("exception_id", id)
                             .Add("check", absl::StrCat((*e)->policy_id, "/",
                                                        (*e)->check_id))
                             .Build();
        st = AppendAudit(w, a).status();
        if (!st.ok() || redecider_ == nullptr) return st;
        return redecider_
            ->Redecide(w, (*e)->device_id,
                       absl::StrCat("exception ", id, " removed by ", actor),
                       now)
            .status();
      },
      ReplyAfterCommit(response, std::move(done)));
}

}  // namespace trellis::server
