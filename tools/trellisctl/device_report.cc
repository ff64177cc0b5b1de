#include "tools/trellisctl/device_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/facts/fact_values.h"
#include "common/policy/policy_text.h"
#include "common/util/terminal_text.h"
#include "tools/trellisctl/table_printer.h"
#include "tools/trellisctl/text.h"

namespace trellis::ctl {
namespace {

bool CostsAccess(const v1::CheckResult& c) {
  return c.state() == v1::CHECK_STATE_FAIL ||
         c.state() == v1::CHECK_STATE_ERROR;
}

// Multi-line untrusted text, indented, at most `max_lines` lines.
std::string Indented(const std::string& text, int max_lines,
                     const std::string& more_hint) {
  std::vector<std::string> lines =
      absl::StrSplit(TerminalSafeMultiline(text), '\n');
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::string out;
  int shown = 0;
  for (const std::string& line : lines) {
    if (max_lines > 0 && shown == max_lines) {
      absl::StrAppend(&out, "    (", lines.size() - shown, " more line(s)",
                      more_hint, ")\n");
      break;
    }
    absl::StrAppend(&out, "    ", line, "\n");
    ++shown;
  }
  return out;
}

std::string Identity(const v1::GetDeviceResponse& response) {
  const v1::DeviceSummary& d = response.device();
  std::vector<std::string> row = DeviceListRow(d);
  std::string out = absl::StrCat(
      "Device:        ", Safe(d.device_id()), "\n",
      "Hostname:      ", Safe(d.hostname()), "\n",
      "Serial:        ", Safe(d.hardware_serial()), "\n",
      "Platform:      ", row[2], "\n", "OS:            ", Safe(row[3]), "\n",
      "Group:         ", Safe(d.group()), " (", row[5], ")\n",
      "State:         ", row[6], "\n", "Enrolled:      ", When(d.enrolled_at()),
      " UTC\n", "Last seen:     ", When(d.last_seen_at()), " UTC\n",
      "Certificate:   expires ", When(d.certificate_expires_at()), " UTC\n",
      "Agent:         ", Safe(d.agent_version()), "\n",
      "Check-ins:     ", response.last_checkin_sequence(), "\n");
  if (!d.clone_of_device_id().empty()) {
    absl::StrAppend(&out, "Possible clone of ", Safe(d.clone_of_device_id()),
                    " (same hardware serial, different key)\n");
  }
  if (!response.revocation_reason().empty()) {
    absl::StrAppend(&out, "Revoked:       ", Safe(response.revocation_reason()),
                    "\n");
  }
  absl::StrAppend(
      &out, "\nVPN access:    ", row[8], "\n", "Tunnel:        ",
      d.tunnel_address().empty() ? "-" : Safe(d.tunnel_address()), "\n",
      "WireGuard key: ",
      d.wireguard_public_key().empty() ? "-" : Safe(d.wireguard_public_key()),
      "\n");
  return out;
}

std::string Checks(const v1::GetDeviceResponse& response,
                   const DeviceReportOptions& options) {
  const v1::DeviceSummary& d = response.device();
  std::string out = absl::StrCat(
      "\nCompliance state: ", ComplianceWord(d.compliance_state()),
      d.has_grace_deadline() ? absl::StrCat(" (access kept until ",
                                            When(d.grace_deadline()), " UTC)")
                             : "",
      "\n");
  if (response.checks_size() == 0) return out;
  int failing = 0, passing = 0;
  for (const auto& c : response.checks()) {
    if (CostsAccess(c)) ++failing;
    if (c.state() == v1::CHECK_STATE_PASS) ++passing;
  }
  absl::StrAppend(&out, "Compliance:    ",
                  response.compliant() ? "compliant" : "NOT compliant",
                  " (bundle ", response.evaluated_bundle_version(),
                  "): ", response.checks_size(), " checks, ", passing,
                  " pass, ", failing, " fail or error\n");
  if (failing == 0 && !options.all_checks) return out;
  TablePrinter t({"STATE", "SINCE (UTC)", "POLICY/CHECK", "TITLE"});
  for (const auto& c : response.checks()) {
    if (!options.all_checks && !CostsAccess(c)) continue;
    t.AddRow({policy::CheckStateText(c), When(c.since()),
              absl::StrCat(c.policy_id(), "/", c.check_id()), c.title()});
  }
  absl::StrAppend(&out, "\n", t.Render());
  const int detail_lines = options.all_checks ? 0 : options.detail_lines;
  for (const auto& c : response.checks()) {
    if (!CostsAccess(c)) continue;
    std::string name = Safe(absl::StrCat(c.policy_id(), "/", c.check_id()));
    if (c.state() == v1::CHECK_STATE_FAIL) {
      absl::StrAppend(&out, "\n", name, " fails:\n");
      if (!c.detail().empty()) {
        out += Indented(c.detail(), detail_lines, "; --all shows them");
      }
    } else {
      absl::StrAppend(&out, "\n", name,
                      " could not be checked: ", Safe(c.error()), "\n");
    }
    if (!c.remediation().empty()) {
      absl::StrAppend(&out, "  To fix:\n", Indented(c.remediation(), 0, ""));
    }
  }
  return out;
}

std::string History(const v1::GetDeviceHistoryResponse& history,
                    const DeviceReportOptions& options) {
  if (history.transitions_size() == 0) return "";
  int first = std::max(0, history.transitions_size() - options.history);
  std::string out = first == 0
                        ? "\nHistory:\n"
                        : absl::StrCat("\nRecent history (", options.history,
                                       " of ", history.transitions_size(),
                                       "; device history shows all):\n");
  TablePrinter t({"TIME (UTC)", "FROM", "TO", "CAUSE"});
  for (int i = first; i < history.transitions_size(); ++i) {
    const auto& tr = history.transitions(i);
    t.AddRow({WhenSeconds(tr.time()), ComplianceWord(tr.from_state()),
              ComplianceWord(tr.to_state()), tr.cause()});
  }
  return out + t.Render();
}

std::string Facts(const v1::PostureReport& report,
                  const DeviceReportOptions& options) {
  if (!options.facts) {
    if (report.tables_size() == 0) return "";
    return absl::StrCat("\nLast report: ", report.tables_size(),
                        " fact tables (--facts shows them)\n");
  }
  std::string out;
  for (const auto& table : report.tables()) {
    absl::StrAppend(&out, "\n[", Safe(table.name()), "]");
    if (table.status() == v1::FactTable::STATUS_UNKNOWN) {
      absl::StrAppend(&out, " unknown: ", Safe(table.unknown_reason()), "\n");
      continue;
    }
    out += "\n";
    for (const auto& r : table.rows()) {
      for (int c = 0; c < table.columns_size() && c < r.values_size(); ++c) {
        absl::StrAppend(&out, "  ", Safe(table.columns(c)), ": ",
                        Safe(facts::FactValueText(r.values(c))), "\n");
      }
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> DeviceListHeaders() {
  return {"DEVICE",    "HOSTNAME", "PLATFORM",   "OS",  "GROUP",
          "OWNERSHIP", "STATE",    "COMPLIANCE", "VPN", "LAST SEEN"};
}

std::vector<std::string> DeviceListRow(const v1::DeviceSummary& d) {
  std::string state = DeviceStateWord(d.state());
  if (d.flagged_possible_clone()) state += " (possible clone)";
  return {d.device_id(),
          d.hostname(),
          EnumWord(v1::Platform_Name(d.platform()), "PLATFORM_"),
          absl::StrCat(d.os_name(), " ", d.os_version()),
          d.group(),
          EnumWord(v1::Ownership_Name(d.ownership()), "OWNERSHIP_"),
          state,
          ComplianceWord(d.compliance_state()),
          policy::VpnAccessWord(d.vpn_access()),
          When(d.last_seen_at())};
}

std::string RenderDeviceReport(const v1::GetDeviceResponse& device,
                               const v1::GetDeviceHistoryResponse& history,
                               const DeviceReportOptions& options) {
  return Identity(device) + Checks(device, options) +
         History(history, options) + Facts(device.last_report(), options);
}

}  // namespace trellis::ctl
