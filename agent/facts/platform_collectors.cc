#include "agent/facts/platform_collectors.h"

#if defined(__ANDROID__)
#include "agent/facts/android/android_collectors.h"
#elif defined(__APPLE__)
#include "agent/facts/macos/macos_collectors.h"
#elif defined(_WIN32)
#include "agent/facts/windows/windows_collectors.h"
#else
#include "agent/facts/linux/linux_collectors.h"
#endif

namespace trellis::agent {

std::vector<std::unique_ptr<Collector>> PlatformCollectors() {
#if defined(__ANDROID__)
  return android_facts::AllAndroidCollectors();
#elif defined(__APPLE__)
  return macos_facts::AllMacosCollectors();
#elif defined(_WIN32)
  return windows_facts::AllWindowsCollectors();
#else
  return linux_facts::AllLinuxCollectors();
#endif
}

v1::Platform BuildPlatform() {
#if defined(__ANDROID__)
  return v1::PLATFORM_ANDROID;
#elif defined(__APPLE__)
  return v1::PLATFORM_MACOS;
#elif defined(_WIN32)
  return v1::PLATFORM_WINDOWS;
#else
  return v1::PLATFORM_LINUX;
#endif
}

}  // namespace trellis::agent
