// The Store/Tx contracts of store/store.h, checked identically on every
// backend. Each test gets a fresh store:
//   sqlite      a temporary data dir
//   sqlite_memory  SQLite in memory (--ephemeral); "another instance on the
//               same state" is a view of the one store, and reopening it
//               finds nothing
//   postgresql  a fresh database (CREATE DATABASE swasd_test_<random> on the
//               server SWASD_TEST_PG_DSN names, dropped afterwards); skipped
//               when SWASD_TEST_PG_DSN is not set
// e.g.  DSN=$(scripts/pg-cluster.sh start /tmp/pgc)
//       SWASD_TEST_PG_DSN=$DSN build/src/store/store_conformance_test
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <stdexcept>
#include <thread>
#include <vector>

#include "base/errors.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace swasd::store {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

constexpr char kPgDsnEnv[] = "SWASD_TEST_PG_DSN";

std::string RandomHex(size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::random_device rd;
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(kDigits[rd() % 16]);
  return out;
}

// `dsn` (postgresql://... or key=value) pointed at database `db`.
std::string WithDatabase(const std::string& dsn, const std::string& db) {
  const size_t scheme = dsn.find("://");
  if (scheme == std::string::npos) return dsn + " dbname=" + db;
  const size_t authority = scheme + 3;
  size_t path = dsn.find_first_of("/?", authority);
  if (path == std::string::npos) return dsn + "/" + db;
  if (dsn[path] == '?') return dsn.substr(0, path) + "/" + db + dsn.substr(path);
  const size_t query = dsn.find('?', path);
  return dsn.substr(0, path) + "/" + db +
         (query == std::string::npos ? "" : dsn.substr(query));
}

// Another handle on an in-memory store, which has no second instance on
// its state: forwards to it.
class View final : public Store {
 public:
  explicit View(Store* inner) : inner_(inner) {}
  Status Write(const std::function<Status(Tx&)>& fn) override { return inner_->Write(fn); }
  Status WriteThen(const std::function<Status(Tx&)>& first,
                   const std::function<Status(Tx&)>& then) override {
    return inner_->WriteThen(first, then);
  }
  Status Read(const std::function<Status(Tx&)>& fn) override { return inner_->Read(fn); }
  std::string_view Backend() const override { return inner_->Backend(); }

 private:
  Store* inner_;
};

class StoreConformanceTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "swasd-conformance-XXXXXX");
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    tmp_ = tmpl;
    if (GetParam() == "postgresql") {
      const char* dsn = std::getenv(kPgDsnEnv);
      if (dsn == nullptr || *dsn == '\0') {
        GTEST_SKIP() << "PostgreSQL backend not tested: set " << kPgDsnEnv
                     << "=postgresql://USER@HOST:PORT/postgres (a role that "
                        "may CREATE DATABASE; scripts/pg-cluster.sh start DIR "
                        "prints one)";
      }
      admin_dsn_ = dsn;
      db_name_ = "swasd_test_" + RandomHex(16);
      try {
        pqxx::connection admin(admin_dsn_);
        pqxx::nontransaction n(admin);
        n.exec("CREATE DATABASE " + db_name_);
      } catch (const std::exception& e) {
        FAIL() << "cannot create a test database through " << kPgDsnEnv
               << ": " << e.what();
      }
      pg_dsn_ = WithDatabase(admin_dsn_, db_name_);
    }
    store_ = Open();
    ASSERT_NE(store_, nullptr);
  }

  void TearDown() override {
    store_.reset();
    if (!db_name_.empty()) {
      try {
        pqxx::connection admin(admin_dsn_);
        pqxx::nontransaction n(admin);
        n.exec("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cannot drop " << db_name_ << ": " << e.what();
      }
    }
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

  // A new store instance on the same state (a restart, or another node).
  std::unique_ptr<Store> Open() {
    if (GetParam() == "sqlite_memory") {
      if (memory_ != nullptr) return std::make_unique<View>(memory_);
      auto s = SqliteStore::Open({.in_memory = true});
      EXPECT_TRUE(s.ok()) << s.error().message();
      if (!s.ok()) return nullptr;
      memory_ = s->get();
      return std::unique_ptr<Store>(std::move(*s));
    }
    if (GetParam() == "sqlite") {
      auto s = SqliteStore::Open(SqliteOptions{(tmp_ / "data").string()});
      EXPECT_TRUE(s.ok()) << s.error().message();
      return s.ok() ? std::unique_ptr<Store>(std::move(*s)) : nullptr;
    }
    PgOptions o;
    o.dsn = pg_dsn_;
    o.master_key_file = (tmp_ / "master.key").string();
    auto s = PgStore::Open(o);
    EXPECT_TRUE(s.ok()) << s.error().message();
    return s.ok() ? std::unique_ptr<Store>(std::move(*s)) : nullptr;
  }

  // Runs fn in a Write / Read and expects it to succeed.
  template <typename F>
  void W(F fn) {
    Status s = store_->Write([&](Tx& tx) -> Status { return fn(tx); });
    ASSERT_TRUE(s.ok()) << s.error().code() << " " << s.error().message() << " "
                        << s.error().internal_cause();
  }
  template <typename F>
  void R(F fn) {
    Status s = store_->Read([&](Tx& tx) -> Status { return fn(tx); });
    ASSERT_TRUE(s.ok()) << s.error().code() << " " << s.error().message() << " "
                        << s.error().internal_cause();
  }

  static Account MakeAccount(std::string id, std::string name = "acct") {
    return Account{std::move(id), std::move(name), 1700000000};
  }
  static AccessKey MakeKey(std::string id, std::string account_id,
                           std::string secret = "s3cr3t-s3cr3t") {
    AccessKey k;
    k.access_key_id = std::move(id);
    k.secret = std::move(secret);
    k.account_id = std::move(account_id);
    k.created_at = 1700000001;
    return k;
  }
  static Resource MakeResource(std::string id, int64_t created_at,
                               std::string account = "1000000000000001") {
    Resource r;
    r.kind = "swas.image";
    r.id = std::move(id);
    r.account_id = std::move(account);
    r.region_id = "cn-hangzhou";
    r.name = "name-" + r.id;
    r.parent_id = "";
    r.flag = 0;
    r.created_at = created_at;
    r.doc = R"({"k":"v"})";
    return r;
  }
  static std::vector<std::string> Ids(const std::vector<Resource>& v) {
    std::vector<std::string> out;
    for (const auto& r : v) out.push_back(r.id);
    return out;
  }

  fs::path tmp_;
  std::string admin_dsn_, db_name_, pg_dsn_;
  std::unique_ptr<Store> store_;
  // sqlite_memory: the one store (owned by store_), which Open() views.
  Store* memory_ = nullptr;
};

TEST_P(StoreConformanceTest, Backend) {
  std::string name = GetParam();  // test names have no '-'
  std::replace(name.begin(), name.end(), '_', '-');
  EXPECT_EQ(store_->Backend(), name);
  EXPECT_EQ(store_->Durable(), GetParam() != "sqlite_memory");
}

TEST_P(StoreConformanceTest, Accounts) {
  W([](Tx& tx) -> Status {
    // Ids out of lexical order: the list keeps insertion order.
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("9000000000000001", "b")));
    return tx.InsertAccount(MakeAccount("1000000000000002", "a"));
  });
  Status dup = store_->Write(
      [](Tx& tx) { return tx.InsertAccount(MakeAccount("9000000000000001")); });
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(dup.error().Is(errors::kInternalError));
  EXPECT_EQ(dup.error().message(), errors::kInternalError.message);
  EXPECT_FALSE(dup.error().internal_cause().empty());

  R([](Tx& tx) -> Status {
    auto got = tx.GetAccount("9000000000000001");
    EXPECT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->name, "b");
    EXPECT_EQ((*got)->created_at, 1700000000);
    EXPECT_FALSE(tx.GetAccount("1111111111111111")->has_value());
    auto all = tx.ListAccounts();
    EXPECT_TRUE(all.ok());
    EXPECT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].account_id, "9000000000000001");
    EXPECT_EQ((*all)[1].account_id, "1000000000000002");
    return Status::Ok();
  });
}

