// Test support for the Linux collectors: a machine described by maps
// (files, symbolic links, directories, uname), cell accessors that tell NULL
// from a value, fixture loading, and the check every real-machine test runs.
#ifndef TRELLIS_TESTS_AGENT_FACTS_LINUX_FAKE_LINUX_SYSTEM_H_
#define TRELLIS_TESTS_AGENT_FACTS_LINUX_FAKE_LINUX_SYSTEM_H_

#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/facts/system_source.h"
#include "common/facts/fact_schema.h"
#include "common/util/files.h"
#include "gtest/gtest.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent::linux_facts::test_support {

class FakeLinuxSystem : public SystemSource {
 public:
  std::map<std::string, std::string> files;
  // Symbolic links: path -> target as readlink(2) returns it.
  std::map<std::string, std::string> links;
  // Directories that exist even with nothing in them. A directory also
  // exists when any file, link or directory lies below it.
  std::set<std::string> dirs;
  // Any call on one of these paths fails with the status (EACCES, EIO...).
  std::map<std::string, absl::Status> errors;
  absl::StatusOr<UnameInfo> uname =
      UnameInfo{"Linux", "node1", "6.1.0-18-amd64", "x86_64"};
  std::vector<std::string> reads;

  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    reads.push_back(path);
    auto err = errors.find(path);
    if (err != errors.end()) return err->second;
    auto it = files.find(path);
    if (it == files.end()) {
      return absl::NotFoundError(absl::StrCat("cannot open ", path));
    }
    return it->second;
  }

  absl::StatusOr<UnameInfo> Uname() override { return uname; }

  absl::StatusOr<std::vector<std::string>> ListDirectory(
      const std::string& path) override {
    auto err = errors.find(path);
    if (err != errors.end()) return err->second;
    std::string prefix = path == "/" ? "/" : path + "/";
    std::set<std::string> names;
    bool exists = dirs.count(path) > 0;
    auto collect = [&](const std::string& key) {
      if (!absl::StartsWith(key, prefix) || key.size() == prefix.size()) return;
      exists = true;
      std::string rest = key.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('/')));
    };
    for (const auto& [key, unused] : files) collect(key);
    for (const auto& [key, unused] : links) collect(key);
    for (const std::string& key : dirs) collect(key);
    if (!exists) return absl::NotFoundError(absl::StrCat("cannot list ", path));
    return std::vector<std::string>(names.begin(), names.end());
  }

  absl::StatusOr<std::string> ReadLink(const std::string& path) override {
    auto err = errors.find(path);
    if (err != errors.end()) return err->second;
    auto it = links.find(path);
    if (it == links.end()) {
      return absl::NotFoundError(absl::StrCat("cannot read link ", path));
    }
    return it->second;
  }

  // A process as procfs shows it: /proc/<pid>/comm and a status file with
  // the real, effective, saved and filesystem uids.
  void AddProcess(int pid, const std::string& comm, int64_t uid = 0) {
    std::string dir = absl::StrCat("/proc/", pid);
    files[dir + "/comm"] = comm + "\n";
    files[dir + "/status"] =
        absl::StrCat("Name:\t", comm, "\nUmask:\t0022\nState:\tS (sleeping)\n",
                     "Tgid:\t", pid, "\nPid:\t", pid, "\nPPid:\t1\n", "Uid:\t",
                     uid, "\t", uid, "\t", uid, "\t", uid, "\n", "Gid:\t", uid,
                     "\t", uid, "\t", uid, "\t", uid, "\n");
  }
};

// Content of tests/fixtures/linux/<relative>; fails the test when missing.
inline std::string Fixture(const std::string& relative) {
  std::string path =
      absl::StrCat(TRELLIS_SOURCE_DIR, "/tests/fixtures/linux/", relative);
  absl::StatusOr<std::string> text = trellis::ReadFile(path);
  if (!text.ok()) {
    ADD_FAILURE() << "missing fixture " << path << ": " << text.status();
    return "";
  }
  return *text;
}

