// PostgreSQL-only behavior of PgStore: schema and format checks, the master
// key, re-runs after serialization failures and broken connections, bounded
// waits. The Tx contracts themselves are in store/store_conformance_test.cc.
// Needs SWASD_TEST_PG_DSN (a role that may CREATE DATABASE); skipped
// otherwise.
#include "store/postgres/pg_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <pqxx/pqxx>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/errors.h"

namespace swasd::store {
namespace {

namespace fs = std::filesystem;

std::string RandomHex(size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::random_device rd;
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(kDigits[rd() % 16]);
  return out;
}

std::string WithDatabase(const std::string& dsn, const std::string& db) {
  const size_t scheme = dsn.find("://");
  if (scheme == std::string::npos) return dsn + " dbname=" + db;
  size_t path = dsn.find_first_of("/?", scheme + 3);
  if (path == std::string::npos) return dsn + "/" + db;
  if (dsn[path] == '?') return dsn.substr(0, path) + "/" + db + dsn.substr(path);
  const size_t query = dsn.find('?', path);
  return dsn.substr(0, path) + "/" + db +
         (query == std::string::npos ? "" : dsn.substr(query));
}

class PgStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    const char* dsn = std::getenv("SWASD_TEST_PG_DSN");
    if (dsn == nullptr || *dsn == '\0') {
      GTEST_SKIP() << "set SWASD_TEST_PG_DSN=postgresql://USER@HOST:PORT/postgres "
                      "(scripts/pg-cluster.sh start DIR prints one)";
    }
    admin_dsn_ = dsn;
    std::string tmpl = (fs::temp_directory_path() / "swasd-pg-XXXXXX");
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    tmp_ = tmpl;
    db_ = "swasd_test_" + RandomHex(16);
    Admin("CREATE DATABASE " + db_);
    dsn_ = WithDatabase(admin_dsn_, db_);
    key_file_ = (tmp_ / "keys" / "master.key").string();
  }
  void TearDown() override {
    if (db_.empty()) return;
    Admin("DROP DATABASE IF EXISTS " + db_ + " WITH (FORCE)");
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

  void Admin(const std::string& sql) {
    pqxx::connection c(admin_dsn_);
    pqxx::nontransaction n(c);
    n.exec(sql);
  }
  // Runs sql in the test database as an operator with psql would.
  pqxx::result Raw(const std::string& sql) {
    pqxx::connection c(dsn_);
    pqxx::work w(c);
    pqxx::result r = w.exec(sql);
    w.commit();
    return r;
  }

  PgOptions Options() {
    PgOptions o;
    o.dsn = dsn_;
    o.master_key_file = key_file_;
    return o;
  }
  std::unique_ptr<PgStore> OpenStore(PgOptions o) {
    auto s = PgStore::Open(o);
    EXPECT_TRUE(s.ok()) << s.error().message();
    return s.ok() ? std::move(*s) : nullptr;
  }
  std::unique_ptr<PgStore> OpenStore() { return OpenStore(Options()); }

  static std::string ReadFile(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  static void WriteFile(const std::string& p, const std::string& data) {
    fs::create_directories(fs::path(p).parent_path());
    std::ofstream(p, std::ios::binary) << data;
  }

  static Status AddKey(Tx& tx, const std::string& id, const std::string& secret) {
    if (!tx.GetAccount("1000000000000001")->has_value()) {
      SWASD_RETURN_IF_ERROR(tx.InsertAccount({"1000000000000001", "root", 1}));
    }
    AccessKey k;
    k.access_key_id = id;
    k.secret = secret;
    k.account_id = "1000000000000001";
    return tx.InsertAccessKey(k);
  }

  std::string admin_dsn_, db_, dsn_, key_file_;
  fs::path tmp_;
};

TEST_F(PgStoreTest, OpenCreatesSchemaAndKeyFile) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Backend(), "postgresql");
  auto meta = Raw("SELECT key, value FROM swasd_meta ORDER BY key");
  std::map<std::string, std::string> m;
  for (const auto& row : meta) m[row[0].as<std::string>()] = row[1].as<std::string>();
  EXPECT_EQ(m["format"], "swasd-postgres");
  EXPECT_EQ(m["schema_version"], std::to_string(PgStore::kSchemaVersion));
  EXPECT_FALSE(m["master_key_check"].empty());

