#include "store/accounts.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "base/errors.h"
#include "store/sqlite/sqlite_store.h"

namespace swasd::store {
namespace {

namespace fs = std::filesystem;

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

class AccountsTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "swasd-accounts-XXXXXX");
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = SqliteStore::Open(SqliteOptions{(dir_ / "data").string()});
    ASSERT_TRUE(store.ok()) << store.error().message();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::vector<Account> Accounts() {
    std::vector<Account> out;
    EXPECT_TRUE(store_
                    ->Read([&](Tx& tx) -> Status {
                      SWASD_ASSIGN_OR_RETURN(out, tx.ListAccounts());
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }
  std::vector<AccessKey> Keys(const std::string& account_id) {
    std::vector<AccessKey> out;
    EXPECT_TRUE(store_
                    ->Read([&](Tx& tx) -> Status {
                      SWASD_ASSIGN_OR_RETURN(out,
                                             tx.ListAccessKeys(account_id));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  fs::path dir_;
  SystemClock clock_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(AccountsTest, CreateAccountGeneratesAlibabaShapedIds) {
  auto created = CreateAccount(*store_, clock_, "team-a.prod_1");
  ASSERT_TRUE(created.ok()) << created.error().message();
  const Account& a = created->account;
  const AccessKey& k = created->key;
  EXPECT_EQ(a.account_id.size(), 16u);
  EXPECT_NE(a.account_id[0], '0');
  EXPECT_TRUE(AllOf(a.account_id, IsDigit));
  EXPECT_EQ(a.name, "team-a.prod_1");
  EXPECT_NEAR(a.created_at, clock_.NowUnixSeconds(), 5);
  EXPECT_EQ(k.access_key_id.size(), 24u);
  EXPECT_EQ(k.access_key_id.substr(0, 4), "LTAI");
  EXPECT_TRUE(AllOf(k.access_key_id, IsAlnum));
  EXPECT_EQ(k.secret.size(), 30u);
  EXPECT_TRUE(AllOf(k.secret, IsAlnum));
  EXPECT_EQ(k.account_id, a.account_id);
  EXPECT_EQ(k.principal_type, PrincipalType::kRoot);
  EXPECT_TRUE(k.active);

  auto keys = Keys(a.account_id);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].access_key_id, k.access_key_id);
  EXPECT_EQ(keys[0].secret, k.secret);
  ASSERT_EQ(Accounts().size(), 1u);
}

TEST_F(AccountsTest, CreateAccountValidates) {
  for (const std::string& bad : std::vector<std::string>{
           "", std::string(65, 'a'), "a b", "caf\xc3\xa9", "a/b"}) {
    auto r = CreateAccount(*store_, clock_, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().Is(errors::kInvalidParameter));
  }
  EXPECT_TRUE(CreateAccount(*store_, clock_, std::string(64, 'a')).ok());
  for (std::string bad :
       {"123", "0123456789012345", "12345678901234567", "123456789012345x"}) {
    auto r = CreateAccount(*store_, clock_, "n", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().Is(errors::kInvalidParameter));
  }
  auto r = CreateAccount(
      *store_, clock_, "n", std::nullopt,
      std::make_pair(std::string("AK"), std::string("has space")));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(Accounts().size(), 1u);
}

TEST_F(AccountsTest, CreateAccountWithFixedValuesIsAtomic) {
  auto r =
      CreateAccount(*store_, clock_, "a", "1234567890123456",
                    std::make_pair(std::string("AKfixed"), std::string("sk")));
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->account.account_id, "1234567890123456");
  EXPECT_EQ(r->key.access_key_id, "AKfixed");
  EXPECT_EQ(r->key.secret, "sk");

  // A taken account id fails...
  r = CreateAccount(*store_, clock_, "b", "1234567890123456");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("already exists"), std::string::npos);
  // ...and so does a taken key id, without leaving its account behind.
  r = CreateAccount(
      *store_, clock_, "c", "6543210987654321",
      std::make_pair(std::string("AKfixed"), std::string("other")));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("already exists"), std::string::npos);
  EXPECT_EQ(Accounts().size(), 1u);
}

TEST_F(AccountsTest, CreateAccessKey) {
  auto a = CreateAccount(*store_, clock_, "a");
  ASSERT_TRUE(a.ok());
  auto k = CreateAccessKey(*store_, clock_, a->account.account_id);
  ASSERT_TRUE(k.ok());
  EXPECT_NE(k->access_key_id, a->key.access_key_id);
  EXPECT_EQ(Keys(a->account.account_id).size(), 2u);

  auto missing = CreateAccessKey(*store_, clock_, "9999999999999999");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().Is(errors::kInvalidParameter));
}

TEST_F(AccountsTest, EnsureRootGeneratesKeyOnceAndWritesCredentials) {
  RootOptions options;
  options.credentials_file = (dir_ / "data" / "root-credentials").string();
  auto root = EnsureRootAccount(*store_, clock_, options);
  ASSERT_TRUE(root.ok()) << root.error().message();
  ASSERT_TRUE(root->generated_key.has_value());
  EXPECT_EQ(root->account.name, "root");

  struct stat st;
  ASSERT_EQ(::stat(options.credentials_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(options.credentials_file);
  auto creds = nlohmann::json::parse(in);
  EXPECT_EQ(creds["AccountId"], root->account.account_id);
  EXPECT_EQ(creds["AccessKeyId"], root->generated_key->access_key_id);
  EXPECT_EQ(creds["AccessKeySecret"], root->generated_key->secret);

  // A restart finds the root and generates nothing.
  auto again = EnsureRootAccount(*store_, clock_, options);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->generated_key.has_value());
  EXPECT_EQ(again->account.account_id, root->account.account_id);
  EXPECT_EQ(Accounts().size(), 1u);
  EXPECT_EQ(Keys(root->account.account_id).size(), 1u);
}

TEST_F(AccountsTest, EnsureRootUsesGivenKeyAndAccountId) {
  RootOptions options;
  options.account_id = "1111222233334444";
  options.access_key_id = "testAK";
  options.access_key_secret = "testSecret";
  options.credentials_file = (dir_ / "data" / "root-credentials").string();
  auto root = EnsureRootAccount(*store_, clock_, options);
  ASSERT_TRUE(root.ok()) << root.error().message();
  EXPECT_FALSE(root->generated_key.has_value());
  EXPECT_EQ(root->account.account_id, "1111222233334444");
  EXPECT_FALSE(fs::exists(options.credentials_file));
  auto keys = Keys("1111222233334444");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].access_key_id, "testAK");
  EXPECT_EQ(keys[0].secret, "testSecret");

  // Restarting with the same environment is a no-op.
  ASSERT_TRUE(EnsureRootAccount(*store_, clock_, options).ok());
  EXPECT_EQ(Keys("1111222233334444").size(), 1u);
}

TEST_F(AccountsTest, EnsureRootAddsEnvKeyToExistingRoot) {
  auto first = EnsureRootAccount(*store_, clock_, RootOptions{});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(CreateAccount(*store_, clock_, "tenant").ok());

  RootOptions options;
  options.access_key_id = "envAK";
  options.access_key_secret = "envSecret";
  auto root = EnsureRootAccount(*store_, clock_, options);
  ASSERT_TRUE(root.ok()) << root.error().message();
  EXPECT_EQ(root->account.account_id, first->account.account_id);
  EXPECT_FALSE(root->generated_key.has_value());
  auto keys = Keys(first->account.account_id);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[1].access_key_id, "envAK");
  EXPECT_EQ(keys[1].secret, "envSecret");
}