TEST_P(StoreConformanceTest, FailedInsertLeavesTransactionUsable) {
  // A refused insert (duplicate account, duplicate key, key of a missing
  // account, resource of another account) is an error value; the rest of
  // the transaction goes on and commits, as on SQLite.
  W([](Tx& tx) -> Status {
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("1000000000000001")));
    SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(MakeKey("LTAIa", "1000000000000001")));
    return tx.PutResource(MakeResource("m-1", 1));
  });
  W([](Tx& tx) -> Status {
    EXPECT_FALSE(tx.InsertAccount(MakeAccount("1000000000000001")).ok());
    EXPECT_FALSE(tx.InsertAccessKey(MakeKey("LTAIa", "1000000000000001")).ok());
    EXPECT_FALSE(tx.InsertAccessKey(MakeKey("LTAIb", "3000000000000003")).ok());
    EXPECT_FALSE(tx.PutResource(MakeResource("m-1", 2, "2000000000000002")).ok());
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("2000000000000002")));
    return tx.InsertAccessKey(MakeKey("LTAIc", "2000000000000002"));
  });
  R([](Tx& tx) -> Status {
    EXPECT_EQ(tx.ListAccounts()->size(), 2u);
    EXPECT_TRUE(tx.GetAccessKey("LTAIc")->has_value());
    EXPECT_FALSE(tx.GetAccessKey("LTAIb")->has_value());
    EXPECT_EQ((*tx.GetResource("swas.image", "1000000000000001", "m-1"))->created_at, 1);
    return Status::Ok();
  });
}