  const std::string key = ReadFile(key_file_);
  EXPECT_EQ(key.size(), 65u);  // 64 hex digits and a newline
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef\n"), std::string::npos);
  struct stat st;
  ASSERT_EQ(::stat(key_file_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  // Opening again (another node, a restart) migrates nothing and keeps it.
  auto again = OpenStore();
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(ReadFile(key_file_), key);
}

TEST_F(PgStoreTest, RejectsBadOptions) {
  PgOptions o = Options();
  o.master_key_file.clear();
  auto s = PgStore::Open(o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("--master-key-file or SWASD_MASTER_KEY_FILE"),
            std::string::npos)
      << s.error().message();
  o = Options();
  o.dsn.clear();
  EXPECT_FALSE(PgStore::Open(o).ok());
  o = Options();
  o.pool_size = 0;
  EXPECT_FALSE(PgStore::Open(o).ok());
}

TEST_F(PgStoreTest, SecretsAreSealedAtRest) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Write([](Tx& tx) -> Status {
                    SWASD_RETURN_IF_ERROR(AddKey(tx, "LTAIone", "plain-secret-one"));
                    return AddKey(tx, "LTAItwo", "plain-secret-two");
                  })
                  .ok());
  auto rows = Raw("SELECT access_key_id, encode(sealed_secret, 'escape') FROM access_keys");
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    EXPECT_EQ(row[1].as<std::string>().find("plain-secret"), std::string::npos);
  }
  // A sealed secret moved onto another key's row does not open.
  Raw("UPDATE access_keys SET sealed_secret = (SELECT sealed_secret FROM "
      "access_keys WHERE access_key_id = 'LTAIone') WHERE access_key_id = 'LTAItwo'");
  Status s = store->Read([](Tx& tx) -> Status {
    auto k = tx.GetAccessKey("LTAItwo");
    return k.ok() ? Status::Ok() : Status(k.error());
  });
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().Is(errors::kInternalError));
}

TEST_F(PgStoreTest, MasterKeyFileForms) {
  // A raw 32-byte key and the same key in hex both work, before and after
  // the database has keys.
  const std::string raw(32, '\x07');
  WriteFile(key_file_, raw);
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Write([](Tx& tx) { return AddKey(tx, "LTAIk", "s"); }).ok());
  }
  std::string hex;
  for (int i = 0; i < 32; ++i) hex += "07";
  WriteFile(key_file_, "  " + hex + "\n\n");
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Read([](Tx& tx) -> Status {
                    EXPECT_EQ((*tx.GetAccessKey("LTAIk"))->secret, "s");
                    return Status::Ok();
                  })
                  .ok());
  WriteFile(key_file_, "not a key");
  auto bad = PgStore::Open(Options());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("holds no swasd master key"), std::string::npos)
      << bad.error().message();
}

TEST_F(PgStoreTest, RefusesWrongOrMissingMasterKey) {
  OpenStore().reset();  // a new database: the key is generated
  const std::string other = (tmp_ / "other.key").string();
  WriteFile(other, std::string(64, 'a'));
  PgOptions o = Options();
  o.master_key_file = other;
  auto wrong = PgStore::Open(o);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("sealed under another master key"),
            std::string::npos)
      << wrong.error().message();

  // The database has its check value: a missing key file is not replaced
  // by a new key, even before any AccessKey exists.
  fs::remove(key_file_);
  auto missing = PgStore::Open(Options());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("does not exist"), std::string::npos)
      << missing.error().message();
  EXPECT_FALSE(fs::exists(key_file_));
}

