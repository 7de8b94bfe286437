// Token buckets (gateway/throttle.h) on a moved clock, and fault rules
// (gateway/faults.h) with a fixed draw.
#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/errors.h"
#include "gateway/faults.h"
#include "gateway/throttle.h"

namespace swasd::gateway {
namespace {

using namespace std::chrono_literals;

// Time moves only when the test says so.
class ManualClock final : public Clock {
 public:
  TimePoint Now() const override { return now_; }
  void Advance(std::chrono::milliseconds d) { now_ += d; }

 private:
  TimePoint now_ = TimePoint(std::chrono::seconds(1700000000));
};

TEST(ThrottleTest, ParsesRules) {
  auto r = Throttle::ParseRule("ModifyImageShareStatus=5/s,burst=10");
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->first, "ModifyImageShareStatus");
  EXPECT_DOUBLE_EQ(r->second.per_second, 5);
  EXPECT_DOUBLE_EQ(r->second.burst, 10);
  r = Throttle::ParseRule("*=30/m");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, "*");
  EXPECT_DOUBLE_EQ(r->second.per_second, 0.5);
  EXPECT_DOUBLE_EQ(r->second.burst, 1);  // at least one call
  EXPECT_DOUBLE_EQ(Throttle::ParseRule("X=20/s")->second.burst, 20);
  EXPECT_DOUBLE_EQ(Throttle::ParseRule("X=0.5/s")->second.per_second, 0.5);
  for (const char* bad : {"", "X", "=5/s", "X=5", "X=5/h", "X=0/s", "X=-1/s", "X=a/s",
                          "X=5/s,burst=0", "X=5/s,burst=", "X=5/s,size=3", "X=5/s,burst=2x"}) {
    EXPECT_FALSE(Throttle::ParseRule(bad).ok()) << bad;
  }
}

TEST(ThrottleTest, OffWithoutRules) {
  ManualClock clock;
  Throttle t(&clock);
  EXPECT_FALSE(t.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(t.Admit("1", "X").ok());
}

TEST(ThrottleTest, BurstThenRefillPerAccountAndAction) {
  ManualClock clock;
  Throttle t(&clock);
  ASSERT_TRUE(t.Configure({"Share=2/s,burst=3", "*=1/m"}).ok());
  EXPECT_TRUE(t.enabled());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(t.Admit("a", "Share").ok()) << i;
  Status refused = t.Admit("a", "Share");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), "Throttling.User");
  EXPECT_EQ(refused.error().http_status(), 400);
  EXPECT_EQ(refused.error().message(), "Request was denied due to user flow control.");
  // Another account, another action: their own buckets.
  EXPECT_TRUE(t.Admit("b", "Share").ok());
  EXPECT_TRUE(t.Admit("a", "Other").ok());
  EXPECT_FALSE(t.Admit("a", "Other").ok());  // the default: one a minute
  // 2/s: half a second gives one token back, not two.
  clock.Advance(500ms);
  EXPECT_TRUE(t.Admit("a", "Share").ok());
  EXPECT_FALSE(t.Admit("a", "Share").ok());
  // A long pause refills to the burst, no further.
  clock.Advance(1h);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(t.Admit("a", "Share").ok()) << i;
  EXPECT_FALSE(t.Admit("a", "Share").ok());
  clock.Advance(60s);
  EXPECT_TRUE(t.Admit("a", "Other").ok());
}

TEST(FaultsTest, ParsesErrorLists) {
  auto e = FaultInjector::ParseErrors("InternalError=10,ServiceUnavailable=5");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, (std::vector<std::pair<std::string, int>>{{"InternalError", 10},
                                                          {"ServiceUnavailable", 5}}));
  for (const char* bad : {"", "InternalError", "InternalError=101", "InternalError=-1",
                          "NoSuchCode=5", "InternalError=60,ServiceUnavailable=50",
                          "InternalError=5x"}) {
    EXPECT_FALSE(FaultInjector::ParseErrors(bad).ok()) << bad;
  }
  EXPECT_EQ(FaultInjector::Known("ServiceUnavailable")->http_status, 503);
  EXPECT_EQ(FaultInjector::Known("Throttling.User")->http_status, 400);
}