TEST_P(StoreConformanceTest, AccessKeys) {
  AccessKey ram = MakeKey("LTAIzz", "1000000000000001", "ram-secret");
  ram.principal_type = PrincipalType::kRamUser;
  ram.principal_name = "alice";
  ram.active = false;
  W([&](Tx& tx) -> Status {
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("1000000000000001")));
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("2000000000000002")));
    SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(MakeKey("LTAIbb", "1000000000000001")));
    SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(ram));
    // Every byte a secret may hold survives sealing.
    return tx.InsertAccessKey(MakeKey("LTAIaa", "2000000000000002", "a\0b\1c\xff"s));
  });
  for (auto key : {MakeKey("LTAIbb", "1000000000000001"),
                   MakeKey("LTAIcc", "3000000000000003")}) {
    Status s = store_->Write([&](Tx& tx) { return tx.InsertAccessKey(key); });
    ASSERT_FALSE(s.ok()) << key.access_key_id;
    EXPECT_TRUE(s.error().Is(errors::kInternalError));
  }
  R([&](Tx& tx) -> Status {
    auto got = tx.GetAccessKey("LTAIzz");
    EXPECT_TRUE(got.ok() && got->has_value());
    const AccessKey& k = **got;
    EXPECT_EQ(k.secret, "ram-secret");
    EXPECT_EQ(k.account_id, "1000000000000001");
    EXPECT_EQ(k.principal_type, PrincipalType::kRamUser);
    EXPECT_EQ(k.principal_name, "alice");
    EXPECT_FALSE(k.active);
    EXPECT_EQ(k.created_at, 1700000001);
    EXPECT_EQ((*tx.GetAccessKey("LTAIaa"))->secret, "a\0b\1c\xff"s);
    EXPECT_FALSE(tx.GetAccessKey("LTAInone")->has_value());
    auto list = tx.ListAccessKeys("1000000000000001");
    EXPECT_TRUE(list.ok());
    EXPECT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].access_key_id, "LTAIbb");
    EXPECT_EQ((*list)[0].principal_type, PrincipalType::kRoot);
    EXPECT_TRUE((*list)[0].active);
    EXPECT_EQ((*list)[0].secret, "s3cr3t-s3cr3t");
    EXPECT_EQ((*list)[1].access_key_id, "LTAIzz");
    EXPECT_TRUE(tx.ListAccessKeys("9999999999999999")->empty());
    return Status::Ok();
  });
  W([](Tx& tx) -> Status {
    EXPECT_TRUE(*tx.SetAccessKeyActive("LTAIzz", true));
    EXPECT_TRUE(*tx.SetAccessKeyActive("LTAIbb", false));
    EXPECT_FALSE(*tx.SetAccessKeyActive("LTAInone", true));
    return Status::Ok();
  });
  R([](Tx& tx) -> Status {
    EXPECT_TRUE((*tx.GetAccessKey("LTAIzz"))->active);
    EXPECT_FALSE((*tx.GetAccessKey("LTAIbb"))->active);
    return Status::Ok();
  });
  W([](Tx& tx) -> Status {
    EXPECT_TRUE(*tx.DeleteAccessKey("LTAIzz"));
    EXPECT_FALSE(*tx.DeleteAccessKey("LTAIzz"));
    EXPECT_FALSE(*tx.DeleteAccessKey("LTAInone"));
    return Status::Ok();
  });
  R([](Tx& tx) -> Status {
    EXPECT_FALSE(tx.GetAccessKey("LTAIzz")->has_value());
    EXPECT_EQ(tx.ListAccessKeys("1000000000000001")->size(), 1u);
    return Status::Ok();
  });
}

