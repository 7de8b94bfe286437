// CountResources reads counts maintained by triggers (migration 4) when the
// query filters only by kind, account, region and flag. They must equal a
// real count after any mix of inserts, upserts, flag and region changes,
// deletes and rolled-back writes, and be rebuilt for a database migrated
// from before they existed.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "base/errors.h"
#include "store/sqlite/sqlite_store.h"

namespace swasd::store {
namespace {

namespace fs = std::filesystem;

class ResourceCountsTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "swasd-counts-XXXXXX");
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<SqliteStore> Open() {
    auto s = SqliteStore::Open(SqliteOptions{(root_ / "data").string()});
    EXPECT_TRUE(s.ok()) << s.error().message();
    return s.ok() ? std::move(*s) : nullptr;
  }

  void RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((root_ / "data" / "swasd.db").c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  static Resource Make(const std::string& kind, const std::string& id,
                       const std::string& account, const std::string& region,
                       int64_t flag) {
    Resource r;
    r.kind = kind;
    r.id = id;
    r.account_id = account;
    r.region_id = region;
    r.name = "n-" + id;
    r.flag = flag;
    r.created_at = 1;
    r.doc = "{}";
    return r;
  }

  // Every (kind, account, [region], [flag]) combination: the maintained
  // count equals the number of rows listed.
  void ExpectCountsExact(Store& store) {
    ASSERT_TRUE(store
                    .Read([&](Tx& tx) -> Status {
                      for (const char* kind : {"k.a", "k.b"}) {
                        for (const char* acct : {"acct1", "acct2"}) {
                          for (int region = -1; region < 3; ++region) {
                            for (int flag = -1; flag < 2; ++flag) {
                              ResourceQuery q;
                              q.kind = kind;
                              q.account_id = acct;
                              if (region >= 0) q.region_id = "r" + std::to_string(region);
                              if (flag >= 0) q.flag = flag;
                              auto n = tx.CountResources(q);
                              auto rows = tx.ListResources(q);
                              EXPECT_TRUE(n.ok() && rows.ok());
                              EXPECT_EQ(*n, static_cast<int64_t>(rows->size()))
                                  << kind << " " << acct << " r" << region << " f" << flag;
                            }
                          }
                        }
                      }
                      return Status::Ok();
                    })
                    .ok());
  }

  fs::path root_;
};

TEST_F(ResourceCountsTest, MatchRealCountsUnderRandomChanges) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  for (int round = 0; round < 40; ++round) {
    const bool fail = round % 7 == 3;  // this Write rolls back
    Status s = store->Write([&](Tx& tx) -> Status {
      for (int op = 0; op < 25; ++op) {
        const std::string kind = pick(2) ? "k.a" : "k.b";
        const std::string id = "id" + std::to_string(pick(60));
        const std::string acct = pick(2) ? "acct1" : "acct2";
        const std::string region = "r" + std::to_string(pick(3));
        switch (pick(4)) {
          case 0:
          case 1: {
            // Insert, or replace (flag/region may change); refused when the
            // id belongs to the other account.
            Status put = tx.PutResource(Make(kind, id, acct, region, pick(2)));
            if (!put.ok()) {
              EXPECT_TRUE(put.error().Is(errors::kInternalError));
            }
            break;
          }
          case 2:
            SWASD_RETURN_IF_ERROR(tx.DeleteResource(kind, acct, id));
            break;
          case 3: {
            ResourceQuery q;
            q.kind = kind;
            q.account_id = acct;
            SWASD_ASSIGN_OR_RETURN(int64_t n, tx.CountResources(q));
            SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
            EXPECT_EQ(n, static_cast<int64_t>(rows.size()));  // inside the tx too
            break;
          }
        }
      }
      if (fail) return errors::InvalidParam("X", "roll back");
      return Status::Ok();
    });
    EXPECT_EQ(s.ok(), !fail);
    ExpectCountsExact(*store);
  }
}

TEST_F(ResourceCountsTest, RebuiltWhenMigratingOlderDatabase) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Write([&](Tx& tx) -> Status {
                      for (int i = 0; i < 30; ++i) {
                        SWASD_RETURN_IF_ERROR(tx.PutResource(
                            Make(i % 2 ? "k.a" : "k.b", "id" + std::to_string(i),
                                 i % 3 ? "acct1" : "acct2",
                                 "r" + std::to_string(i % 3), i % 5 == 0)));
                      }
                      return Status::Ok();
                    })
                    .ok());
  }
  // Turn the database back into a schema-3 one that holds resources but
  // no counts, as a binary from before migration 4 left it.
  RawExec(
      "DROP TRIGGER resources_count_insert; DROP TRIGGER resources_count_delete;"
      "DROP TRIGGER resources_count_update; DROP TABLE resource_counts;"
      "UPDATE swasd_meta SET value = '3' WHERE key = 'schema_version';");
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ExpectCountsExact(*store);
}

}  // namespace
}  // namespace swasd::store
