#include "agent/diagnostics/diagnose_command.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/diagnostics/catalogue.h"
#include "agent/diagnostics/consent.h"
#include "agent/diagnostics/params.h"
#include "common/util/args.h"
#include "common/util/json.h"
#include "common/util/terminal_text.h"

namespace trellis::agent::diagnostics {
namespace {

// Splits "--name=value" or takes the next word; `i` moves past the value.
absl::StatusOr<std::string> FlagValue(const std::vector<std::string>& words,
                                      size_t& i, const std::string& flag) {
  const std::string& word = words[i];
  if (word.size() > flag.size() && word[flag.size()] == '=') {
    return word.substr(flag.size() + 1);
  }
  if (i + 1 >= words.size()) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " needs a value"));
  }
  return words[++i];
}

bool IsFlag(const std::string& word, const std::string& flag) {
  return word == flag || absl::StartsWith(word, flag + "=");
}

// --state-dir or --log-level at words[i], which both commands take.
absl::Status CommonFlag(const std::vector<std::string>& words, size_t& i,
                        std::string& state_dir, std::string& log_level) {
  const bool is_state = IsFlag(words[i], "--state-dir");
  auto value = FlagValue(words, i, is_state ? "--state-dir" : "--log-level");
  if (!value.ok()) return value.status();
  (is_state ? state_dir : log_level) = *value;
  return absl::OkStatus();
}

absl::Status UnknownWord(const std::string& command, const std::string& word) {
  return absl::InvalidArgumentError(
      absl::StartsWith(word, "-")
          ? absl::StrCat(command, ": unknown option ", TerminalSafe(word))
          : absl::StrCat(command, ": unexpected argument '", TerminalSafe(word),
                         "'"));
}

std::string DurationText(absl::Duration d) { return FormatHumanDuration(d); }

}  // namespace

absl::StatusOr<DiagnoseArgs> ParseDiagnoseArgs(
    const std::vector<std::string>& words) {
  DiagnoseArgs args;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "--list") {
      args.list = true;
    } else if (word == "--json") {
      args.json = true;
    } else if (IsFlag(word, "--param")) {
      auto value = FlagValue(words, i, "--param");
      if (!value.ok()) return value.status();
      auto param = SplitParam(*value);
      if (!param.ok()) return param.status();
      args.params.push_back(*std::move(param));
    } else if (IsFlag(word, "--state-dir") || IsFlag(word, "--log-level")) {
      if (absl::Status s = CommonFlag(words, i, args.state_dir, args.log_level);
          !s.ok()) {
        return s;
      }
    } else if (!absl::StartsWith(word, "-") && args.name.empty()) {
      args.name = word;
    } else {
      return UnknownWord("diagnose", word);
    }
  }
  if (args.list && (!args.name.empty() || !args.params.empty())) {
    return absl::InvalidArgumentError(
        "diagnose: --list takes no diagnostic name or --param");
  }
  if (!args.list && args.name.empty()) {
    return absl::InvalidArgumentError(
        "diagnose: name a diagnostic (see 'trellis-agent diagnose --list')");
  }
  return args;
}

std::string RenderCatalogue(const std::vector<DiagnosticSpec>& catalogue,
                            bool json) {
  std::string out;
  if (json) {
    std::vector<std::string> items;
    for (const DiagnosticSpec& spec : catalogue) {
      std::vector<std::string> params;
      for (const ParamSpec& p : spec.params) {
        params.push_back(JsonObject()
                             .Add("name", p.name)
                             .Add("type", ParamTypeName(p.type))
                             .Add("summary", p.Summary())
                             .Add("description", p.description)
                             .Add("required", p.required)
                             .Add("default", p.default_value)
                             .Build());
      }
      std::string item =
          JsonObject()
              .Add("name", spec.name)
              .Add("description", spec.description)
              .Add("privacy", PrivacyClassName(spec.privacy))
              .Add("time_bound_seconds", absl::ToInt64Seconds(spec.time_bound))
              .Add("max_output_bytes",
                   static_cast<int64_t>(spec.max_output_bytes))
              .Build();
      item.pop_back();  // JsonObject has no arrays: append one by hand
      absl::StrAppend(&item, ",\"params\":[", absl::StrJoin(params, ","), "]}");
      items.push_back(item);
    }
    return absl::StrCat("[", absl::StrJoin(items, ","), "]\n");
  }
  for (const DiagnosticSpec& spec : catalogue) {
    absl::StrAppend(&out, spec.name, " (", PrivacyClassName(spec.privacy),
                    ", at most ", DurationText(spec.time_bound), " and ",
                    spec.max_output_bytes, " bytes)\n    ", spec.description,
                    "\n");
    for (const ParamSpec& p : spec.params) {
      absl::StrAppend(&out, "    --param ", p.Summary(), "\n        ",
                      p.description, "\n");
    }
  }
  absl::StrAppend(&out,
                  "detailed diagnostics on a personal device need the "
                  "employee's consent: trellis-agent consent grant\n");
  return out;
}

