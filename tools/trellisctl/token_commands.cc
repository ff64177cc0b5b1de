// token create | list | revoke: enrolment tokens.
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/rpc/admin_limits.h"
#include "tools/trellisctl/checked_options.h"
#include "tools/trellisctl/commands.h"
#include "tools/trellisctl/table_printer.h"
#include "tools/trellisctl/text.h"

namespace trellis::ctl {
namespace {

struct CreateOptions {
  std::string group;
  std::string ownership;
  int64_t uses = 1;
  absl::Duration ttl = absl::Hours(24);
  std::string description;
};

int TokenCreate(Ctl& ctl, const CreateOptions& o) {
  v1::CreateEnrollmentTokenRequest request;
  request.set_group(o.group);
  request.set_ownership(o.ownership == "corporate" ? v1::OWNERSHIP_CORPORATE
                                                   : v1::OWNERSHIP_PERSONAL);
  // In range: checked as the option was parsed.
  request.set_max_uses(static_cast<int32_t>(o.uses));
  request.set_ttl_seconds(absl::ToInt64Seconds(o.ttl));
  request.set_description(o.description);
  return ctl.CallAndPrint(
      &Ctl::Stub::CreateEnrollmentToken, request,
      [&](const v1::CreateEnrollmentTokenResponse& r) {
        return absl::StrCat(
            "Enrolment token (shown once; store it safely):\n\n  ",
            Safe(r.token()), "\n\n", "id ", Safe(r.info().token_id()),
            ", group ", Safe(r.info().group()), ", ", o.ownership, ", ",
            r.info().max_uses(), " use(s), expires ",
            When(r.info().expires_at()), " UTC\n");
      });
}

std::string TokenStatusWord(v1::EnrollmentTokenInfo::Status s) {
  return EnumWord(v1::EnrollmentTokenInfo::Status_Name(s), "STATUS_");
}

int TokenList(Ctl& ctl, bool all) {
  v1::ListEnrollmentTokensRequest request;
  request.set_include_inactive(all);
  return ctl.CallAndPrint(
      &Ctl::Stub::ListEnrollmentTokens, request,
      [](const v1::ListEnrollmentTokensResponse& r) {
        TablePrinter t({"ID", "GROUP", "OWNERSHIP", "USES", "STATUS", "EXPIRES",
                        "CREATED BY", "DESCRIPTION"});
        for (const auto& info : r.tokens()) {
          t.AddRow(
              {info.token_id(), info.group(),
               EnumWord(v1::Ownership_Name(info.ownership()), "OWNERSHIP_"),
               absl::StrCat(info.uses(), "/", info.max_uses()),
               TokenStatusWord(info.status()), When(info.expires_at()),
               info.created_by(), info.description()});
        }
        return t.Render();
      });
}

int TokenRevoke(Ctl& ctl, const std::string& token_id) {
  v1::RevokeEnrollmentTokenRequest request;
  request.set_token_id(token_id);
  return ctl.CallAndPrint(
      &Ctl::Stub::RevokeEnrollmentToken, request,
      [](const v1::RevokeEnrollmentTokenResponse& r) {
        return absl::StrCat("Token ", Safe(r.info().token_id()), " revoked.\n");
      });
}

}  // namespace

void AddTokenCommands(CLI::App& app, Commands& commands) {
  Ctl& ctl = commands.ctl();
  CLI::App* token = commands.Group(app, "token", "enrolment tokens");
  {
    auto o = std::make_shared<CreateOptions>();
    CLI::App* create = commands.Add(token, "create",
                                    "create a token (its secret is shown once)",
                                    [&ctl, o] { return TokenCreate(ctl, *o); });
    // Left to the server, which names what is wrong with a group.
    create->add_option("--group", o->group, "group enrolled devices join");
    create->add_option("--ownership", o->ownership, "corporate or personal")
        ->required()
        ->check(CLI::IsMember({"corporate", "personal"}));
    AddWholeNumberOption(create, "--uses", &o->uses, rpc::kMinTokenUses,
                         rpc::kMaxTokenUses,
                         "how many devices may use it, default 1");
    AddDurationOption(create, "--ttl", &o->ttl, rpc::kMinTokenTtl,
                      rpc::kMaxTokenTtl, "lifetime: 90m, 24h, 7d; default 24h");
    create->add_option("--description", o->description, "free text for admins");
  }
  {
    auto all = std::make_shared<bool>(false);
    CLI::App* list =
        commands.Add(token, "list", "tokens that can still be used",
                     [&ctl, all] { return TokenList(ctl, *all); });
    list->add_flag("--all", *all, "include used-up, expired and revoked ones");
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* revoke =
        commands.Add(token, "revoke", "make a token unusable",
                     [&ctl, id] { return TokenRevoke(ctl, *id); });
    revoke->add_option("TOKEN_ID", *id, "as token list shows")->required();
  }
}

}  // namespace trellis::ctl
