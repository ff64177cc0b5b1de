#include "server/store/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/crypto/digest.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/audit/audit_log.h"
#include "tests/testing/temp_dir.h"

namespace trellis::server {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixMicros(1767225600123456);

std::string KeyHash(const std::string& seed) { return crypto::Sha256(seed); }

TokenRecord MakeToken(const std::string& id) {
  TokenRecord t;
  t.token_id = id;
  t.secret_hash = crypto::Sha256(absl::StrCat("secret-", id));
  t.group = "eng";
  t.ownership = v1::OWNERSHIP_CORPORATE;
  t.max_uses = 3;
  t.uses = 1;
  t.created_at = kT0;
  t.expires_at = kT0 + absl::Hours(24);
  t.created_by = "operator:alice";
  t.description = "laptops";
  return t;
}

DeviceRecord MakeDevice(const std::string& id, absl::Time enrolled_at = kT0) {
  DeviceRecord d;
  d.device_id = id;
  d.key_hash = KeyHash(id);
  d.hostname = absl::StrCat(id, ".example");
  d.hardware_serial = absl::StrCat("SN-", id);
  d.platform = v1::PLATFORM_LINUX;
  d.os_name = "Debian GNU/Linux";
  d.os_version = "12";
  d.agent_version = "0.1.0";
  d.group = "eng";
  d.ownership = v1::OWNERSHIP_CORPORATE;
  d.state = v1::DEVICE_STATE_ACTIVE;
  d.enrolled_at = enrolled_at;
  d.cert_serial_hex = "0a1b2c";
  d.cert_expires_at = enrolled_at + absl::Hours(24);
  d.token_id = "abcdefghijk23";
  return d;
}

void ExpectSameDevice(const DeviceRecord& a, const DeviceRecord& b) {
  EXPECT_EQ(a.device_id, b.device_id);
  EXPECT_EQ(a.key_hash, b.key_hash);
  EXPECT_EQ(a.pending_key_hash, b.pending_key_hash);
  EXPECT_EQ(a.hostname, b.hostname);
  EXPECT_EQ(a.hardware_serial, b.hardware_serial);
  EXPECT_EQ(a.platform, b.platform);
  EXPECT_EQ(a.os_name, b.os_name);
  EXPECT_EQ(a.os_version, b.os_version);
  EXPECT_EQ(a.agent_version, b.agent_version);
  EXPECT_EQ(a.group, b.group);
  EXPECT_EQ(a.ownership, b.ownership);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.enrolled_at, b.enrolled_at);
  EXPECT_EQ(a.last_seen_at, b.last_seen_at);
  EXPECT_EQ(a.clone_of_device_id, b.clone_of_device_id);
  EXPECT_EQ(a.cert_serial_hex, b.cert_serial_hex);
  EXPECT_EQ(a.cert_expires_at, b.cert_expires_at);
  EXPECT_EQ(a.token_id, b.token_id);
  EXPECT_EQ(a.last_sequence, b.last_sequence);
  EXPECT_EQ(a.facts_hash, b.facts_hash);
  EXPECT_EQ(a.revocation_reason, b.revocation_reason);
  EXPECT_EQ(a.wireguard_public_key, b.wireguard_public_key);
  EXPECT_EQ(a.vpn_enforcement, b.vpn_enforcement);
}