TEST_P(StoreConformanceTest, Secrets) {
  W([](Tx& tx) -> Status {
    EXPECT_FALSE(tx.GetSecret("sts-signing-key")->has_value());
    SWASD_RETURN_IF_ERROR(tx.PutSecret("sts-signing-key", "k1\0\1"s));
    SWASD_RETURN_IF_ERROR(tx.PutSecret("other", "k2"));
    EXPECT_EQ(**tx.GetSecret("sts-signing-key"), "k1\0\1"s);
    return tx.PutSecret("sts-signing-key", "k3");
  });
  auto reopened = Open();
  ASSERT_NE(reopened, nullptr);
  ASSERT_TRUE(reopened
                  ->Read([](Tx& tx) -> Status {
                    EXPECT_EQ(**tx.GetSecret("sts-signing-key"), "k3");
                    EXPECT_EQ(**tx.GetSecret("other"), "k2");
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformanceTest, NonceClaimReplayAndExpiry) {
  W([](Tx& tx) -> Status {
    EXPECT_TRUE(*tx.ClaimNonce("AK1", "n1", 100, 200));
    EXPECT_FALSE(*tx.ClaimNonce("AK1", "n1", 150, 250));  // replay
    EXPECT_FALSE(*tx.ClaimNonce("AK1", "n1", 199, 299));  // still live
    EXPECT_TRUE(*tx.ClaimNonce("AK2", "n1", 150, 250));   // other key
    EXPECT_TRUE(*tx.ClaimNonce("AK1", "n1", 200, 300));   // expired: reused
    EXPECT_FALSE(*tx.ClaimNonce("AK1", "n1", 250, 350));  // ...until 300
    EXPECT_TRUE(*tx.ClaimNonce("AK1", "n2", 100, 120));
    // Nonces are opaque bytes: a NUL is not the end.
    EXPECT_TRUE(*tx.ClaimNonce("AK1", "x\0a"s, 100, 500));
    EXPECT_TRUE(*tx.ClaimNonce("AK1", "x\0b"s, 100, 500));
    EXPECT_TRUE(*tx.ClaimNonce("AK1", "x", 100, 500));
    EXPECT_TRUE(*tx.ClaimNonce("AK1", "x\1\1"s, 100, 500));
    EXPECT_TRUE(*tx.ClaimNonce("AK1", "x\0"s, 100, 500));
    EXPECT_FALSE(*tx.ClaimNonce("AK1", "x\0a"s, 101, 500));
    return Status::Ok();
  });
  // A claim is durable: another Write (and another store instance) sees it.
  auto other = Open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other
                  ->Write([](Tx& tx) -> Status {
                    EXPECT_FALSE(*tx.ClaimNonce("AK1", "n1", 260, 360));
                    return Status::Ok();
                  })
                  .ok());
  W([](Tx& tx) -> Status {
    EXPECT_EQ(*tx.PurgeNonces(250), 2);  // AK1/n2 (120), AK2/n1 (250)
    EXPECT_EQ(*tx.PurgeNonces(250), 0);
    EXPECT_FALSE(*tx.ClaimNonce("AK1", "n1", 260, 360));  // kept
    EXPECT_TRUE(*tx.ClaimNonce("AK2", "n1", 260, 360));   // purged
    EXPECT_EQ(*tx.PurgeNonces(1000), 7);
    return Status::Ok();
  });
}

TEST_P(StoreConformanceTest, Idempotency) {
  IdempotencyRecord rec{"1000000000000001", "swas-open:CreateInstances", "tok-1",
                        "abc123", 200, R"({"InstanceIds":["i-1"]})", 1000};
  W([&](Tx& tx) -> Status {
    EXPECT_FALSE(tx.GetIdempotency(rec.account_id, rec.action, rec.token)->has_value());
    SWASD_RETURN_IF_ERROR(tx.PutIdempotency(rec));
    IdempotencyRecord old = rec;
    old.token = "tok-0";
    old.created_at = 500;
    SWASD_RETURN_IF_ERROR(tx.PutIdempotency(old));
    IdempotencyRecord other_account = rec;
    other_account.account_id = "2000000000000002";
    other_account.response = "{\"other\":1}";
    return tx.PutIdempotency(other_account);
  });
  R([&](Tx& tx) -> Status {
    auto got = tx.GetIdempotency(rec.account_id, rec.action, rec.token);
    EXPECT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->account_id, rec.account_id);
    EXPECT_EQ((*got)->action, rec.action);
    EXPECT_EQ((*got)->token, rec.token);
    EXPECT_EQ((*got)->params_hash, "abc123");
    EXPECT_EQ((*got)->http_status, 200);
    EXPECT_EQ((*got)->response, rec.response);
    EXPECT_EQ((*got)->created_at, 1000);
    EXPECT_FALSE(tx.GetIdempotency(rec.account_id, "swas-open:Other", rec.token)->has_value());
    EXPECT_EQ((*tx.GetIdempotency("2000000000000002", rec.action, rec.token))->response,
              "{\"other\":1}");
    return Status::Ok();
  });
  W([&](Tx& tx) -> Status {
    IdempotencyRecord done = rec;
    done.http_status = 400;
    done.params_hash = "def";
    done.response = "{}";
    done.created_at = 1001;
    return tx.PutIdempotency(done);
  });
  W([&](Tx& tx) -> Status {
    auto got = tx.GetIdempotency(rec.account_id, rec.action, rec.token);
    EXPECT_EQ((*got)->http_status, 400);
    EXPECT_EQ((*got)->params_hash, "def");
    EXPECT_EQ((*got)->response, "{}");
    EXPECT_EQ((*got)->created_at, 1001);
    EXPECT_EQ(*tx.PurgeIdempotency(1000), 1);  // only tok-0 (500 < 1000)
    EXPECT_FALSE(tx.GetIdempotency(rec.account_id, rec.action, "tok-0")->has_value());
    EXPECT_EQ(*tx.PurgeIdempotency(1001), 1);  // the other account's (1000)
    EXPECT_EQ(*tx.PurgeIdempotency(1002), 1);
    return Status::Ok();
  });
}

// What export, import and reset walk: the kinds an account owns, its
// ClientToken records, the secrets' names; and the two deletions.
TEST_P(StoreConformanceTest, EnumerateAndDeleteAccounts) {
  const std::string a = "1000000000000001", b = "2000000000000002";
  W([&](Tx& tx) -> Status {
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount(a)));
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount(b)));
    SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(MakeKey("AK-A", a)));
    AccessKey user = MakeKey("AK-A-USER", a);
    user.principal_type = PrincipalType::kRamUser;
    user.principal_name = "alice";
    SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(user));
    SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(MakeKey("AK-B", b)));
    Resource image = MakeResource("m-1", 10, a);
    Resource user_doc = MakeResource("u-1", 11, a);
    user_doc.kind = "ram.user";
    SWASD_RETURN_IF_ERROR(tx.PutResource(image));
    SWASD_RETURN_IF_ERROR(tx.PutResource(user_doc));
    SWASD_RETURN_IF_ERROR(tx.PutResource(MakeResource("m-2", 12, b)));
    SWASD_RETURN_IF_ERROR(tx.PutIdempotency({a, "swas-open:X", "t2", "h", 200, "{}", 20}));
    SWASD_RETURN_IF_ERROR(tx.PutIdempotency({a, "swas-open:X", "t1", "h", 400, "{}", 10}));
    SWASD_RETURN_IF_ERROR(tx.PutIdempotency({b, "swas-open:X", "t1", "h", 200, "{}", 10}));
    SWASD_RETURN_IF_ERROR(tx.PutSecret("zeta", "1"));
    return tx.PutSecret("alpha", "2");
  });
  R([&](Tx& tx) -> Status {
    EXPECT_EQ(*tx.ListResourceKinds(a), (std::vector<std::string>{"ram.user", "swas.image"}));
    EXPECT_EQ(*tx.ListResourceKinds(b), (std::vector<std::string>{"swas.image"}));
    EXPECT_TRUE(tx.ListResourceKinds("3000000000000003")->empty());
    auto tokens = tx.ListIdempotency(a);
    EXPECT_TRUE(tokens.ok());
    EXPECT_EQ(tokens->size(), 2u);
    EXPECT_EQ((*tokens)[0].token, "t1");
    EXPECT_EQ((*tokens)[0].http_status, 400);
    EXPECT_EQ((*tokens)[1].token, "t2");
    EXPECT_EQ(*tx.ListSecretNames(), (std::vector<std::string>{"alpha", "zeta"}));
    return Status::Ok();
  });
  W([&](Tx& tx) -> Status {
    EXPECT_EQ(*tx.DeleteAccountResources(a), 2);
    EXPECT_TRUE(tx.ListResourceKinds(a)->empty());
    EXPECT_TRUE(tx.ListIdempotency(a)->empty());
    EXPECT_EQ(tx.ListAccessKeys(a)->size(), 2u);  // keys stay
    ResourceQuery q{.kind = "swas.image", .account_id = a};
    EXPECT_EQ(*tx.CountResources(q), 0);  // maintained counts follow
    return Status::Ok();
  });
  W([&](Tx& tx) -> Status {
    EXPECT_TRUE(*tx.DeleteAccount(b));
    EXPECT_FALSE(*tx.DeleteAccount(b));
    EXPECT_FALSE(tx.GetAccount(b)->has_value());
    EXPECT_FALSE(tx.GetAccessKey("AK-B")->has_value());
    EXPECT_TRUE(tx.ListResourceKinds(b)->empty());
    EXPECT_TRUE(tx.ListIdempotency(b)->empty());
    EXPECT_EQ(tx.ListAccounts()->size(), 1u);
    // The deleted account's id and key id can be used again.
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount(b)));
    return tx.InsertAccessKey(MakeKey("AK-B", b));
  });
}

