#include "agent/facts/system_source.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

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

absl::StatusOr<std::vector<std::string>> RealSystemSource::ListDirectory(
    const std::string& path) {
  std::string full = absl::StrCat(root_, path);
  DIR* dir = ::opendir(full.c_str());
  if (dir == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("cannot list ", full, ": ", std::strerror(errno)));
  }
  std::vector<std::string> names;
  while (struct dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<std::string> RealSystemSource::ReadLink(
    const std::string& path) {
  std::string full = absl::StrCat(root_, path);
  char buf[4096];
  ssize_t n = ::readlink(full.c_str(), buf, sizeof(buf));
  if (n < 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot read link ", full, ": ", std::strerror(errno)));
  }
  return std::string(buf, static_cast<size_t>(n));
}

absl::StatusOr<absl::Time> RealSystemSource::ModifiedTime(
    const std::string& path) {
  std::string full = absl::StrCat(root_, path);
  struct stat st;
  if (::stat(full.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot stat ", full, ": ", std::strerror(errno)));
  }
  return absl::TimeFromTimespec(st.st_mtim);
}

}  // namespace trellis::agent
