// policy validate | apply | show: policies and VPN profiles as YAML files,
// signed and published by the server.
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/policy/policy_loader.h"
#include "common/policy/policy_text.h"
#include "common/policy/publication_validation.h"
#include "common/util/proto_json.h"
#include "common/util/terminal_text.h"
#include "tools/trellisctl/commands.h"
#include "tools/trellisctl/policy_cost.h"
#include "tools/trellisctl/policy_merge.h"
#include "tools/trellisctl/table_printer.h"
#include "tools/trellisctl/text.h"

namespace trellis::ctl {
namespace {

int PolicyValidate(Ctl& ctl, const std::string& path,
                   const std::vector<std::string>& facts) {
  auto set = policy::LoadPolicySet(path);
  if (!set.ok()) {
    ctl.err() << TerminalSafeMultiline(set.status().message()) << "\n";
    return kExitRefused;
  }
  // What loads may still be refused by the server; this is its check.
  auto publishable =
      policy::ValidatePublication(set->policies, set->vpn_profiles);
  if (!publishable.ok()) {
    ctl.err() << Safe(path) << ": the server would refuse this: "
              << TerminalSafe(publishable.status().message()) << "\n";
    return kExitRefused;
  }
  int checks = 0;
  for (const auto& p : set->policies) checks += p.checks_size();
  ctl.out() << Safe(path) << ": " << set->policies.size() << " policies, "
            << checks << " checks, " << set->vpn_profiles.size()
            << " VPN profile(s), all valid\n";
  if (!facts.empty()) return EstimatePolicyCost(ctl, *set, facts);
  return kExitOk;
}

std::string ChangeWord(v1::PolicyPlanEntry::Change c) {
  switch (c) {
    case v1::PolicyPlanEntry::CHANGE_ADDED:
      return "+ add    ";
    case v1::PolicyPlanEntry::CHANGE_CHANGED:
      return "~ change ";
    case v1::PolicyPlanEntry::CHANGE_REMOVED:
      return "- remove ";
    default:
      return "  keep   ";
  }
}

// "policy/check", "policy (policy)" or "profile (vpn profile)".
std::string PlanSubject(const v1::PolicyPlanEntry& e) {
  if (!e.vpn_profile_id().empty()) {
    return absl::StrCat(Safe(e.vpn_profile_id()), " (vpn profile)");
  }
  return Safe(absl::StrCat(
      e.policy_id(), e.check_id().empty() ? " (policy)" : "/" + e.check_id()));
}

struct ApplyOptions {
  std::string path;
  bool dry_run = false;
  bool prune = false;
  bool yes = false;
};

// The published bundle; null (and OK) when none is published yet.
grpc::Status CurrentBundle(Ctl& ctl,
                           std::unique_ptr<v1::PolicyBundle>* bundle) {
  v1::GetPolicyBundleResponse response;
  grpc::Status s = ctl.Call(&Ctl::Stub::GetPolicyBundle,
                            v1::GetPolicyBundleRequest(), &response);
  if (s.error_code() == grpc::StatusCode::NOT_FOUND) return grpc::Status::OK;
  if (!s.ok()) return s;
  *bundle = std::make_unique<v1::PolicyBundle>(response.bundle());
  return s;
}

int PolicyApply(Ctl& ctl, const ApplyOptions& o) {
  auto loaded = policy::LoadPolicySet(o.path);
  if (!loaded.ok()) {
    ctl.err() << TerminalSafeMultiline(loaded.status().message()) << "\n";
    return kExitRefused;
  }
  std::unique_ptr<v1::PolicyBundle> current;
  grpc::Status s = CurrentBundle(ctl, &current);
  if (!s.ok()) return ctl.Refused(s);
  PolicyApplySet set =
      MergeWithCurrent(*std::move(loaded), current.get(), o.prune);
  // Always plan first; publish only after showing it, and only onto the
  // version the plan was made against.
  set.request.set_expected_version(current ? current->version() : 0);
  set.request.set_dry_run(true);
  v1::PublishPoliciesResponse plan;
  s = ctl.Call(&Ctl::Stub::PublishPolicies, set.request, &plan);
  if (!s.ok()) return ctl.Refused(s);
  bool changes = false;
  int removals = 0;
  std::string text = absl::StrCat("Plan against bundle version ",
                                  plan.previous_version(), ":\n");
  for (const auto& e : plan.plan()) {
    if (e.change() != v1::PolicyPlanEntry::CHANGE_UNCHANGED) changes = true;
    if (e.change() == v1::PolicyPlanEntry::CHANGE_REMOVED) ++removals;
    absl::StrAppend(&text, "  ", ChangeWord(e.change()), PlanSubject(e), "\n");
  }
  if (!set.kept_policies.empty() || !set.kept_vpn_profiles.empty()) {
    std::vector<std::string> kept = set.kept_policies;
    for (const auto& id : set.kept_vpn_profiles) {
      kept.push_back(id + " (vpn profile)");
    }
    absl::StrAppend(&text, "Kept as published (not in ", Safe(o.path),
                    "; --prune would remove them): ",
                    Safe(absl::StrJoin(kept, ", ")), "\n");
  }
  if (!ctl.json()) ctl.out() << text;
  if (o.dry_run || !changes) {
    if (ctl.json()) {
      ctl.out() << ToJsonText(plan);
    } else {
      ctl.out() << (changes ? "Dry run: nothing published.\n"
                            : "No changes: nothing to publish.\n");
    }
    return kExitOk;
  }
  if (removals > 0) {
    int confirmed = ctl.Confirm(
        absl::StrCat("Publish, removing the ", removals,
                     " item(s) marked '- remove' from every device's bundle?"),
        o.yes);
    if (confirmed != kExitOk) return confirmed;
  }
  set.request.set_dry_run(false);
  return ctl.CallAndPrint(&Ctl::Stub::PublishPolicies, set.request,
                          [](const v1::PublishPoliciesResponse& r) {
                            return absl::StrCat("Published bundle version ",
                                                r.published_version(), ".\n");
                          });
}

std::string BundleText(const v1::GetPolicyBundleResponse& response) {
  const auto& b = response.bundle();
  std::string out =
      absl::StrCat("Bundle version ", b.version(), ", published ",
                   When(b.published_at()), " UTC by ", Safe(b.published_by()),
                   ", signed by ", Safe(response.signing_key_id()), "\n");
  TablePrinter t(
      {"POLICY", "CHECK", "SEVERITY", "ENFORCEMENT", "GRACE", "TITLE"});
  for (const auto& p : b.policies()) {
    for (const auto& c : p.checks()) {
      t.AddRow({p.id(), c.id(),
                EnumWord(v1::Severity_Name(c.severity()), "SEVERITY_"),
                EnumWord(v1::Enforcement_Name(p.enforcement()), "ENFORCEMENT_"),
                absl::StrCat(c.grace_period_seconds() / 3600, "h"), c.title()});
    }
  }
  out += t.Render();
  for (const auto& profile : b.vpn_profiles()) {
    absl::StrAppend(&out, "\n",
                    TerminalSafeMultiline(policy::DescribeVpnProfile(profile)));
  }
  if (b.vpn_profiles().empty()) out += "\nNo VPN profiles.\n";
  return out;
}

}  // namespace

void AddPolicyCommands(CLI::App& app, Commands& commands) {
  Ctl& ctl = commands.ctl();
  CLI::App* policy =
      commands.Group(app, "policy", "policies and VPN profiles (YAML)");
  {
    auto path = std::make_shared<std::string>();
    auto facts = std::make_shared<std::vector<std::string>>();
    CLI::App* validate = commands.Add(
        policy, "validate", "check policy and VPN profile files (offline)",
        [&ctl, path, facts] { return PolicyValidate(ctl, *path, *facts); });
    validate->add_option("PATH", *path, "a .yaml file or a directory")
        ->required();
    validate->add_option(
        "--facts", *facts,
        "recorded facts (trellis-agent show-data --json, or trellisctl "
        "device show --facts --json): measure the bundle's cost per device "
        "against the evaluation budget");
  }
  {
    auto o = std::make_shared<ApplyOptions>();
    CLI::App* apply = commands.Add(
        policy, "apply",
        "show the plan, then publish PATH's policies and profiles; what is "
        "published but not in PATH is kept unless --prune",
        [&ctl, o] { return PolicyApply(ctl, *o); });
    apply->add_option("PATH", o->path, "a .yaml file or a directory")
        ->required();
    apply->add_flag("--dry-run", o->dry_run, "show the plan only");
    apply->add_flag("--prune", o->prune,
                    "PATH is the whole bundle: remove what it does not "
                    "contain (asks first)");
    apply->add_flag("--yes", o->yes, "do not ask before removing");
  }
  commands.Add(policy, "show", "the published bundle and VPN profiles", [&ctl] {
    return ctl.CallAndPrint(&Ctl::Stub::GetPolicyBundle,
                            v1::GetPolicyBundleRequest(), BundleText);
  });
}

}  // namespace trellis::ctl
