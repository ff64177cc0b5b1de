#include "gateway/wireguard/wg_command_interface.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/testing/peer_messages.h"

namespace trellis::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Key;

CommandResult Ok(std::string stdout_text = "") {
  CommandResult r;
  r.stdout_text = std::move(stdout_text);
  return r;
}

CommandResult Failed(int code, std::string stderr_text) {
  CommandResult r;
  r.exit_code = code;
  r.stderr_text = std::move(stderr_text);
  return r;
}

TEST(WgCommandInterfaceTest, OneWgSetForTheWholeBatch) {
  FakeCommandRunner runner;
  std::string expected = absl::StrCat(
      "wg set wg0 peer ", Key(1), " remove peer ", Key(2),
      " allowed-ips 10.200.0.8/32,fd00::8/128 peer ", Key(3), " allowed-ips ");
  runner.Set(expected, Ok());
  WgCommandInterface wg("wg0", &runner);
  absl::Status applied =
      wg.Apply({PeerOp::Remove(Key(1)),
                PeerOp::Set(Key(2), {"10.200.0.8/32", "fd00::8/128"}),
                PeerOp::Set(Key(3), {})});
  EXPECT_TRUE(applied.ok()) << applied;
  EXPECT_THAT(runner.calls(), ElementsAre(expected));
}

TEST(WgCommandInterfaceTest, EmptyBatchRunsNothing) {
  FakeCommandRunner runner;
  WgCommandInterface wg("wg0", &runner);
  EXPECT_TRUE(wg.Apply({}).ok());
  EXPECT_TRUE(runner.calls().empty());
}

// Argv entries are passed as they are (no shell), so a hostile value is one
// argument that wg rejects, never a command.
TEST(WgCommandInterfaceTest, ValuesAreSeparateArguments) {
  class ArgvRunner : public CommandRunner {
   public:
    absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                      absl::Duration) override {
      last = argv;
      return CommandResult{};
    }
    std::vector<std::string> last;
  } runner;
  WgCommandInterface wg("wg0", &runner);
  ASSERT_TRUE(wg.Apply({PeerOp::Set(Key(1), {"10.0.0.1/32"})}).ok());
  EXPECT_THAT(runner.last, ElementsAre("wg", "set", "wg0", "peer", Key(1),
                                       "allowed-ips", "10.0.0.1/32"));
}

TEST(WgCommandInterfaceTest, WgFailureCarriesStderr) {
  FakeCommandRunner runner;
  runner.Set(
      absl::StrCat("wg set wg0 peer ", Key(1), " remove"),
      Failed(1, "Unable to modify interface: Operation not permitted\n"));
  WgCommandInterface wg("wg0", &runner);
  absl::Status applied = wg.Apply({PeerOp::Remove(Key(1))});
  ASSERT_FALSE(applied.ok());
  EXPECT_THAT(applied.message(),
              HasSubstr("wg set wg0 failed (exit 1): Unable to modify "
                        "interface: Operation not permitted"));
}

TEST(WgCommandInterfaceTest, MissingWgIsNamed) {
  FakeCommandRunner runner;  // knows no command: "wg is not installed"
  WgCommandInterface wg("wg0", &runner);
  absl::Status applied = wg.Apply({PeerOp::Remove(Key(1))});
  EXPECT_EQ(applied.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(applied.message(), HasSubstr("wg is not installed"));
}

TEST(WgCommandInterfaceTest, ListPeersParsesDump) {
  FakeCommandRunner runner;
  runner.Set(
      "wg show wg0 dump",
      Ok(absl::StrCat("(none)\t", Key(9), "\t51820\toff\n", Key(1),
                      "\t(none)\t(none)\t10.200.0.7/32\t0\t0\t0\toff\n", Key(2),
                      "\t(none)\t(none)\t(none)\t0\t0\t0\toff\n")));
  WgCommandInterface wg("wg0", &runner);
  absl::StatusOr<std::vector<wireguard::WgPeerState>> peers = wg.ListPeers();
  ASSERT_TRUE(peers.ok()) << peers.status();
  ASSERT_EQ(peers->size(), 2u);
  EXPECT_EQ((*peers)[0].public_key, Key(1));
  EXPECT_THAT((*peers)[0].allowed_ips, ElementsAre("10.200.0.7/32"));
  absl::StatusOr<wireguard::WgDump> dump = wg.Show();
  ASSERT_TRUE(dump.ok());
  EXPECT_EQ(dump->interface.public_key, Key(9));
}

TEST(WgCommandInterfaceTest, MissingInterface) {
  FakeCommandRunner runner;
  runner.Set("wg show wg9 dump",
             Failed(1, "Unable to access interface: No such device\n"));
  WgCommandInterface wg("wg9", &runner);
  absl::StatusOr<std::vector<wireguard::WgPeerState>> peers = wg.ListPeers();
  ASSERT_FALSE(peers.ok());
  EXPECT_THAT(peers.status().message(),
              HasSubstr("wg show wg9 failed (exit 1): Unable to access "
                        "interface: No such device"));
}

// A snapshot of tens of thousands of peers is split below the kernel's argv
// limit; every op is applied exactly once, in order.
TEST(WgCommandInterfaceTest, HugeBatchSplitsBelowArgvLimit) {
  class CountingRunner : public CommandRunner {
   public:
    absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                      absl::Duration) override {
      size_t bytes = 0;
      for (const std::string& a : argv) bytes += a.size() + 1;
      max_bytes = std::max(max_bytes, bytes);
      for (size_t i = 3; i < argv.size(); ++i) {
        if (argv[i] == "peer") keys.push_back(argv[i + 1]);
      }
      ++runs;
      return CommandResult{};
    }
    int runs = 0;
    size_t max_bytes = 0;
    std::vector<std::string> keys;
  } runner;
  std::vector<PeerOp> ops;
  for (int i = 0; i < 20000; ++i) {
    ops.push_back(PeerOp::Set(Key(i), {"10.200.0.7/32"}));
  }
  WgCommandInterface wg("wg0", &runner);
  ASSERT_TRUE(wg.Apply(ops).ok());
  EXPECT_GT(runner.runs, 1);
  EXPECT_LT(runner.runs, 10);
  EXPECT_LT(runner.max_bytes, 512u << 10);
  ASSERT_EQ(runner.keys.size(), ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    ASSERT_EQ(runner.keys[i], ops[i].public_key);
  }
}

}  // namespace
}  // namespace trellis::gateway