std::vector<std::string> Ids(const std::vector<DeviceRecord>& devices) {
  std::vector<std::string> ids;
  for (const DeviceRecord& d : devices) ids.push_back(d.device_id);
  return ids;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    auto store = SqliteStore::Open({path_});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // Audit entries after `after_sequence`, as ListAudit pages them.
  std::vector<AuditRecord> ListAudit(uint64_t after_sequence) {
    std::vector<AuditRecord> out;
    absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
      auto page = r.ListAudit(after_sequence, 10);
      if (!page.ok()) return page.status();
      out = *std::move(page);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  std::optional<TokenRecord> ReadToken(const std::string& id) {
    std::optional<TokenRecord> out;
    absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
      auto t = r.GetToken(id);
      if (!t.ok()) return t.status();
      out = *std::move(t);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  std::optional<DeviceRecord> ReadDevice(const std::string& id) {
    std::optional<DeviceRecord> out;
    absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
      auto d = r.GetDevice(id);
      if (!d.ok()) return d.status();
      out = *std::move(d);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  std::optional<DeviceRecord> ReadDeviceByKey(const std::string& key_hash) {
    std::optional<DeviceRecord> out;
    absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
      auto d = r.FindDeviceByKeyHash(key_hash);
      if (!d.ok()) return d.status();
      out = *std::move(d);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  absl::Status InsertDevice(const DeviceRecord& d) {
    return store_->WriteSync([d](StoreWriter& w) { return w.InsertDevice(d); });
  }

  std::vector<DeviceRecord> ListPage(const std::string& after, int limit) {
    std::vector<DeviceRecord> out;
    absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
      auto page = r.ListDevices(after, limit);
      if (!page.ok()) return page.status();
      out = *std::move(page);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  // Occupies the writer thread inside a write function until Release(), so
  // writes queued meanwhile are committed together in the next batch.
  class WriterBlocker {
   public:
    explicit WriterBlocker(Store& store) {
      store.Write(
          [this](StoreWriter&) {
            started_.Notify();
            release_.WaitForNotification();
            return absl::OkStatus();
          },
          [this](absl::Status s) {
            status_ = s;
            done_.Notify();
          });
      started_.WaitForNotification();
    }
    ~WriterBlocker() {
      if (!release_.HasBeenNotified()) release_.Notify();
      done_.WaitForNotification();
    }
    void Release() { release_.Notify(); }

   private:
    absl::Notification started_;
    absl::Notification release_;
    absl::Notification done_;
    absl::Status status_;
  };

  testing::TempDir dir_;
  const std::string path_ = dir_.File("trellis.db");
  std::unique_ptr<SqliteStore> store_;
};

// Collects results of async writes.
struct Results {
  absl::Mutex mu;
  std::vector<absl::Status> statuses ABSL_GUARDED_BY(mu);
  int pending ABSL_GUARDED_BY(mu) = 0;
  Store::DoneFn Slot() {
    absl::MutexLock lock(&mu);
    size_t index = statuses.size();
    statuses.emplace_back(absl::UnknownError("not done"));
    ++pending;
    return [this, index](absl::Status s) {
      absl::MutexLock lock(&mu);
      statuses[index] = std::move(s);
      --pending;
    };
  }
  // Every write's status, in the order of Slot() calls.
  std::vector<absl::Status> WaitAll() {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](Results* r)
             ABSL_EXCLUSIVE_LOCKS_REQUIRED(r->mu) { return r->pending == 0; },
        this));
    return statuses;
  }
};

TEST_F(SqliteStoreTest, TokenRoundTrip) {
  TokenRecord t = MakeToken("abcdefghijk23");
  t.revoked_at = kT0 + absl::Minutes(3);
  ASSERT_TRUE(
      store_->WriteSync([&](StoreWriter& w) { return w.InsertToken(t); }).ok());
  std::optional<TokenRecord> got = ReadToken("abcdefghijk23");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->token_id, t.token_id);
  EXPECT_EQ(got->secret_hash, t.secret_hash);
  EXPECT_EQ(got->group, "eng");
  EXPECT_EQ(got->ownership, v1::OWNERSHIP_CORPORATE);
  EXPECT_EQ(got->max_uses, 3);
  EXPECT_EQ(got->uses, 1);
  EXPECT_EQ(got->created_at, kT0);
  EXPECT_EQ(got->expires_at, kT0 + absl::Hours(24));
  EXPECT_EQ(got->created_by, "operator:alice");
  EXPECT_EQ(got->revoked_at, kT0 + absl::Minutes(3));
  EXPECT_EQ(got->description, "laptops");

  EXPECT_FALSE(ReadToken("zzzzzzzzzzzzz").has_value());
}

TEST_F(SqliteStoreTest, UpdateTokenChangesUsesAndRevocation) {
  TokenRecord t = MakeToken("abcdefghijk23");
  ASSERT_TRUE(
      store_->WriteSync([&](StoreWriter& w) { return w.InsertToken(t); }).ok());
  std::optional<TokenRecord> got = ReadToken(t.token_id);
  ASSERT_TRUE(got.has_value());
  EXPECT_FALSE(got->revoked_at.has_value());
  t.uses = 2;
  t.revoked_at = kT0 + absl::Hours(1);
  t.group = "ignored";  // only uses and revoked_at are mutable
  ASSERT_TRUE(
      store_->WriteSync([&](StoreWriter& w) { return w.UpdateToken(t); }).ok());
  got = ReadToken(t.token_id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->uses, 2);
  EXPECT_EQ(got->revoked_at, kT0 + absl::Hours(1));
  EXPECT_EQ(got->group, "eng");
}

TEST_F(SqliteStoreTest, ListTokensNewestFirst) {
  TokenRecord a = MakeToken("aaaaaaaaaaaaa");
  TokenRecord b = MakeToken("bbbbbbbbbbbbb");
  b.created_at = kT0 + absl::Seconds(1);
  ASSERT_TRUE(store_
                  ->WriteSync([&](StoreWriter& w) {
                    absl::Status s = w.InsertToken(a);
                    if (s.ok()) s = w.InsertToken(b);
                    return s;
                  })
                  .ok());
  std::vector<std::string> ids;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    auto tokens = r.ListTokens();
                    if (!tokens.ok()) return tokens.status();
                    for (const auto& t : *tokens) ids.push_back(t.token_id);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_THAT(ids, ElementsAre("bbbbbbbbbbbbb", "aaaaaaaaaaaaa"));
}

TEST_F(SqliteStoreTest, DeviceRoundTripsEveryField) {
  DeviceRecord d;
  d.device_id = "dexampleexampleexampleexamp";
  d.key_hash = std::string("\x00\x01\xff", 3) + KeyHash("k").substr(3);
  d.pending_key_hash = KeyHash("pending");
  d.hostname = "h\xC3\xA9te-1";
  d.hardware_serial = "PF2ABCDE";
  d.platform = v1::PLATFORM_MACOS;
  d.os_name = "macOS";
  d.os_version = "14.4";
  d.agent_version = "0.2.0";
  d.group = "design";
  d.ownership = v1::OWNERSHIP_PERSONAL;
  d.state = v1::DEVICE_STATE_REVOKED;
  d.enrolled_at = kT0;
  d.last_seen_at = kT0 + absl::Microseconds(1234567);
  d.clone_of_device_id = "dotherotherotherotherothero";
  d.cert_serial_hex = "00ff10";
  d.cert_expires_at = kT0 + absl::Hours(24);
  d.token_id = "abcdefghijk23";
  d.last_sequence = uint64_t{1} << 40;
  d.facts_hash = KeyHash("facts");
  d.revocation_reason = "lost on a train";
  d.wireguard_public_key = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
  d.vpn_enforcement = v1::ENFORCEMENT_QUARANTINE;
  ASSERT_TRUE(InsertDevice(d).ok());
  std::optional<DeviceRecord> got = ReadDevice(d.device_id);
  ASSERT_TRUE(got.has_value());
  ExpectSameDevice(*got, d);
}

TEST_F(SqliteStoreTest, DeviceOptionalFieldsStayEmpty) {
  DeviceRecord d = MakeDevice("dminimal");
  ASSERT_TRUE(d.pending_key_hash.empty());
  ASSERT_TRUE(d.facts_hash.empty());
  ASSERT_FALSE(d.last_seen_at.has_value());
  ASSERT_TRUE(InsertDevice(d).ok());
  std::optional<DeviceRecord> got = ReadDevice("dminimal");
  ASSERT_TRUE(got.has_value());
  ExpectSameDevice(*got, d);
  EXPECT_FALSE(ReadDevice("dmissing").has_value());
}

TEST_F(SqliteStoreTest, UpdateDeviceReplacesEveryField) {
  DeviceRecord d = MakeDevice("d1");
  ASSERT_TRUE(InsertDevice(d).ok());
  DeviceRecord changed = MakeDevice("d1", kT0 + absl::Seconds(9));
  changed.key_hash = KeyHash("new key");
  changed.pending_key_hash = KeyHash("pending key");
  changed.hostname = "renamed";
  changed.state = v1::DEVICE_STATE_RETIRED;
  changed.last_seen_at = kT0 + absl::Minutes(1);
  changed.last_sequence = 17;
  changed.facts_hash = KeyHash("facts");
  changed.revocation_reason = "retired";
  ASSERT_TRUE(
      store_->WriteSync([&](StoreWriter& w) { return w.UpdateDevice(changed); })
          .ok());
  std::optional<DeviceRecord> got = ReadDevice("d1");
  ASSERT_TRUE(got.has_value());
  ExpectSameDevice(*got, changed);

  // And back to empty optionals.
  ASSERT_TRUE(
      store_->WriteSync([&](StoreWriter& w) { return w.UpdateDevice(d); })
          .ok());
  got = ReadDevice("d1");
  ASSERT_TRUE(got.has_value());
  ExpectSameDevice(*got, d);
}

TEST_F(SqliteStoreTest, FindDeviceByKeyHashMatchesCurrentAndPendingKey) {
  DeviceRecord a = MakeDevice("da");
  a.pending_key_hash = KeyHash("da renewed");
  DeviceRecord b = MakeDevice("db");
  ASSERT_TRUE(InsertDevice(a).ok());
  ASSERT_TRUE(InsertDevice(b).ok());

  std::optional<DeviceRecord> by_current = ReadDeviceByKey(KeyHash("da"));
  ASSERT_TRUE(by_current.has_value());
  EXPECT_EQ(by_current->device_id, "da");
  std::optional<DeviceRecord> by_pending =
      ReadDeviceByKey(KeyHash("da renewed"));
  ASSERT_TRUE(by_pending.has_value());
  EXPECT_EQ(by_pending->device_id, "da");
  EXPECT_EQ(by_pending->pending_key_hash, KeyHash("da renewed"));
  std::optional<DeviceRecord> other = ReadDeviceByKey(KeyHash("db"));
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->device_id, "db");

  EXPECT_FALSE(ReadDeviceByKey(KeyHash("nobody")).has_value());
  // An empty pending key is stored as NULL and matches nothing.
  EXPECT_FALSE(ReadDeviceByKey("").has_value());
}

