#include "common/identity/operator_credentials.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace trellis::identity {
namespace {

struct PemBlock {
  std::string label;
  std::string text;
};

// Extracts every PEM block in order, with its label.
std::vector<PemBlock> PemBlocks(const std::string& text) {
  std::vector<PemBlock> blocks;
  size_t pos = 0;
  while (true) {
    size_t begin = text.find("-----BEGIN ", pos);
    if (begin == std::string::npos) break;
    size_t label_end = text.find("-----", begin + 11);
    if (label_end == std::string::npos) break;
    std::string label = text.substr(begin + 11, label_end - begin - 11);
    std::string end_marker = absl::StrCat("-----END ", label, "-----");
    size_t end = text.find(end_marker, label_end);
    if (end == std::string::npos) break;
    end += end_marker.size();
    blocks.push_back(
        {label, absl::StrCat(text.substr(begin, end - begin), "\n")});
    pos = end;
  }
  return blocks;
}

}  // namespace

std::string FormatOperatorCredentials(const OperatorCredentials& c) {
  return absl::StrCat(
      "# Trellis operator credentials. Keep this file private (mode 0600).\n",
      "server: ", c.server_address, "\n", "operator: ", c.operator_name, "\n",
      "role: ", c.role, "\n", c.certificate_pem, c.private_key_pem,
      c.ca_certificate_pem);
}

absl::StatusOr<OperatorCredentials> ParseOperatorCredentials(
    const std::string& text) {
  OperatorCredentials c;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, "-----BEGIN")) break;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits(':', 1));
    std::string value(absl::StripAsciiWhitespace(kv.second));
    if (kv.first == "server") {
      c.server_address = value;
    } else if (kv.first == "operator") {
      c.operator_name = value;
    } else if (kv.first == "role") {
      c.role = value;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("credentials file: unknown line '", kv.first, ":'"));
    }
  }
  if (c.server_address.empty()) {
    return absl::InvalidArgumentError(
        "credentials file: no 'server:' line with the server address");
  }
  std::vector<PemBlock> blocks = PemBlocks(text);
  if (blocks.size() != 3 || blocks[0].label != "CERTIFICATE" ||
      !absl::EndsWith(blocks[1].label, "PRIVATE KEY") ||
      blocks[2].label != "CERTIFICATE") {
    return absl::InvalidArgumentError(
        "credentials file: expected a certificate, a private key and the CA "
        "certificate, in that order");
  }
  c.certificate_pem = blocks[0].text;
  c.private_key_pem = blocks[1].text;
  c.ca_certificate_pem = blocks[2].text;
  return c;
}

}  // namespace trellis::identity