TEST_F(PgStoreTest, RefusesNewerSchemaForeignAndOtherFormat) {
  OpenStore().reset();
  Raw("UPDATE swasd_meta SET value = '99' WHERE key = 'schema_version'");
  auto newer = PgStore::Open(Options());
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.error().message().find(
                "was written by a newer swasd (schema 99, this binary knows " +
                std::to_string(PgStore::kSchemaVersion) + "); refusing to open"),
            std::string::npos)
      << newer.error().message();
  EXPECT_EQ(newer.error().message().find("password"), std::string::npos);

  Raw("UPDATE swasd_meta SET value = 'swasd-sqlite' WHERE key = 'format'");
  auto format = PgStore::Open(Options());
  ASSERT_FALSE(format.ok());
  EXPECT_NE(format.error().message().find("format 'swasd-sqlite'"), std::string::npos);

  Raw("DROP TABLE swasd_meta");
  auto foreign = PgStore::Open(Options());
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message().find("not swasd's"), std::string::npos)
      << foreign.error().message();
}

TEST_F(PgStoreTest, UnreachableServerIsServiceUnavailable) {
  PgOptions o = Options();
  o.dsn = "postgresql://postgres@127.0.0.1:1/nothing";
  const auto t0 = std::chrono::steady_clock::now();
  auto s = PgStore::Open(o);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().Is(errors::kServiceUnavailable)) << s.error().code();
  EXPECT_NE(s.error().message().find("cannot open database postgresql://postgres@127.0.0.1:1/nothing"),
            std::string::npos)
      << s.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

