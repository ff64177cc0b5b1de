#include "common/policy/sandbox_functions.h"

#include <string.h>

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace trellis::policy {
namespace {

// Units of work (bytes or characters looked at) between two questions to
// `should_stop`: well under a millisecond of work.
constexpr size_t kWorkBetweenStopChecks = size_t{1} << 16;

// Counts work and asks whether to stop once per kWorkBetweenStopChecks.
class WorkMeter {
 public:
  explicit WorkMeter(const std::function<bool()>* should_stop)
      : should_stop_(should_stop) {}
  // True when the check must stop.
  bool Add(size_t units) {
    if (stopped_) return true;
    used_ += units;
    if (used_ < kWorkBetweenStopChecks) return false;
    used_ = 0;
    stopped_ = (*should_stop_)();
    return stopped_;
  }

 private:
  const std::function<bool()>* should_stop_;
  size_t used_ = 0;
  bool stopped_ = false;
};

struct CompareInfo {
  uint32_t match_all;
  uint32_t match_one;
  uint32_t match_set;
  bool no_case;
};

// What each registered function needs; owned by SQLite (freed with the
// connection).
struct FunctionData {
  const std::function<bool()>* should_stop;
  CompareInfo compare;  // like/glob
  int trim_sides;       // trim: 1 left, 2 right, 3 both
  // Built with SQLITE_LIKE_DOESNT_MATCH_BLOBS (Debian's is): like/glob
  // with a blob operand are false.
  bool like_skips_blobs;
};

void FreeFunctionData(void* p) { delete static_cast<FunctionData*>(p); }

FunctionData* Data(sqlite3_context* ctx) {
  return static_cast<FunctionData*>(sqlite3_user_data(ctx));
}

// sqlite3Utf8Read: one character, invalid sequences read as U+FFFD.
uint32_t Utf8Read(const unsigned char** pz) {
  uint32_t c = *((*pz)++);
  if (c >= 0xc0) {
    if (c < 0xe0) {
      c -= 0xc0;
    } else if (c < 0xf0) {
      c -= 0xe0;
    } else if (c < 0xf8) {
      c -= 0xf0;
    } else if (c < 0xfc) {
      c -= 0xf8;
    } else if (c < 0xfe) {
      c -= 0xfc;
    } else {
      c = 0;
    }
    while ((**pz & 0xc0) == 0x80) c = (c << 6) + (0x3f & *((*pz)++));
    if (c < 0x80 || (c & 0xFFFFF800) == 0xD800 || (c & 0xFFFFFFFE) == 0xFFFE) {
      c = 0xFFFD;
    }
  }
  return c;
}

// SQLITE_SKIP_UTF8.
const unsigned char* SkipUtf8(const unsigned char* z) {
  if (*(z++) >= 0xc0) {
    while ((*z & 0xc0) == 0x80) ++z;
  }
  return z;
}

enum Match { kMatch = 0, kNoMatch = 1, kNoWildcardMatch = 2, kStopped = 3 };

// SQLite 3.40's patternCompare, metered.
int PatternCompare(const unsigned char* pattern, const unsigned char* str,
                   const CompareInfo& info, uint32_t match_other,
                   WorkMeter& meter) {
  const uint32_t match_one = info.match_one;
  const uint32_t match_all = info.match_all;
  const bool no_case = info.no_case;
  const unsigned char* escaped = nullptr;
  uint32_t c, c2;
  while ((c = Utf8Read(&pattern)) != 0) {
    if (meter.Add(1)) return kStopped;
    if (c == match_all) {
      // Runs of "*" and "?": each "?" consumes one character.
      while ((c = Utf8Read(&pattern)) == match_all ||
             (c == match_one && match_one != 0)) {
        if (c == match_one && Utf8Read(&str) == 0) return kNoWildcardMatch;
      }
      if (c == 0) return kMatch;
      if (c == match_other) {
        if (info.match_set == 0) {
          c = Utf8Read(&pattern);
          if (c == 0) return kNoWildcardMatch;
        } else {
          // "[...]" right after "*": try every position.
          while (*str) {
            if (meter.Add(1)) return kStopped;
            int m = PatternCompare(pattern - 1, str, info, match_other, meter);
            if (m != kNoMatch) return m;
            str = SkipUtf8(str);
          }
          return kNoWildcardMatch;
        }
      }
      if (c < 0x80) {
        char stop[3];
        if (no_case) {
          stop[0] = absl::ascii_toupper(static_cast<unsigned char>(c));
          stop[1] = absl::ascii_tolower(static_cast<unsigned char>(c));
          stop[2] = 0;
        } else {
          stop[0] = static_cast<char>(c);
          stop[1] = 0;
        }
        while (true) {
          size_t skip = strcspn(reinterpret_cast<const char*>(str), stop);
          if (meter.Add(skip + 1)) return kStopped;
          str += skip;
          if (str[0] == 0) break;
          ++str;
          int m = PatternCompare(pattern, str, info, match_other, meter);
          if (m != kNoMatch) return m;
        }
      } else {
        while ((c2 = Utf8Read(&str)) != 0) {
          if (meter.Add(1)) return kStopped;
          if (c2 != c) continue;
          int m = PatternCompare(pattern, str, info, match_other, meter);
          if (m != kNoMatch) return m;
        }
      }
      return kNoWildcardMatch;
    }
    if (c == match_other) {
      if (info.match_set == 0) {
        c = Utf8Read(&pattern);
        if (c == 0) return kNoMatch;
        escaped = pattern;
      } else {
        uint32_t prior_c = 0;
        bool seen = false;
        bool invert = false;
        c = Utf8Read(&str);
        if (c == 0) return kNoMatch;
        c2 = Utf8Read(&pattern);
        if (c2 == '^') {
          invert = true;
          c2 = Utf8Read(&pattern);
        }
        if (c2 == ']') {
          if (c == ']') seen = true;
          c2 = Utf8Read(&pattern);
        }
        while (c2 && c2 != ']') {
          if (meter.Add(1)) return kStopped;
          if (c2 == '-' && pattern[0] != ']' && pattern[0] != 0 &&
              prior_c > 0) {
            c2 = Utf8Read(&pattern);
            if (c >= prior_c && c <= c2) seen = true;
            prior_c = 0;
          } else {
            if (c == c2) seen = true;
            prior_c = c2;
          }
          c2 = Utf8Read(&pattern);
        }
        if (c2 == 0 || (seen ^ invert) == 0) return kNoMatch;
        continue;
      }
    }
    c2 = Utf8Read(&str);
    if (c == c2) continue;
    if (no_case && c < 0x80 && c2 < 0x80 &&
        absl::ascii_tolower(static_cast<unsigned char>(c)) ==
            absl::ascii_tolower(static_cast<unsigned char>(c2))) {
      continue;
    }
    if (c == match_one && pattern != escaped && c2 != 0) continue;
    return kNoMatch;
  }
  return *str == 0 ? kMatch : kNoMatch;
}

// like(P, S[, E]) and glob(P, S), as SQLite's likeFunc.
void LikeFunc(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  FunctionData* data = Data(ctx);
  if (data->like_skips_blobs && (sqlite3_value_type(argv[0]) == SQLITE_BLOB ||
                                 sqlite3_value_type(argv[1]) == SQLITE_BLOB)) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  CompareInfo info = data->compare;
  sqlite3* db = sqlite3_context_db_handle(ctx);
  if (sqlite3_value_bytes(argv[0]) >
      sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, -1)) {
    sqlite3_result_error(ctx, "LIKE or GLOB pattern too complex", -1);
    return;
  }
  uint32_t escape;
  if (argc == 3) {
    const unsigned char* esc = sqlite3_value_text(argv[2]);
    if (esc == nullptr) return;
    int chars = 0;
    for (const unsigned char* z = esc; *z; z = SkipUtf8(z)) ++chars;
    if (chars != 1) {
      sqlite3_result_error(ctx, "ESCAPE expression must be a single character",
                           -1);
      return;
    }
    escape = Utf8Read(&esc);
    if (escape == info.match_all) info.match_all = 0;
    if (escape == info.match_one) info.match_one = 0;
  } else {
    escape = info.match_set;
  }
  const unsigned char* pattern = sqlite3_value_text(argv[0]);
  const unsigned char* str = sqlite3_value_text(argv[1]);
  if (pattern == nullptr || str == nullptr) return;
  WorkMeter meter(data->should_stop);
  int m = PatternCompare(pattern, str, info, escape, meter);
  if (m == kStopped) {
    sqlite3_result_error(ctx, kStoppedInFunction, -1);
    return;
  }
  sqlite3_result_int(ctx, m == kMatch);
}

// instr(X, Y) as SQLite's instrFunc, found with memmem (linear) instead of
// a memcmp at every position.
void InstrFunc(sqlite3_context* ctx, int, sqlite3_value** argv) {
  int type_h = sqlite3_value_type(argv[0]);
  int type_n = sqlite3_value_type(argv[1]);
  if (type_h == SQLITE_NULL || type_n == SQLITE_NULL) return;
  int n_h = sqlite3_value_bytes(argv[0]);
  int n_n = sqlite3_value_bytes(argv[1]);
  int result = 1;
  if (n_n > 0) {
    const unsigned char* h;
    const unsigned char* needle;
    bool is_text = true;
    sqlite3_value* c1 = nullptr;
    sqlite3_value* c2 = nullptr;
    if (type_h == SQLITE_BLOB && type_n == SQLITE_BLOB) {
      h = static_cast<const unsigned char*>(sqlite3_value_blob(argv[0]));
      needle = static_cast<const unsigned char*>(sqlite3_value_blob(argv[1]));
      is_text = false;
    } else if (type_h != SQLITE_BLOB && type_n != SQLITE_BLOB) {
      h = sqlite3_value_text(argv[0]);
      needle = sqlite3_value_text(argv[1]);
    } else {
      c1 = sqlite3_value_dup(argv[0]);
      h = sqlite3_value_text(c1);
      n_h = sqlite3_value_bytes(c1);
      c2 = sqlite3_value_dup(argv[1]);
      needle = sqlite3_value_text(c2);
      n_n = sqlite3_value_bytes(c2);
    }
    if (needle == nullptr || (n_h && h == nullptr)) {
      sqlite3_result_error_nomem(ctx);
      sqlite3_value_free(c1);
      sqlite3_value_free(c2);
      return;
    }
    // SQLite tries a match only where a character starts.
    size_t from = 0;
    result = 0;
    while (n_h > 0 && from + n_n <= static_cast<size_t>(n_h)) {
      const void* found = memmem(h + from, n_h - from, needle, n_n);
      if (found == nullptr) break;
      size_t at = static_cast<const unsigned char*>(found) - h;
      if (is_text && at > 0 && (h[at] & 0xc0) == 0x80) {
        from = at + 1;
        continue;
      }
      result = 1;
      for (size_t i = 1; i <= at; ++i) {
        if (!is_text || (h[i] & 0xc0) != 0x80) ++result;
      }
      break;
    }
    sqlite3_value_free(c1);
    sqlite3_value_free(c2);
  }
  sqlite3_result_int(ctx, result);
}

// replace(X, Y, Z) as SQLite's replaceFunc, each next match found with
// memmem (linear) instead of a memcmp at every position.
void ReplaceFunc(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const unsigned char* str = sqlite3_value_text(argv[0]);
  if (str == nullptr) return;
  size_t n_str = sqlite3_value_bytes(argv[0]);
  const unsigned char* pattern = sqlite3_value_text(argv[1]);
  if (pattern == nullptr) return;
  if (pattern[0] == 0) {
    sqlite3_result_value(ctx, argv[0]);
    return;
  }
  size_t n_pattern = sqlite3_value_bytes(argv[1]);
  const unsigned char* rep = sqlite3_value_text(argv[2]);
  if (rep == nullptr) return;
  size_t n_rep = sqlite3_value_bytes(argv[2]);
  const size_t limit = static_cast<size_t>(
      sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1));
  std::string out;
  size_t i = 0;
  while (i + n_pattern <= n_str) {
    const void* found = memmem(str + i, n_str - i, pattern, n_pattern);
    if (found == nullptr) break;
    size_t at = static_cast<const unsigned char*>(found) - str;
    out.append(reinterpret_cast<const char*>(str + i), at - i);
    out.append(reinterpret_cast<const char*>(rep), n_rep);
    i = at + n_pattern;
    if (out.size() > limit) {
      sqlite3_result_error_toobig(ctx);
      return;
    }
  }
  out.append(reinterpret_cast<const char*>(str + i), n_str - i);
  if (out.size() > limit) {
    sqlite3_result_error_toobig(ctx);
    return;
  }
  sqlite3_result_text64(ctx, out.data(), out.size(), SQLITE_TRANSIENT,
                        SQLITE_UTF8);
}

