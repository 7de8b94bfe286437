#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/errors.h"

namespace swasd::store {
namespace {

namespace fs = std::filesystem;

class SqliteStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "swasd-store-XXXXXX");
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    dir_ = root_ / "data";
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<SqliteStore> OpenStore() {
    auto store = SqliteStore::Open(SqliteOptions{dir_.string()});
    EXPECT_TRUE(store.ok()) << store.error().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Runs `sql` on swasd.db through a raw connection, as an operator (or an
  // attacker) with the sqlite3 shell would.
  void RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "swasd.db").c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  std::string ReadFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
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

  fs::path root_;
  fs::path dir_;
};

TEST_F(SqliteStoreTest, OpenLaysOutDataDir) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Backend(), "sqlite");
  EXPECT_EQ(fs::status(dir_).permissions(), fs::perms::owner_all);
  EXPECT_EQ(fs::status(dir_ / "master.key").permissions(),
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::file_size(dir_ / "master.key"), 32u);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "swasd.db").c_str(), &db), SQLITE_OK);
  auto scalar = [&](const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    std::string v = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return v;
  };
  EXPECT_EQ(scalar("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(scalar("SELECT value FROM swasd_meta WHERE key = 'format'"),
            "swasd-sqlite");
  EXPECT_EQ(scalar("SELECT value FROM swasd_meta WHERE key = 'schema_version'"),
            std::to_string(SqliteStore::kSchemaVersion));
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, RejectsBadOptions) {
  EXPECT_FALSE(SqliteStore::Open(SqliteOptions{}).ok());
  SqliteOptions options{dir_.string()};
  options.reader_connections = 0;
  EXPECT_FALSE(SqliteStore::Open(options).ok());
}

