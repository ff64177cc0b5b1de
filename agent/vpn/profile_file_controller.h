// The tunnel on platforms where the agent does not drive WireGuard itself
// (macOS, Windows, Android): it keeps the platform's WireGuard profile file
// current under <state>/vpn/ (0600), for the WireGuard app to import. The
// gateway enforces access either way. Also used on Linux to keep a
// reference wg-quick file beside the interface the agent manages.
#ifndef TRELLIS_AGENT_VPN_PROFILE_FILE_CONTROLLER_H_
#define TRELLIS_AGENT_VPN_PROFILE_FILE_CONTROLLER_H_

#include <string>

#include "agent/vpn/tunnel_controller.h"

namespace trellis::agent {

enum class ProfileFormat {
  kWgQuick,            // <name>.conf: WireGuard for Windows and Android
  kAppleMobileconfig,  // <name>.mobileconfig: WireGuard for macOS
};

struct ProfileFileOptions {
  std::string dir;   // <state>/vpn
  std::string name;  // file stem, the interface name ("trellis0")
  ProfileFormat format = ProfileFormat::kWgQuick;
  std::string private_key;  // base64; the file holds it, hence 0600
  std::string device_id;    // seeds the Apple payload UUIDs
};

class ProfileFileController : public TunnelController {
 public:
  explicit ProfileFileController(ProfileFileOptions options)
      : options_(std::move(options)) {}

  // Writes the file while the plan has a peer (also when held down on a
  // trusted network: the app decides there), removes it otherwise. An
  // unchanged file is not rewritten.
  absl::StatusOr<ApplyResult> Apply(const TunnelPlan& plan) override;
  TunnelObservation Observe() override;
  std::string Describe() const override;

  std::string Path() const;
  // The file's content for `plan` (which must have a peer).
  std::string Render(const TunnelPlan& plan) const;

 private:
  ProfileFileOptions options_;
};

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_VPN_PROFILE_FILE_CONTROLLER_H_
