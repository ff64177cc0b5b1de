#include "agent/facts/macos/os_version_parser.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::macos_facts {
namespace {

bool LooksLikeVersion(absl::string_view v) {
  if (v.empty() || !absl::ascii_isdigit(static_cast<unsigned char>(v[0]))) {
    return false;
  }
  for (char c : v) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '.') {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<SwVers> ParseSwVers(absl::string_view text) {
  SwVers out;
  bool have_version = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits(':', 1));
    absl::string_view key = absl::StripAsciiWhitespace(kv.first);
    std::string value(absl::StripAsciiWhitespace(kv.second));
    if (value.empty()) continue;
    if (key == "ProductName") {
      out.product_name = value;
    } else if (key == "ProductVersion") {
      if (!LooksLikeVersion(value)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "ProductVersion is not a version: '", value.substr(0, 40), "'"));
      }
      out.product_version = value;
      have_version = true;
    } else if (key == "ProductVersionExtra") {
      out.product_version_extra = value;
    } else if (key == "BuildVersion") {
      out.build_version = value;
    }
  }
  if (!have_version) {
    return absl::InvalidArgumentError("no ProductVersion line");
  }
  return out;
}

absl::StatusOr<std::string> ParseUnameMachine(absl::string_view text) {
  absl::string_view machine = absl::StripAsciiWhitespace(text);
  if (machine.empty()) return absl::InvalidArgumentError("empty output");
  for (char c : machine) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError("more than one word");
    }
  }
  return std::string(machine);
}

v1::FactTable BuildOsVersionTable(const SwVers& sw,
                                  const std::optional<std::string>& arch) {
  std::string version = sw.product_version;
  if (sw.product_version_extra) {
    absl::StrAppend(&version, " ", *sw.product_version_extra);
  }
  // Built only from what sw_vers said: without a product name there is no
  // full name to show.
  std::optional<std::string> pretty;
  if (sw.product_name) {
    pretty = absl::StrCat(*sw.product_name, " ", version);
    if (sw.build_version) {
      absl::StrAppend(&*pretty, " (", *sw.build_version, ")");
    }
  }
  facts::TableBuilder table("os_version");
  table.Row()
      .Text("name", sw.product_name)
      .Text("version", version)
      .Text("version_id", sw.product_version)
      .Text("id", "macos")
      .Text("pretty_name", pretty)
      // macOS has no separate user-facing kernel version; the build
      // (23E224) is what identifies exactly what is installed.
      .Text("kernel_release", sw.build_version)
      .Text("arch", arch)
      .Text("security_patch_level", std::nullopt);
  return table.Build();
}

}  // namespace trellis::agent::macos_facts