TEST_F(SqliteStoreTest, Accounts) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  // Ids out of lexical order: the list must keep insertion order.
  ASSERT_TRUE(store
                  ->Write([](Tx& tx) -> Status {
                    SWASD_RETURN_IF_ERROR(
                        tx.InsertAccount(MakeAccount("9000000000000001", "b")));
                    return tx.InsertAccount(
                        MakeAccount("1000000000000002", "a"));
                  })
                  .ok());

  Status dup = store->Write(
      [](Tx& tx) { return tx.InsertAccount(MakeAccount("9000000000000001")); });
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(dup.error().Is(errors::kInternalError));
  EXPECT_EQ(dup.error().message(), errors::kInternalError.message);
  EXPECT_NE(dup.error().internal_cause().find("sqlite"), std::string::npos);

  ASSERT_TRUE(store
                  ->Read([](Tx& tx) -> Status {
                    auto got = tx.GetAccount("9000000000000001");
                    EXPECT_TRUE(got.ok());
                    EXPECT_TRUE(got->has_value());
                    EXPECT_EQ((*got)->name, "b");
                    EXPECT_EQ((*got)->created_at, 1700000000);
                    auto missing = tx.GetAccount("1111111111111111");
                    EXPECT_TRUE(missing.ok());
                    EXPECT_FALSE(missing->has_value());
                    auto all = tx.ListAccounts();
                    EXPECT_TRUE(all.ok());
                    EXPECT_EQ(all->size(), 2u);
                    EXPECT_EQ((*all)[0].account_id, "9000000000000001");
                    EXPECT_EQ((*all)[1].account_id, "1000000000000002");
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, AccessKeys) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  AccessKey ram = MakeKey("LTAIzz", "1000000000000001", "ram-secret");
  ram.principal_type = PrincipalType::kRamUser;
  ram.principal_name = "alice";
  ram.active = false;
  ASSERT_TRUE(
      store
          ->Write([&](Tx& tx) -> Status {
            SWASD_RETURN_IF_ERROR(
                tx.InsertAccount(MakeAccount("1000000000000001")));
            SWASD_RETURN_IF_ERROR(
                tx.InsertAccount(MakeAccount("2000000000000002")));
            SWASD_RETURN_IF_ERROR(
                tx.InsertAccessKey(MakeKey("LTAIbb", "1000000000000001")));
            SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(ram));
            return tx.InsertAccessKey(MakeKey("LTAIaa", "2000000000000002"));
          })
          .ok());

  // A duplicate id and a key for a missing account are both refused.
  EXPECT_FALSE(store
                   ->Write([](Tx& tx) {
                     return tx.InsertAccessKey(
                         MakeKey("LTAIbb", "1000000000000001"));
                   })
                   .ok());
  EXPECT_FALSE(store
                   ->Write([](Tx& tx) {
                     return tx.InsertAccessKey(
                         MakeKey("LTAIcc", "3000000000000003"));
                   })
                   .ok());

  ASSERT_TRUE(store
                  ->Read([&](Tx& tx) -> Status {
                    auto got = tx.GetAccessKey("LTAIzz");
                    EXPECT_TRUE(got.ok() && got->has_value());
                    const AccessKey& k = **got;
                    EXPECT_EQ(k.secret, "ram-secret");
                    EXPECT_EQ(k.account_id, "1000000000000001");
                    EXPECT_EQ(k.principal_type, PrincipalType::kRamUser);
                    EXPECT_EQ(k.principal_name, "alice");
                    EXPECT_FALSE(k.active);
                    EXPECT_EQ(k.created_at, 1700000001);
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
                  })
                  .ok());

  ASSERT_TRUE(store
                  ->Write([](Tx& tx) -> Status {
                    EXPECT_TRUE(*tx.SetAccessKeyActive("LTAIzz", true));
                    EXPECT_TRUE(*tx.SetAccessKeyActive("LTAIbb", false));
                    EXPECT_FALSE(*tx.SetAccessKeyActive("LTAInone", true));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store
                  ->Read([](Tx& tx) -> Status {
                    EXPECT_TRUE((*tx.GetAccessKey("LTAIzz"))->active);
                    EXPECT_FALSE((*tx.GetAccessKey("LTAIbb"))->active);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, NonceClaimReplayAndExpiry) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      store
          ->Write([](Tx& tx) -> Status {
            EXPECT_TRUE(*tx.ClaimNonce("AK1", "n1", 100, 200));
            EXPECT_FALSE(*tx.ClaimNonce("AK1", "n1", 150, 250));  // replay
            EXPECT_FALSE(*tx.ClaimNonce("AK1", "n1", 199, 299));  // still live
            EXPECT_TRUE(*tx.ClaimNonce("AK2", "n1", 150, 250));   // other key
            EXPECT_TRUE(
                *tx.ClaimNonce("AK1", "n1", 200, 300));  // expired: reused
            EXPECT_FALSE(
                *tx.ClaimNonce("AK1", "n1", 250, 350));  // ...until 300
            EXPECT_TRUE(*tx.ClaimNonce("AK1", "n2", 100, 120));
            return Status::Ok();
          })
          .ok());
  ASSERT_TRUE(
      store
          ->Write([](Tx& tx) -> Status {
            EXPECT_EQ(*tx.PurgeNonces(250), 2);  // AK1/n2 (120), AK2/n1 (250)
            EXPECT_EQ(*tx.PurgeNonces(250), 0);
            EXPECT_FALSE(*tx.ClaimNonce("AK1", "n1", 260, 360));  // kept
            EXPECT_TRUE(*tx.ClaimNonce("AK2", "n1", 260, 360));   // purged
            return Status::Ok();
          })
          .ok());
}

TEST_F(SqliteStoreTest, Idempotency) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  IdempotencyRecord rec{"1000000000000001",
                        "swas-open:CreateInstances",
                        "tok-1",
                        "abc123",
                        200,
                        R"({"InstanceIds":["i-1"]})",
                        1000};
  ASSERT_TRUE(store
                  ->Write([&](Tx& tx) -> Status {
                    SWASD_RETURN_IF_ERROR(tx.PutIdempotency(rec));
                    IdempotencyRecord old = rec;
                    old.token = "tok-0";
                    old.created_at = 500;
                    return tx.PutIdempotency(old);
                  })
                  .ok());
  ASSERT_TRUE(store
                  ->Read([&](Tx& tx) -> Status {
                    auto got = tx.GetIdempotency(rec.account_id, rec.action,
                                                 rec.token);
                    EXPECT_TRUE(got.ok() && got->has_value());
                    EXPECT_EQ((*got)->params_hash, "abc123");
                    EXPECT_EQ((*got)->http_status, 200);
                    EXPECT_EQ((*got)->response, rec.response);
                    EXPECT_EQ((*got)->created_at, 1000);
                    EXPECT_FALSE(tx.GetIdempotency(rec.account_id,
                                                   "swas-open:Other", rec.token)
                                     ->has_value());
                    return Status::Ok();
                  })
                  .ok());

  // Put replaces a record with the same key.
  ASSERT_TRUE(store
                  ->Write([&](Tx& tx) -> Status {
                    IdempotencyRecord done = rec;
                    done.http_status = 400;
                    done.response = "{}";
                    return tx.PutIdempotency(done);
                  })
                  .ok());
  ASSERT_TRUE(
      store
          ->Write([&](Tx& tx) -> Status {
            auto got = tx.GetIdempotency(rec.account_id, rec.action, rec.token);
            EXPECT_EQ((*got)->http_status, 400);
            EXPECT_EQ((*got)->response, "{}");
            EXPECT_EQ(*tx.PurgeIdempotency(1000),
                      1);  // only tok-0 (500 < 1000)
            EXPECT_FALSE(tx.GetIdempotency(rec.account_id, rec.action, "tok-0")
                             ->has_value());
            EXPECT_EQ(*tx.PurgeIdempotency(1001), 1);
            return Status::Ok();
          })
          .ok());
}

TEST_F(SqliteStoreTest, FailedWriteRollsBack) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  Status s = store->Write([](Tx& tx) -> Status {
    SWASD_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("1000000000000001")));
    SWASD_RETURN_IF_ERROR(
        tx.InsertAccessKey(MakeKey("LTAIx", "1000000000000001")));
    EXPECT_TRUE(*tx.ClaimNonce("LTAIx", "n", 1, 2));
    return errors::InvalidParam("X", "callback failed");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().Is(errors::kInvalidParameter));
  ASSERT_TRUE(store
                  ->Read([](Tx& tx) -> Status {
                    EXPECT_TRUE(tx.ListAccounts()->empty());
                    EXPECT_FALSE(tx.GetAccessKey("LTAIx")->has_value());
                    return Status::Ok();
                  })
                  .ok());
  // The writer connection is usable again and the nonce was not kept.
  ASSERT_TRUE(store
                  ->Write([](Tx& tx) -> Status {
                    EXPECT_TRUE(*tx.ClaimNonce("LTAIx", "n", 1, 2));
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, ReadRefusesWrites) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  Status s = store->Read(
      [](Tx& tx) { return tx.InsertAccount(MakeAccount("1000000000000001")); });
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().Is(errors::kInternalError));
  ASSERT_TRUE(store
                  ->Read([](Tx& tx) -> Status {
                    EXPECT_TRUE(tx.ListAccounts()->empty());
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, ReopenKeepsData) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Write([](Tx& tx) -> Status {
                      SWASD_RETURN_IF_ERROR(
                          tx.InsertAccount(MakeAccount("1000000000000001")));
                      return tx.InsertAccessKey(
                          MakeKey("LTAIk", "1000000000000001", "kept"));
                    })
                    .ok());
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Read([](Tx& tx) -> Status {
                    EXPECT_TRUE(tx.GetAccount("1000000000000001")->has_value());
                    auto key = tx.GetAccessKey("LTAIk");
                    EXPECT_TRUE(key.ok() && key->has_value());
                    EXPECT_EQ((*key)->secret, "kept");
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, RefusesNewerSchema) {
  OpenStore().reset();
  RawExec("UPDATE swasd_meta SET value = '99' WHERE key = 'schema_version'");
  auto store = SqliteStore::Open(SqliteOptions{dir_.string()});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().message(),
            "data dir " + dir_.string() +
                " was written by a newer swasd (schema 99, this binary "
                "knows " +
                std::to_string(SqliteStore::kSchemaVersion) +
                "); refusing to open");
}

TEST_F(SqliteStoreTest, RefusesForeignDatabase) {
  fs::create_directories(dir_);
  RawExec("CREATE TABLE users (id INTEGER PRIMARY KEY)");
  auto store = SqliteStore::Open(SqliteOptions{dir_.string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message().find("not swasd's"), std::string::npos)
      << store.error().message();
  EXPECT_NE(store.error().message().find("refusing to open"),
            std::string::npos);
}

TEST_F(SqliteStoreTest, RefusesOtherFormat) {
  OpenStore().reset();
  RawExec("UPDATE swasd_meta SET value = 'other' WHERE key = 'format'");
  auto store = SqliteStore::Open(SqliteOptions{dir_.string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message().find("format 'other'"), std::string::npos)
      << store.error().message();

  RawExec("DELETE FROM swasd_meta WHERE key = 'format'");
  store = SqliteStore::Open(SqliteOptions{dir_.string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message().find("no format marker"), std::string::npos)
      << store.error().message();
}

TEST_F(SqliteStoreTest, RefusesFileThatIsNotADatabase) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "swasd.db") << std::string(4096, 'x');
  auto store = SqliteStore::Open(SqliteOptions{dir_.string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message().find("not a database"), std::string::npos)
      << store.error().message();
}

TEST_F(SqliteStoreTest, SecretsAreSealedAtRest) {
  const std::string secret = "Plaintext0Secret0Marker0XYZ123";
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Write([&](Tx& tx) -> Status {
                    SWASD_RETURN_IF_ERROR(
                        tx.InsertAccount(MakeAccount("1000000000000001")));
                    return tx.InsertAccessKey(
                        MakeKey("LTAIsealed", "1000000000000001", secret));
                  })
                  .ok());
  auto no_secret_on_disk = [&] {
    for (const char* name : {"swasd.db", "swasd.db-wal"}) {
      if (!fs::exists(dir_ / name)) continue;
      const std::string bytes = ReadFile(dir_ / name);
      EXPECT_EQ(bytes.find(secret), std::string::npos) << name;
      // The id is stored in the clear, so the scan does see key rows.
      if (std::string(name) == "swasd.db-wal") {
        EXPECT_NE(bytes.find("LTAIsealed"), std::string::npos);
      }
    }
  };
  no_secret_on_disk();
  store.reset();  // checkpoints the WAL into swasd.db
  no_secret_on_disk();
  EXPECT_NE(ReadFile(dir_ / "swasd.db").find("LTAIsealed"), std::string::npos);
}

TEST_F(SqliteStoreTest, RefusesMissingOrWrongMasterKey) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Write([](Tx& tx) -> Status {
                      SWASD_RETURN_IF_ERROR(
                          tx.InsertAccount(MakeAccount("1000000000000001")));
                      return tx.InsertAccessKey(
                          MakeKey("LTAIk", "1000000000000001"));
                    })
                    .ok());
  }
  const std::string good = ReadFile(dir_ / "master.key");
  fs::remove(dir_ / "master.key");
  auto store = SqliteStore::Open(SqliteOptions{dir_.string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message().find("master.key is missing"),
            std::string::npos)
      << store.error().message();
  EXPECT_FALSE(fs::exists(dir_ / "master.key"));  // not silently replaced

  std::ofstream(dir_ / "master.key", std::ios::binary)
      << std::string(32, '\x42');
  store = SqliteStore::Open(SqliteOptions{dir_.string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message().find("does not open"), std::string::npos)
      << store.error().message();

  std::ofstream(dir_ / "master.key", std::ios::binary) << "short";
  store = SqliteStore::Open(SqliteOptions{dir_.string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message().find("expected 32 bytes"),
            std::string::npos)
      << store.error().message();

  std::ofstream(dir_ / "master.key", std::ios::binary) << good;
  EXPECT_NE(OpenStore(), nullptr);
}

TEST_F(SqliteStoreTest, NewMasterKeyWhenNoSecretsStored) {
  OpenStore().reset();
  const std::string first = ReadFile(dir_ / "master.key");
  fs::remove(dir_ / "master.key");
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_NE(ReadFile(dir_ / "master.key"), first);
}

TEST_F(SqliteStoreTest, ConcurrentOpenersAgree) {
  // Racing first opens (swasd and swasctl starting together) must migrate
  // once and end up sharing one master key.
  std::vector<std::unique_ptr<SqliteStore>> stores(4);
  std::vector<std::thread> threads;
  for (auto& s : stores) {
    threads.emplace_back([&] {
      auto opened = SqliteStore::Open(SqliteOptions{dir_.string()});
      ASSERT_TRUE(opened.ok()) << opened.error().message();
      s = std::move(*opened);
    });
  }
  for (auto& t : threads) t.join();
  for (auto& s : stores) ASSERT_NE(s, nullptr);
  ASSERT_TRUE(stores[0]
                  ->Write([](Tx& tx) -> Status {
                    SWASD_RETURN_IF_ERROR(
                        tx.InsertAccount(MakeAccount("1000000000000001")));
                    return tx.InsertAccessKey(
                        MakeKey("LTAIk", "1000000000000001", "shared"));
                  })
                  .ok());
  for (auto& s : stores) {
    ASSERT_TRUE(s->Read([](Tx& tx) -> Status {
                   EXPECT_EQ((*tx.GetAccessKey("LTAIk"))->secret, "shared");
                   return Status::Ok();
                 }).ok());
  }
}

// Increments a counter kept in an idempotency record: a read-modify-write
// that loses updates unless Writes serialize.
Status Increment(Store& store) {
  return store.Write([](Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(auto rec, tx.GetIdempotency("acct", "count", "c"));
    IdempotencyRecord next{"acct", "count", "c", "", 200, "0", 0};
    if (rec)
      next.response = std::to_string(std::stoi(rec->response) + 1);
    else
      next.response = "1";
    return tx.PutIdempotency(next);
  });
}

// 8 threads incrementing one counter through `a` and `b` (two instances,
// or one twice) while a reader reads through `a`: every increment lands,
// no Read fails or sees a torn count.
void ExpectConcurrentIncrementsLand(Store& a, Store& b) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    Store& store = i % 2 == 0 ? a : b;
    threads.emplace_back([&store] {
      for (int j = 0; j < kPerThread; ++j) {
        Status s = Increment(store);
        ASSERT_TRUE(s.ok()) << s.error().internal_cause();
      }
    });
  }
  // Readers run beside the writers and never see a torn count.
  threads.emplace_back([&] {
    for (int j = 0; j < 100; ++j) {
      Status s = a.Read([](Tx& tx) -> Status {
        SWASD_ASSIGN_OR_RETURN(auto rec, tx.GetIdempotency("acct", "count", "c"));
        if (rec) {
          EXPECT_LE(std::stoi(rec->response), kThreads * kPerThread);
        }
        return Status::Ok();
      });
      ASSERT_TRUE(s.ok()) << s.error().internal_cause();
    }
  });
  for (auto& t : threads) t.join();
  ASSERT_TRUE(b.Read([](Tx& tx) -> Status {
                 EXPECT_EQ((*tx.GetIdempotency("acct", "count", "c"))->response,
                           std::to_string(kThreads * kPerThread));
                 return Status::Ok();
               }).ok());
}

TEST_F(SqliteStoreTest, ConcurrentWritesAllLand) {
  auto a = OpenStore();
  auto b = OpenStore();  // a second process, as swasctl beside swasd
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ExpectConcurrentIncrementsLand(*a, *b);
}

TEST_F(SqliteStoreTest, SecondInstanceSeesWritesAtOnce) {
  auto server = OpenStore();
  auto ctl = OpenStore();
  ASSERT_NE(server, nullptr);
  ASSERT_NE(ctl, nullptr);
  // Warm the reader connections so their cached state is tested too.
  ASSERT_TRUE(server
                  ->Read([](Tx& tx) {
                    return tx.ListAccounts().ok()
                               ? Status::Ok()
                               : Status(errors::kInternalError);
                  })
                  .ok());
  for (int i = 1; i <= 5; ++i) {
    const std::string id = "100000000000000" + std::to_string(i);
    Store& writer = i % 2 ? static_cast<Store&>(*ctl) : *server;
    Store& reader = i % 2 ? static_cast<Store&>(*server) : *ctl;
    ASSERT_TRUE(
        writer.Write([&](Tx& tx) { return tx.InsertAccount(MakeAccount(id)); })
            .ok());
    ASSERT_TRUE(reader
                    .Read([&](Tx& tx) -> Status {
                      EXPECT_TRUE(tx.GetAccount(id)->has_value()) << id;
                      EXPECT_EQ(tx.ListAccounts()->size(),
                                static_cast<size_t>(i));
                      return Status::Ok();
                    })
                    .ok());
  }
}

TEST_F(SqliteStoreTest, LockedDatabaseIsServiceUnavailable) {
  SqliteOptions options{dir_.string()};
  options.busy_timeout_ms = 100;
  auto opened = SqliteStore::Open(options);
  ASSERT_TRUE(opened.ok());
  auto store = std::move(*opened);

  // Another process holds the write lock for longer than the timeout.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "swasd.db").c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  Status s = store->Write(
      [](Tx& tx) { return tx.InsertAccount(MakeAccount("1000000000000001")); });
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().Is(errors::kServiceUnavailable))
      << s.error().code() << " " << s.error().internal_cause();
  // Reads are not blocked by a writer in WAL mode.
  EXPECT_TRUE(store
                  ->Read([](Tx& tx) -> Status {
                    return tx.ListAccounts().ok()
                               ? Status::Ok()
                               : Status(errors::kInternalError);
                  })
                  .ok());
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE(store
                  ->Write([](Tx& tx) {
                    return tx.InsertAccount(MakeAccount("1000000000000001"));
                  })
                  .ok());
}

