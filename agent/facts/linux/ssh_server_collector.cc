#include "agent/facts/linux/ssh_server_collector.h"

#include <fnmatch.h>

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "agent/facts/linux/linux_collectors.h"
#include "agent/facts/linux/processes_collector.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "ssh_server";
constexpr char kConfig[] = "/etc/ssh/sshd_config";
// sshd refuses deeper nesting (SERVCONF_MAX_DEPTH); so do we, which also
// stops an Include loop.
constexpr int kMaxIncludeDepth = 16;
// Where packages and source builds put sshd. /sbin is /usr/sbin on
// merged-/usr systems but a separate directory on older ones.
constexpr const char* kSbinDirs[] = {"/usr/sbin", "/usr/local/sbin", "/sbin"};

// Splits a config line into its keyword and arguments the way sshd does:
// "Keyword value", "Keyword=value" and "Keyword = value" are all accepted,
// and double quotes group an argument.
std::vector<std::string> Tokens(absl::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < line.size() && absl::ascii_isspace(line[i])) ++i;
  };
  skip_space();
  size_t start = i;
  while (i < line.size() && !absl::ascii_isspace(line[i]) && line[i] != '=') {
    ++i;
  }
  if (i == start) return out;
  out.emplace_back(line.substr(start, i - start));
  skip_space();
  if (i < line.size() && line[i] == '=') ++i;
  while (true) {
    skip_space();
    if (i >= line.size() || line[i] == '#') break;
    std::string arg;
    if (line[i] == '"') {
      size_t close = line.find('"', i + 1);
      if (close == absl::string_view::npos) break;  // unbalanced: ignore
      arg = std::string(line.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      start = i;
      while (i < line.size() && !absl::ascii_isspace(line[i])) ++i;
      arg = std::string(line.substr(start, i - start));
    }
    out.push_back(std::move(arg));
  }
  return out;
}

std::optional<std::string> PermitRootLoginValue(absl::string_view v) {
  std::string lower = absl::AsciiStrToLower(v);
  if (lower == "yes" || lower == "no" || lower == "prohibit-password" ||
      lower == "forced-commands-only") {
    return lower;
  }
  // The old spelling of the same setting.
  if (lower == "without-password") return "prohibit-password";
  return std::nullopt;
}

std::optional<bool> YesNo(absl::string_view v) {
  if (absl::EqualsIgnoreCase(v, "yes")) return true;
  if (absl::EqualsIgnoreCase(v, "no")) return false;
  return std::nullopt;
}

absl::Status ParseInto(absl::string_view text,
                       const SshdIncludeReader& read_include, int depth,
                       SshdSettings* s) {
  if (depth > kMaxIncludeDepth) {
    return absl::FailedPreconditionError("sshd_config Include nested too deep");
  }
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::vector<std::string> t = Tokens(line);
    if (t.empty() || t[0][0] == '#') continue;
    const std::string keyword = absl::AsciiStrToLower(t[0]);
    // Everything after a Match line applies to some connections only, up to
    // the end of this file (sshd restores the global context after each
    // included file).
    if (keyword == "match") return absl::OkStatus();
    if (t.size() < 2) continue;
    if (keyword == "include") {
      for (size_t a = 1; a < t.size(); ++a) {
        auto files = read_include(ResolveSshdIncludePath(t[a]));
        if (!files.ok()) return files.status();
        for (const std::string& contents : *files) {
          absl::Status st = ParseInto(contents, read_include, depth + 1, s);
          if (!st.ok()) return st;
        }
      }
    } else if (keyword == "permitrootlogin" && !s->permit_root_login_set) {
      s->permit_root_login_set = true;
      s->permit_root_login = PermitRootLoginValue(t[1]);
    } else if (keyword == "passwordauthentication" &&
               !s->password_authentication_set) {
      s->password_authentication_set = true;
      s->password_authentication = YesNo(t[1]);
    }
  }
  return absl::OkStatus();
}

bool HasGlob(absl::string_view s) {
  return s.find_first_of("*?[") != absl::string_view::npos;
}