int RunDiagnose(const DiagnoseArgs& args, DiagnosticRunner& runner,
                std::ostream& out, std::ostream& err) {
  DiagnosticRequest request;
  request.name = args.name;
  request.params = args.params;
  // The device's text is untrusted: escaped for the terminal, or quoted in
  // JSON lines ({"output": ...} per chunk, then the result).
  RunResult result = runner.Run(request, [&](absl::string_view chunk) {
    if (args.json) {
      out << JsonObject().Add("output", chunk).Build() << "\n";
    } else {
      out << TerminalSafeMultiline(chunk);
    }
    out.flush();
  });
  if (args.json) {
    out << JsonObject()
               .Add("diagnostic", args.name)
               .Add("state", RunStateName(result.state))
               .Add("message", result.message)
               .Add("elapsed_ms", absl::ToInt64Milliseconds(result.elapsed))
               .Add("truncated", result.truncated)
               .Build()
        << "\n";
  } else {
    std::ostream& where = result.state == RunState::kSucceeded ? out : err;
    where << TerminalSafe(args.name) << ": " << RunStateName(result.state);
    if (result.state != RunState::kSucceeded) {
      where << ": " << TerminalSafe(result.message);
    }
    where << " (" << absl::ToInt64Milliseconds(result.elapsed) << " ms"
          << (result.truncated ? ", output truncated" : "") << ")\n";
  }
  switch (result.state) {
    case RunState::kSucceeded:
      return 0;
    case RunState::kRefused:
      return 3;
    default:
      return 1;
  }
}

absl::StatusOr<ConsentArgs> ParseConsentArgs(
    const std::vector<std::string>& words) {
  ConsentArgs args;
  bool has_for = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (IsFlag(word, "--for")) {
      auto value = FlagValue(words, i, "--for");
      if (!value.ok()) return value.status();
      auto d = ParseHumanDuration(*value);
      if (!d.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "consent: --for needs a duration like 30m or 2h, got '",
            TerminalSafe(*value), "'"));
      }
      args.duration = *d;
      has_for = true;
    } else if (IsFlag(word, "--state-dir") || IsFlag(word, "--log-level")) {
      if (absl::Status s = CommonFlag(words, i, args.state_dir, args.log_level);
          !s.ok()) {
        return s;
      }
    } else if (args.action.empty() &&
               (word == "grant" || word == "revoke" || word == "status")) {
      args.action = word;
    } else {
      return UnknownWord("consent", word);
    }
  }
  if (args.action.empty()) {
    return absl::InvalidArgumentError("consent: say grant, revoke or status");
  }
  if (has_for && args.action != "grant") {
    return absl::InvalidArgumentError("consent: --for goes with grant only");
  }
  if (args.duration <= absl::ZeroDuration() || args.duration > kMaxConsent) {
    return absl::InvalidArgumentError(absl::StrCat(
        "consent: --for must be more than 0s and at most ",
        DurationText(kMaxConsent), ", got ", DurationText(args.duration)));
  }
  return args;
}

int RunConsent(const ConsentArgs& args, const AgentState& state,
               const Clock& clock, std::ostream& out, std::ostream& err) {
  ConsentStore store(state, clock);
  auto when = [](absl::Time t) {
    return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
  };
  if (args.action == "grant") {
    if (absl::Status s = store.Grant(args.duration); !s.ok()) {
      err << "trellis-agent: " << TerminalSafe(s.message()) << "\n";
      return 1;
    }
    out << "Detailed diagnostics (log tail, route table) are allowed on this "
           "device until "
        << when(clock.Now() + args.duration)
        << ".\nRevoke at any time with 'trellis-agent consent revoke'.\n";
    return 0;
  }
  if (args.action == "revoke") {
    if (absl::Status s = store.Revoke(); !s.ok()) {
      err << "trellis-agent: " << TerminalSafe(s.message()) << "\n";
      return 1;
    }
    out << "Detailed diagnostics are no longer allowed on this device.\n";
    return 0;
  }
  auto record = state.LoadRecord();
  if (record.ok() && record->ownership == "corporate") {
    out << "This is a corporate device: diagnostics need no consent here.\n";
    return 0;
  }
  ConsentStatus status = store.Check();
  if (status.granted) {
    out << "Detailed diagnostics are allowed until " << when(*status.expires_at)
        << ".\n";
    return 0;
  }
  out << "Detailed diagnostics are not allowed: " << TerminalSafe(status.detail)
      << ".\n";
  return 1;
}

}  // namespace trellis::agent::diagnostics
