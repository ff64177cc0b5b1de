#include "common/util/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace trellis {
namespace {

using ::testing::HasSubstr;

// Sets the process umask for one test and restores it afterwards.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

TEST(WriteFileAtomicTest, WritesContentAndReplacesOldContent) {
  testing::TempDir dir;
  const std::string path = dir.File("f.txt");
  ASSERT_TRUE(WriteFileAtomic(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "second, longer").ok());
  absl::StatusOr<std::string> content = ReadFile(path);
  ASSERT_TRUE(content.ok()) << content.status();
  EXPECT_EQ(*content, "second, longer");
}

TEST(WriteFileAtomicTest, BinaryContentRoundTrips) {
  testing::TempDir dir;
  std::string bytes;
  for (int i = 0; i < 100000; ++i) bytes.push_back(static_cast<char>(i * 7));
  ASSERT_TRUE(WriteFileAtomic(dir.File("bin"), bytes).ok());
  EXPECT_EQ(*ReadFile(dir.File("bin")), bytes);
}

TEST(WriteFileAtomicTest, Mode0600EvenWithPermissiveUmask) {
  testing::TempDir dir;
  ScopedUmask umask(0);
  const std::string path = dir.File("device.key");
  ASSERT_TRUE(WriteFileAtomic(path, "secret", 0600).ok());
  absl::StatusOr<int> mode = FileMode(path);
  ASSERT_TRUE(mode.ok()) << mode.status();
  EXPECT_EQ(*mode, 0600);
}

TEST(WriteFileAtomicTest, ReplacingAWorldReadableFileTightensIt) {
  testing::TempDir dir;
  ScopedUmask umask(0);
  const std::string path = dir.File("key");
  ASSERT_TRUE(WriteFileAtomic(path, "old", 0666).ok());
  ASSERT_EQ(*FileMode(path), 0666);
  ASSERT_TRUE(WriteFileAtomic(path, "new", 0600).ok());
  EXPECT_EQ(*FileMode(path), 0600);
}

TEST(WriteFileAtomicTest, ExactModeDespiteRestrictiveUmask) {
  testing::TempDir dir;
  ScopedUmask umask(077);
  const std::string path = dir.File("ca.crt");
  ASSERT_TRUE(WriteFileAtomic(path, "cert").ok());
  EXPECT_EQ(*FileMode(path), 0644);
}

TEST(WriteFileAtomicTest, LeavesNoTemporaryFileBehind) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("a"), "x").ok());
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().filename(), "a");
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(WriteFileAtomicTest, MissingDirectoryIsNotFound) {
  testing::TempDir dir;
  absl::Status s = WriteFileAtomic(dir.File("nope/f"), "x");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_THAT(s.message(), HasSubstr(dir.File("nope/f")));
}

TEST(ReadFileTest, NotFoundNamesThePath) {
  testing::TempDir dir;
  const std::string path = dir.File("missing.conf");
  absl::StatusOr<std::string> content = ReadFile(path);
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(content.status().message(), HasSubstr(path));
}

TEST(ReadFileTest, EmptyFile) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("empty"), "").ok());
  absl::StatusOr<std::string> content = ReadFile(dir.File("empty"));
  ASSERT_TRUE(content.ok()) << content.status();
  EXPECT_EQ(*content, "");
}

TEST(ReadFileTest, FileOfExactlyTheLimitIsRead) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("f"), "0123456789").ok());
  absl::StatusOr<std::string> content = ReadFile(dir.File("f"), 10);
  ASSERT_TRUE(content.ok()) << content.status();
  EXPECT_EQ(*content, "0123456789");
}

TEST(ReadFileTest, FileOverTheLimitIsRefusedNamingPathAndLimit) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("f"), "0123456789!").ok());
  absl::StatusOr<std::string> content = ReadFile(dir.File("f"), 10);
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(content.status().message(), HasSubstr(dir.File("f")));
  EXPECT_THAT(content.status().message(), HasSubstr("10 bytes"));
}