// Reads the files an Include pattern names through the system source.
absl::StatusOr<std::vector<std::string>> ReadInclude(
    SystemSource& system, const std::string& pattern) {
  size_t slash = pattern.rfind('/');
  std::string dir = pattern.substr(0, slash);
  std::string base = pattern.substr(slash + 1);
  std::vector<std::string> contents;
  if (HasGlob(dir)) {
    return absl::UnimplementedError(
        absl::StrCat("Include pattern with a wildcard directory: ", pattern));
  }
  std::vector<std::string> names;
  if (HasGlob(base)) {
    auto entries = system.ListDirectory(dir.empty() ? "/" : dir);
    // No such directory: the pattern matches nothing, which sshd accepts.
    if (absl::IsNotFound(entries.status())) return contents;
    if (!entries.ok()) return entries.status();
    for (const std::string& name : *entries) {
      if (SshdGlobMatch(base, name)) names.push_back(name);
    }
  } else {
    names.push_back(base);
  }
  for (const std::string& name : names) {
    std::string path = absl::StrCat(dir, "/", name);
    auto text = system.ReadFile(path);
    if (absl::IsNotFound(text.status()) && !HasGlob(base)) continue;
    if (!text.ok()) {
      return absl::Status(
          text.status().code(),
          absl::StrCat("cannot read ", path, ": ", text.status().message()));
    }
    contents.push_back(*std::move(text));
  }
  return contents;
}

class SshServerCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    SshServerState state;
    auto processes = ReadProcesses(*ctx.system);
    if (processes.ok()) {
      state.running = false;
      for (const ProcessRecord& p : *processes) {
        if (p.name == "sshd") state.running = true;
      }
    }
    // The binary, not the config, decides "installed": removing the package
    // without purging it leaves /etc/ssh/sshd_config behind.
    bool binary = false, listed_any = false;
    std::string list_error;
    for (const char* dir : kSbinDirs) {
      auto entries = ctx.system->ListDirectory(dir);
      if (!entries.ok()) {
        if (list_error.empty()) list_error = entries.status().ToString();
        continue;
      }
      listed_any = true;
      for (const std::string& name : *entries) binary |= name == "sshd";
    }
    if (binary || state.running == true) {
      state.installed = true;
    } else if (listed_any) {
      state.installed = false;
    } else {
      return facts::TableBuilder::Unknown(
          kTable,
          absl::StrCat("cannot look for the sshd binary: ", list_error));
    }
    if (!*state.installed) return SshServerTable(state);

    // Settings we cannot read stay NULL: the other columns are still true.
    auto config = ctx.system->ReadFile(kConfig);
    if (!config.ok()) return SshServerTable(state);
    SystemSource* system = ctx.system;
    auto settings = ParseSshdConfig(*config, [system](const std::string& p) {
      return ReadInclude(*system, p);
    });
    if (!settings.ok()) return SshServerTable(state);
    SshdSettings effective = WithSshdDefaults(*settings);
    state.permit_root_login = effective.permit_root_login;
    state.password_authentication = effective.password_authentication;
    return SshServerTable(state);
  }
};

}  // namespace

absl::StatusOr<SshdSettings> ParseSshdConfig(
    absl::string_view text, const SshdIncludeReader& read_include) {
  SshdSettings s;
  absl::Status st = ParseInto(text, read_include, 0, &s);
  if (!st.ok()) return st;
  return s;
}

SshdSettings WithSshdDefaults(SshdSettings s) {
  if (!s.permit_root_login_set) {
    s.permit_root_login_set = true;
    s.permit_root_login = "prohibit-password";
  }
  if (!s.password_authentication_set) {
    s.password_authentication_set = true;
    s.password_authentication = true;
  }
  return s;
}

std::string ResolveSshdIncludePath(absl::string_view pattern) {
  if (absl::StartsWith(pattern, "/")) return std::string(pattern);
  return absl::StrCat("/etc/ssh/", pattern);
}

bool SshdGlobMatch(const std::string& pattern, const std::string& name) {
  // FNM_PERIOD: like glob(3), "*" does not match a leading dot.
  return ::fnmatch(pattern.c_str(), name.c_str(), FNM_PERIOD) == 0;
}

v1::FactTable SshServerTable(const SshServerState& state) {
  facts::TableBuilder b(kTable);
  b.Row()
      .Bool("installed", state.installed)
      .Bool("running", state.running)
      .Text("permit_root_login", state.permit_root_login)
      .Bool("password_authentication", state.password_authentication);
  return b.Build();
}

std::unique_ptr<Collector> NewSshServerCollector() {
  return std::make_unique<SshServerCollector>();
}

}  // namespace trellis::agent::linux_facts
