// For tests: a GoogleTest fixture with a real SQLite store in a fresh
// temporary directory, removed after each test, with helpers to add
// accounts and to run a Result-returning function in one transaction. Header-only; include it
// from a swasd_test linked with swasd_store_sqlite.
#ifndef SWASD_STORE_SQLITE_TEST_STORE_H_
#define SWASD_STORE_SQLITE_TEST_STORE_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace swasd::store {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/swasd-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto s = SqliteStore::Open({.data_dir = dir_});
    ASSERT_TRUE(s.ok()) << s.error().message();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Inserts accounts, each named after its id.
  void AddAccounts(std::initializer_list<const char*> ids) {
    for (const char* id : ids) {
      ASSERT_TRUE(store_->Write([&](Tx& tx) { return tx.InsertAccount({id, id, 0}); }).ok());
    }
  }

  // Runs fn(tx) -> Result<T> in one write transaction (rolled back when it
  // fails) and returns its result, or the store's error.
  template <typename F>
  auto Call(F fn) -> decltype(fn(std::declval<Tx&>())) {
    std::optional<decltype(fn(std::declval<Tx&>()))> out;
    Status s = store_->Write([&](Tx& tx) -> Status {
      out.emplace(fn(tx));
      if (!out->ok()) return Error(out->error());
      return Status::Ok();
    });
    if (!s.ok() && !out) return s.error();
    return std::move(*out);
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace swasd::store

#endif  // SWASD_STORE_SQLITE_TEST_STORE_H_
