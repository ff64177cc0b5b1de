#include "server/enrollment/token_admin.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/enrollment/token.h"
#include "common/rpc/admin_limits.h"
#include "common/util/json.h"
#include "common/util/proto_time.h"
#include "common/util/time_format.h"
#include "server/audit/audit_log.h"
#include "server/store/reply_after_commit.h"
#include "server/validation/fields.h"

namespace trellis::server {
namespace {

AuditRecord TokenAudit(const std::string& actor, const char* action,
                       const std::string& token_id, absl::Time now,
                       std::string details) {
  AuditRecord a;
  a.time = now;
  a.actor = actor;
  a.action = action;
  a.target = token_id;
  a.details_json = std::move(details);
  return a;
}

}  // namespace

v1::EnrollmentTokenInfo TokenAdmin::ToInfo(const TokenRecord& t,
                                           absl::Time now) {
  v1::EnrollmentTokenInfo info;
  info.set_token_id(t.token_id);
  info.set_group(t.group);
  info.set_ownership(t.ownership);
  info.set_max_uses(t.max_uses);
  info.set_uses(t.uses);
  *info.mutable_created_at() = ToProtoTime(t.created_at);
  *info.mutable_expires_at() = ToProtoTime(t.expires_at);
  info.set_created_by(t.created_by);
  info.set_description(t.description);
  if (t.revoked_at) {
    info.set_status(v1::EnrollmentTokenInfo::STATUS_REVOKED);
  } else if (t.uses >= t.max_uses) {
    info.set_status(v1::EnrollmentTokenInfo::STATUS_USED_UP);
  } else if (now >= t.expires_at) {
    info.set_status(v1::EnrollmentTokenInfo::STATUS_EXPIRED);
  } else {
    info.set_status(v1::EnrollmentTokenInfo::STATUS_ACTIVE);
  }
  return info;
}

void TokenAdmin::Create(
    const std::string& actor, const v1::CreateEnrollmentTokenRequest& request,
    std::function<void(absl::StatusOr<v1::CreateEnrollmentTokenResponse>)>
        done) {
  absl::Status s = CheckName("group", request.group());
  if (s.ok()) s = CheckText("description", request.description(), 256);
  if (s.ok() && request.ownership() != v1::OWNERSHIP_CORPORATE &&
      request.ownership() != v1::OWNERSHIP_PERSONAL) {
    s = absl::InvalidArgumentError("ownership must be corporate or personal");
  }
  if (s.ok() && (request.max_uses() < rpc::kMinTokenUses ||
                 request.max_uses() > rpc::kMaxTokenUses)) {
    s = absl::InvalidArgumentError(absl::StrCat("max_uses must be between ",
                                                rpc::kMinTokenUses, " and ",
                                                rpc::kMaxTokenUses));
  }
  absl::Duration ttl = absl::Seconds(request.ttl_seconds());
  if (s.ok() && (ttl < rpc::kMinTokenTtl || ttl > rpc::kMaxTokenTtl)) {
    s = absl::InvalidArgumentError(
        "ttl_seconds must be between 60 (1 minute) and 31536000 (365 days)");
  }
  if (!s.ok()) {
    done(s);
    return;
  }
  const absl::Time now = clock_->Now();
  std::string address;
  {
    absl::MutexLock lock(&mu_);
    address = advertised_address_;
  }
  enrollment::EnrollmentToken token =
      enrollment::NewToken(pki_->ca_fingerprint_sha256, address);
  TokenRecord record;
  record.token_id = token.token_id;
  record.secret_hash = enrollment::HashSecret(token.secret);
  record.group = request.group();
  record.ownership = request.ownership();
  record.max_uses = request.max_uses();
  record.created_at = now;
  record.expires_at = now + ttl;
  record.created_by = actor;
  record.description = request.description();

  auto response = std::make_shared<v1::CreateEnrollmentTokenResponse>();
  response->set_token(enrollment::FormatToken(token));
  *response->mutable_info() = ToInfo(record, now);
  store_->Write(
      [=](StoreWriter& w) -> absl::Status {
        absl::Status s = w.InsertToken(record);
        if (!s.ok()) return s;
        return AppendAudit(
                   w, TokenAudit(
                          actor, "token.create", record.token_id, now,
                          JsonObject()
                              .Add("group", record.group)
                              .Add("ownership",
                                   record.ownership == v1::OWNERSHIP_PERSONAL
                                       ? "personal"
                                       : "corporate")
                              .Add("max_uses", int64_t{record.max_uses})
                              .Add("expires_at", Rfc3339(record.expires_at))
                              .Build()))
            .status();
      },
      ReplyAfterCommit(response, std::move(done)));
}

absl::StatusOr<v1::ListEnrollmentTokensResponse> TokenAdmin::List(
    const v1::ListEnrollmentTokensRequest& request) {
  v1::ListEnrollmentTokensResponse response;
  const absl::Time now = clock_->Now();
  absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
    auto tokens = r.ListTokens();
    if (!tokens.ok()) return tokens.status();
    for (const TokenRecord& t : *tokens) {
      v1::EnrollmentTokenInfo info = ToInfo(t, now);
      if (!request.include_inactive() &&
          info.status() != v1::EnrollmentTokenInfo::STATUS_ACTIVE) {
        continue;
      }
      *response.add_tokens() = std::move(info);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return response;
}

void TokenAdmin::Revoke(
    const std::string& actor, const v1::RevokeEnrollmentTokenRequest& request,
    std::function<void(absl::StatusOr<v1::RevokeEnrollmentTokenResponse>)>
        done) {
  if (!enrollment::IsValidTokenId(request.token_id())) {
    done(absl::InvalidArgumentError(
        "token_id must be the 13-character id shown by token list"));
    return;
  }
  const absl::Time now = clock_->Now();
  std::string token_id = request.token_id();
  auto response = std::make_shared<v1::RevokeEnrollmentTokenResponse>();
  store_->Write(
      [=](StoreWriter& w) -> absl::Status {
        auto token = w.GetToken(token_id);
        if (!token.ok()) return token.status();
        if (!token->has_value()) {
          return absl::NotFoundError(
              absl::StrCat("no enrolment token with id ", token_id));
        }
        TokenRecord t = **token;
        if (!t.revoked_at) {
          t.revoked_at = now;
          absl::Status s = w.UpdateToken(t);
          if (!s.ok()) return s;
          s = AppendAudit(
                  w,
                  TokenAudit(actor, "token.revoke", token_id, now,
                             JsonObject().Add("uses", int64_t{t.uses}).Build()))
                  .status();
          if (!s.ok()) return s;
        }
        *response->mutable_info() = ToInfo(t, now);
        return absl::OkStatus();
      },
      ReplyAfterCommit(response, std::move(done)));
}

}  // namespace trellis::server