TEST_F(SqliteStoreTest, ListRecentReportsNewestSeenActiveDevicesFirst) {
  // d0..d3 seen at kT0+0..3 min, each with a report; d2 is revoked; d4 has
  // never reported.
  for (int i = 0; i < 5; ++i) {
    DeviceRecord d = MakeDevice(absl::StrCat("d", i));
    d.last_seen_at = kT0 + absl::Minutes(i);
    if (i == 2) d.state = v1::DEVICE_STATE_REVOKED;
    ASSERT_TRUE(InsertDevice(d).ok());
    if (i == 4) continue;
    ASSERT_TRUE(store_
                    ->WriteSync([&](StoreWriter& w) {
                      return w.PutLastReport(d.device_id, 1, kT0,
                                             absl::StrCat("report of d", i));
                    })
                    .ok());
  }
  std::vector<DeviceReportRecord> recent;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    auto rows = r.ListRecentReports(2);
                    if (!rows.ok()) return rows.status();
                    recent = *std::move(rows);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].device.device_id, "d3");
  EXPECT_EQ(recent[0].report, "report of d3");
  EXPECT_EQ(recent[0].device.group, "eng");
  EXPECT_EQ(recent[1].device.device_id, "d1");
  EXPECT_EQ(recent[1].report, "report of d1");
}