TEST_P(StoreConformanceTest, ResourcePutGetDelete) {
  Resource r = MakeResource("m-1", 5);
  r.parent_id = "s-1";
  r.flag = 1;
  r.doc = R"({"Description":"caf\u00e9 \"quoted\" \\ ,{}","n":1})";
  r.name = "名前, \"with\" {braces} \\ and 'quotes'";
  W([&](Tx& tx) { return tx.PutResource(r); });
  R([&](Tx& tx) -> Status {
    auto got = tx.GetResource("swas.image", r.account_id, "m-1");
    EXPECT_TRUE(got.ok() && got->has_value());
    const Resource& g = **got;
    EXPECT_EQ(g.kind, r.kind);
    EXPECT_EQ(g.id, r.id);
    EXPECT_EQ(g.account_id, r.account_id);
    EXPECT_EQ(g.region_id, r.region_id);
    EXPECT_EQ(g.name, r.name);
    EXPECT_EQ(g.parent_id, r.parent_id);
    EXPECT_EQ(g.flag, 1);
    EXPECT_EQ(g.created_at, 5);
    EXPECT_EQ(g.doc, r.doc);
    // Another account's resource is indistinguishable from a missing one.
    EXPECT_FALSE(tx.GetResource("swas.image", "2000000000000002", "m-1")->has_value());
    EXPECT_FALSE(tx.GetResource("swas.snapshot", r.account_id, "m-1")->has_value());
    EXPECT_FALSE(tx.GetResource("swas.image", r.account_id, "m-2")->has_value());
    return Status::Ok();
  });

  // Replace: every non-key column follows the new value.
  Resource r2 = r;
  r2.region_id = "cn-shanghai";
  r2.name = "renamed";
  r2.parent_id = "";
  r2.flag = 0;
  r2.created_at = 6;
  r2.doc = "{}";
  W([&](Tx& tx) { return tx.PutResource(r2); });

  // (kind, id) of another account: refused, the owner's row untouched.
  Resource theirs = MakeResource("m-1", 9, "2000000000000002");
  Status s = store_->Write([&](Tx& tx) { return tx.PutResource(theirs); });
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().Is(errors::kInternalError));
  // The same id under another kind is another resource.
  Resource snap = MakeResource("m-1", 9, "2000000000000002");
  snap.kind = "swas.snapshot";
  W([&](Tx& tx) { return tx.PutResource(snap); });
  R([&](Tx& tx) -> Status {
    auto got = *tx.GetResource("swas.image", r.account_id, "m-1");
    EXPECT_EQ(got->region_id, "cn-shanghai");
    EXPECT_EQ(got->name, "renamed");
    EXPECT_EQ(got->parent_id, "");
    EXPECT_EQ(got->flag, 0);
    EXPECT_EQ(got->created_at, 6);
    EXPECT_EQ(got->doc, "{}");
    EXPECT_FALSE(tx.GetResource("swas.image", "2000000000000002", "m-1")->has_value());
    EXPECT_TRUE(tx.GetResource("swas.snapshot", "2000000000000002", "m-1")->has_value());
    return Status::Ok();
  });

  W([&](Tx& tx) -> Status {
    EXPECT_FALSE(*tx.DeleteResource("swas.image", "2000000000000002", "m-1"));
    EXPECT_TRUE(*tx.DeleteResource("swas.image", r.account_id, "m-1"));
    EXPECT_FALSE(*tx.DeleteResource("swas.image", r.account_id, "m-1"));
    return Status::Ok();
  });
  R([&](Tx& tx) -> Status {
    EXPECT_FALSE(tx.GetResource("swas.image", r.account_id, "m-1")->has_value());
    EXPECT_TRUE(tx.GetResource("swas.snapshot", "2000000000000002", "m-1")->has_value());
    return Status::Ok();
  });
  // A deleted id can be used again, by any account.
  W([&](Tx& tx) { return tx.PutResource(theirs); });
}

