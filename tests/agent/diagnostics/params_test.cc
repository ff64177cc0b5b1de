#include "agent/diagnostics/params.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trellis::agent::diagnostics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

DiagnosticSpec TestSpec() {
  DiagnosticSpec spec;
  spec.name = "test-diagnostic";
  ParamSpec names;
  names.name = "names";
  names.type = ParamType::kHostname;
  names.required = true;
  names.max_items = 3;
  ParamSpec lines;
  lines.name = "lines";
  lines.type = ParamType::kInteger;
  lines.min = 1;
  lines.max = 500;
  lines.default_value = "100";
  ParamSpec wait;
  wait.name = "wait";
  wait.type = ParamType::kDuration;
  wait.min_duration = absl::Seconds(1);
  wait.max_duration = absl::Minutes(5);
  ParamSpec target;
  target.name = "target";
  target.type = ParamType::kHostPort;
  ParamSpec family;
  family.name = "family";
  family.type = ParamType::kEnum;
  family.enum_values = {"ipv4", "ipv6"};
  ParamSpec label;
  label.name = "label";
  label.type = ParamType::kString;
  label.max_length = 16;
  spec.params = {names, lines, wait, target, family, label};
  return spec;
}

struct BadCase {
  std::vector<std::pair<std::string, std::string>> given;
  std::string expected;  // a substring of the error
};

TEST(ParamsTest, BadParametersAreRefusedNamingTheParameterAndWhy) {
  const std::string long_name(300, 'a');
  const std::vector<BadCase> cases = {
      {{{"names", "a.example"}, {"colour", "red"}},
       "unknown parameter 'colour' for test-diagnostic (it takes names, "
       "lines, wait, target, family, label)"},
      {{}, "parameter 'names': is required"},
      {{{"names", "a.example"}, {"names", "b.example"}},
       "parameter 'names': is given more than once"},
      {{{"names", "a.example"}, {"lines", "ten"}},
       "parameter 'lines': 'ten' is not a whole number"},
      {{{"names", "a.example"}, {"lines", "0"}},
       "parameter 'lines': 0 is out of range 1-500"},
      {{{"names", "a.example"}, {"lines", "501"}},
       "parameter 'lines': 501 is out of range 1-500"},
      {{{"names", "a.example"}, {"lines", "99999999999999999999999"}},
       "parameter 'lines': '99999999999999999999999' is not a whole number"},
      {{{"names", "a.example"}, {"wait", "10m"}},
       "parameter 'wait': 10m is out of range 1s-5m"},
      {{{"names", "a.example"}, {"wait", "soon"}},
       "parameter 'wait': 'soon' is not a duration"},
      {{{"names", "a.example"}, {"target", "host-without-port"}},
       "parameter 'target': 'host-without-port' is not host:port"},
      {{{"names", "a.example"}, {"family", "ipx"}},
       "parameter 'family': 'ipx' is not one of ipv4, ipv6"},
      {{{"names", "not a host"}},
       "parameter 'names': 'not a host' is not a "
       "hostname or IP address"},
      {{{"names", "a.example,b.example,c.example,d.example"}},
       "parameter 'names': has 4 items, at most 3 allowed"},
      {{{"names", "a.example,,b.example"}}, "parameter 'names': is empty"},
      {{{"names", "-oProxyCommand=x"}},
       "parameter 'names': '-oProxyCommand=x' starts with '-'"},
      {{{"names", long_name}},
       "parameter 'names': is 300 bytes long, at most "
       "253 allowed"},
      {{{"names", "a.example"}, {"label", "bell\x07here"}},
       "parameter 'label': holds a control character (byte 07 at offset 4)"},
      {{{"names", "a.example"}, {"label", "\x1b]0;title\x07"}},
       "parameter 'label': holds a control character (byte 1b at offset 0)"},
      {{{"names", "a.example"}, {"label", "line\nbreak"}},
       "parameter 'label': holds a control character (byte 0a"},
      {{{"names", "a.example"}, {"label", "bad\xff utf8"}},
       "parameter 'label': is not valid UTF-8"},
      {{{"names", "a.example"}, {"label", "seventeen-bytes!!"}},
       "parameter 'label': is 17 bytes long, at most 16 allowed"},
  };
  const DiagnosticSpec spec = TestSpec();
  for (const BadCase& c : cases) {
    auto params = ValidateParams(spec, c.given);
    ASSERT_FALSE(params.ok()) << c.expected;
    EXPECT_TRUE(absl::IsInvalidArgument(params.status()));
    EXPECT_THAT(params.status().message(), HasSubstr(c.expected));
  }
}

TEST(ParamsTest, HostileNamesAreQuotedSafelyAndCutShort) {
  const std::string hostile = "\x1b[2J" + std::string(500, 'x');
  auto params = ValidateParams(TestSpec(), {{hostile, "1"}});
  ASSERT_FALSE(params.ok());
  EXPECT_THAT(params.status().message(), Not(HasSubstr("\x1b")));
  EXPECT_THAT(params.status().message(), HasSubstr("\\e[2J"));
  EXPECT_LT(params.status().message().size(), 200u);
}

TEST(ParamsTest, GoodValuesAreTypedAndDefaultsFilled) {
  auto params =
      ValidateParams(TestSpec(), {{"names", "a.example,10.0.0.1,2001:db8::1"},
                                  {"wait", "90s"},
                                  {"target", "[2001:db8::1]:443"},
                                  {"family", "ipv6"},
                                  {"label", "café"}});
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_EQ(params->List("names"),
            (std::vector<std::string>{"a.example", "10.0.0.1", "2001:db8::1"}));
  EXPECT_EQ(params->Integer("lines"), 100);  // the default
  EXPECT_EQ(params->Duration("wait"), absl::Seconds(90));
  EXPECT_EQ(params->Text("target"), "[2001:db8::1]:443");
  EXPECT_EQ(params->Text("family"), "ipv6");
  EXPECT_EQ(params->Text("label"), "café");
  EXPECT_FALSE(params->Has("unset"));
}

TEST(ParamsTest, SplitParamNeedsNameAndEquals) {
  auto ok = SplitParam("names=a.example,b.example");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->first, "names");
  EXPECT_EQ(ok->second, "a.example,b.example");
  EXPECT_THAT(SplitParam("names").status().message(),
              HasSubstr("--param needs NAME=VALUE, got 'names'"));
  EXPECT_FALSE(SplitParam("=x").ok());
}

}  // namespace
}  // namespace trellis::agent::diagnostics