TEST_F(SqliteStoreTest, FindDevicesBySerial) {
  DeviceRecord first = MakeDevice("dz", kT0);
  first.hardware_serial = "SAME";
  DeviceRecord second = MakeDevice("da", kT0 + absl::Seconds(5));
  second.hardware_serial = "SAME";
  DeviceRecord other = MakeDevice("dm");
  other.hardware_serial = "OTHER";
  DeviceRecord blank1 = MakeDevice("db1");
  blank1.hardware_serial = "";
  DeviceRecord blank2 = MakeDevice("db2");
  blank2.hardware_serial = "";
  for (const auto& d : {first, second, other, blank1, blank2}) {
    ASSERT_TRUE(InsertDevice(d).ok()) << d.device_id;
  }
  std::vector<DeviceRecord> same, none, blank;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    auto s = r.FindDevicesBySerial("SAME");
                    if (!s.ok()) return s.status();
                    same = *s;
                    auto n = r.FindDevicesBySerial("NOPE");
                    if (!n.ok()) return n.status();
                    none = *n;
                    auto b = r.FindDevicesBySerial("");
                    if (!b.ok()) return b.status();
                    blank = *b;
                    return absl::OkStatus();
                  })
                  .ok());
  // Oldest first.
  EXPECT_THAT(Ids(same), ElementsAre("dz", "da"));
  EXPECT_TRUE(none.empty());
  // An unknown serial never makes devices look like clones of each other.
  EXPECT_TRUE(blank.empty());
}

