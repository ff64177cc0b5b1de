// What yaml-cpp's Load accepts without a word but would make a policy file
// mean something other than what a reviewer reads: bytes that are not
// UTF-8 (they would reach protobuf string fields, which must be UTF-8), a
// key written twice in one mapping (Load keeps the first and drops the
// rest), and a second document after '---' (Load reads only the first).
#ifndef TRELLIS_COMMON_POLICY_YAML_STRUCTURE_H_
#define TRELLIS_COMMON_POLICY_YAML_STRUCTURE_H_

#include "absl/strings/string_view.h"
#include "common/policy/yaml_reader.h"

namespace trellis::policy {

// Records each such problem in `reader` at its file:line:col (and a syntax
// error, if the text does not parse); true when there is none. The text is
// walked as parser events, so aliases are not expanded and the cost is
// linear in its size.
bool CheckYamlStructure(absl::string_view yaml, YamlReader& reader);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_YAML_STRUCTURE_H_
