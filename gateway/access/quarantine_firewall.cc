#include "gateway/access/quarantine_firewall.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/util/files.h"

namespace trellis::gateway {
namespace {

constexpr absl::Duration kNftTimeout = absl::Seconds(20);

}  // namespace

QuarantineFirewall::QuarantineFirewall(std::string interface_name,
                                       CommandRunner* runner,
                                       std::string rules_dir)
    : interface_name_(std::move(interface_name)),
      runner_(runner),
      rules_dir_(std::move(rules_dir)) {}

std::string QuarantineFirewall::rules_path() const {
  return absl::StrCat(rules_dir_, "/", NftTableName(interface_name_), ".nft");
}

bool QuarantineFirewall::NeedsUpdate(const QuarantineSet& peers) const {
  return !loaded_.has_value() || *loaded_ != peers;
}

absl::Status QuarantineFirewall::Enforce(const QuarantineSet& peers) {
  if (!NeedsUpdate(peers)) return absl::OkStatus();
  loaded_.reset();
  std::string ruleset = peers.empty()
                            ? RenderTableRemoval(interface_name_)
                            : RenderQuarantineRuleset(interface_name_, peers);
  absl::Status made = MakeDirs(rules_dir_, 0700);
  if (!made.ok()) return made;
  std::string path = rules_path();
  absl::Status written = WriteFileAtomic(path, ruleset, 0600);
  if (!written.ok()) return written;
  absl::StatusOr<CommandResult> result =
      runner_->Run({"nft", "-f", path}, kNftTimeout);
  if (!result.ok()) {
    if (absl::IsNotFound(result.status())) {
      // Without nft there can be no table to remove either, so an empty
      // quarantine is already in force.
      if (peers.empty()) {
        loaded_ = peers;
        return absl::OkStatus();
      }
      return absl::FailedPreconditionError(
          "nft (package nftables) is not installed, so quarantined peers "
          "cannot be restricted");
    }
    return result.status();
  }
  if (result->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("nft -f ", path, " failed (exit ", result->exit_code,
                     "): ", absl::StripAsciiWhitespace(result->stderr_text)));
  }
  loaded_ = peers;
  return absl::OkStatus();
}

}  // namespace trellis::gateway