TEST_P(StoreConformanceTest, ResourceListFiltersOrderAndPaging) {
  const std::string a = "1000000000000001", b = "2000000000000002";
  // Inserted out of order; created_at ties are broken by id (byte order:
  // upper case before lower case, shorter prefix first).
  std::vector<Resource> rs;
  auto add = [&](std::string id, int64_t at, std::string region, std::string name,
                 std::string parent, int64_t flag) {
    Resource r = MakeResource(std::move(id), at);
    r.region_id = std::move(region);
    r.name = std::move(name);
    r.parent_id = std::move(parent);
    r.flag = flag;
    rs.push_back(r);
  };
  add("m-b", 20, "r1", "beta", "i-1", 1);
  add("m-a", 20, "r1", "alpha", "i-1", 0);
  add("m-B", 20, "r1", "Beta", "i-2", 1);
  add("m-c", 10, "r1", "gamma, \"q\"", "i-2", 0);
  add("m-aa", 20, "r1", "alpha", "", 0);
  add("m-d", 30, "r2", "delta", "i-1", 1);
  add("m-e", 5, "r1", "n\0ul"s, "i-3", 1);
  add("m-f", 40, "r1", "{x}\\", "", 0);
  W([&](Tx& tx) -> Status {
    for (const auto& r : rs) SWASD_RETURN_IF_ERROR(tx.PutResource(r));
    Resource other = MakeResource("m-zz", 1, b);
    other.region_id = "r1";
    SWASD_RETURN_IF_ERROR(tx.PutResource(other));
    Resource snap = MakeResource("s-1", 1, a);
    snap.kind = "swas.snapshot";
    snap.region_id = "r1";
    return tx.PutResource(snap);
  });

  auto q = [&] {
    ResourceQuery q;
    q.kind = "swas.image";
    q.account_id = a;
    return q;
  };
  R([&](Tx& tx) -> Status {
    auto all = q();
    EXPECT_EQ(Ids(*tx.ListResources(all)),
              (std::vector<std::string>{"m-e", "m-c", "m-B", "m-a", "m-aa", "m-b",
                                        "m-d", "m-f"}));
    EXPECT_EQ(*tx.CountResources(all), 8);

    auto r1 = q();
    r1.region_id = "r1";
    EXPECT_EQ(*tx.CountResources(r1), 7);
    r1.region_id = "nowhere";
    EXPECT_TRUE(tx.ListResources(r1)->empty());
    EXPECT_EQ(*tx.CountResources(r1), 0);

    auto ids = q();
    ids.ids = {"m-d", "m-a", "m-nope", "m-a", "m-zz"};
    EXPECT_EQ(Ids(*tx.ListResources(ids)), (std::vector<std::string>{"m-a", "m-d"}));
    EXPECT_EQ(*tx.CountResources(ids), 2);

    auto names = q();
    // (A name holding NUL is stored and read back intact, but is not
    // matched by a names filter on SQLite, whose json_each stops at NUL; the
    // API never stores such names.)
    names.names = {"alpha", "gamma, \"q\"", "{x}\\", "n"};
    EXPECT_EQ(Ids(*tx.ListResources(names)),
              (std::vector<std::string>{"m-c", "m-a", "m-aa", "m-f"}));
    EXPECT_EQ((*tx.GetResource("swas.image", a, "m-e"))->name, "n\0ul"s);
    names.names = {"n"};  // not a prefix match, NUL or not
    EXPECT_TRUE(tx.ListResources(names)->empty());
    names.names = {"Alpha"};  // case-sensitive
    EXPECT_TRUE(tx.ListResources(names)->empty());

    auto parent = q();
    parent.parent_id = "i-1";
    EXPECT_EQ(Ids(*tx.ListResources(parent)),
              (std::vector<std::string>{"m-a", "m-b", "m-d"}));
    parent.parent_id = "";
    EXPECT_EQ(Ids(*tx.ListResources(parent)), (std::vector<std::string>{"m-aa", "m-f"}));

    auto flag = q();
    flag.flag = 1;
    EXPECT_EQ(Ids(*tx.ListResources(flag)),
              (std::vector<std::string>{"m-e", "m-B", "m-b", "m-d"}));
    flag.flag = 0;
    EXPECT_EQ(*tx.CountResources(flag), 4);

    auto combined = q();
    combined.region_id = "r1";
    combined.flag = 1;
    combined.parent_id = "i-1";
    combined.ids = {"m-b", "m-d", "m-a"};
    combined.names = {"beta", "delta"};
    EXPECT_EQ(Ids(*tx.ListResources(combined)), (std::vector<std::string>{"m-b"}));
    EXPECT_EQ(*tx.CountResources(combined), 1);

    // Paging: offset/limit over the ordered list; Count ignores both.
    auto page = q();
    page.limit = 3;
    EXPECT_EQ(Ids(*tx.ListResources(page)), (std::vector<std::string>{"m-e", "m-c", "m-B"}));
    page.offset = 3;
    EXPECT_EQ(Ids(*tx.ListResources(page)), (std::vector<std::string>{"m-a", "m-aa", "m-b"}));
    page.offset = 6;
    EXPECT_EQ(Ids(*tx.ListResources(page)), (std::vector<std::string>{"m-d", "m-f"}));
    EXPECT_EQ(*tx.CountResources(page), 8);
    page.offset = 8;
    EXPECT_TRUE(tx.ListResources(page)->empty());
    page.offset = 100;
    EXPECT_TRUE(tx.ListResources(page)->empty());
    page.offset = 2;
    page.limit = -1;  // no limit
    EXPECT_EQ(tx.ListResources(page)->size(), 6u);
    page.limit = 0;
    EXPECT_TRUE(tx.ListResources(page)->empty());
    page.offset = -5;  // as SQLite: a negative offset is 0
    page.limit = 2;
    EXPECT_EQ(Ids(*tx.ListResources(page)), (std::vector<std::string>{"m-e", "m-c"}));
    page.limit = -7;  // any negative limit: none
    page.offset = 0;
    EXPECT_EQ(tx.ListResources(page)->size(), 8u);

    // A created_at range [from, before), and the reverse order (the audit
    // trail's newest-first pages).
    auto range = q();
    range.created_from = 10;
    range.created_before = 30;
    EXPECT_EQ(Ids(*tx.ListResources(range)),
              (std::vector<std::string>{"m-c", "m-B", "m-a", "m-aa", "m-b"}));
    EXPECT_EQ(*tx.CountResources(range), 5);
    range.flag = 1;
    EXPECT_EQ(*tx.CountResources(range), 2);
    range.flag.reset();
    range.newest_first = true;
    range.limit = 2;
    EXPECT_EQ(Ids(*tx.ListResources(range)), (std::vector<std::string>{"m-b", "m-aa"}));
    range.offset = 2;
    EXPECT_EQ(Ids(*tx.ListResources(range)), (std::vector<std::string>{"m-a", "m-B"}));
    range.created_from.reset();
    range.created_before = 6;
    range.offset = 0;
    EXPECT_EQ(Ids(*tx.ListResources(range)), (std::vector<std::string>{"m-e"}));

    auto other = q();
    other.account_id = b;
    EXPECT_EQ(Ids(*tx.ListResources(other)), (std::vector<std::string>{"m-zz"}));
    auto snaps = q();
    snaps.kind = "swas.snapshot";
    EXPECT_EQ(Ids(*tx.ListResources(snaps)), (std::vector<std::string>{"s-1"}));
    return Status::Ok();
  });
}

