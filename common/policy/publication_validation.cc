#include "common/policy/publication_validation.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/policy/evaluator.h"
#include "common/policy/policy_validation.h"
#include "common/policy/vpn_profile_validation.h"
#include "common/util/utf8.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "trellis/v1/admin_service.pb.h"

namespace trellis::policy {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status NotUtf8(const std::string& where, const std::string& field) {
  return absl::InvalidArgumentError(
      absl::StrCat(where, ": ", field, " is not valid UTF-8"));
}

// Every string field of `m` and of the messages (and map entries) it
// holds, walked generically so a field added to the schema is covered
// too. protobuf refuses to parse such a message and only logs when it
// serialises one, so this is the place that names the field.
absl::Status CheckUtf8(const Message& m, const std::string& where,
                       const std::string& prefix) {
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    std::string name = absl::StrCat(prefix, f->name());
    bool is_string = f->type() == FieldDescriptor::TYPE_STRING;
    bool is_message = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (!is_string && !is_message) continue;
    std::string scratch;
    if (!f->is_repeated()) {
      if (is_string && !IsValidUtf8(r->GetStringReference(m, f, &scratch))) {
        return NotUtf8(where, name);
      }
      if (is_message) {
        absl::Status s = CheckUtf8(r->GetMessage(m, f), where, name + ".");
        if (!s.ok()) return s;
      }
      continue;
    }
    for (int i = 0; i < r->FieldSize(m, f); ++i) {
      std::string item = absl::StrCat(name, "[", i, "]");
      if (is_string &&
          !IsValidUtf8(r->GetRepeatedStringReference(m, f, i, &scratch))) {
        return NotUtf8(where, item);
      }
      if (is_message) {
        absl::Status s =
            CheckUtf8(r->GetRepeatedMessage(m, f, i), where, item + ".");
        if (!s.ok()) return s;
      }
    }
  }
  return absl::OkStatus();
}

// "policy 'id'" when the id can be shown as it is, else its position.
std::string Label(const char* what, const char* list, size_t index,
                  const std::string& id) {
  if (IsPolicyId(id)) return absl::StrCat(what, " '", id, "'");
  return absl::StrCat(list, "[", index, "]");
}

}  // namespace

absl::StatusOr<v1::PolicyBundle> ValidatePublication(
    const std::vector<v1::Policy>& policies,
    const std::vector<v1::VpnProfile>& vpn_profiles) {
  // UTF-8 first: the other checks quote ids and values in their errors.
  for (size_t i = 0; i < policies.size(); ++i) {
    absl::Status s = CheckUtf8(
        policies[i], Label("policy", "policies", i, policies[i].id()), "");
    if (!s.ok()) return s;
  }
  for (size_t i = 0; i < vpn_profiles.size(); ++i) {
    absl::Status s = CheckUtf8(
        vpn_profiles[i],
        Label("vpn profile", "vpn_profiles", i, vpn_profiles[i].id()), "");
    if (!s.ok()) return s;
  }
  absl::Status valid = ValidatePolicySet(policies);
  if (!valid.ok()) return valid;
  valid = ValidateVpnProfiles(vpn_profiles);
  if (!valid.ok()) return valid;

  v1::PublishPoliciesRequest request;
  for (const v1::Policy& p : policies) *request.add_policies() = p;
  for (const v1::VpnProfile& p : vpn_profiles) *request.add_vpn_profiles() = p;
  size_t bytes = request.ByteSizeLong();
  if (bytes > kMaxPublishRequestBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the policies and VPN profiles take ", bytes,
                     " bytes to send; the server takes at most ",
                     kMaxPublishRequestBytes, " bytes in one request"));
  }
  v1::PolicyBundle draft;
  *draft.mutable_policies() = std::move(*request.mutable_policies());
  *draft.mutable_vpn_profiles() = std::move(*request.mutable_vpn_profiles());
  // Compiling proves every query prepares against the fact schema.
  auto compiled = Evaluator::Compile(draft);
  if (!compiled.ok()) return compiled.status();
  return draft;
}

}  // namespace trellis::policy