// --ephemeral's store: memory only.
std::unique_ptr<SqliteStore> OpenInMemory() {
  auto store = SqliteStore::Open({.in_memory = true});
  EXPECT_TRUE(store.ok()) << store.error().message();
  return store.ok() ? std::move(*store) : nullptr;
}

TEST_F(SqliteStoreTest, InMemoryWritesNoFileAndKeepsNothing) {
  const fs::path cwd = fs::current_path();
  fs::current_path(root_);  // where a relative file would land
  // Where SQLite would put temporary files (statement journals, temp
  // tables): a directory of this test's own, since other tests running at
  // the same time make files in the shared temporary directory.
  const fs::path tmp = root_.parent_path() / (root_.filename().string() + "-sqlite-tmp");
  fs::create_directories(tmp);
  const char* old_tmp = std::getenv("SQLITE_TMPDIR");
  const std::string saved = old_tmp != nullptr ? old_tmp : "";
  ::setenv("SQLITE_TMPDIR", tmp.c_str(), 1);
  {
    auto store = OpenInMemory();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->Backend(), "sqlite-memory");
    EXPECT_FALSE(store->Durable());
    ASSERT_TRUE(store->Write([](Tx& tx) -> Status {
                       SWASD_RETURN_IF_ERROR(tx.InsertAccount({"acct", "a", 0}));
                       // Sealed under the in-memory master key.
                       return tx.InsertAccessKey({"LTAIx", "secret", "acct"});
                     }).ok());
    ASSERT_TRUE(store->Read([](Tx& tx) -> Status {
                       EXPECT_EQ((*tx.GetAccessKey("LTAIx"))->secret, "secret");
                       return Status::Ok();
                     }).ok());
    EXPECT_TRUE(fs::is_empty(root_));
  }
  if (old_tmp != nullptr) {
    ::setenv("SQLITE_TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("SQLITE_TMPDIR");
  }
  fs::current_path(cwd);
  EXPECT_TRUE(fs::is_empty(tmp));
  fs::remove_all(tmp);
  EXPECT_FALSE(fs::exists("/swasd-memory-" + std::to_string(::getpid()) + "-0"));
  // A new store starts empty: nothing survived the first.
  auto again = OpenInMemory();
  ASSERT_NE(again, nullptr);
  ASSERT_TRUE(again->Read([](Tx& tx) -> Status {
                     EXPECT_TRUE(tx.ListAccounts()->empty());
                     return Status::Ok();
                   }).ok());
}

