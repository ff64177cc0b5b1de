#include "agent/facts/android/os_version_parser.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::android_facts {

std::optional<std::string> AbiToArch(absl::string_view abi) {
  if (abi == "arm64-v8a") return "arm64";
  if (abi == "armeabi-v7a" || abi == "armeabi") return "arm";
  if (abi == "x86_64" || abi == "x86" || abi == "riscv64") {
    return std::string(abi);
  }
  return std::nullopt;
}

bool IsPatchLevel(absl::string_view value) {
  if (value.size() != 10 || value[4] != '-' || value[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(value[i]))) {
      return false;
    }
  }
  return true;
}

v1::FactTable BuildOsVersionTable(const AndroidBuild& build) {
  std::optional<std::string> patch;
  if (build.security_patch && IsPatchLevel(*build.security_patch)) {
    patch = build.security_patch;
  }
  std::optional<std::string> arch;
  if (build.cpu_abi) arch = AbiToArch(*build.cpu_abi);
  facts::TableBuilder table("os_version");
  table.Row()
      .Text("name", "Android")
      .Text("version", build.release)
      .Text("version_id", build.release)
      .Text("id", "android")
      .Text("pretty_name", absl::StrCat("Android ", build.release))
      // The kernel is not what identifies an Android build; the build id
      // (UQ1A.240205.004) is.
      .Text("kernel_release", build.display_id)
      .Text("arch", arch)
      .Text("security_patch_level", patch);
  return table.Build();
}

}  // namespace trellis::agent::android_facts
