// FaultyStore over a real SqliteStore: each fault does exactly what its
// name says to the wrapped store (rolled back, committed, not started), and
// the store works normally once the fault has passed.
#include "store/faulty/faulty_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "base/errors.h"
#include "store/sqlite/sqlite_store.h"

namespace swasd::store {
namespace {

class FaultyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/swasd-faulty-XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto s = SqliteStore::Open({.data_dir = dir_});
    ASSERT_TRUE(s.ok()) << s.error().message();
    sqlite_ = std::move(s).value();
    faulty_ = std::make_unique<FaultyStore>(sqlite_.get(), FaultSpec{});
  }
  void TearDown() override {
    faulty_.reset();
    sqlite_.reset();
    std::filesystem::remove_all(dir_);
  }

  Status Put(Store& s, const std::string& id) {
    return s.Write([&](Tx& tx) -> Status {
      Resource r;
      r.kind = "test.thing";
      r.id = id;
      r.account_id = "1000000000000001";
      r.region_id = "cn-hangzhou";
      r.doc = "{}";
      return tx.PutResource(r);
    });
  }
  // Whether `id` is in the real store (read around the wrapper).
  bool Exists(const std::string& id) {
    bool found = false;
    Status s = sqlite_->Read([&](Tx& tx) -> Status {
      auto r = tx.GetResource("test.thing", "1000000000000001", id);
      if (!r.ok()) return std::move(r).error();
      found = r->has_value();
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok());
    return found;
  }
  int64_t Count() {
    int64_t n = -1;
    EXPECT_TRUE(sqlite_->Read([&](Tx& tx) -> Status {
      ResourceQuery q;
      q.kind = "test.thing";
      q.account_id = "1000000000000001";
      auto c = tx.CountResources(q);
      if (!c.ok()) return std::move(c).error();
      n = *c;
      return Status::Ok();
    }).ok());
    return n;
  }

  std::string dir_;
  std::unique_ptr<SqliteStore> sqlite_;
  std::unique_ptr<FaultyStore> faulty_;
};

TEST(ParseFaultSpec, AcceptsEveryKnownFault) {
  auto s = ParseFaultSpec(
      "disk-full, fail-write-nth=3,fail-write-every=5,lose-ack-nth=2,"
      "lose-ack-every=7,unavailable,fail-read-nth=4,fail-read-every=9,"
      "fail-reads,latency-ms=10,write-latency-ms=20,fail-write-prob=0.25,"
      "seed=42,when-file=/tmp/x");
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_TRUE(s->disk_full);
  EXPECT_EQ(s->fail_write_nth, 3);
  EXPECT_EQ(s->fail_write_every, 5);
  EXPECT_EQ(s->lose_ack_nth, 2);
  EXPECT_EQ(s->lose_ack_every, 7);
  EXPECT_TRUE(s->writes_unavailable);
  EXPECT_EQ(s->fail_read_nth, 4);
  EXPECT_EQ(s->fail_read_every, 9);
  EXPECT_TRUE(s->fail_all_reads);
  EXPECT_EQ(s->read_latency.count(), 10);
  EXPECT_EQ(s->write_latency.count(), 20);
  EXPECT_DOUBLE_EQ(s->fail_write_probability, 0.25);
  EXPECT_EQ(s->seed, 42u);
  EXPECT_EQ(s->when_file, "/tmp/x");
  auto again = ParseFaultSpec(FormatFaultSpec(*s));
  ASSERT_TRUE(again.ok()) << FormatFaultSpec(*s);
  EXPECT_EQ(FormatFaultSpec(*again), FormatFaultSpec(*s));
}

TEST(ParseFaultSpec, EmptyAndNoneMeanNoFaults) {
  for (std::string_view s : {"", "none", ",", " , "}) {
    auto p = ParseFaultSpec(s);
    ASSERT_TRUE(p.ok()) << s;
    EXPECT_FALSE(p->any()) << s;
  }
  EXPECT_EQ(FormatFaultSpec(FaultSpec{}), "none");
}

TEST(ParseFaultSpec, RefusesBadInputNamingTheItem) {
  for (std::string_view s :
       {"explode", "fail-write-nth", "fail-write-nth=0", "fail-write-nth=-1",
        "fail-write-nth=x", "disk-full=1", "latency-ms=999999999",
        "fail-write-prob=1.5", "fail-write-prob=abc", "when-file=",
        "seed=-3", "fail-write-nth=99999999999999999999999"}) {
    auto p = ParseFaultSpec(s);
    ASSERT_FALSE(p.ok()) << s;
    EXPECT_EQ(p.error().code(), "InvalidParameter");
    EXPECT_NE(p.error().message().find("fault injection spec"), std::string::npos);
  }
}

TEST_F(FaultyStoreTest, NoFaultsIsTransparent) {
  ASSERT_TRUE(Put(*faulty_, "a").ok());
  EXPECT_TRUE(Exists("a"));
  EXPECT_EQ(faulty_->Backend(), "faulty(sqlite)");
  EXPECT_EQ(faulty_->counters().write_faults, 0);
}

TEST_F(FaultyStoreTest, FailedCommitRollsBackAndLaterWritesSucceed) {
  faulty_->SetSpec({.fail_write_nth = 2});
  ASSERT_TRUE(Put(*faulty_, "w1").ok());
  Status s = Put(*faulty_, "w2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), "InternalError");
  EXPECT_EQ(s.error().http_status(), 500);
  EXPECT_NE(s.error().internal_cause().find("fault injection"), std::string::npos);
  // The generic client-facing message never names the cause.
  EXPECT_EQ(s.error().message().find("fault"), std::string::npos);
  EXPECT_FALSE(Exists("w2")) << "a failed commit must leave nothing behind";
  ASSERT_TRUE(Put(*faulty_, "w3").ok());
  EXPECT_TRUE(Exists("w1"));
  EXPECT_TRUE(Exists("w3"));
  EXPECT_EQ(faulty_->counters().write_faults, 1);
}

TEST_F(FaultyStoreTest, FailEveryNth) {
  faulty_->SetSpec({.fail_write_every = 3});
  int failed = 0;
  for (int i = 1; i <= 9; ++i) {
    Status s = Put(*faulty_, "e" + std::to_string(i));
    EXPECT_EQ(s.ok(), i % 3 != 0) << i;
    failed += !s.ok();
    EXPECT_EQ(Exists("e" + std::to_string(i)), s.ok()) << i;
  }
  EXPECT_EQ(failed, 3);
}

TEST_F(FaultyStoreTest, DiskFullFailsEveryWriteButReadsWork) {
  ASSERT_TRUE(Put(*faulty_, "before").ok());
  faulty_->SetSpec({.disk_full = true});
  for (int i = 0; i < 5; ++i) {
    Status s = Put(*faulty_, "full" + std::to_string(i));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), "InternalError");
  }
  EXPECT_EQ(Count(), 1);
  bool read_ok = faulty_->Read([&](Tx& tx) -> Status {
    auto r = tx.GetResource("test.thing", "1000000000000001", "before");
    EXPECT_TRUE(r.ok() && r->has_value());
    return Status::Ok();
  }).ok();
  EXPECT_TRUE(read_ok);
  faulty_->SetSpec({});  // space freed
  ASSERT_TRUE(Put(*faulty_, "after").ok());
  EXPECT_EQ(Count(), 2);
}