TEST(ReadFileTest, SparseFileOverTheDefaultLimitIsRefusedBeforeReading) {
  testing::TempDir dir;
  const std::string path = dir.File("huge");
  ASSERT_TRUE(WriteFileAtomic(path, "").ok());
  ASSERT_EQ(::truncate(path.c_str(), 200 << 20), 0);
  absl::StatusOr<std::string> content = ReadFile(path);
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(content.status().message(),
              HasSubstr(absl::StrCat(kMaxFileBytes, " bytes")));
}

// /proc files report a size of 0: the limit has to hold while reading.
TEST(ReadFileTest, LimitHoldsForFilesThatReportNoSize) {
  struct stat st;
  ASSERT_EQ(::stat("/proc/self/status", &st), 0);
  ASSERT_EQ(st.st_size, 0);
  absl::StatusOr<std::string> content = ReadFile("/proc/self/status", 16);
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<std::string> whole = ReadFile("/proc/self/status");
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_THAT(*whole, HasSubstr("Name:"));
}

TEST(ReadFileTest, DirectoryIsRefused) {
  testing::TempDir dir;
  absl::StatusOr<std::string> content = ReadFile(dir.path());
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(content.status().message(), HasSubstr("a directory"));
  EXPECT_THAT(content.status().message(), HasSubstr(dir.path()));
}

TEST(ReadFileTest, SymlinkToDevZeroIsRefused) {
  testing::TempDir dir;
  const std::string link = dir.File("zero.yaml");
  ASSERT_EQ(::symlink("/dev/zero", link.c_str()), 0);
  absl::StatusOr<std::string> content = ReadFile(link);
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(content.status().message(), HasSubstr("a character device"));
}

TEST(ReadFileTest, FifoIsRefusedWithoutWaitingForAWriter) {
  testing::TempDir dir;
  const std::string fifo = dir.File("fifo.yaml");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto read = std::async(std::launch::async, [&] { return ReadFile(fifo); });
  if (read.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    // Unblock the reader (a writer that closes at once gives it EOF) so
    // the test ends, failed.
    int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
    ADD_FAILURE() << "ReadFile waited on a FIFO";
  }
  absl::StatusOr<std::string> content = read.get();
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(content.status().message(), HasSubstr("a FIFO"));
}

TEST(MakeDirsTest, CreatesNestedDirectoriesWithMode) {
  testing::TempDir dir;
  const std::string nested = dir.File("a/b/c");
  ASSERT_TRUE(MakeDirs(nested, 0700).ok());
  EXPECT_TRUE(std::filesystem::is_directory(nested));
  EXPECT_EQ(*FileMode(dir.File("a")), 0700);
  EXPECT_EQ(*FileMode(dir.File("a/b")), 0700);
  EXPECT_EQ(*FileMode(nested), 0700);
}

TEST(MakeDirsTest, ExistingDirectoryIsFine) {
  testing::TempDir dir;
  ASSERT_TRUE(MakeDirs(dir.File("x/y")).ok());
  EXPECT_TRUE(MakeDirs(dir.File("x/y")).ok());
  EXPECT_TRUE(MakeDirs(dir.File("x/y/")).ok());
  EXPECT_TRUE(MakeDirs(dir.path()).ok());
}

TEST(MakeDirsTest, FileInTheWayIsAnError) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.File("plain"), "x").ok());
  absl::Status s = MakeDirs(dir.File("plain"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr(dir.File("plain")));
  EXPECT_FALSE(MakeDirs(dir.File("plain/sub")).ok());
}

TEST(MakeDirsTest, EmptyPathIsInvalid) {
  EXPECT_EQ(MakeDirs("").code(), absl::StatusCode::kInvalidArgument);
}

TEST(FileExistsTest, ReportsExistence) {
  testing::TempDir dir;
  EXPECT_TRUE(FileExists(dir.path()));
  EXPECT_FALSE(FileExists(dir.File("nothing")));
  ASSERT_TRUE(WriteFileAtomic(dir.File("f"), "").ok());
  EXPECT_TRUE(FileExists(dir.File("f")));
}

TEST(FileModeTest, MissingFileIsNotFound) {
  testing::TempDir dir;
  absl::StatusOr<int> mode = FileMode(dir.File("none"));
  EXPECT_EQ(mode.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(mode.status().message(), HasSubstr(dir.File("none")));
}

}  // namespace
}  // namespace trellis
