// How one device reads to the help desk (`device show`): by default a
// report that fits a screen - who the device is, its state, VPN, the checks
// that cost it access with their remediation, and its recent history. The
// full check list and the reported facts are there on request.
#ifndef TRELLIS_TOOLS_TRELLISCTL_DEVICE_REPORT_H_
#define TRELLIS_TOOLS_TRELLISCTL_DEVICE_REPORT_H_

#include <string>
#include <vector>

#include "trellis/v1/admin_service.pb.h"

namespace trellis::ctl {

struct DeviceReportOptions {
  bool all_checks = false;  // every check, not only the failing ones
  bool facts = false;       // the last report's fact tables
  int history = 5;          // newest transitions shown
  int detail_lines = 4;     // lines of each failing check's detail
};

// The table row `device list` prints (and the candidates of a lookup).
std::vector<std::string> DeviceListHeaders();
std::vector<std::string> DeviceListRow(const v1::DeviceSummary& d);

// Every untrusted string is terminal-safe in the result.
std::string RenderDeviceReport(const v1::GetDeviceResponse& device,
                               const v1::GetDeviceHistoryResponse& history,
                               const DeviceReportOptions& options);

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_DEVICE_REPORT_H_