TEST_F(FaultyStoreTest, UnavailableIsServiceUnavailableAndRunsNothing) {
  faulty_->SetSpec({.writes_unavailable = true});
  bool ran = false;
  Status s = faulty_->Write([&](Tx&) {
    ran = true;
    return Status::Ok();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), "ServiceUnavailable");
  EXPECT_EQ(s.error().http_status(), 503);
  EXPECT_FALSE(ran);
}

TEST_F(FaultyStoreTest, LostAckCommitsButReportsFailure) {
  faulty_->SetSpec({.lose_ack_nth = 1});
  Status s = Put(*faulty_, "ghost");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), "InternalError");
  EXPECT_TRUE(Exists("ghost")) << "a lost ack is a durable write";
  EXPECT_EQ(faulty_->counters().lost_acks, 1);
  ASSERT_TRUE(Put(*faulty_, "next").ok());
}

TEST_F(FaultyStoreTest, CallbackErrorsPassThroughUnchanged) {
  faulty_->SetSpec({.fail_write_every = 1000});
  Status s = faulty_->Write([&](Tx& tx) -> Status {
    Resource r;
    r.kind = "test.thing";
    r.id = "x";
    r.account_id = "1000000000000001";
    r.doc = "{}";
    SWASD_RETURN_IF_ERROR(tx.PutResource(r));
    return Error("Custom.Code", 409, "mine");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), "Custom.Code");
  EXPECT_FALSE(Exists("x"));
}

