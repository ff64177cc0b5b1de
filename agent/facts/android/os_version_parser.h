// os_version on Android: the build properties.
#ifndef TRELLIS_AGENT_FACTS_ANDROID_OS_VERSION_PARSER_H_
#define TRELLIS_AGENT_FACTS_ANDROID_OS_VERSION_PARSER_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::android_facts {

struct AndroidBuild {
  std::string release;                        // ro.build.version.release
  std::optional<std::string> security_patch;  // ro.build.version.security_patch
  std::optional<std::string> display_id;      // ro.build.display.id
  std::optional<std::string> cpu_abi;         // ro.product.cpu.abi
};

// "arm64-v8a" -> "arm64", "armeabi-v7a"/"armeabi" -> "arm", "x86_64",
// "x86", "riscv64"; nullopt for anything else.
std::optional<std::string> AbiToArch(absl::string_view abi);

// True for a YYYY-MM-DD date, the only form the patch level column takes.
bool IsPatchLevel(absl::string_view value);

// One row: name 'Android', version and version_id the release ("14",
// "6.0.1"), kernel_release the build id (ro.build.display.id), and the
// security patch level when it is a date (NULL otherwise).
v1::FactTable BuildOsVersionTable(const AndroidBuild& build);

}  // namespace trellis::agent::android_facts

#endif  // TRELLIS_AGENT_FACTS_ANDROID_OS_VERSION_PARSER_H_
