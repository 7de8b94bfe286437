// The admin endpoints against a real SQLite store in a temporary directory.
#include "server/admin_handler.h"

#include <gtest/gtest.h>

#include "store/sqlite/test_store.h"

namespace swasd::server {
namespace {

class AdminHandlerTest : public store::SqliteStoreTest {
 protected:
  static http::HttpRequest Req(std::string method, std::string target) {
    http::HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    return r;
  }

  OffsetClock clock_;
};

TEST_F(AdminHandlerTest, HealthzReportsTheStore) {
  AdminHandler admin(store_.get(), nullptr);
  auto r = admin.Handle(Req("GET", "/healthz"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"Status\":\"OK\",\"Backend\":\"" +
                         std::string(store_->Backend()) + "\"}");
  EXPECT_FALSE(admin.Handle(Req("POST", "/healthz")));
}

TEST_F(AdminHandlerTest, TestClockOnlyWithTheFlag) {
  AdminHandler off(store_.get(), nullptr);
  EXPECT_FALSE(off.Handle(Req("POST", "/_test/clock/advance?seconds=5")));
  EXPECT_EQ(clock_.offset_ms(), 0);

  AdminHandler on(store_.get(), &clock_);
  auto r = on.Handle(Req("POST", "/_test/clock/advance?seconds=5"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"OffsetMs\":5000}");
  EXPECT_EQ(clock_.offset_ms(), 5000);
  auto bad = on.Handle(Req("POST", "/_test/clock/advance?seconds=x"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_FALSE(on.Handle(Req("GET", "/_test/clock/advance?seconds=5")));
}

TEST_F(AdminHandlerTest, EverythingElseIsTheApis) {
  AdminHandler admin(store_.get(), &clock_);
  EXPECT_FALSE(admin.Handle(Req("GET", "/?Action=DescribeRegions")));
  EXPECT_FALSE(admin.Handle(Req("POST", "/")));
}

}  // namespace
}  // namespace swasd::server
