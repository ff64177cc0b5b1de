#include "gateway/wireguard/wg_command_interface.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace trellis::gateway {
namespace {

// Linux allows about 2 MiB of argv plus environment; staying far below it
// keeps one exec per batch for any realistic change while never failing
// with E2BIG on a very large snapshot.
constexpr size_t kMaxArgvBytes = 256 << 10;

void AppendOp(const PeerOp& op, std::vector<std::string>* argv) {
  argv->push_back("peer");
  argv->push_back(op.public_key);
  if (op.kind == PeerOp::Kind::kRemove) {
    argv->push_back("remove");
    return;
  }
  // An empty value clears the list; wg replaces, never merges, allowed-ips.
  argv->push_back("allowed-ips");
  argv->push_back(absl::StrJoin(op.allowed_ips, ","));
}

size_t ArgvBytes(const std::vector<std::string>& argv, size_t from) {
  size_t bytes = 0;
  for (size_t i = from; i < argv.size(); ++i) bytes += argv[i].size() + 1;
  return bytes;
}

}  // namespace

WgCommandInterface::WgCommandInterface(std::string interface_name,
                                       CommandRunner* runner,
                                       absl::Duration timeout)
    : interface_name_(std::move(interface_name)),
      runner_(runner),
      timeout_(timeout) {}

absl::StatusOr<CommandResult> WgCommandInterface::RunWg(
    const std::vector<std::string>& argv) {
  absl::StatusOr<CommandResult> result = runner_->Run(argv, timeout_);
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    std::string detail(absl::StripAsciiWhitespace(result->stderr_text));
    if (detail.empty()) detail = "no error output";
    return absl::UnavailableError(
        absl::StrCat("wg ", argv[1], " ", interface_name_, " failed (exit ",
                     result->exit_code, "): ", detail));
  }
  return result;
}

absl::StatusOr<wireguard::WgDump> WgCommandInterface::Show() {
  absl::StatusOr<CommandResult> result =
      RunWg({"wg", "show", interface_name_, "dump"});
  if (!result.ok()) return result.status();
  return wireguard::ParseWgDump(result->stdout_text);
}

absl::StatusOr<std::vector<wireguard::WgPeerState>>
WgCommandInterface::ListPeers() {
  absl::StatusOr<wireguard::WgDump> dump = Show();
  if (!dump.ok()) return dump.status();
  return std::move(dump->peers);
}

absl::Status WgCommandInterface::Apply(const std::vector<PeerOp>& ops) {
  const std::vector<std::string> prefix = {"wg", "set", interface_name_};
  std::vector<std::string> argv = prefix;
  for (const PeerOp& op : ops) {
    AppendOp(op, &argv);
    if (ArgvBytes(argv, prefix.size()) >= kMaxArgvBytes) {
      absl::StatusOr<CommandResult> result = RunWg(argv);
      if (!result.ok()) return result.status();
      argv = prefix;
    }
  }
  if (argv.size() == prefix.size()) return absl::OkStatus();
  return RunWg(argv).status();
}

}  // namespace trellis::gateway