TEST_P(StoreConformanceTest, LargeDocument) {
  Resource r = MakeResource("m-big", 1);
  r.doc = "{\"blob\":\"" + std::string(1 << 20, 'x') + "\"}";
  W([&](Tx& tx) { return tx.PutResource(r); });
  R([&](Tx& tx) -> Status {
    EXPECT_EQ((*tx.GetResource(r.kind, r.account_id, r.id))->doc, r.doc);
    return Status::Ok();
  });
}

TEST_P(StoreConformanceTest, FailedWriteRollsBack) {
  Status s = store_->Write([](Tx& tx) -> Status {
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("1000000000000001")));
    SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(MakeKey("LTAIx", "1000000000000001")));
    EXPECT_TRUE(*tx.ClaimNonce("LTAIx", "n", 1, 2));
    SWASD_RETURN_IF_ERROR(tx.PutResource(MakeResource("m-1", 1)));
    SWASD_RETURN_IF_ERROR(tx.PutIdempotency({"1000000000000001", "a", "t", "h", 200, "{}", 1}));
    SWASD_RETURN_IF_ERROR(tx.PutSecret("s", "v"));
    return errors::InvalidParam("X", "callback failed");
  });
  ASSERT_FALSE(s.ok());
  // The callback's own error comes back unchanged.
  EXPECT_TRUE(s.error().Is(errors::kInvalidParameter));
  EXPECT_EQ(s.error().http_status(), 400);
  R([](Tx& tx) -> Status {
    EXPECT_TRUE(tx.ListAccounts()->empty());
    EXPECT_FALSE(tx.GetAccessKey("LTAIx")->has_value());
    EXPECT_FALSE(tx.GetResource("swas.image", "1000000000000001", "m-1")->has_value());
    EXPECT_FALSE(tx.GetIdempotency("1000000000000001", "a", "t")->has_value());
    EXPECT_FALSE(tx.GetSecret("s")->has_value());
    return Status::Ok();
  });
  W([](Tx& tx) -> Status {
    EXPECT_TRUE(*tx.ClaimNonce("LTAIx", "n", 1, 2));  // was not kept
    return Status::Ok();
  });
}

// WriteThen: `first` commits whatever `then` does; `then` runs only after
// `first` succeeded; each gets its own rollback.
TEST_P(StoreConformanceTest, WriteThenKeepsFirstWhenThenFails) {
  auto claim = [](std::string nonce) {
    return [nonce](Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(bool fresh, tx.ClaimNonce("AK", nonce, 1, 1000));
      if (!fresh) return errors::kSignatureNonceUsed;
      return Status::Ok();
    };
  };
  // then fails: first's nonce is recorded, then's resource is not.
  Status s = store_->WriteThen(claim("n1"), [](Tx& tx) -> Status {
    SWASD_RETURN_IF_ERROR(tx.PutResource(MakeResource("m-then", 1)));
    return errors::InvalidParam("X", "then failed");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().Is(errors::kInvalidParameter));
  // then throws: the same. The exception reaches the caller (SQLite) or
  // comes back as an error (PostgreSQL); either way nothing of then stays.
  try {
    Status t = store_->WriteThen(claim("n2"), [](Tx& tx) -> Status {
      (void)tx.PutResource(MakeResource("m-throw", 1));
      throw std::runtime_error("boom");
    });
    EXPECT_FALSE(t.ok());
  } catch (const std::runtime_error&) {
  }
  // first fails: then does not run, first's error comes back.
  bool ran = false;
  s = store_->WriteThen(claim("n1"), [&](Tx& tx) -> Status {
    ran = true;
    return tx.PutResource(MakeResource("m-replay", 1));
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), "SignatureNonceUsed");
  EXPECT_FALSE(ran);
  // Both succeed: both are there.
  ASSERT_TRUE(store_->WriteThen(claim("n3"), [](Tx& tx) {
    return tx.PutResource(MakeResource("m-ok", 1));
  }).ok());
  R([](Tx& tx) -> Status {
    EXPECT_FALSE(tx.GetResource("swas.image", "1000000000000001", "m-then")->has_value());
    EXPECT_FALSE(tx.GetResource("swas.image", "1000000000000001", "m-throw")->has_value());
    EXPECT_FALSE(tx.GetResource("swas.image", "1000000000000001", "m-replay")->has_value());
    EXPECT_TRUE(tx.GetResource("swas.image", "1000000000000001", "m-ok")->has_value());
    return Status::Ok();
  });
  W([](Tx& tx) -> Status {
    for (const char* n : {"n1", "n2", "n3"}) {
      EXPECT_FALSE(*tx.ClaimNonce("AK", n, 2, 1000)) << n << " was not kept";
    }
    return Status::Ok();
  });
}

TEST_P(StoreConformanceTest, ReadSeesCommittedWritesAndRefusesWrites) {
  Status s = store_->Read(
      [](Tx& tx) { return tx.InsertAccount(MakeAccount("1000000000000001")); });
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().Is(errors::kInternalError));
  R([](Tx& tx) -> Status {
    EXPECT_TRUE(tx.ListAccounts()->empty());
    return Status::Ok();
  });
  // A Write committed by another instance (another process or node) is
  // visible to the next Read.
  auto other = Open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other
                  ->Write([](Tx& tx) {
                    return tx.InsertAccount(MakeAccount("1000000000000001"));
                  })
                  .ok());
  R([](Tx& tx) -> Status {
    EXPECT_EQ(tx.ListAccounts()->size(), 1u);
    return Status::Ok();
  });
}

