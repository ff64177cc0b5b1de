#include "agent/facts/system_source.h"

#include <sys/utsname.h>

#include "absl/strings/str_cat.h"
#include "common/util/files.h"

namespace trellis::agent {

absl::StatusOr<std::string> RealSystemSource::ReadFile(
    const std::string& path) {
  return trellis::ReadFile(absl::StrCat(root_, path));
}

absl::StatusOr<UnameInfo> RealSystemSource::Uname() {
  struct utsname u;
  if (::uname(&u) != 0) return absl::InternalError("uname failed");
  return UnameInfo{u.sysname, u.nodename, u.release, u.machine};
}

}  // namespace trellis::agent
