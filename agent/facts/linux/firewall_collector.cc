#include "agent/facts/linux/firewall_collector.h"

#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/facts/table_builder.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace trellis::agent::linux_facts {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr char kTable[] = "firewall";

// Policies ordered by how much they block.
int Strength(absl::string_view policy) {
  if (policy == "drop") return 2;
  if (policy == "reject") return 1;
  return 0;
}

const std::string& Weaker(const std::string& a, const std::string& b) {
  return Strength(a) <= Strength(b) ? a : b;
}

const std::string& Stronger(const std::string& a, const std::string& b) {
  return Strength(a) >= Strength(b) ? a : b;
}

std::string StringField(const Struct& s, const char* key) {
  auto it = s.fields().find(key);
  if (it == s.fields().end() || it->second.kind_case() != Value::kStringValue) {
    return "";
  }
  return it->second.string_value();
}

struct InputChain {
  std::string family;
  std::string policy = "accept";  // nft's default for a base chain
  int rules = 0;
  // Verdict of the last rule when that rule matches everything.
  std::optional<std::string> final_verdict;
};

// "counter drop", "log prefix ... reject", "reject with icmpx ...": every
// statement but the last only counts or logs, so the verdict applies to all
// packets that reach the rule.
std::optional<std::string> UnconditionalVerdict(const Struct& rule) {
  auto expr = rule.fields().find("expr");
  if (expr == rule.fields().end() ||
      expr->second.kind_case() != Value::kListValue) {
    return std::nullopt;
  }
  const auto& stmts = expr->second.list_value().values();
  if (stmts.empty()) return std::nullopt;
  for (int i = 0; i < stmts.size(); ++i) {
    if (stmts[i].kind_case() != Value::kStructValue ||
        stmts[i].struct_value().fields_size() != 1) {
      return std::nullopt;
    }
    const std::string& key = stmts[i].struct_value().fields().begin()->first;
    bool last = i + 1 == stmts.size();
    if (!last && key != "counter" && key != "log") return std::nullopt;
    if (last) {
      if (key == "drop" || key == "reject" || key == "accept") return key;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string IptablesPolicy(absl::string_view target) {
  if (target == "DROP") return "drop";
  if (target == "REJECT") return "reject";
  return "accept";
}

std::string CommandFailure(const std::string& what,
                           const absl::StatusOr<CommandResult>& result) {
  if (!result.ok()) {
    if (absl::IsNotFound(result.status())) {
      return absl::StrCat(what, " not installed");
    }
    if (absl::IsDeadlineExceeded(result.status())) {
      return absl::StrCat(what, " timed out");
    }
    return absl::StrCat(what, " failed: ", result.status().message());
  }
  absl::string_view detail = absl::StripAsciiWhitespace(result->stderr_text);
  if (detail.empty()) detail = absl::StripAsciiWhitespace(result->stdout_text);
  // nft's complaint spans lines; the reason reads better as one.
  return absl::StrCat(
      what, " exited with status ", result->exit_code, ": ",
      absl::StrReplaceAll(detail.substr(0, 200), {{"\n", " "}}));
}

// Runs one tool and parses its output; on failure records why.
template <typename Parse>
std::optional<FirewallState> Ask(CollectContext& ctx,
                                 const std::vector<std::string>& argv,
                                 Parse parse,
                                 std::vector<std::string>* failures) {
  absl::StatusOr<CommandResult> result =
      ctx.runner->Run(argv, ctx.command_timeout);
  if (!result.ok() || result->exit_code != 0) {
    failures->push_back(CommandFailure(argv[0], result));
    return std::nullopt;
  }
  absl::StatusOr<FirewallState> state = parse(result->stdout_text);
  if (!state.ok()) {
    failures->push_back(absl::StrCat(
        argv[0], " output unparseable: ", state.status().message()));
    return std::nullopt;
  }
  return *state;
}

class FirewallCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    std::vector<std::string> failures;
    std::optional<FirewallState> ufw =
        Ask(ctx, {"ufw", "status", "verbose"}, ParseUfwStatus, &failures);
    if (ufw && ufw->enabled) return FirewallTable(*ufw);

    std::optional<FirewallState> nft =
        Ask(ctx, {"nft", "-j", "list", "ruleset"}, ParseNftRuleset, &failures);
    if (nft && nft->enabled) return FirewallTable(*nft);

    // Rules loaded through iptables-legacy are invisible to nft, so an
    // empty nft answer is checked against iptables when it is there.
    std::optional<FirewallState> ipt =
        Ask(ctx, {"iptables", "-S", "INPUT"}, ParseIptablesInput, &failures);
    if (ipt) {
      std::vector<std::string> ignored;  // IPv6 may be off in the kernel
      std::optional<FirewallState> ip6 =
          Ask(ctx, {"ip6tables", "-S", "INPUT"}, ParseIptablesInput, &ignored);
      if (ip6) ipt = CombineFamilies(*ipt, *ip6);
      if (ipt->enabled) return FirewallTable(*ipt);
    }

    // Nothing filters. Name the front end the admin would use, with the
    // kernel's policy where a kernel-level tool answered.
    std::optional<FirewallState> kernel = nft ? nft : ipt;
    if (ufw) {
      FirewallState off = *ufw;
      if (kernel) off.default_inbound_policy = kernel->default_inbound_policy;
      return FirewallTable(off);
    }
    if (kernel) return FirewallTable(*kernel);
    return facts::TableBuilder::Unknown(kTable, absl::StrJoin(failures, "; "));
  }
};

}  // namespace