TEST_F(AccountsTest, EnsureRootRefusesConflicts) {
  auto first = EnsureRootAccount(*store_, clock_, RootOptions{});
  ASSERT_TRUE(first.ok());
  auto tenant = CreateAccount(*store_, clock_, "tenant");
  ASSERT_TRUE(tenant.ok());

  auto expect_refused = [&](RootOptions options, std::string_view want) {
    auto r = EnsureRootAccount(*store_, clock_, options);
    ASSERT_FALSE(r.ok()) << want;
    EXPECT_TRUE(r.error().Is(errors::kInvalidParameter));
    EXPECT_NE(r.error().message().find(want), std::string::npos)
        << r.error().message();
  };
  RootOptions o;
  o.access_key_id = first->generated_key->access_key_id;
  o.access_key_secret = "not-the-secret";
  expect_refused(o, "different secret");

  o.access_key_id = tenant->key.access_key_id;
  o.access_key_secret = tenant->key.secret;
  expect_refused(o, "another principal");

  o = RootOptions{};
  o.account_id = "9999888877776666";
  expect_refused(o,
                 "root account of this store is " + first->account.account_id);

  o = RootOptions{};
  o.access_key_id = "onlyTheId";
  expect_refused(o, "must be set together");

  o = RootOptions{};
  o.account_id = "42";
  expect_refused(o, "SWASD_ROOT_ACCOUNT_ID 42");
}

TEST_F(AccountsTest, EnsureRootCommitsNothingWhenCredentialsCannotBeWritten) {
  RootOptions options;
  options.credentials_file =
      (dir_ / "no-such-dir" / "root-credentials").string();
  auto root = EnsureRootAccount(*store_, clock_, options);
  ASSERT_FALSE(root.ok());
  EXPECT_NE(root.error().message().find("no-such-dir"), std::string::npos);
  EXPECT_TRUE(Accounts().empty());
}

TEST_F(AccountsTest, RootOptionsFromEnv) {
  ::setenv("SWASD_ROOT_ACCOUNT_ID", "1234567890123456", 1);
  ::setenv("SWASD_ROOT_ACCESS_KEY_ID", "AK", 1);
  ::setenv("SWASD_ROOT_ACCESS_KEY_SECRET", "", 1);  // empty counts as unset
  RootOptions o = RootOptionsFromEnv();
  ::unsetenv("SWASD_ROOT_ACCOUNT_ID");
  ::unsetenv("SWASD_ROOT_ACCESS_KEY_ID");
  ::unsetenv("SWASD_ROOT_ACCESS_KEY_SECRET");
  EXPECT_EQ(o.account_id, "1234567890123456");
  EXPECT_EQ(o.access_key_id, "AK");
  EXPECT_FALSE(o.access_key_secret.has_value());
  EXPECT_TRUE(o.credentials_file.empty());
}

}  // namespace
}  // namespace swasd::store
