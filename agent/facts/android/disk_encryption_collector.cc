// disk_encryption on Android: getprop ro.crypto.state and ro.crypto.type.
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "agent/facts/android/android_collectors.h"
#include "agent/facts/android/command_text.h"
#include "agent/facts/android/disk_encryption_parser.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::android_facts {
namespace {

class DiskEncryptionCollector : public Collector {
 public:
  std::string table() const override { return "disk_encryption"; }

  v1::FactTable Collect(CollectContext& ctx) override {
    absl::StatusOr<std::optional<std::string>> state =
        Getprop(ctx, "ro.crypto.state");
    if (!state.ok()) {
      return facts::TableBuilder::Unknown(table(), state.status().message());
    }
    // Only needed to name the method; unreadable leaves it NULL.
    absl::StatusOr<std::optional<std::string>> type =
        Getprop(ctx, "ro.crypto.type");
    absl::StatusOr<DataEncryption> data = InterpretCryptoProps(
        *state, type.ok() ? *type : std::optional<std::string>());
    if (!data.ok()) {
      return facts::TableBuilder::Unknown(
          table(),
          absl::StrCat("getprop ro.crypto.state: ", data.status().message()));
    }
    return BuildDiskEncryptionTable(*data);
  }
};

}  // namespace

std::unique_ptr<Collector> NewDiskEncryptionCollector() {
  return std::make_unique<DiskEncryptionCollector>();
}

}  // namespace trellis::agent::android_facts
