#include "agent/vpn/wireguard_identity.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/util/files.h"

namespace trellis::agent {

absl::StatusOr<crypto::WireGuardKeyPair> LoadWireGuardKey(
    const AgentState& state) {
  const std::string path = state.WireGuardKeyPath();
  if (!FileExists(path)) {
    return absl::NotFoundError(absl::StrCat("no WireGuard key at ", path));
  }
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  // `wg genkey` ends the key with a newline; accept that and nothing else.
  std::string private_key(absl::StripAsciiWhitespace(*text));
  absl::Status valid = crypto::ValidateWireGuardKey(private_key);
  if (!valid.ok()) {
    return absl::DataLossError(
        absl::StrCat(path, " does not hold a WireGuard private key (",
                     valid.message(), "); move it away to make a new one"));
  }
  auto public_key = crypto::WireGuardPublicKey(private_key);
  if (!public_key.ok()) return public_key.status();
  return crypto::WireGuardKeyPair{std::move(private_key),
                                  *std::move(public_key)};
}

absl::StatusOr<crypto::WireGuardKeyPair> LoadOrCreateWireGuardKey(
    const AgentState& state) {
  auto loaded = LoadWireGuardKey(state);
  if (!absl::IsNotFound(loaded.status())) return loaded;
  auto pair = crypto::GenerateWireGuardKeyPair();
  if (!pair.ok()) return pair.status();
  absl::Status s = MakeDirs(state.dir(), 0700);
  if (s.ok()) {
    s = WriteFileAtomic(state.WireGuardKeyPath(), pair->private_key + "\n",
                        0600);
  }
  if (!s.ok()) return s;
  return pair;
}

}  // namespace trellis::agent