TEST_P(StoreConformanceTest, ReopenKeepsData) {
  W([](Tx& tx) -> Status {
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("1000000000000001")));
    SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(MakeKey("LTAIk", "1000000000000001", "kept")));
    return tx.PutResource(MakeResource("m-1", 1));
  });
  store_.reset();
  if (GetParam() == "sqlite_memory") {
    // Nothing survives: a new in-memory store starts empty.
    memory_ = nullptr;
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    EXPECT_FALSE(store_->Durable());
    R([](Tx& tx) -> Status {
      EXPECT_TRUE(tx.ListAccounts()->empty());
      EXPECT_FALSE(tx.GetAccessKey("LTAIk")->has_value());
      return Status::Ok();
    });
    return;
  }
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_TRUE(store_->Durable());
  R([](Tx& tx) -> Status {
    EXPECT_TRUE(tx.GetAccount("1000000000000001")->has_value());
    auto key = tx.GetAccessKey("LTAIk");
    EXPECT_TRUE(key.ok() && key->has_value());
    EXPECT_EQ((*key)->secret, "kept");
    EXPECT_TRUE(tx.GetResource("swas.image", "1000000000000001", "m-1")->has_value());
    return Status::Ok();
  });
}

TEST_P(StoreConformanceTest, ConcurrentOpensMigrateOnce) {
  std::vector<std::unique_ptr<Store>> opened(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < opened.size(); ++i) {
    threads.emplace_back([&, i] { opened[i] = Open(); });
  }
  for (auto& t : threads) t.join();
  for (auto& s : opened) ASSERT_NE(s, nullptr);
}

// 8 threads, two store instances (two nodes, or swasd and swasctl), all
// writing at once. Whatever the backend does to serialize them, the result
// is that of some serial order: no lost update, one winner per nonce and
// per ClientToken.
TEST_P(StoreConformanceTest, ConcurrentWritesFromEightThreads) {
  auto second = Open();
  ASSERT_NE(second, nullptr);
  constexpr int kThreads = 8;
  constexpr int kIncrements = 20;
  W([](Tx& tx) { return tx.PutResource(MakeResource("counter", 1)); });

  std::atomic<int> failures{0};
  std::atomic<int> nonce_wins{0};
  std::vector<std::string> token_seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store& store = t % 2 == 0 ? *store_ : *second;
      auto check = [&](const Status& s) {
        if (!s.ok()) {
          ++failures;
          ADD_FAILURE() << "thread " << t << ": " << s.error().code() << " "
                        << s.error().internal_cause();
        }
      };
      for (int i = 0; i < kIncrements; ++i) {
        // Read-modify-write of one shared row.
        check(store.Write([&](Tx& tx) -> Status {
          SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource("swas.image", "1000000000000001", "counter"));
          if (!r) return Error(errors::kInternalError).WithCause("counter missing");
          r->flag += 1;
          return tx.PutResource(*r);
        }));
        // A private row and nonce per iteration: never conflict logically.
        check(store.Write([&](Tx& tx) -> Status {
          const std::string id = "m-" + std::to_string(t) + "-" + std::to_string(i);
          SWASD_RETURN_IF_ERROR(tx.PutResource(MakeResource(id, 100 + i)));
          SWASD_ASSIGN_OR_RETURN(bool fresh, tx.ClaimNonce("AK", id, 0, 1000));
          if (!fresh) return Error(errors::kInternalError).WithCause("own nonce replayed");
          return Status::Ok();
        }));
      }
      // Everyone claims the same nonce: exactly one wins.
      bool won = false;
      check(store.Write([&](Tx& tx) -> Status {
        SWASD_ASSIGN_OR_RETURN(won, tx.ClaimNonce("AK", "shared", 0, 1000));
        return Status::Ok();
      }));
      if (won) ++nonce_wins;
      // Everyone runs a ClientToken-guarded "create": the first commits its
      // answer, the others must read that answer back.
      check(store.Write([&](Tx& tx) -> Status {
        SWASD_ASSIGN_OR_RETURN(auto rec, tx.GetIdempotency("1000000000000001", "a", "tok"));
        if (rec) {
          token_seen[t] = rec->response;
          return Status::Ok();
        }
        token_seen[t] = "thread-" + std::to_string(t);
        SWASD_RETURN_IF_ERROR(tx.PutResource(MakeResource("created-" + std::to_string(t), 7)));
        return tx.PutIdempotency({"1000000000000001", "a", "tok", "h", 200, token_seen[t], 1});
      }));
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(nonce_wins.load(), 1);
  for (int t = 1; t < kThreads; ++t) EXPECT_EQ(token_seen[t], token_seen[0]);
  R([&](Tx& tx) -> Status {
    EXPECT_EQ((*tx.GetResource("swas.image", "1000000000000001", "counter"))->flag,
              kThreads * kIncrements);
    ResourceQuery q;
    q.kind = "swas.image";
    q.account_id = "1000000000000001";
    q.names = {};
    auto all = *tx.ListResources(q);
    int created = 0;
    for (const auto& r : all) created += r.id.starts_with("created-") ? 1 : 0;
    EXPECT_EQ(created, 1);  // one ClientToken, one resource
    EXPECT_EQ(*tx.CountResources(q), 1 + kThreads * kIncrements + 1);
    auto rec = tx.GetIdempotency("1000000000000001", "a", "tok");
    EXPECT_EQ((*rec)->response, token_seen[0]);
    return Status::Ok();
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformanceTest,
                         testing::Values("sqlite", "sqlite_memory", "postgresql"),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace swasd::store