TEST_F(SqliteStoreTest, ListDevicesPaginatesInOrderExactlyOnce) {
  // Three share one enrolment time, two share another.
  struct Spec {
    const char* id;
    int seconds;
  };
  const std::vector<Spec> specs = {{"dq", 10}, {"dc", 30}, {"dk", 20},
                                   {"da", 20}, {"dz", 20}, {"db", 30},
                                   {"dm", 40}};
  for (const Spec& s : specs) {
    ASSERT_TRUE(
        InsertDevice(MakeDevice(s.id, kT0 + absl::Seconds(s.seconds))).ok());
  }
  const std::vector<std::string> expected = {"dm", "db", "dc", "da",
                                             "dk", "dz", "dq"};
  EXPECT_THAT(Ids(ListPage("", 100)), ElementsAreArray(expected));

  for (int page_size : {1, 2, 3, 7}) {
    std::vector<std::string> walked;
    std::string cursor;
    int pages = 0;
    while (true) {
      std::vector<DeviceRecord> page = ListPage(cursor, page_size);
      ASSERT_LE(static_cast<int>(page.size()), page_size);
      if (page.empty()) break;
      for (const auto& d : page) walked.push_back(d.device_id);
      cursor = page.back().device_id;
      ASSERT_LT(++pages, 20) << "pagination does not end";
    }
    EXPECT_THAT(walked, ElementsAreArray(expected))
        << "page size " << page_size;
  }
}

TEST_F(SqliteStoreTest, ListDevicesLimitAndCursor) {
  for (const char* id : {"d1", "d2", "d3"}) {
    ASSERT_TRUE(InsertDevice(MakeDevice(id)).ok());
  }
  EXPECT_THAT(Ids(ListPage("", 2)), ElementsAre("d1", "d2"));
  EXPECT_THAT(Ids(ListPage("d2", 2)), ElementsAre("d3"));
  EXPECT_TRUE(ListPage("d3", 2).empty());
}

TEST_F(SqliteStoreTest, LastReportPutAndReplace) {
  ASSERT_TRUE(InsertDevice(MakeDevice("d1")).ok());
  auto get = [&](const std::string& id) {
    std::optional<std::string> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      auto rep = r.GetLastReport(id);
                      if (!rep.ok()) return rep.status();
                      out = *rep;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  };
  EXPECT_FALSE(get("d1").has_value());
  const std::string first("report\x00one", 10);
  ASSERT_TRUE(store_
                  ->WriteSync([&](StoreWriter& w) {
                    return w.PutLastReport("d1", 1, kT0, first);
                  })
                  .ok());
  EXPECT_EQ(get("d1"), first);
  ASSERT_TRUE(store_
                  ->WriteSync([&](StoreWriter& w) {
                    return w.PutLastReport("d1", 2, kT0, "report two");
                  })
                  .ok());
  EXPECT_EQ(get("d1"), "report two");
  EXPECT_FALSE(get("d2").has_value());
}

