#include "agent/facts/android/disk_encryption_parser.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::android_facts {

absl::StatusOr<DataEncryption> InterpretCryptoProps(
    const std::optional<std::string>& state,
    const std::optional<std::string>& type) {
  if (!state) return absl::InvalidArgumentError("ro.crypto.state is not set");
  DataEncryption out;
  if (*state == "encrypted") {
    out.encrypted = true;
    if (type == "file") out.method = "fbe";
    if (type == "block") out.method = "dm-crypt";
    return out;
  }
  if (*state == "unencrypted" || *state == "unsupported") {
    out.encrypted = false;
    out.method = "none";
    return out;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ro.crypto.state '", state->substr(0, 40), "'"));
}

v1::FactTable BuildDiskEncryptionTable(const DataEncryption& data) {
  facts::TableBuilder table("disk_encryption");
  table.Row()
      .Text("mount_point", "/data")
      .Text("device", std::nullopt)
      .Bool("encrypted", data.encrypted)
      .Text("method", data.method)
      .Bool("is_system", true);
  return table.Build();
}

}  // namespace trellis::agent::android_facts
