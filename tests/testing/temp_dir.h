// A fresh temporary directory per test, removed afterwards.
#ifndef TRELLIS_TESTS_TESTING_TEMP_DIR_H_
#define TRELLIS_TESTS_TESTING_TEMP_DIR_H_

#include <string>

namespace trellis::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace trellis::testing

#endif  // TRELLIS_TESTS_TESTING_TEMP_DIR_H_
