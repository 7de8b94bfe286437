// Runs the built swasctl binary against a temporary data dir, beside an
// open store standing in for a running swasd.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace swasd {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Outcome {
  int exit_code;
  std::string out;
  std::string err;
};

class SwasctlTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "swasctl-XXXXXX");
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    dir_ = root_ / "data";
  }
  void TearDown() override { fs::remove_all(root_); }

  // Runs `swasctl ARGS` (through the shell, so ARGS may set env first).
  Outcome Swasctl(const std::string& args, const std::string& env = "") {
    const fs::path err_file = root_ / "stderr";
    const std::string cmd =
        env + " " + SWASCTL_PATH + " " + args + " 2>" + err_file.string();
    FILE* p = ::popen(cmd.c_str(), "r");
    EXPECT_NE(p, nullptr);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = ::pclose(p);
    std::ifstream in(err_file);
    return Outcome{WEXITSTATUS(status), out,
                   std::string(std::istreambuf_iterator<char>(in), {})};
  }
  Outcome Ctl(const std::string& args) {
    return Swasctl("--data-dir " + dir_.string() + " " + args);
  }

  fs::path root_;
  fs::path dir_;
};

TEST_F(SwasctlTest, AccountAndAccessKeyLifecycle) {
  Outcome r = Ctl("account create --name ops");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  const json created = json::parse(r.out);
  ASSERT_EQ(created.size(), 3u);
  const std::string account_id = created["AccountId"];
  const std::string key_id = created["AccessKeyId"];
  EXPECT_EQ(account_id.size(), 16u);
  EXPECT_EQ(key_id.substr(0, 4), "LTAI");
  EXPECT_EQ(created["AccessKeySecret"].get<std::string>().size(), 30u);

  r = Ctl("account list");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json list = json::parse(r.out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["AccountId"], account_id);
  EXPECT_EQ(list[0]["Name"], "ops");
  EXPECT_TRUE(list[0]["CreatedAt"].get<std::string>().ends_with("Z"));

  r = Ctl("accesskey create --account-id " + account_id);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json second = json::parse(r.out);
  EXPECT_EQ(second["AccountId"], account_id);
  EXPECT_NE(second["AccessKeyId"], key_id);

  r = Ctl("accesskey disable --id " + key_id);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Ctl("accesskey list --account-id " + account_id);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find(created["AccessKeySecret"].get<std::string>()),
            std::string::npos);
  list = json::parse(r.out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["AccessKeyId"], key_id);
  EXPECT_EQ(list[0]["Status"], "Inactive");
  EXPECT_EQ(list[1]["Status"], "Active");
  EXPECT_FALSE(list[0].contains("AccessKeySecret"));

  ASSERT_EQ(Ctl("accesskey enable --id " + key_id).exit_code, 0);
  list = json::parse(Ctl("accesskey list --account-id " + account_id).out);
  EXPECT_EQ(list[0]["Status"], "Active");
}

TEST_F(SwasctlTest, WorksBesideARunningServer) {
  auto server = store::SqliteStore::Open(store::SqliteOptions{dir_.string()});
  ASSERT_TRUE(server.ok()) << server.error().message();
  Outcome r = Ctl("account create --name tenant");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json created = json::parse(r.out);
  ASSERT_TRUE((*server)
                  ->Read([&](store::Tx& tx) -> Status {
                    auto key = tx.GetAccessKey(
                        created["AccessKeyId"].get<std::string>());
                    EXPECT_TRUE(key.ok() && key->has_value());
                    EXPECT_EQ((*key)->secret, created["AccessKeySecret"]);
                    EXPECT_EQ((*key)->account_id, created["AccountId"]);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(SwasctlTest, DataDirFromEnvironmentAndMigrate) {
  Outcome r = Swasctl("migrate", "SWASD_DATA_DIR=" + dir_.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["SchemaVersion"],
            store::SqliteStore::kSchemaVersion);
  EXPECT_TRUE(fs::exists(dir_ / "swasd.db"));
}

TEST_F(SwasctlTest, Errors) {
  Outcome r = Swasctl("account list", "SWASD_DATA_DIR=");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--data-dir"), std::string::npos) << r.err;

  r = Ctl("account create --name 'bad name'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("Name"), std::string::npos) << r.err;

  r = Ctl("accesskey disable --id LTAInope");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;

  r = Ctl("accesskey list --account-id 1234567890123456");
  EXPECT_EQ(r.exit_code, 1);

  r = Ctl("account create");  // --name missing
  EXPECT_EQ(r.exit_code, 2);

  // A refused data dir explains itself.
  fs::create_directories(dir_);
  std::ofstream(dir_ / "swasd.db") << std::string(4096, 'x');
  r = Ctl("account list");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not a database"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace swasd
