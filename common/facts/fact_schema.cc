#include "common/facts/fact_schema.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace trellis::facts {
namespace {

using T = ColumnType;

// A table carries a platform's bit only when that platform's agent has a
// collector for it (tests/agent/facts/platform_tables_test.cc), so
// docs/facts.md lists only what devices actually send, and a check over a
// table a platform lacks is not applicable there rather than an error.
// There is no iOS agent yet, so no table carries kIos.
constexpr uint32_t kAgentPlatforms = kDesktops | kAndroid;

std::vector<TableSpec> BuildSchema() {
  return {
      {"os_version",
       "Operating system name, version and kernel.",
       PrivacyClass::kBasic,
       kAgentPlatforms,
       {{"name", T::kText,
         "OS name, e.g. Debian GNU/Linux, macOS, Windows 11 Pro"},
        {"version", T::kText, "Version as the OS shows it, e.g. 12 (bookworm)"},
        {"version_id", T::kText,
         "Machine-comparable version, e.g. 12, 14.4.1, 10.0.22631"},
        {"id", T::kText,
         "Short OS id, e.g. debian, ubuntu, macos, windows, android"},
        {"pretty_name", T::kText, "Full human-readable name"},
        {"kernel_release", T::kText, "Kernel release (uname -r) or OS build"},
        {"arch", T::kText, "CPU architecture, e.g. x86_64, arm64"},
        {"security_patch_level", T::kText,
         "Android security patch date YYYY-MM-DD; NULL elsewhere"}}},
      {"system_info",
       "The machine: hostname, maker, model, serial, memory, CPU.",
       PrivacyClass::kInventory,
       kLinux,
       {{"hostname", T::kText, "Host name"},
        {"hardware_vendor", T::kText, "Maker (DMI sys_vendor)"},
        {"hardware_model", T::kText, "Model (DMI product_name)"},
        {"hardware_serial", T::kText,
         "Serial number; NULL when unreadable or a firmware placeholder"},
        {"memory_bytes", T::kInteger, "Installed memory in bytes"},
        {"cpu_model", T::kText, "CPU model name"},
        {"cpu_cores", T::kInteger, "Logical CPU count"}}},
      {"disk_encryption",
       "One row per mounted local filesystem: is it encrypted at rest.",
       PrivacyClass::kBasic,
       kAgentPlatforms,
       {{"mount_point", T::kText, "Where it is mounted, e.g. /, /home, C:"},
        {"device", T::kText, "Block device or volume"},
        {"encrypted", T::kBool, "True when the data is encrypted at rest"},
        {"method", T::kText,
         "luks, dm-crypt, filevault, bitlocker, fbe (Android file-based), or "
         "none"},
        {"is_system", T::kBool, "True for the volume the OS boots from"}}},
      {"firewall",
       "Host firewall: one row per profile (one row on Linux and macOS).",
       PrivacyClass::kBasic,
       kDesktops,
       {{"backend", T::kText,
         "nftables, iptables, ufw, socketfilterfw, windows"},
        {"profile", T::kText,
         "Windows profile (domain, private, public); 'default' elsewhere"},
        {"enabled", T::kBool, "True when the firewall is active"},
        {"default_inbound_policy", T::kText,
         "drop, reject, accept or unknown"}}},
      {"screen_lock",
       "Whether the screen locks by itself, and after how long.",
       PrivacyClass::kBasic,
       kLinux | kMacos | kAndroid,
       {{"enabled", T::kBool, "True when the screen locks automatically"},
        {"idle_delay_seconds", T::kInteger,
         "Idle time before the screen blanks/locks; 0 = never"},
        {"lock_delay_seconds", T::kInteger,
         "Grace after blanking before a password is needed"},
        {"source", T::kText,
         "Where this was read, e.g. gnome, macos, windows, android"}}},
      {"os_updates",
       "Pending updates and how recently updates were applied.",
       PrivacyClass::kBasic,
       kDesktops,
       {{"manager", T::kText, "apt, dnf, softwareupdate, windows-update"},
        {"pending", T::kInteger, "Updates available and not installed"},
        {"pending_security", T::kInteger, "Of those, security updates"},
        {"days_since_last_update", T::kInteger,
         "Days since updates were last applied successfully"},
        {"automatic_updates", T::kBool,
         "True when updates install automatically"}}},
      {"secure_boot",
       "UEFI Secure Boot state.",
       PrivacyClass::kBasic,
       kDesktops,
       {{"supported", T::kBool, "True on UEFI firmware"},
        {"enabled", T::kBool, "True when Secure Boot is enforcing"},
        {"source", T::kText, "efivars, mokutil, csrutil, windows"}}},
      {"antimalware",
       "One row per anti-malware product found.",
       PrivacyClass::kBasic,
       kLinux | kWindows,
       {{"product", T::kText, "e.g. clamav, defender, xprotect"},
        {"installed", T::kBool, "True when present"},
        {"running", T::kBool, "True when its service or daemon is running"},
        {"real_time_protection", T::kBool,
         "True when on-access scanning is on"},
        {"signature_age_days", T::kInteger,
         "Days since signatures were updated"}}},
      {"users",
       "Local accounts that can log in or hold admin rights.",
       PrivacyClass::kSensitive,
       kLinux | kWindows,
       {{"username", T::kText, "Account name"},
        {"uid", T::kInteger, "Numeric id (Linux/macOS); NULL on Windows"},
        {"is_admin", T::kBool,
         "Member of sudo, wheel, admin or Administrators"},
        {"has_password", T::kBool, "False when the account needs no password"},
        {"locked", T::kBool, "True when password login is disabled"},
        {"is_system", T::kBool,
         "True for service accounts (uid < 1000 on Linux)"},
        {"shell", T::kText, "Login shell"}}},
      {"ssh_server",
       "The OpenSSH server, if installed.",
       PrivacyClass::kBasic,
       kLinux,
       {{"installed", T::kBool, "True when sshd is installed"},
        {"running", T::kBool, "True when sshd is running"},
        {"permit_root_login", T::kText,
         "yes, no, prohibit-password, forced-commands-only"},
        {"password_authentication", T::kBool,
         "True when password logins are accepted"}}},
      {"listening_ports",
       "Sockets accepting connections.",
       PrivacyClass::kInventory,
       kLinux,
       {{"protocol", T::kText, "tcp, tcp6, udp, udp6"},
        {"address", T::kText, "Local address"},
        {"port", T::kInteger, "Local port"},
        {"loopback_only", T::kBool, "True when bound to a loopback address"}}},
      {"interfaces",
       "Network interfaces and their addresses (one row per address).",
       PrivacyClass::kInventory,
       kLinux,
       {{"name", T::kText, "Interface name"},
        {"mac", T::kText, "Hardware address"},
        {"address", T::kText, "IP address with prefix length; NULL when none"},
        {"up", T::kBool, "True when administratively up"},
        {"type", T::kText,
         "ether, wireless, loopback, wireguard, tun, other"}}},
      {"vpn",
       "VPN interfaces (WireGuard, tun) and whether they are up.",
       PrivacyClass::kBasic,
       kLinux,
       {{"name", T::kText, "Interface name"},
        {"type", T::kText, "wireguard or tun"},
        {"up", T::kBool, "True when up"},
        {"managed_by_trellis", T::kBool,
         "True for the tunnel the agent manages"}}},
      {"mobile_security",
       "Phone and tablet protections.",
       PrivacyClass::kBasic,
       kAndroid,
       {{"lock_screen_secure", T::kBool,
         "PIN, pattern, password or biometric set"},
        {"encryption_state", T::kText, "encrypted, unencrypted, unsupported"},
        {"developer_options", T::kBool, "Developer options enabled"},
        {"usb_debugging", T::kBool, "USB debugging (adb) enabled"},
        {"rooted", T::kBool, "Root or jailbreak indicators found"}}},
      {"agent",
       "The Trellis agent itself.",
       PrivacyClass::kBasic,
       kAgentPlatforms,
       {{"version", T::kText, "Agent version"},
        {"device_id", T::kText, "Trellis device id"},
        {"ownership", T::kText, "corporate or personal"},
        {"enrolled_since", T::kInteger, "Enrolment time, Unix seconds"},
        {"policy_bundle_version", T::kInteger,
         "Policy bundle version held; 0 = none"}}},
      {"packages",
       "Installed software packages.",
       PrivacyClass::kInventory,
       kLinux,
       {{"name", T::kText, "Package name"},
        {"version", T::kText, "Installed version"},
        {"source", T::kText, "deb, rpm, pkg, msi"}}},
      {"processes",
       "Running processes (names only; no arguments, no window titles).",
       PrivacyClass::kInventory,
       kLinux,
       {{"pid", T::kInteger, "Process id"},
        {"name", T::kText, "Executable name"},
        {"user", T::kText, "Owning account"}}},
  };
}

bool ValueMatches(const v1::FactValue& v, ColumnType type) {
  switch (v.value_case()) {
    case v1::FactValue::VALUE_NOT_SET:
      return true;  // NULL fits every column
    case v1::FactValue::kTextValue:
      return type == ColumnType::kText;
    case v1::FactValue::kIntegerValue:
      return type == ColumnType::kInteger;
    case v1::FactValue::kRealValue:
      return type == ColumnType::kReal;
    case v1::FactValue::kBoolValue:
      return type == ColumnType::kBool;
  }
  return false;
}

std::string PlatformList(uint32_t platforms) {
  std::vector<std::string> names;
  if (platforms & kLinux) names.push_back("linux");
  if (platforms & kMacos) names.push_back("macos");
  if (platforms & kWindows) names.push_back("windows");
  if (platforms & kAndroid) names.push_back("android");
  if (platforms & kIos) names.push_back("ios");
  return absl::StrJoin(names, ", ");
}

}  // namespace

