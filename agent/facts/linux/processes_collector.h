// processes: pid, executable name (/proc/PID/comm) and owning account
// (real uid from /proc/PID/status, named via /etc/passwd). Deliberately
// nothing else: command lines and environments carry secrets and personal
// data, so they are never read.
#ifndef TRELLIS_AGENT_FACTS_LINUX_PROCESSES_COLLECTOR_H_
#define TRELLIS_AGENT_FACTS_LINUX_PROCESSES_COLLECTOR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/facts/system_source.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts {

struct ProcessRecord {
  int64_t pid = 0;
  std::optional<std::string> name;  // NULL when comm is empty
  std::optional<int64_t> uid;
};

// The pid an entry of /proc names, or nullopt for "self", "net", ...
std::optional<int64_t> ParseProcPid(absl::string_view entry);

// /proc/PID/comm without its newline; nullopt when empty.
std::optional<std::string> ParseComm(absl::string_view text);

// The real uid (first number of the "Uid:" line) of /proc/PID/status.
std::optional<int64_t> ParseStatusRealUid(absl::string_view text);

// uid -> first account name with that uid in /etc/passwd text.
std::map<int64_t, std::string> UidNames(absl::string_view passwd_text);

v1::FactTable ProcessesTable(const std::vector<ProcessRecord>& processes,
                             const std::map<int64_t, std::string>& uid_names);

// Reads every process under /proc (also used by ssh_server to see whether
// sshd runs). Processes that exit while being read are skipped. Fails only
// when /proc cannot be listed.
absl::StatusOr<std::vector<ProcessRecord>> ReadProcesses(SystemSource& system);

}  // namespace trellis::agent::linux_facts

#endif  // TRELLIS_AGENT_FACTS_LINUX_PROCESSES_COLLECTOR_H_