TEST(FaultsTest, MatchesByProductActionAccountAndDraws) {
  int draw = 0;
  FaultInjector f([&] { return draw; });
  EXPECT_FALSE(f.Pick("swas-open", "ModifyImageShareStatus", "1").error.has_value());
  FaultRule r;
  r.product = "swas-open";
  r.action = "ModifyImageShareStatus";
  r.account = "1";
  r.errors = {{"InternalError", 10}, {"ServiceUnavailable", 5}};
  std::string id = f.Set(r);
  EXPECT_EQ(id.rfind("fr-", 0), 0u);
  draw = 0;
  EXPECT_EQ(f.Pick("swas-open", "ModifyImageShareStatus", "1").error->code(), "InternalError");
  draw = 9;
  EXPECT_EQ(f.Pick("swas-open", "ModifyImageShareStatus", "1").error->code(), "InternalError");
  draw = 10;
  EXPECT_EQ(f.Pick("swas-open", "ModifyImageShareStatus", "1").error->code(), "ServiceUnavailable");
  EXPECT_EQ(f.Pick("swas-open", "ModifyImageShareStatus", "1").error->http_status(), 503);
  draw = 15;
  EXPECT_FALSE(f.Pick("swas-open", "ModifyImageShareStatus", "1").error.has_value());
  draw = 0;
  EXPECT_FALSE(f.Pick("swas-open", "ModifyImageShareStatus", "2").error.has_value());
  EXPECT_FALSE(f.Pick("ecs", "ModifyImageShareStatus", "1").error.has_value());
  EXPECT_FALSE(f.Pick("swas-open", "ListImages", "1").error.has_value());
  // Wildcards; replacing by id; deleting.
  r.id = id;
  r.account = "*";
  r.action = "*";
  r.errors = {{"Throttling.User", 100}};
  EXPECT_EQ(f.Set(r), id);
  ASSERT_EQ(f.List().size(), 1u);
  draw = 99;
  EXPECT_EQ(f.Pick("swas-open", "ListImages", "2").error->code(), "Throttling.User");
  EXPECT_TRUE(f.Delete(id));
  EXPECT_FALSE(f.Delete(id));
  EXPECT_FALSE(f.Pick("swas-open", "ListImages", "2").error.has_value());
  EXPECT_TRUE(f.List().empty());
}

// A delay applies to every matching call, with or without an error drawn;
// a rule may be a delay alone.
TEST(FaultsTest, DelaysEveryMatchingCall) {
  int draw = 50;
  FaultInjector f([&] { return draw; });
  FaultRule r;
  r.action = "ListImages";
  r.delay_ms = 200;
  f.Set(r);
  Injection slow = f.Pick("swas-open", "ListImages", "1");
  EXPECT_FALSE(slow.error.has_value());
  EXPECT_EQ(slow.delay, std::chrono::milliseconds(200));
  EXPECT_EQ(f.Pick("swas-open", "ListRegions", "1").delay, std::chrono::milliseconds(0));
  r.action = "ModifyImageShareStatus";
  r.errors = {{"InternalError", 10}};
  f.Set(r);
  draw = 5;
  Injection both = f.Pick("swas-open", "ModifyImageShareStatus", "1");
  EXPECT_EQ(both.error->code(), "InternalError");
  EXPECT_EQ(both.delay, std::chrono::milliseconds(200));
  draw = 50;
  EXPECT_FALSE(f.Pick("swas-open", "ModifyImageShareStatus", "1").error.has_value());
  EXPECT_EQ(f.Pick("swas-open", "ModifyImageShareStatus", "1").delay, std::chrono::milliseconds(200));
}

}  // namespace
}  // namespace swasd::gateway
