// The facts a check-in copies into the device's own row (what `device list`
// and `device show` print as its OS), in one place so each is held to the
// same text rules as the enrolment description: valid UTF-8, no control
// characters, the same byte limits. A report that breaks them is refused
// whole, so the device row never holds terminal escapes or over-long text.
#ifndef TRELLIS_SERVER_CHECKIN_REPORTED_DEVICE_FIELDS_H_
#define TRELLIS_SERVER_CHECKIN_REPORTED_DEVICE_FIELDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "trellis/v1/common.pb.h"

namespace trellis::server {

struct ReportedDeviceFields {
  std::string os_name;     // os_version.name of the first row; "" if absent
  std::string os_version;  // os_version.version of the first row
};

// InvalidArgument naming the table, row and column when any row's value of
// a copied column breaks the rules.
absl::StatusOr<ReportedDeviceFields> DeviceFieldsFromReport(
    const v1::PostureReport& report);

}  // namespace trellis::server

#endif  // TRELLIS_SERVER_CHECKIN_REPORTED_DEVICE_FIELDS_H_
