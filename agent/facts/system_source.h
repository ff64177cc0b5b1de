// Where collectors read the machine from. The real source reads files under
// a root directory ("/" in production) and calls uname(2); tests point the
// root at a temporary tree and fix uname's answer.
#ifndef TRELLIS_AGENT_FACTS_SYSTEM_SOURCE_H_
#define TRELLIS_AGENT_FACTS_SYSTEM_SOURCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace trellis::agent {

struct UnameInfo {
  std::string sysname;
  std::string nodename;
  std::string release;
  std::string machine;
};

class SystemSource {
 public:
  virtual ~SystemSource() = default;
  // `path` is absolute as on the device, e.g. "/etc/os-release".
  virtual absl::StatusOr<std::string> ReadFile(const std::string& path) = 0;
  virtual absl::StatusOr<UnameInfo> Uname() = 0;
  // Entry names (no "." or ".."), sorted.
  virtual absl::StatusOr<std::vector<std::string>> ListDirectory(
      const std::string& path) {
    return absl::UnimplementedError("this source cannot list directories");
  }
  // Target of a symbolic link.
  virtual absl::StatusOr<std::string> ReadLink(const std::string& path) {
    return absl::UnimplementedError("this source cannot read links");
  }
  // Last modification time of a file or directory (stat's mtime).
  virtual absl::StatusOr<absl::Time> ModifiedTime(const std::string& path) {
    return absl::UnimplementedError("this source cannot stat files");
  }
};

class RealSystemSource : public SystemSource {
 public:
  explicit RealSystemSource(std::string root = "") : root_(std::move(root)) {}
  absl::StatusOr<std::string> ReadFile(const std::string& path) override;
  absl::StatusOr<UnameInfo> Uname() override;
  absl::StatusOr<std::vector<std::string>> ListDirectory(
      const std::string& path) override;
  absl::StatusOr<std::string> ReadLink(const std::string& path) override;
  absl::StatusOr<absl::Time> ModifiedTime(const std::string& path) override;

 private:
  std::string root_;
};

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FACTS_SYSTEM_SOURCE_H_