// trim/ltrim/rtrim(X, Y) as SQLite's trimFunc: at each end, the first
// character of Y (in Y's order) found there is removed, until none is.
// Y's characters are looked up by hash instead of compared one by one.
void TrimFunc(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  const unsigned char* in = sqlite3_value_text(argv[0]);
  if (in == nullptr) return;
  size_t n_in = sqlite3_value_bytes(argv[0]);
  const unsigned char* set = sqlite3_value_text(argv[1]);
  if (set == nullptr) return;
  absl::flat_hash_map<absl::string_view, int> order;  // first place in Y
  std::vector<size_t> lengths;
  int index = 0;
  for (const unsigned char* z = set; *z;) {
    const unsigned char* start = z;
    z = SkipUtf8(z);
    absl::string_view ch(reinterpret_cast<const char*>(start), z - start);
    if (order.emplace(ch, index++).second &&
        std::find(lengths.begin(), lengths.end(), ch.size()) == lengths.end()) {
      lengths.push_back(ch.size());
    }
  }
  FunctionData* data = Data(ctx);
  WorkMeter meter(data->should_stop);
  // Length of the earliest character of Y at `s`'s start (left) or end.
  auto strip = [&](absl::string_view s, bool left) -> size_t {
    int best = INT_MAX;
    size_t best_len = 0;
    for (size_t len : lengths) {
      if (len > s.size()) continue;
      auto it = order.find(left ? s.substr(0, len) : s.substr(s.size() - len));
      if (it != order.end() && it->second < best) {
        best = it->second;
        best_len = len;
      }
    }
    return best_len;
  };
  absl::string_view s(reinterpret_cast<const char*>(in), n_in);
  size_t work_per_step = 1;
  for (size_t len : lengths) work_per_step += len;
  for (int side : {1, 2}) {
    if ((data->trim_sides & side) == 0) continue;
    while (!s.empty()) {
      if (meter.Add(work_per_step)) {
        sqlite3_result_error(ctx, kStoppedInFunction, -1);
        return;
      }
      size_t len = strip(s, side == 1);
      if (len == 0) break;
      s = side == 1 ? s.substr(len) : s.substr(0, s.size() - len);
    }
  }
  sqlite3_result_text64(ctx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

using Impl = void (*)(sqlite3_context*, int, sqlite3_value**);

}  // namespace

absl::Status RegisterSandboxFunctions(
    sqlite3* db, const std::function<bool()>* should_stop) {
  struct Registration {
    const char* name;
    int args;
    Impl impl;
    CompareInfo compare;
    int trim_sides;
  };
  const CompareInfo kGlob{'*', '?', '[', false};
  const CompareInfo kLike{'%', '_', 0, true};
  const CompareInfo kNone{0, 0, 0, false};
  const bool like_skips_blobs =
      sqlite3_compileoption_used("LIKE_DOESNT_MATCH_BLOBS") != 0;
  for (const Registration& r : {
           Registration{"like", 2, &LikeFunc, kLike, 0},
           Registration{"like", 3, &LikeFunc, kLike, 0},
           Registration{"glob", 2, &LikeFunc, kGlob, 0},
           Registration{"instr", 2, &InstrFunc, kNone, 0},
           Registration{"replace", 3, &ReplaceFunc, kNone, 0},
           Registration{"ltrim", 2, &TrimFunc, kNone, 1},
           Registration{"rtrim", 2, &TrimFunc, kNone, 2},
           Registration{"trim", 2, &TrimFunc, kNone, 3},
       }) {
    auto* data = new FunctionData{should_stop, r.compare, r.trim_sides,
                                  like_skips_blobs};
    int rc = sqlite3_create_function_v2(
        db, r.name, r.args,
        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, data, r.impl,
        nullptr, nullptr, &FreeFunctionData);
    if (rc != SQLITE_OK) {
      return absl::InternalError(
          absl::StrCat("cannot register ", r.name, "(): ", sqlite3_errmsg(db)));
    }
  }
  return absl::OkStatus();
}

}  // namespace trellis::policy
