// Finding devices the way the help desk names them: by device id, hostname
// or hardware serial, and listing them through every page.
#ifndef TRELLIS_TOOLS_TRELLISCTL_DEVICE_LOOKUP_H_
#define TRELLIS_TOOLS_TRELLISCTL_DEVICE_LOOKUP_H_

#include <string>

#include "tools/trellisctl/ctl.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::ctl {

// Every device `filter` (its filter fields) selects, following pages, at
// most `limit` (0: all) of them, into `devices`.
grpc::Status ListAllDevices(Ctl& ctl, const v1::ListDevicesRequest& filter,
                            int limit, v1::ListDevicesResponse* devices);

// The id of the one device `name` names: a device id as is, else the device
// whose hostname (any case) or hardware serial equals `name`. When none or
// several match it says so on stderr - listing the candidates - and returns
// the exit code to stop with; else kExitOk.
int ResolveDevice(Ctl& ctl, const std::string& name, std::string* device_id);

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_DEVICE_LOOKUP_H_
