// The Linux facts the foundation reports: os_version (os-release, uname) and
// system_info (hostname, DMI vendor, model and serial). A value that cannot
// be read is sent as NULL, never guessed.
#ifndef TRELLIS_AGENT_FACTS_LINUX_BASIC_FACTS_H_
#define TRELLIS_AGENT_FACTS_LINUX_BASIC_FACTS_H_

#include "agent/facts/system_source.h"
#include "trellis/v1/common.pb.h"

namespace trellis::agent {

v1::FactTable CollectOsVersion(SystemSource& source);
v1::FactTable CollectSystemInfo(SystemSource& source);

// Both tables, stamped with the platform.
v1::PostureReport CollectBasicReport(SystemSource& source);

}  // namespace trellis::agent

#endif  // TRELLIS_AGENT_FACTS_LINUX_BASIC_FACTS_H_