inline const v1::FactValue* FindCell(const v1::FactTable& table,
                                     const std::string& column, int row) {
  if (row >= table.rows_size()) {
    ADD_FAILURE() << table.name() << " has no row " << row;
    return nullptr;
  }
  for (int c = 0; c < table.columns_size(); ++c) {
    if (table.columns(c) != column) continue;
    if (c >= table.rows(row).values_size()) {
      ADD_FAILURE() << table.name() << " row " << row << " is short";
      return nullptr;
    }
    return &table.rows(row).values(c);
  }
  ADD_FAILURE() << table.name() << " has no column " << column;
  return nullptr;
}

// nullopt for SQL NULL (and after a test failure for a wrong type).
inline std::optional<std::string> TextCell(const v1::FactTable& table,
                                           const std::string& column,
                                           int row = 0) {
  const v1::FactValue* v = FindCell(table, column, row);
  if (v == nullptr || v->value_case() == v1::FactValue::VALUE_NOT_SET) {
    return std::nullopt;
  }
  EXPECT_EQ(v->value_case(), v1::FactValue::kTextValue) << column;
  return v->text_value();
}

inline std::optional<int64_t> IntCell(const v1::FactTable& table,
                                      const std::string& column, int row = 0) {
  const v1::FactValue* v = FindCell(table, column, row);
  if (v == nullptr || v->value_case() == v1::FactValue::VALUE_NOT_SET) {
    return std::nullopt;
  }
  EXPECT_EQ(v->value_case(), v1::FactValue::kIntegerValue) << column;
  return v->integer_value();
}

inline std::optional<bool> BoolCell(const v1::FactTable& table,
                                    const std::string& column, int row = 0) {
  const v1::FactValue* v = FindCell(table, column, row);
  if (v == nullptr || v->value_case() == v1::FactValue::VALUE_NOT_SET) {
    return std::nullopt;
  }
  EXPECT_EQ(v->value_case(), v1::FactValue::kBoolValue) << column;
  return v->bool_value();
}

// The table as text for a reviewer reading the test log.
inline std::string DescribeTable(const v1::FactTable& table) {
  std::string out = absl::StrCat(
      table.name(), ": ", v1::FactTable::Status_Name(table.status()),
      table.unknown_reason().empty() ? "" : " (", table.unknown_reason(),
      table.unknown_reason().empty() ? "" : ")", "\n");
  for (const v1::FactRow& row : table.rows()) {
    std::vector<std::string> cells;
    for (int c = 0; c < row.values_size(); ++c) {
      const v1::FactValue& v = row.values(c);
      std::string value;
      switch (v.value_case()) {
        case v1::FactValue::kTextValue:
          value = absl::StrCat("'", v.text_value(), "'");
          break;
        case v1::FactValue::kIntegerValue:
          value = absl::StrCat(v.integer_value());
          break;
        case v1::FactValue::kRealValue:
          value = absl::StrCat(v.real_value());
          break;
        case v1::FactValue::kBoolValue:
          value = v.bool_value() ? "true" : "false";
          break;
        default:
          value = "NULL";
      }
      cells.push_back(absl::StrCat(
          c < table.columns_size() ? table.columns(c) : "?", "=", value));
    }
    absl::StrAppend(&out, "  ", absl::StrJoin(cells, ", "), "\n");
  }
  return out;
}

// What every run on the real machine must satisfy, whatever it finds: the
// declared table, schema-valid, and either an answer or a stated reason.
inline void ExpectValidRealTable(const v1::FactTable& table,
                                 const std::string& expected_name) {
  std::cout << "[real machine] " << DescribeTable(table);
  EXPECT_EQ(table.name(), expected_name);
  absl::Status valid = facts::CheckTableAgainstSchema(table);
  EXPECT_TRUE(valid.ok()) << valid;
  if (table.status() == v1::FactTable::STATUS_UNKNOWN) {
    EXPECT_FALSE(table.unknown_reason().empty());
    EXPECT_EQ(table.rows_size(), 0);
  } else {
    EXPECT_EQ(table.status(), v1::FactTable::STATUS_OK);
    EXPECT_TRUE(table.unknown_reason().empty()) << table.unknown_reason();
  }
}

}  // namespace trellis::agent::linux_facts::test_support

#endif  // TRELLIS_TESTS_AGENT_FACTS_LINUX_FAKE_LINUX_SYSTEM_H_
