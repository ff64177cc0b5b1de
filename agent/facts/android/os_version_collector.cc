// os_version on Android: getprop for the release, patch level, build id
// and ABI. Without a release the table is unknown; the others are NULL
// when unset.
#include <optional>
#include <string>

#include "agent/facts/android/android_collectors.h"
#include "agent/facts/android/command_text.h"
#include "agent/facts/android/os_version_parser.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::android_facts {
namespace {

class OsVersionCollector : public Collector {
 public:
  std::string table() const override { return "os_version"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<std::optional<std::string>> release =
        Getprop(ctx, "ro.build.version.release");
    if (!release.ok()) {
      return facts::TableBuilder::Unknown(table(), release.status().message());
    }
    if (!release->has_value()) {
      return facts::TableBuilder::Unknown(
          table(), "getprop ro.build.version.release: not set");
    }
    AndroidBuild build;
    build.release = **release;
    build.security_patch = PropOrNull(ctx, "ro.build.version.security_patch");
    build.display_id = PropOrNull(ctx, "ro.build.display.id");
    build.cpu_abi = PropOrNull(ctx, "ro.product.cpu.abi");
    return BuildOsVersionTable(build);
  }

 private:
  static std::optional<std::string> PropOrNull(CollectContext& ctx,
                                               const std::string& name) {
    absl::StatusOr<std::optional<std::string>> value = Getprop(ctx, name);
    if (!value.ok()) return std::nullopt;
    return *value;
  }
};

}  // namespace

std::unique_ptr<Collector> NewOsVersionCollector() {
  return std::make_unique<OsVersionCollector>();
}

}  // namespace trellis::agent::android_facts