absl::StatusOr<FirewallState> ParseUfwStatus(absl::string_view text) {
  FirewallState out;
  out.backend = "ufw";
  bool saw_status = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::ConsumePrefix(&line, "Status:")) {
      absl::string_view status = absl::StripAsciiWhitespace(line);
      if (status == "active") {
        out.enabled = true;
      } else if (status != "inactive") {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown ufw status '", status.substr(0, 40), "'"));
      }
      saw_status = true;
    } else if (absl::ConsumePrefix(&line, "Default:")) {
      for (absl::string_view part : absl::StrSplit(line, ',')) {
        part = absl::StripAsciiWhitespace(part);
        if (!absl::ConsumeSuffix(&part, "(incoming)")) continue;
        part = absl::StripAsciiWhitespace(part);
        if (part == "deny") out.default_inbound_policy = "drop";
        if (part == "reject") out.default_inbound_policy = "reject";
        if (part == "allow") out.default_inbound_policy = "accept";
      }
    }
  }
  if (!saw_status) {
    return absl::InvalidArgumentError("no 'Status:' line in ufw output");
  }
  // Inactive ufw prints no Default line, and its configured default is not
  // in force anyway.
  if (!out.enabled) out.default_inbound_policy = std::nullopt;
  return out;
}

absl::StatusOr<FirewallState> ParseNftRuleset(absl::string_view json) {
  Struct root;
  auto status =
      google::protobuf::util::JsonStringToMessage(std::string(json), &root);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("nft JSON: ", status.ToString()));
  }
  auto items = root.fields().find("nftables");
  if (items == root.fields().end() ||
      items->second.kind_case() != Value::kListValue) {
    return absl::InvalidArgumentError("nft JSON: no nftables list");
  }
  // (family, table, chain) -> input base chain.
  std::map<std::tuple<std::string, std::string, std::string>, InputChain>
      chains;
  std::vector<const Struct*> rules;
  for (const Value& item : items->second.list_value().values()) {
    if (item.kind_case() != Value::kStructValue) {
      return absl::InvalidArgumentError("nft JSON: item is not an object");
    }
    const Struct& obj = item.struct_value();
    auto chain = obj.fields().find("chain");
    if (chain != obj.fields().end() &&
        chain->second.kind_case() == Value::kStructValue) {
      const Struct& c = chain->second.struct_value();
      std::string family = StringField(c, "family");
      if (StringField(c, "hook") != "input" ||
          (family != "ip" && family != "ip6" && family != "inet")) {
        continue;
      }
      InputChain& ic =
          chains[{family, StringField(c, "table"), StringField(c, "name")}];
      ic.family = family;
      std::string policy = StringField(c, "policy");
      if (!policy.empty()) ic.policy = policy;
    }
    auto rule = obj.fields().find("rule");
    if (rule != obj.fields().end() &&
        rule->second.kind_case() == Value::kStructValue) {
      rules.push_back(&rule->second.struct_value());
    }
  }
  // nft lists a chain before its rules, but nothing in the format promises
  // it, so rules are matched after every chain is known.
  for (const Struct* r : rules) {
    auto it = chains.find({StringField(*r, "family"), StringField(*r, "table"),
                           StringField(*r, "chain")});
    if (it == chains.end()) continue;
    ++it->second.rules;
    it->second.final_verdict = UnconditionalVerdict(*r);
  }
  FirewallState out;
  out.backend = "nftables";
  std::string v4 = "accept", v6 = "accept";
  for (const auto& [key, chain] : chains) {
    if (chain.policy == "drop" || chain.rules > 0) out.enabled = true;
    const std::string& effective =
        chain.final_verdict ? *chain.final_verdict : chain.policy;
    // Every base chain on the hook sees the packet; one drop is final.
    if (chain.family != "ip6") v4 = Stronger(v4, effective);
    if (chain.family != "ip") v6 = Stronger(v6, effective);
  }
  out.default_inbound_policy = Weaker(v4, v6);
  return out;
}

absl::StatusOr<FirewallState> ParseIptablesInput(absl::string_view text) {
  FirewallState out;
  out.backend = "iptables";
  std::optional<std::string> policy;
  std::optional<std::string> final_verdict;
  int rules = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    std::vector<absl::string_view> t =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (t.size() >= 3 && t[0] == "-P" && t[1] == "INPUT") {
      policy = IptablesPolicy(t[2]);
    } else if (t.size() >= 2 && t[0] == "-A" && t[1] == "INPUT") {
      ++rules;
      // "-A INPUT -j DROP" matches everything; any match option before -j
      // ("-i lo", "-p tcp") narrows it.
      final_verdict.reset();
      if (t.size() >= 4 && t[2] == "-j" &&
          (t[3] == "DROP" || t[3] == "REJECT" || t[3] == "ACCEPT")) {
        final_verdict = IptablesPolicy(t[3]);
      }
    }
  }
  if (!policy) {
    return absl::InvalidArgumentError("no '-P INPUT' line in iptables output");
  }
  out.enabled = *policy == "drop" || rules > 0;
  out.default_inbound_policy = final_verdict ? *final_verdict : *policy;
  return out;
}

FirewallState CombineFamilies(const FirewallState& v4,
                              const FirewallState& v6) {
  FirewallState out = v4;
  out.enabled = v4.enabled || v6.enabled;
  if (v4.default_inbound_policy && v6.default_inbound_policy) {
    out.default_inbound_policy =
        Weaker(*v4.default_inbound_policy, *v6.default_inbound_policy);
  }
  return out;
}

v1::FactTable FirewallTable(const FirewallState& state) {
  facts::TableBuilder b(kTable);
  b.Row()
      .Text("backend", state.backend)
      .Text("profile", "default")
      .Bool("enabled", state.enabled)
      .Text("default_inbound_policy", state.default_inbound_policy);
  return b.Build();
}

std::unique_ptr<Collector> NewFirewallCollector() {
  return std::make_unique<FirewallCollector>();
}

}  // namespace trellis::agent::linux_facts
