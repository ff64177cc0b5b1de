#include "tools/trellisctl/device_lookup.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/identity/device_id.h"
#include "tools/trellisctl/device_report.h"
#include "tools/trellisctl/table_printer.h"
#include "tools/trellisctl/text.h"

namespace trellis::ctl {

grpc::Status ListAllDevices(Ctl& ctl, const v1::ListDevicesRequest& filter,
                            int limit, v1::ListDevicesResponse* devices) {
  std::string page_token;
  do {
    v1::ListDevicesRequest request = filter;
    request.set_page_size(500);
    request.set_page_token(page_token);
    v1::ListDevicesResponse page;
    grpc::Status s = ctl.Call(&Ctl::Stub::ListDevices, request, &page);
    if (!s.ok()) return s;
    for (auto& d : *page.mutable_devices()) {
      if (limit > 0 && devices->devices_size() >= limit) break;
      *devices->add_devices() = std::move(d);
    }
    page_token = page.next_page_token();
  } while (!page_token.empty() &&
           (limit == 0 || devices->devices_size() < limit));
  return grpc::Status::OK;
}

int ResolveDevice(Ctl& ctl, const std::string& name, std::string* device_id) {
  if (identity::IsValidDeviceId(name)) {
    *device_id = name;
    return kExitOk;
  }
  // The server narrows by substring; the exact match is decided here.
  v1::ListDevicesRequest filter;
  filter.set_search(name);
  v1::ListDevicesResponse found;
  grpc::Status s = ListAllDevices(ctl, filter, 0, &found);
  if (!s.ok()) return ctl.Refused(s);
  std::vector<const v1::DeviceSummary*> matches;
  for (const auto& d : found.devices()) {
    if (absl::EqualsIgnoreCase(d.hostname(), name) ||
        d.hardware_serial() == name) {
      matches.push_back(&d);
    }
  }
  if (matches.size() == 1) {
    *device_id = matches.front()->device_id();
    return kExitOk;
  }
  if (matches.empty()) {
    return ctl.Refused(grpc::Status(
        grpc::StatusCode::NOT_FOUND,
        absl::StrCat("no device has the id, hostname or serial '", name,
                     "' (device list --search finds partial matches)")));
  }
  TablePrinter t(DeviceListHeaders());
  for (const v1::DeviceSummary* d : matches) t.AddRow(DeviceListRow(*d));
  ctl.err() << "trellisctl: '" << Safe(name) << "' names " << matches.size()
            << " devices; give one by its id:\n"
            << t.Render();
  return kExitRefused;
}

}  // namespace trellis::ctl
