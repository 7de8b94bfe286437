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
  AdminHandler admin(store_.get(), {.version = "1.2.3"});
  auto r = admin.Handle(Req("GET", "/healthz"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"Status\":\"OK\",\"Backend\":\"sqlite\",\"Durable\":true,"
                     "\"Version\":\"1.2.3\"}");
  EXPECT_FALSE(admin.Handle(Req("POST", "/healthz")));
}

TEST_F(AdminHandlerTest, HealthzSaysAnInMemoryStoreIsNotDurable) {
  auto memory = store::SqliteStore::Open({.in_memory = true});
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  AdminHandler admin(memory->get(), {.version = "1.2.3"});
  auto r = admin.Handle(Req("GET", "/healthz"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"Status\":\"OK\",\"Backend\":\"sqlite-memory\",\"Durable\":false,"
                     "\"Version\":\"1.2.3\"}");
}

TEST_F(AdminHandlerTest, TestClockOnlyWithTheFlag) {
  AdminHandler off(store_.get(), {});
  EXPECT_FALSE(off.Handle(Req("POST", "/_test/clock/advance?seconds=5")));
  EXPECT_EQ(clock_.offset_ms(), 0);

  AdminHandler on(store_.get(), {.test_clock = &clock_});
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

TEST_F(AdminHandlerTest, MetricsToLoopbackUnlessPublic) {
  AdminHandler none(store_.get(), {});
  EXPECT_FALSE(none.Handle(Req("GET", "/metrics")));

  auto render = [] { return std::string("swasd_x 1\n"); };
  AdminHandler local(store_.get(), {.metrics = render});
  auto req = Req("GET", "/metrics");
  for (const char* ip : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"}) {
    req.remote_ip = ip;
    auto r = local.Handle(req);
    ASSERT_TRUE(r) << ip;
    EXPECT_EQ(r->status, 200) << ip;
    EXPECT_EQ(r->body, "swasd_x 1\n");
    EXPECT_EQ(r->content_type, "text/plain; version=0.0.4; charset=utf-8");
  }
  for (const char* ip : {"10.0.0.1", "::ffff:10.0.0.1", "2001:db8::1", ""}) {
    req.remote_ip = ip;
    auto r = local.Handle(req);
    ASSERT_TRUE(r) << ip;
    EXPECT_EQ(r->status, 403) << ip;
  }
  EXPECT_FALSE(local.Handle(Req("POST", "/metrics")));

  AdminHandler open(store_.get(), {.metrics = render, .metrics_public = true});
  req.remote_ip = "10.0.0.1";
  auto r = open.Handle(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(AdminHandlerTest, EverythingElseIsTheApis) {
  AdminHandler admin(store_.get(), {.test_clock = &clock_});
  EXPECT_FALSE(admin.Handle(Req("GET", "/?Action=DescribeRegions")));
  EXPECT_FALSE(admin.Handle(Req("POST", "/")));
}

}  // namespace
}  // namespace swasd::server