TEST_F(SqliteStoreTest, LastReportNeedsAnExistingDevice) {
  absl::Status s = store_->WriteSync([&](StoreWriter& w) {
    return w.PutLastReport("dghost", 1, kT0, "report");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("FOREIGN KEY"));
}

TEST_F(SqliteStoreTest, OperatorsUpsertAndFindByKeyHash) {
  OperatorRecord op;
  op.name = "alice";
  op.role = v1::ROLE_HELPDESK;
  op.key_hash = KeyHash("alice key 1");
  op.created_at = kT0;
  op.created_by = "bootstrap";
  op.cert_expires_at = kT0 + absl::Hours(24 * 90);
  ASSERT_TRUE(
      store_->WriteSync([&](StoreWriter& w) { return w.UpsertOperator(op); })
          .ok());

  auto find = [&](const std::string& key_hash) {
    std::optional<OperatorRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      auto o = r.FindOperatorByKeyHash(key_hash);
                      if (!o.ok()) return o.status();
                      out = *o;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  };
  std::optional<OperatorRecord> got = find(KeyHash("alice key 1"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->name, "alice");
  EXPECT_EQ(got->role, v1::ROLE_HELPDESK);
  EXPECT_EQ(got->created_at, kT0);
  EXPECT_EQ(got->created_by, "bootstrap");
  EXPECT_EQ(got->cert_expires_at, kT0 + absl::Hours(24 * 90));

  // New credentials for the same name replace the old key and role.
  op.role = v1::ROLE_ADMIN;
  op.key_hash = KeyHash("alice key 2");
  op.created_by = "operator:root";
  ASSERT_TRUE(
      store_->WriteSync([&](StoreWriter& w) { return w.UpsertOperator(op); })
          .ok());
  EXPECT_FALSE(find(KeyHash("alice key 1")).has_value());
  got = find(KeyHash("alice key 2"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->role, v1::ROLE_ADMIN);
  EXPECT_EQ(got->created_by, "operator:root");

  std::optional<OperatorRecord> by_name;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    auto o = r.GetOperator("alice");
                    if (!o.ok()) return o.status();
                    by_name = *o;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->key_hash, KeyHash("alice key 2"));
}

TEST_F(SqliteStoreTest, FailingWriteRollsBackOnlyItsOwnChanges) {
  const uint64_t commits_before = store_->commit_count();
  Results results;
  {
    WriterBlocker blocker(*store_);
    store_->Write(
        [](StoreWriter& w) {
          return w.InsertToken(MakeToken("aaaaaaaaaaaaa"));
        },
        results.Slot());
    store_->Write(
        [](StoreWriter& w) {
          absl::Status s = w.InsertToken(MakeToken("bbbbbbbbbbbbb"));
          if (!s.ok()) return s;
          return absl::FailedPreconditionError("changed my mind");
        },
        results.Slot());
    store_->Write(
        [](StoreWriter& w) -> absl::Status {
          // Sees the batch's own earlier, committed-to-be write, and not the
          // rolled-back one.
          auto a = w.GetToken("aaaaaaaaaaaaa");
          if (!a.ok()) return a.status();
          if (!a->has_value()) return absl::InternalError("a not visible");
          auto b = w.GetToken("bbbbbbbbbbbbb");
          if (!b.ok()) return b.status();
          if (b->has_value()) return absl::InternalError("b visible");
          return w.InsertToken(MakeToken("ccccccccccccc"));
        },
        results.Slot());
    blocker.Release();
  }
  std::vector<absl::Status> statuses = results.WaitAll();
  ASSERT_EQ(statuses.size(), 3u);
  EXPECT_TRUE(statuses[0].ok()) << statuses[0];
  EXPECT_EQ(statuses[1].code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(statuses[1].message(), "changed my mind");
  EXPECT_TRUE(statuses[2].ok()) << statuses[2];
  // The blocker's batch and one batch for all three.
  EXPECT_EQ(store_->commit_count(), commits_before + 2);

  EXPECT_TRUE(ReadToken("aaaaaaaaaaaaa").has_value());
  EXPECT_FALSE(ReadToken("bbbbbbbbbbbbb").has_value());
  EXPECT_TRUE(ReadToken("ccccccccccccc").has_value());
}

TEST_F(SqliteStoreTest, ManyQueuedWritesWithFailuresInOneBatch) {
  Results results;
  const int kWrites = 40;
  {
    WriterBlocker blocker(*store_);
    for (int i = 0; i < kWrites; ++i) {
      store_->Write(
          [i](StoreWriter& w) {
            absl::Status s = w.InsertDevice(MakeDevice(absl::StrCat("d", i)));
            if (!s.ok()) return s;
            if (i % 3 == 0) return absl::AbortedError(absl::StrCat("no ", i));
            return absl::OkStatus();
          },
          results.Slot());
    }
    blocker.Release();
  }
  std::vector<absl::Status> statuses = results.WaitAll();
  ASSERT_EQ(statuses.size(), static_cast<size_t>(kWrites));
  for (int i = 0; i < kWrites; ++i) {
    if (i % 3 == 0) {
      EXPECT_EQ(statuses[i].code(), absl::StatusCode::kAborted) << i;
      EXPECT_FALSE(ReadDevice(absl::StrCat("d", i)).has_value()) << i;
    } else {
      EXPECT_TRUE(statuses[i].ok()) << i << statuses[i];
      EXPECT_TRUE(ReadDevice(absl::StrCat("d", i)).has_value()) << i;
    }
  }
}

TEST_F(SqliteStoreTest, ReadsDoNotWaitForOrSeeAnOpenWrite) {
  absl::Notification inserted, release, done;
  store_->Write(
      [&](StoreWriter& w) {
        absl::Status s = w.InsertToken(MakeToken("aaaaaaaaaaaaa"));
        inserted.Notify();
        release.WaitForNotification();
        return s;
      },
      [&](absl::Status s) {
        EXPECT_TRUE(s.ok()) << s;
        done.Notify();
      });
  inserted.WaitForNotification();
  // The writer holds an open transaction; a read still answers, from the
  // last committed state.
  EXPECT_FALSE(ReadToken("aaaaaaaaaaaaa").has_value());
  release.Notify();
  done.WaitForNotification();
  EXPECT_TRUE(ReadToken("aaaaaaaaaaaaa").has_value());
}

TEST_F(SqliteStoreTest, GroupCommitBatchesConcurrentWrites) {
  const uint64_t commits_before = store_->commit_count();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = absl::StrCat("d", t, "-", i);
        absl::Status s = store_->WriteSync(
            [id](StoreWriter& w) { return w.InsertDevice(MakeDevice(id)); });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const uint64_t commits = store_->commit_count() - commits_before;
  EXPECT_GE(commits, 1u);
  EXPECT_LT(commits, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(ListPage("", 1000).size(), size_t{kThreads * kPerThread});
}

TEST_F(SqliteStoreTest, DataPersistsAcrossReopen) {
  ASSERT_TRUE(InsertDevice(MakeDevice("d1")).ok());
  ASSERT_TRUE(store_
                  ->WriteSync([](StoreWriter& w) {
                    return w.InsertToken(MakeToken("abcdefghijk23"));
                  })
                  .ok());
  Reopen();
  std::optional<DeviceRecord> d = ReadDevice("d1");
  ASSERT_TRUE(d.has_value());
  ExpectSameDevice(*d, MakeDevice("d1"));
  EXPECT_TRUE(ReadToken("abcdefghijk23").has_value());
}

TEST_F(SqliteStoreTest, DestructorDrainsQueuedWrites) {
  Results results;
  {
    WriterBlocker blocker(*store_);
    for (int i = 0; i < 5; ++i) {
      store_->Write(
          [i](StoreWriter& w) {
            return w.InsertDevice(MakeDevice(absl::StrCat("d", i)));
          },
          results.Slot());
    }
    blocker.Release();
  }
  store_.reset();
  for (const absl::Status& s : results.WaitAll()) EXPECT_TRUE(s.ok()) << s;
  Reopen();
  EXPECT_EQ(ListPage("", 100).size(), 5u);
}

TEST_F(SqliteStoreTest, DatabaseIsInWalMode) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  const std::string mode =
      reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_EQ(mode, "wal");
}

TEST_F(SqliteStoreTest, UpdatesOfMissingRowsAreNotFound) {
  absl::Status token = store_->WriteSync(
      [](StoreWriter& w) { return w.UpdateToken(MakeToken("zzzzzzzzzzzzz")); });
  EXPECT_EQ(token.code(), absl::StatusCode::kNotFound) << token;
  EXPECT_THAT(token.message(), HasSubstr("token zzzzzzzzzzzzz does not exist"));

  absl::Status device = store_->WriteSync(
      [](StoreWriter& w) { return w.UpdateDevice(MakeDevice("dghost")); });
  EXPECT_EQ(device.code(), absl::StatusCode::kNotFound) << device;
  EXPECT_THAT(device.message(), HasSubstr("device dghost does not exist"));
  EXPECT_FALSE(ReadDevice("dghost").has_value());
}

TEST_F(SqliteStoreTest, DuplicateKeyHashFailsAndKeepsTheEarlierDevice) {
  DeviceRecord first = MakeDevice("dfirst");
  ASSERT_TRUE(InsertDevice(first).ok());
  DeviceRecord second = MakeDevice("dsecond");
  second.key_hash = first.key_hash;
  absl::Status s = InsertDevice(second);
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_THAT(s.message(), HasSubstr("key_hash"));
  EXPECT_FALSE(ReadDevice("dsecond").has_value());
  std::optional<DeviceRecord> kept = ReadDevice("dfirst");
  ASSERT_TRUE(kept.has_value());
  ExpectSameDevice(*kept, first);
  std::optional<DeviceRecord> by_key = ReadDeviceByKey(first.key_hash);
  ASSERT_TRUE(by_key.has_value());
  EXPECT_EQ(by_key->device_id, "dfirst");
}

TEST_F(SqliteStoreTest, DuplicateDeviceIdAndTokenIdFail) {
  ASSERT_TRUE(InsertDevice(MakeDevice("d1")).ok());
  DeviceRecord again = MakeDevice("d1");
  again.key_hash = KeyHash("another key");
  EXPECT_EQ(InsertDevice(again).code(), absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(store_
                  ->WriteSync([](StoreWriter& w) {
                    return w.InsertToken(MakeToken("abcdefghijk23"));
                  })
                  .ok());
  EXPECT_EQ(store_
                ->WriteSync([](StoreWriter& w) {
                  return w.InsertToken(MakeToken("abcdefghijk23"));
                })
                .code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(SqliteStoreTest, AuditAppendAssignsSequenceAndChain) {
  std::vector<AuditRecord> stored;
  ASSERT_TRUE(store_
                  ->WriteSync([&](StoreWriter& w) -> absl::Status {
                    for (int i = 0; i < 3; ++i) {
                      AuditRecord e;
                      e.time = kT0 + absl::Nanoseconds(1500 * i);
                      e.actor = "operator:alice";
                      e.action = "token.create";
                      e.target = absl::StrCat("t", i);
                      e.details_json = "{}";
                      auto r = AppendAudit(w, e);
                      if (!r.ok()) return r.status();
                      stored.push_back(*r);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].sequence, 1u);
  EXPECT_EQ(stored[1].sequence, 2u);
  EXPECT_EQ(stored[2].sequence, 3u);
  EXPECT_EQ(stored[0].previous_hash, std::string(32, '\0'));
  EXPECT_EQ(stored[1].previous_hash, stored[0].hash);
  EXPECT_EQ(stored[2].previous_hash, stored[1].hash);
  // Truncated to the microseconds that are stored.
  EXPECT_EQ(stored[1].time, kT0 + absl::Microseconds(1));

  std::vector<AuditRecord> listed = ListAudit(1);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].sequence, 2u);
  EXPECT_EQ(listed[0].target, "t1");
  EXPECT_EQ(listed[0].hash, stored[1].hash);
  EXPECT_EQ(listed[1].time, stored[2].time);
}

TEST_F(SqliteStoreTest, AuditEntryIsStoredAsGivenAndHeadReadBack) {
  AuditRecord e;
  e.sequence = 7;
  e.time = kT0;
  e.actor = "operator:alice";
  e.action = "token.create";
  e.target = "t7";
  e.details_json = "{}";
  e.previous_hash = std::string(32, 'p');
  e.hash = std::string(32, 'h');
  std::optional<AuditHead> before, after;
  ASSERT_TRUE(store_
                  ->WriteSync([&](StoreWriter& w) -> absl::Status {
                    auto head = w.GetAuditHead();
                    if (!head.ok()) return head.status();
                    before = *head;
                    absl::Status s = w.InsertAuditEntry(e);
                    if (!s.ok()) return s;
                    head = w.GetAuditHead();
                    if (!head.ok()) return head.status();
                    after = *head;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_FALSE(before.has_value());
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->sequence, 7u);
  EXPECT_EQ(after->hash, std::string(32, 'h'));

  // The store links nothing: what was given is what is listed.
  std::vector<AuditRecord> listed = ListAudit(0);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].sequence, 7u);
  EXPECT_EQ(listed[0].previous_hash, std::string(32, 'p'));
  EXPECT_EQ(listed[0].hash, std::string(32, 'h'));
  EXPECT_EQ(listed[0].time, kT0);

  // A taken sequence is refused, so a forked chain cannot be stored.
  EXPECT_EQ(
      store_->WriteSync([&](StoreWriter& w) { return w.InsertAuditEntry(e); })
          .code(),
      absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace trellis::server
