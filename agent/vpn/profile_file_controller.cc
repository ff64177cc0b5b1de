#include "agent/vpn/profile_file_controller.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "agent/vpn/apple_mobileconfig.h"
#include "agent/vpn/wg_quick_config.h"
#include "common/util/files.h"

namespace trellis::agent {

std::string ProfileFileController::Path() const {
  return absl::StrCat(options_.dir, "/", options_.name,
                      options_.format == ProfileFormat::kAppleMobileconfig
                          ? ".mobileconfig"
                          : ".conf");
}

std::string ProfileFileController::Describe() const {
  return absl::StrCat("profile file ", Path());
}

std::string ProfileFileController::Render(const TunnelPlan& plan) const {
  std::string wg_quick = RenderWgQuickConfig(plan, options_.private_key);
  if (options_.format == ProfileFormat::kWgQuick) return wg_quick;
  MobileconfigInput input;
  input.plan = &plan;
  input.wg_quick_config = std::move(wg_quick);
  input.device_id = options_.device_id;
  input.trusted_dns_search_domains = plan.trusted_dns_search_domains;
  return RenderMobileconfig(input);
}

absl::StatusOr<ApplyResult> ProfileFileController::Apply(
    const TunnelPlan& plan) {
  ApplyResult result;
  const std::string path = Path();
  if (!plan.HasPeer()) {
    if (FileExists(path)) {
      if (std::remove(path.c_str()) != 0) {
        return absl::InternalError(
            absl::StrCat("cannot remove ", path, ": ", std::strerror(errno)));
      }
      result.changed = true;
    }
    return result;
  }
  std::string content = Render(plan);
  auto current = ReadFile(path);
  if (current.ok() && *current == content) return result;
  absl::Status s = MakeDirs(options_.dir, 0700);
  if (s.ok()) s = WriteFileAtomic(path, content, 0600);
  if (!s.ok()) return s;
  result.changed = true;
  return result;
}

TunnelObservation ProfileFileController::Observe() {
  TunnelObservation observation;
  observation.present = FileExists(Path());
  observation.detail =
      observation.present
          ? absl::StrCat("import ", Path(), " into the WireGuard app")
          : "no profile file (no VPN access)";
  return observation;
}

}  // namespace trellis::agent