// One node's writers take turns (pg_store.h): 16 threads doing
// read-modify-writes of adjacent rows, plus an appended event each, all
// succeed on the first attempt. Without the turn-taking they abort each
// other under SERIALIZABLE (index pages shared by adjacent keys).
TEST_F(PgStoreTest, OneNodesWritersDoNotAbortEachOther) {
  PgOptions once = Options();
  once.max_write_attempts = 1;
  auto store = OpenStore(once);
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 16, kRounds = 10;
  for (int i = 0; i < kThreads; ++i) {
    Resource r{"swas.image", "m-" + std::to_string(100 + i), "1000000000000001", "r", "n", "",
               0, i, "{}"};
    ASSERT_TRUE(store->Write([&](Tx& tx) { return tx.PutResource(r); }).ok());
  }
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < kRounds; ++round) {
        Status s = store->Write([&](Tx& tx) -> Status {
          SWASD_ASSIGN_OR_RETURN(auto got, tx.GetResource("swas.image", "1000000000000001",
                                                          "m-" + std::to_string(100 + i)));
          Resource y = *got;
          y.flag += 1;
          SWASD_RETURN_IF_ERROR(tx.PutResource(y));
          Resource event{"event", "e-" + std::to_string(i * kRounds + round + 1000),
                         "1000000000000001", "r", "n", "", 1, round, "{}"};
          return tx.PutResource(event);
        });
        if (!s.ok()) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  ASSERT_TRUE(store
                  ->Read([&](Tx& tx) -> Status {
                    for (int i = 0; i < kThreads; ++i) {
                      auto got = tx.GetResource("swas.image", "1000000000000001",
                                                "m-" + std::to_string(100 + i));
                      EXPECT_EQ((*got)->flag, kRounds);
                    }
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(PgStoreTest, SerializationFailureReRunsTheCallback) {
  auto a = OpenStore();
  auto b = OpenStore();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  Resource r{"swas.image", "m-1", "1000000000000001", "r", "n", "", 0, 1, "{}"};
  ASSERT_TRUE(a->Write([&](Tx& tx) { return tx.PutResource(r); }).ok());
  int runs = 0;
  Status s = a->Write([&](Tx& tx) -> Status {
    ++runs;
    SWASD_ASSIGN_OR_RETURN(auto got, tx.GetResource(r.kind, r.account_id, r.id));
    if (runs == 1) {
      // Another node commits a change to the row this one has read.
      Status other = b->Write([&](Tx& t2) -> Status {
        Resource x = *got;
        x.flag = 100;
        return t2.PutResource(x);
      });
      EXPECT_TRUE(other.ok());
    }
    Resource y = *got;
    y.flag += 1;
    return tx.PutResource(y);
  });
  ASSERT_TRUE(s.ok()) << s.error().internal_cause();
  EXPECT_EQ(runs, 2);
  ASSERT_TRUE(a->Read([&](Tx& tx) -> Status {
                 EXPECT_EQ((*tx.GetResource(r.kind, r.account_id, r.id))->flag, 101);
                 return Status::Ok();
               }).ok());

  // With one attempt allowed, the same conflict is ServiceUnavailable.
  PgOptions once = Options();
  once.max_write_attempts = 1;
  auto c = OpenStore(once);
  ASSERT_NE(c, nullptr);
  runs = 0;
  s = c->Write([&](Tx& tx) -> Status {
    ++runs;
    SWASD_ASSIGN_OR_RETURN(auto got, tx.GetResource(r.kind, r.account_id, r.id));
    EXPECT_TRUE(b->Write([&](Tx& t2) -> Status {
                   Resource x = *got;
                   x.flag = 7;
                   return t2.PutResource(x);
                 }).ok());
    Resource y = *got;
    y.flag = 8;
    return tx.PutResource(y);
  });
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().Is(errors::kServiceUnavailable)) << s.error().code();
  EXPECT_EQ(s.error().http_status(), 503);
  EXPECT_EQ(runs, 1);
}

TEST_F(PgStoreTest, BrokenConnectionIsReplacedAndWorkReRun) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  // Every pooled connection of the database is killed (a server restart,
  // a failover): the next calls reconnect without failing.
  ASSERT_TRUE(store->Read([](Tx& tx) -> Status {
                   auto a = tx.ListAccounts();
                   return a.ok() ? Status::Ok() : Status(a.error());
                 }).ok());
  Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db_ + "'");
  Status s = store->Read([](Tx& tx) -> Status {
    auto a = tx.ListAccounts();
    return a.ok() ? Status::Ok() : Status(a.error());
  });
  EXPECT_TRUE(s.ok()) << s.error().internal_cause();

  // A connection killed in the middle of a Write: that attempt cannot have
  // committed, so the work runs again on a new connection, once.
  int runs = 0;
  s = store->Write([&](Tx& tx) -> Status {
    ++runs;
    if (runs == 1) {
      Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db_ +
            "' AND state LIKE 'idle in transaction%'");
    }
    return AddKey(tx, "LTAIafter", "x");
  });
  ASSERT_TRUE(s.ok()) << s.error().internal_cause();
  EXPECT_EQ(runs, 2);
  ASSERT_TRUE(store->Read([](Tx& tx) -> Status {
                 EXPECT_TRUE(tx.GetAccessKey("LTAIafter")->has_value());
                 EXPECT_EQ(tx.ListAccounts()->size(), 1u);
                 return Status::Ok();
               }).ok());
}

TEST_F(PgStoreTest, WaitForAConnectionIsBounded) {
  PgOptions o = Options();
  o.pool_size = 1;
  o.acquire_timeout_ms = 200;
  auto store = OpenStore(o);
  ASSERT_NE(store, nullptr);
  Status inner = Status::Ok();
  ASSERT_TRUE(store->Write([&](Tx&) -> Status {
                 inner = store->Read([](Tx&) { return Status::Ok(); });
                 return Status::Ok();
               }).ok());
  ASSERT_FALSE(inner.ok());
  EXPECT_TRUE(inner.error().Is(errors::kServiceUnavailable));
}

}  // namespace
}  // namespace swasd::store
