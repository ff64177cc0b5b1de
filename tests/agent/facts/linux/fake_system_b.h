// A machine made of a map of files, for the users, ssh_server,
// listening_ports, interfaces, vpn, packages and processes collector tests.
// Directories exist implicitly above every file (or explicitly via AddDir),
// any path can be made to fail, and a recorded tree under
// tests/fixtures/linux_b/ can be loaded as the machine's root.
#ifndef TRELLIS_TESTS_AGENT_FACTS_LINUX_FAKE_SYSTEM_B_H_
#define TRELLIS_TESTS_AGENT_FACTS_LINUX_FAKE_SYSTEM_B_H_

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "agent/facts/system_source.h"
#include "common/facts/fact_values.h"
#include "common/util/files.h"
#include "gtest/gtest.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_b_testing {

// Contents of tests/fixtures/linux_b/<relative>; fails the test if missing.
inline std::string Fixture(const std::string& relative) {
  std::string path =
      absl::StrCat(TRELLIS_SOURCE_DIR, "/tests/fixtures/linux_b/", relative);
  auto text = trellis::ReadFile(path);
  if (!text.ok()) {
    ADD_FAILURE() << "missing fixture " << path << ": " << text.status();
    return "";
  }
  return *text;
}

// One value as text: "NULL", "true"/"false", the number or the string.
inline std::string ValueText(const v1::FactValue& v) {
  return facts::FactValueText(v);
}

// Every row as "v1|v2|...", for matching whole tables at a glance.
inline std::vector<std::string> Rows(const v1::FactTable& table) {
  std::vector<std::string> out;
  for (const v1::FactRow& row : table.rows()) {
    std::string line;
    for (int c = 0; c < row.values_size(); ++c) {
      absl::StrAppend(&line, c == 0 ? "" : "|", ValueText(row.values(c)));
    }
    out.push_back(std::move(line));
  }
  return out;
}

// The cell of `column` in row `row` as text (see ValueText).
inline std::string Cell(const v1::FactTable& table, const std::string& column,
                        int row = 0) {
  for (int c = 0; c < table.columns_size(); ++c) {
    if (table.columns(c) != column) continue;
    if (row >= table.rows_size()) {
      ADD_FAILURE() << "no row " << row;
      return "<no row>";
    }
    return ValueText(table.rows(row).values(c));
  }
  ADD_FAILURE() << "no column " << column;
  return "<no column>";
}

class FakeSystemB : public SystemSource {
 public:
  void AddFile(const std::string& path, std::string content) {
    files_[path] = std::move(content);
  }
  void AddDir(const std::string& path) { dirs_.insert(path); }
  // ReadFile and ListDirectory of `path` fail with `error`.
  void SetError(const std::string& path, absl::Status error) {
    errors_[path] = std::move(error);
  }
  void RemoveFile(const std::string& path) { files_.erase(path); }

  // Adds every file under tests/fixtures/linux_b/<relative_root> at the
  // same path below "/" (fixture ".../root/etc/passwd" -> "/etc/passwd").
  void LoadTree(const std::string& relative_root) {
    std::filesystem::path root = std::filesystem::path(TRELLIS_SOURCE_DIR) /
                                 "tests/fixtures/linux_b" / relative_root;
    std::error_code ec;
    std::filesystem::recursive_directory_iterator it(root, ec), end;
    if (ec) {
      ADD_FAILURE() << "missing fixture tree " << root << ": " << ec.message();
      return;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      std::string device_path =
          "/" + std::filesystem::relative(it->path(), root).generic_string();
      if (it->is_directory()) {
        AddDir(device_path);
      } else if (it->is_regular_file()) {
        auto text = trellis::ReadFile(it->path().string());
        ASSERT_TRUE(text.ok()) << text.status();
        AddFile(device_path, *text);
      }
    }
  }

  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    reads_.push_back(path);
    auto err = errors_.find(path);
    if (err != errors_.end()) return err->second;
    auto it = files_.find(path);
    if (it == files_.end()) {
      if (IsDir(path)) {
        return absl::FailedPreconditionError(
            absl::StrCat(path, " is a directory"));
      }
      return absl::NotFoundError(
          absl::StrCat("cannot open ", path, ": No such file or directory"));
    }
    return it->second;
  }

  absl::StatusOr<UnameInfo> Uname() override {
    return UnameInfo{"Linux", "fakehost", "6.1.0-18-amd64", "x86_64"};
  }

  absl::StatusOr<std::vector<std::string>> ListDirectory(
      const std::string& path) override {
    listed_.push_back(path);
    auto err = errors_.find(path);
    if (err != errors_.end()) return err->second;
    if (files_.count(path) > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot list ", path, ": Not a directory"));
    }
    if (!IsDir(path)) {
      return absl::NotFoundError(
          absl::StrCat("cannot list ", path, ": No such file or directory"));
    }
    std::set<std::string> names;
    std::string prefix = path == "/" ? "/" : path + "/";
    auto collect = [&](const std::string& p) {
      if (!absl::StartsWith(p, prefix) || p.size() == prefix.size()) return;
      std::string rest = p.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('/')));
    };
    for (const auto& [p, unused] : files_) collect(p);
    for (const std::string& d : dirs_) collect(d);
    return std::vector<std::string>(names.begin(), names.end());
  }

  const std::vector<std::string>& reads() const { return reads_; }
  const std::vector<std::string>& listed() const { return listed_; }

 private:
  bool IsDir(const std::string& path) const {
    if (dirs_.count(path) > 0 || path == "/") return true;
    std::string prefix = path + "/";
    for (const auto& [p, unused] : files_) {
      if (absl::StartsWith(p, prefix)) return true;
    }
    for (const std::string& d : dirs_) {
      if (absl::StartsWith(d, prefix)) return true;
    }
    return false;
  }

  std::map<std::string, std::string> files_;
  std::set<std::string> dirs_;
  std::map<std::string, absl::Status> errors_;
  std::vector<std::string> reads_;
  std::vector<std::string> listed_;
};

}  // namespace trellis::agent::linux_b_testing

#endif  // TRELLIS_TESTS_AGENT_FACTS_LINUX_FAKE_SYSTEM_B_H_
