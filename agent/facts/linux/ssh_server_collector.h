// ssh_server: whether OpenSSH's sshd is installed and running, and the two
// global settings that matter most for exposure, read from sshd_config the
// way sshd reads it (Include expanded in place, first value wins, keywords
// case-insensitive, Match blocks not global).
#ifndef TRELLIS_AGENT_FACTS_LINUX_SSH_SERVER_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_SSH_SERVER_COLLECTOR_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

// The global values sshd_config sets explicitly. A keyword counts as set
// once seen (so later lines cannot override it, as in sshd); its value is
// nullopt when sshd would not accept it.
struct SshdSettings {
  bool permit_root_login_set = false;
  std::optional<std::string> permit_root_login;
  bool password_authentication_set = false;
  std::optional<bool> password_authentication;
};

// The contents of the files one Include pattern names, in the order sshd
// reads them (glob order). A pattern that matches nothing gives none.
using SshdIncludeReader =
    std::function<absl::StatusOr<std::vector<std::string>>(
        const std::string& pattern)>;

// Parses `text` (the main sshd_config), expanding Include directives through
// `read_include`. Fails when an included file cannot be read, since its
// settings would come first.
absl::StatusOr<SshdSettings> ParseSshdConfig(
    absl::string_view text, const SshdIncludeReader& read_include);

// sshd's defaults for what the config leaves unset: PermitRootLogin
// prohibit-password (OpenSSH >= 7.0), PasswordAuthentication yes.
SshdSettings WithSshdDefaults(SshdSettings settings);

// An Include argument made absolute: relative ones are under /etc/ssh.
std::string ResolveSshdIncludePath(absl::string_view pattern);

// True when `name` matches the glob `pattern` (*, ?, [...]), as fnmatch(3).
bool SshdGlobMatch(const std::string& pattern, const std::string& name);

struct SshServerState {
  std::optional<bool> installed;
  std::optional<bool> running;
  // Only meaningful when installed; NULL when unreadable.
  std::optional<std::string> permit_root_login;
  std::optional<bool> password_authentication;
};

v1::FactTable SshServerTable(const SshServerState& state);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_SSH_SERVER_COLLECTOR_H_
