#include "agent/vpn/platform_tunnel.h"

#include "agent/vpn/profile_file_controller.h"

#if !defined(__ANDROID__) && !defined(__APPLE__) && !defined(_WIN32)
#include "agent/vpn/linux/linux_tunnel_controller.h"
#define TRELLIS_VPN_LINUX 1
#endif

namespace trellis::agent {
namespace {

ProfileFileOptions FileOptions(const PlatformTunnelConfig& config,
                               ProfileFormat format) {
  ProfileFileOptions options;
  options.dir = config.state->VpnDir();
  options.name = config.interface_name;
  options.format = format;
  options.private_key = config.private_key;
  options.device_id = config.device_id;
  return options;
}

}  // namespace

std::unique_ptr<TunnelController> MakePlatformTunnelController(
    const PlatformTunnelConfig& config) {
#if defined(TRELLIS_VPN_LINUX)
  linux_vpn::LinuxTunnelOptions options;
  options.interface_name = config.interface_name;
  options.private_key_path = config.state->WireGuardKeyPath();
  options.public_key = config.public_key;
  return std::make_unique<linux_vpn::LinuxTunnelController>(config.runner,
                                                            options);
#elif defined(__APPLE__)
  return std::make_unique<ProfileFileController>(
      FileOptions(config, ProfileFormat::kAppleMobileconfig));
#else
  return std::make_unique<ProfileFileController>(
      FileOptions(config, ProfileFormat::kWgQuick));
#endif
}

std::unique_ptr<TunnelController> MakeReferenceProfileWriter(
    const PlatformTunnelConfig& config) {
#if defined(TRELLIS_VPN_LINUX)
  return std::make_unique<ProfileFileController>(
      FileOptions(config, ProfileFormat::kWgQuick));
#else
  return nullptr;
#endif
}

}  // namespace trellis::agent
