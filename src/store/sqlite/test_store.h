// For tests: a GoogleTest fixture with a real SQLite store in a fresh
// temporary directory, removed after each test. Header-only; include it
// from a swasd_test linked with swasd_store_sqlite.
#ifndef SWASD_STORE_SQLITE_TEST_STORE_H_
#define SWASD_STORE_SQLITE_TEST_STORE_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
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

  std::string dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace swasd::store

#endif  // SWASD_STORE_SQLITE_TEST_STORE_H_