TEST_F(SqliteStoreTest, InMemoryStoresAreSeparate) {
  auto a = OpenInMemory();
  auto b = OpenInMemory();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(a->Write([](Tx& tx) { return tx.InsertAccount({"acct", "a", 0}); }).ok());
  ASSERT_TRUE(b->Read([](Tx& tx) -> Status {
                 EXPECT_TRUE(tx.ListAccounts()->empty());
                 return Status::Ok();
               }).ok());
}

// Readers and the writer take turns: no busy error, no torn count.
TEST_F(SqliteStoreTest, InMemoryReadersAndWriterTakeTurns) {
  auto store = OpenInMemory();
  ASSERT_NE(store, nullptr);
  ExpectConcurrentIncrementsLand(*store, *store);
}

TEST_F(SqliteStoreTest, InMemoryRefusesWhatWouldDeadlock) {
  auto store = OpenInMemory();
  ASSERT_NE(store, nullptr);
  // A Read nested in a Read has the turn already.
  ASSERT_TRUE(store->Read([&](Tx&) { return store->Read([](Tx&) { return Status::Ok(); }); })
                  .ok());
  // A Write waited for inside a Read, and a Read inside a Write, would wait
  // for each other: an error instead.
  Status w = store->Read([&](Tx&) { return store->Write([](Tx&) { return Status::Ok(); }); });
  ASSERT_FALSE(w.ok());
  EXPECT_TRUE(w.error().Is(errors::kInternalError));
  Status r = store->Write([&](Tx&) { return store->Read([](Tx&) { return Status::Ok(); }); });
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().Is(errors::kInternalError));
  // The store still works.
  EXPECT_TRUE(store->Write([](Tx& tx) { return tx.InsertAccount({"acct", "a", 0}); }).ok());
}

}  // namespace
}  // namespace swasd::store