TEST_F(FaultyStoreTest, ReadFaults) {
  ASSERT_TRUE(Put(*faulty_, "r").ok());
  faulty_->SetSpec({.fail_read_nth = 2});
  auto read = [&] { return faulty_->Read([](Tx&) { return Status::Ok(); }); };
  EXPECT_TRUE(read().ok());
  Status s = read();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), "InternalError");
  EXPECT_TRUE(read().ok());
  faulty_->SetSpec({.fail_all_reads = true});
  EXPECT_FALSE(read().ok());
  EXPECT_FALSE(read().ok());
  // Writes are unaffected by read faults.
  EXPECT_TRUE(Put(*faulty_, "w").ok());
}

TEST_F(FaultyStoreTest, LatencyIsInjected) {
  faulty_->SetSpec({.read_latency = std::chrono::milliseconds(30),
                    .write_latency = std::chrono::milliseconds(30)});
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(Put(*faulty_, "slow").ok());
  ASSERT_TRUE(faulty_->Read([](Tx&) { return Status::Ok(); }).ok());
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(elapsed, std::chrono::milliseconds(60));
}

TEST_F(FaultyStoreTest, WhenFileScopesFaults) {
  std::string flag = dir_ + "/full";
  faulty_->SetSpec({.disk_full = true, .when_file = flag});
  ASSERT_TRUE(Put(*faulty_, "a").ok());
  std::ofstream(flag) << "1";
  EXPECT_FALSE(Put(*faulty_, "b").ok());
  std::filesystem::remove(flag);
  ASSERT_TRUE(Put(*faulty_, "c").ok());
  EXPECT_TRUE(Exists("a"));
  EXPECT_FALSE(Exists("b"));
  EXPECT_TRUE(Exists("c"));
}

TEST_F(FaultyStoreTest, ProbabilityIsSeededAndRepeatable) {
  auto run = [&](uint64_t seed) {
    faulty_->SetSpec({.fail_write_probability = 0.5, .seed = seed});
    std::string pattern;
    for (int i = 0; i < 40; ++i) {
      pattern += Put(*faulty_, "p" + std::to_string(seed) + "-" + std::to_string(i)).ok()
                     ? '.' : 'x';
    }
    return pattern;
  };
  std::string a = run(7);
  std::string b = run(7);
  EXPECT_EQ(a.size(), 40u);
  EXPECT_NE(a.find('x'), std::string::npos);
  EXPECT_NE(a.find('.'), std::string::npos);
  // Same seed, same failures (ids differ, outcome pattern must not).
  faulty_->SetSpec({});
  EXPECT_EQ(a, b);
}

// Concurrent writers through the wrapper: every write either fully commits
// or is absent; the count of successes equals what the store holds.
TEST_F(FaultyStoreTest, ConcurrentWritersSeeExactlyTheCommittedState) {
  faulty_->SetSpec({.fail_write_every = 4});
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        if (Put(*faulty_, "c" + std::to_string(t) + "-" + std::to_string(i)).ok()) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 150);  // 200 writes, every 4th failed
  EXPECT_EQ(Count(), ok.load());
  EXPECT_EQ(faulty_->counters().write_faults, 50);
}

TEST_F(FaultyStoreTest, WrapWithFaultsOwnsTheStore) {
  auto opened = SqliteStore::Open({.data_dir = dir_ + "/own"});
  ASSERT_TRUE(opened.ok());
  auto wrapped = WrapWithFaults(std::move(opened).value(), "disk-full");
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ((*wrapped)->Backend(), "faulty(sqlite)");
  EXPECT_FALSE((*wrapped)->Write([](Tx&) { return Status::Ok(); }).ok());
  auto bad = WrapWithFaults(nullptr, "nonsense");
  ASSERT_FALSE(bad.ok());
}

}  // namespace
}  // namespace swasd::store
