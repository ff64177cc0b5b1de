// Maps one parsed policy document onto v1::Policy (the YAML layout is
// described in policy_loader.h). Problems go to the YamlReader with their
// positions; the caller turns them into a status.
#ifndef TRELLIS_COMMON_POLICY_POLICY_READER_H_
#define TRELLIS_COMMON_POLICY_POLICY_READER_H_

#include "common/policy/fact_database.h"
#include "common/policy/yaml_reader.h"
#include "trellis/v1/policy.pb.h"
#include "yaml-cpp/yaml.h"

namespace trellis::policy {

// `sql` (may be null) prepares every query against the fact schema so a
// typo in a table or column name is reported at the query.
v1::Policy ReadPolicy(const YAML::Node& root, YamlReader& reader,
                      FactDatabase* sql);

}  // namespace trellis::policy

#endif  // TRELLIS_COMMON_POLICY_POLICY_READER_H_
