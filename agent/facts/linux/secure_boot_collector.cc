#include "agent/facts/linux/secure_boot_collector.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "agent/facts/linux/linux_collectors.h"
#include "common/facts/table_builder.h"

namespace trellis::agent::linux_facts {
namespace {

constexpr char kTable[] = "secure_boot";
constexpr char kEfivars[] = "/sys/firmware/efi/efivars";
constexpr char kSecureBootVar[] =
    "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c";

bool Contains(const std::vector<std::string>& names, const char* name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class SecureBootCollector : public Collector {
 public:
  std::string table() const override { return kTable; }

  v1::FactTable Collect(CollectContext& ctx) override {
    SystemSource& system = *ctx.system;
    // /sys/firmware itself must be readable; without sysfs the absence of
    // efi/ would prove nothing.
    absl::StatusOr<std::vector<std::string>> firmware =
        system.ListDirectory("/sys/firmware");
    if (!firmware.ok()) {
      return facts::TableBuilder::Unknown(
          kTable, absl::StrCat("cannot list /sys/firmware: ",
                               firmware.status().message()));
    }
    if (!Contains(*firmware, "efi")) {
      return SecureBootTable({false, false, "efivars"});
    }
    std::string efivars_problem;
    absl::StatusOr<std::vector<std::string>> vars =
        system.ListDirectory(kEfivars);
    // A mounted efivarfs always holds variables (BootOrder at least); an
    // empty directory is the unmounted mount point.
    if (vars.ok() && !vars->empty()) {
      absl::StatusOr<std::string> data = system.ReadFile(kSecureBootVar);
      if (data.ok()) {
        absl::StatusOr<bool> on = ParseSecureBootEfivar(*data);
        if (on.ok()) return SecureBootTable({true, *on, "efivars"});
        efivars_problem = std::string(on.status().message());
      } else if (absl::IsNotFound(data.status())) {
        // UEFI firmware without the variable predates Secure Boot
        // (UEFI < 2.3.1) or has it compiled out: it cannot be on.
        return SecureBootTable({true, false, "efivars"});
      } else {
        efivars_problem = std::string(data.status().message());
      }
    } else {
      efivars_problem = "efivarfs not mounted";
    }

    absl::StatusOr<CommandResult> mok =
        ctx.runner->Run({"mokutil", "--sb-state"}, ctx.command_timeout);
    std::string mok_problem;
    if (!mok.ok()) {
      mok_problem =
          absl::IsNotFound(mok.status()) ? "mokutil not installed"
          : absl::IsDeadlineExceeded(mok.status())
              ? "mokutil timed out"
              : absl::StrCat("mokutil failed: ", mok.status().message());
    } else {
      // mokutil exits non-zero for "not supported" yet says so plainly.
      absl::StatusOr<SecureBootState> state =
          ParseMokutilSbState(mok->stdout_text + mok->stderr_text);
      if (state.ok()) return SecureBootTable(*state);
      mok_problem =
          absl::StrCat("mokutil --sb-state: ", state.status().message());
    }
    return facts::TableBuilder::Unknown(
        kTable, absl::StrCat(efivars_problem, "; ", mok_problem));
  }
};

}  // namespace

absl::StatusOr<bool> ParseSecureBootEfivar(absl::string_view data) {
  if (data.size() != 5) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SecureBoot variable has ", data.size(), " bytes, expected 5"));
  }
  unsigned char value = static_cast<unsigned char>(data[4]);
  if (value > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("SecureBoot variable value ", value));
  }
  return value == 1;
}

absl::StatusOr<SecureBootState> ParseMokutilSbState(absl::string_view text) {
  SecureBootState s;
  s.source = "mokutil";
  if (absl::StrContains(text, "SecureBoot enabled")) {
    s.supported = s.enabled = true;
    return s;
  }
  if (absl::StrContains(text, "SecureBoot disabled")) {
    s.supported = true;
    return s;
  }
  // mokutil found EFI variables but no SecureBoot among them: UEFI
  // firmware without Secure Boot.
  if (absl::StrContains(text, "doesn't support Secure Boot")) {
    s.supported = true;
    return s;
  }
  // "EFI variables are not supported on this system" means mokutil could
  // not read them, which says nothing about the firmware; it falls through
  // to the error.
  return absl::InvalidArgumentError(
      absl::StrCat("unrecognised output '",
                   absl::StripAsciiWhitespace(text).substr(0, 120), "'"));
}

v1::FactTable SecureBootTable(const SecureBootState& s) {
  facts::TableBuilder b(kTable);
  b.Row()
      .Bool("supported", s.supported)
      .Bool("enabled", s.enabled)
      .Text("source", s.source);
  return b.Build();
}

std::unique_ptr<Collector> NewSecureBootCollector() {
  return std::make_unique<SecureBootCollector>();
}

}  // namespace trellis::agent::linux_facts