int TableSpec::ColumnIndex(absl::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

const std::vector<TableSpec>& FactSchema() {
  static const auto* schema = new std::vector<TableSpec>(BuildSchema());
  return *schema;
}

const TableSpec* FindTable(absl::string_view name) {
  for (const TableSpec& t : FactSchema()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const char* ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kText:
      return "TEXT";
    case ColumnType::kInteger:
      return "INTEGER";
    case ColumnType::kReal:
      return "REAL";
    case ColumnType::kBool:
      return "BOOLEAN";
  }
  return "?";
}

const char* PrivacyClassName(PrivacyClass privacy) {
  switch (privacy) {
    case PrivacyClass::kBasic:
      return "basic";
    case PrivacyClass::kInventory:
      return "inventory";
    case PrivacyClass::kSensitive:
      return "sensitive";
  }
  return "?";
}

uint32_t PlatformBitFor(v1::Platform platform) {
  switch (platform) {
    case v1::PLATFORM_LINUX:
      return kLinux;
    case v1::PLATFORM_MACOS:
      return kMacos;
    case v1::PLATFORM_WINDOWS:
      return kWindows;
    case v1::PLATFORM_ANDROID:
      return kAndroid;
    case v1::PLATFORM_IOS:
      return kIos;
    default:
      return 0;
  }
}

bool AllowedFor(PrivacyClass privacy, v1::Ownership ownership) {
  return privacy == PrivacyClass::kBasic ||
         ownership == v1::OWNERSHIP_CORPORATE;
}

absl::Status CheckTableAgainstSchema(const v1::FactTable& table) {
  const TableSpec* spec = FindTable(table.name());
  if (spec == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown fact table '", table.name().substr(0, 64), "'"));
  }
  if (table.status() == v1::FactTable::STATUS_UNKNOWN) {
    return absl::OkStatus();
  }
  if (table.columns_size() != static_cast<int>(spec->columns.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("table ", spec->name, " has ", table.columns_size(),
                     " columns; the schema has ", spec->columns.size()));
  }
  for (size_t c = 0; c < spec->columns.size(); ++c) {
    if (table.columns(static_cast<int>(c)) != spec->columns[c].name) {
      return absl::InvalidArgumentError(
          absl::StrCat("table ", spec->name, " column ", c + 1, " is '",
                       table.columns(static_cast<int>(c)).substr(0, 64),
                       "', expected '", spec->columns[c].name, "'"));
    }
  }
  for (int r = 0; r < table.rows_size(); ++r) {
    const v1::FactRow& row = table.rows(r);
    if (row.values_size() != table.columns_size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "table ", spec->name, " row ", r, " has ", row.values_size(),
          " values for ", table.columns_size(), " columns"));
    }
    for (int c = 0; c < row.values_size(); ++c) {
      if (!ValueMatches(row.values(c), spec->columns[c].type)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "table ", spec->name, " row ", r, " column ", spec->columns[c].name,
            ": expected ", ColumnTypeName(spec->columns[c].type)));
      }
    }
  }
  return absl::OkStatus();
}

std::string RenderFactsReference() {
  std::string out =
      "# Fact tables\n\n"
      "Generated from `common/facts/fact_schema.cc` by "
      "`trellisctl facts reference`; a test keeps it in step. Policy checks "
      "are SQL over these tables. A table the agent could not read is "
      "*unknown* (no rows) and any check on it reports an error, never a "
      "pass. A table is listed for a platform only when that platform's "
      "agent collects it; on any other platform a check on it is not "
      "applicable.\n\n"
      "Privacy classes: **basic** tables are sent by every device; "
      "**inventory** and **sensitive** tables only by corporate devices.\n";
  for (const TableSpec& t : FactSchema()) {
    absl::StrAppend(&out, "\n## ", t.name, "\n\n", t.description, "\n\n",
                    "Privacy: ", PrivacyClassName(t.privacy),
                    ". Platforms: ", PlatformList(t.platforms), ".\n\n",
                    "| column | type | meaning |\n|---|---|---|\n");
    for (const ColumnSpec& c : t.columns) {
      absl::StrAppend(&out, "| ", c.name, " | ", ColumnTypeName(c.type), " | ",
                      c.description, " |\n");
    }
  }
  return out;
}

}  // namespace trellis::facts
