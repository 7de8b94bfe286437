// Metrics: the series move with the calls, stores report commits, and the
// resource counts come from the store (a real SQLite one).
#include "server/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/test_store.h"

namespace swasd::server {
namespace {

using namespace std::chrono_literals;

gateway::CallRecord Call(std::string action, std::string code, bool known = true) {
  gateway::CallRecord c;
  c.product = "SWAS-OPEN";
  c.version = "2020-06-01";
  c.action = std::move(action);
  c.known_operation = known;
  c.code = std::move(code);
  c.nonce_claimed = true;
  return c;
}

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(MetricsTest, CountsCallsByProductActionAndCode) {
  Metrics m("1.2.3", "sqlite");
  m.ObserveCall(Call("ListRegions", ""), 2ms);
  m.ObserveCall(Call("ListRegions", ""), 20ms);
  m.ObserveCall(Call("ListInstances", "Forbidden.RAM"), 1ms);
  // An action the API model does not know is not a label of its own.
  m.ObserveCall(Call("Nope\"\n", "InvalidAction.NotFound", false), 1ms);
  std::string t = m.Render({});
  EXPECT_TRUE(Has(t, "swasd_build_info{version=\"1.2.3\",backend=\"sqlite\"} 1")) << t;
  EXPECT_TRUE(Has(t, "swasd_requests_total{product=\"SWAS-OPEN\",action=\"ListRegions\",code=\"OK\"} 2")) << t;
  EXPECT_TRUE(Has(t, "swasd_requests_total{product=\"SWAS-OPEN\",action=\"ListInstances\",code=\"Forbidden.RAM\"} 1")) << t;
  EXPECT_TRUE(Has(t, "swasd_requests_total{product=\"SWAS-OPEN\",action=\"\",code=\"InvalidAction.NotFound\"} 1")) << t;
  EXPECT_EQ(t.find("Nope"), std::string::npos);
  EXPECT_TRUE(Has(t, "swasd_request_duration_seconds_bucket{product=\"SWAS-OPEN\",action=\"ListRegions\",le=\"0.001\"} 0")) << t;
  EXPECT_TRUE(Has(t, "swasd_request_duration_seconds_bucket{product=\"SWAS-OPEN\",action=\"ListRegions\",le=\"0.0025\"} 1")) << t;
  EXPECT_TRUE(Has(t, "swasd_request_duration_seconds_bucket{product=\"SWAS-OPEN\",action=\"ListRegions\",le=\"0.025\"} 2")) << t;
  EXPECT_TRUE(Has(t, "swasd_request_duration_seconds_bucket{product=\"SWAS-OPEN\",action=\"ListRegions\",le=\"+Inf\"} 2")) << t;
  EXPECT_TRUE(Has(t, "swasd_request_duration_seconds_count{product=\"SWAS-OPEN\",action=\"ListRegions\"} 2")) << t;
  EXPECT_TRUE(Has(t, "swasd_request_duration_seconds_sum{product=\"SWAS-OPEN\",action=\"ListRegions\"} 0.022")) << t;
  EXPECT_TRUE(Has(t, "swasd_nonces_claimed_total 4")) << t;
}

TEST(MetricsTest, InFlightCommitsAndPurges) {
  Metrics m("1", "sqlite");
  m.RequestStarted();
  m.RequestStarted();
  m.RequestFinished();
  m.OnCommit(1, 2ms);
  m.OnCommit(3, 2ms);
  m.AddNoncesPurged(7);
  std::string t = m.Render({{"swas.image", 5}});
  EXPECT_TRUE(Has(t, "swasd_requests_in_flight 1")) << t;
  EXPECT_TRUE(Has(t, "swasd_store_commit_duration_seconds_count 2")) << t;
  EXPECT_TRUE(Has(t, "swasd_store_commit_group_size_bucket{le=\"1\"} 1")) << t;
  EXPECT_TRUE(Has(t, "swasd_store_commit_group_size_bucket{le=\"4\"} 2")) << t;
  EXPECT_TRUE(Has(t, "swasd_store_commit_group_size_sum 4")) << t;
  EXPECT_TRUE(Has(t, "swasd_nonces_purged_total 7")) << t;
  EXPECT_TRUE(Has(t, "swasd_resources{kind=\"swas.image\"} 5")) << t;
}

TEST(MetricsTest, ConcurrentCallsAllCount) {
  Metrics m("1", "sqlite");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 1000; ++i) m.ObserveCall(Call("ListRegions", ""), 1ms);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(Has(m.Render({}),
                  "swasd_requests_total{product=\"SWAS-OPEN\",action=\"ListRegions\",code=\"OK\"} 4000"));
}

class StoreMetricsTest : public store::SqliteStoreTest {};

struct CountingObserver : store::CommitObserver {
  void OnCommit(size_t writes, std::chrono::nanoseconds took) override {
    commits += 1;
    this->writes += writes;
    EXPECT_GE(took.count(), 0);
  }
  std::atomic<int> commits{0};
  std::atomic<size_t> writes{0};
};

TEST_F(StoreMetricsTest, SqliteReportsCommittedWritesOnly) {
  CountingObserver obs;
  store_->SetCommitObserver(&obs);
  AddAccounts({"1000000000000001"});
  EXPECT_EQ(obs.commits, 1);
  EXPECT_EQ(obs.writes, 1u);
  // A failed unit of work commits nothing.
  Status s = store_->Write([](store::Tx&) -> Status { return Error("X", 400, "x"); });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(obs.commits, 1);
  // Concurrent writers: every write is reported in some commit.
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([this] {
      for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(store_->Write([](store::Tx&) { return Status::Ok(); }).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(obs.writes, 81u);
  EXPECT_LE(obs.commits, 81);
  store_->SetCommitObserver(nullptr);
  AddAccounts({"1000000000000002"});
  EXPECT_EQ(obs.writes, 81u);
}

TEST_F(StoreMetricsTest, ResourceCountsOverAccountsCachedForMaxAge) {
  AddAccounts({"1000000000000001", "1000000000000002"});
  auto put = [this](const char* account, const char* id) {
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) {
      store::Resource r;
      r.kind = "swas.image";
      r.id = id;
      r.account_id = account;
      r.region_id = "cn-hangzhou";
      r.doc = "{}";
      return tx.PutResource(r);
    }).ok());
  };
  put("1000000000000001", "m-1");
  put("1000000000000002", "m-2");
  ResourceCounts fresh(store_.get(), {"swas.image", "swas.disk"}, 0ms);
  using Counts = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(fresh.Get(), (Counts{{"swas.image", 2}, {"swas.disk", 0}}));
  ResourceCounts cached(store_.get(), {"swas.image"}, std::chrono::hours(1));
  EXPECT_EQ(cached.Get(), (Counts{{"swas.image", 2}}));
  put("1000000000000001", "m-3");
  EXPECT_EQ(cached.Get(), (Counts{{"swas.image", 2}}));
  EXPECT_EQ(fresh.Get(), (Counts{{"swas.image", 3}, {"swas.disk", 0}}));
}

}  // namespace
}  // namespace swasd::server
