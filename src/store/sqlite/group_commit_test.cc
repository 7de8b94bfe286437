// Group commit (sqlite_store.h): concurrent Writes share one transaction
// and one fsync, yet each keeps its own outcome.
//
// Crash consistency. A group is one SQLite transaction in WAL mode with
// synchronous=FULL: its COMMIT appends the group's frames and a commit
// frame to the WAL and fsyncs it before any member's Write returns. After
// a crash (process or power), recovery replays the WAL only up to the last
// complete commit frame, so a group is in the database entirely or not at
// all; and no member was answered before its group's fsync, so every
// acknowledged Write survives. Savepoints are internal to the transaction
// and leave nothing on disk of their own: a member rolled back to its
// savepoint is simply absent. CrashKeepsEveryAcknowledgedWrite checks the
// process-crash half of this (SIGKILL mid-load: every acknowledged write is
// there, no group is torn); power loss additionally relies on the fsync,
// which synchronous=FULL keeps (tested by SQLite, not here).
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/errors.h"
#include "store/sqlite/sqlite_store.h"

namespace swasd::store {
namespace {

namespace fs = std::filesystem;

class GroupCommitTest : public testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "swasd-group-XXXXXX");
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<SqliteStore> Open() {
    SqliteOptions o{(root_ / "data").string()};
    o.group_commit = GetParam();
    auto s = SqliteStore::Open(o);
    EXPECT_TRUE(s.ok()) << s.error().message();
    return s.ok() ? std::move(*s) : nullptr;
  }

  static IdempotencyRecord Row(const std::string& token) {
    return IdempotencyRecord{"acct", "act", token, "", 200, "{}", 1};
  }

  fs::path root_;
};

// One writer holds the connection while the others queue up, so (with
// group commit) they run as one group. Among them one callback fails after
// writing and one throws: each gets its own outcome, everyone else's rows
// are committed, theirs are not.
TEST_P(GroupCommitTest, FailingMemberDoesNotAffectOthers) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int kWriters = 12;
  constexpr int kFailing = 5;
  constexpr int kThrowing = 8;
  std::atomic<int> ready{0};
  std::atomic<int> finished{0};  // writers 1.. whose Write returned
  std::vector<Status> results(kWriters, Status::Ok());
  std::vector<bool> threw(kWriters, false);
  std::mutex ran_mu;
  int ran_elsewhere = 0;  // callbacks not run on their caller's thread

  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    results[0] = store->Write([&](Tx& tx) -> Status {
      // Hold the writer until every other one has queued behind us or, had
      // it led a group of its own before us, finished (with group commit,
      // observably: the queue length; without, they block on the writer
      // lock, which nothing here can observe, and no outcome below depends
      // on it).
      while (ready.load() < kWriters - 1) std::this_thread::yield();
      if (GetParam()) {
        while (store->QueuedWrites() + static_cast<size_t>(finished.load()) <
               static_cast<size_t>(kWriters)) {
          std::this_thread::yield();
        }
      }
      return tx.PutIdempotency(Row("t0"));
    });
  });
  for (int i = 1; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      const auto caller = std::this_thread::get_id();
      ++ready;
      try {
        results[i] = store->Write([&, i](Tx& tx) -> Status {
          {
            std::lock_guard<std::mutex> l(ran_mu);
            if (std::this_thread::get_id() != caller) ++ran_elsewhere;
          }
          SWASD_RETURN_IF_ERROR(tx.PutIdempotency(Row("t" + std::to_string(i))));
          if (i == kFailing) return errors::InvalidParam("X", "member fails");
          if (i == kThrowing) throw std::runtime_error("member throws");
          return Status::Ok();
        });
      } catch (const std::runtime_error& e) {
        threw[i] = true;
        EXPECT_STREQ(e.what(), "member throws");
      }
      ++finished;
    });
  }
  for (auto& t : threads) t.join();

  for (int i = 0; i < kWriters; ++i) {
    if (i == kFailing) {
      ASSERT_FALSE(results[i].ok());
      EXPECT_TRUE(results[i].error().Is(errors::kInvalidParameter));
    } else if (i == kThrowing) {
      EXPECT_TRUE(threw[i]);
    } else {
      EXPECT_TRUE(results[i].ok()) << i << " " << results[i].error().message();
      EXPECT_FALSE(threw[i]);
    }
  }
  // Every callback ran on the store's writer thread, never its caller's.
  EXPECT_EQ(ran_elsewhere, kWriters - 1);
  // A second store (another process's view) sees exactly the committed rows.
  // Opening it needs the write lock (migrations): no failed or throwing
  // member may have left it held.
  auto other = Open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other
                  ->Read([&](Tx& tx) -> Status {
                    for (int i = 0; i < kWriters; ++i) {
                      auto got = tx.GetIdempotency("acct", "act",
                                                   "t" + std::to_string(i));
                      EXPECT_TRUE(got.ok());
                      EXPECT_EQ(got->has_value(),
                                i != kFailing && i != kThrowing)
                          << i;
                    }
                    return Status::Ok();
                  })
                  .ok());
  // The writer connection is clean: a later Write commits.
  ASSERT_TRUE(store->Write([](Tx& tx) { return tx.PutIdempotency(Row("after")); })
                  .ok());
}

// A callback that throws leaves nothing behind: not its transaction's write
// lock (which would block other processes until this store's next Write),
// nor, for Read, a connection taken out of the pool.
TEST_P(GroupCommitTest, ThrowingCallbacksReleaseLocksAndConnections) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_THROW((void)store->Write([](Tx& tx) -> Status {
                 (void)tx.PutIdempotency(Row("thrown"));
                 throw std::runtime_error("boom");
               }),
               std::runtime_error);
  // Another process's writer gets the lock at once (a held lock would make
  // it wait the whole busy timeout and fail).
  SqliteOptions o{(root_ / "data").string()};
  o.busy_timeout_ms = 200;
  auto other = SqliteStore::Open(o);
  ASSERT_TRUE(other.ok()) << other.error().message();
  ASSERT_TRUE((*other)->Write([](Tx& tx) { return tx.PutIdempotency(Row("other")); }).ok());
  // More throwing Reads than the pool has connections (4), then a Read.
  for (int i = 0; i < 10; ++i) {
    EXPECT_THROW((void)store->Read([](Tx&) -> Status { throw std::runtime_error("read boom"); }),
                 std::runtime_error);
  }
  ASSERT_TRUE(store
                  ->Read([](Tx& tx) -> Status {
                    EXPECT_TRUE(tx.GetIdempotency("acct", "act", "other")->has_value());
                    EXPECT_FALSE(tx.GetIdempotency("acct", "act", "thrown")->has_value());
                    return Status::Ok();
                  })
                  .ok());
}

// Many concurrent read-modify-write Writes: none is lost, whatever the
// grouping (each member sees the effects of the members before it).
TEST_P(GroupCommitTest, ConcurrentIncrementsAllLand) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 16;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < kPerThread; ++j) {
        Status s = store->Write([](Tx& tx) -> Status {
          SWASD_ASSIGN_OR_RETURN(auto rec, tx.GetIdempotency("acct", "act", "n"));
          IdempotencyRecord next = Row("n");
          next.response = std::to_string(rec ? std::stoi(rec->response) + 1 : 1);
          return tx.PutIdempotency(next);
        });
        ASSERT_TRUE(s.ok()) << s.error().internal_cause();
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(store
                  ->Read([](Tx& tx) -> Status {
                    EXPECT_EQ((*tx.GetIdempotency("acct", "act", "n"))->response,
                              std::to_string(kThreads * kPerThread));
                    return Status::Ok();
                  })
                  .ok());
}

// WriteAsync: `done` gets each write's own outcome only after its commit
// (a second store, another process's view, already sees the row then); a
// throwing callback becomes InternalError; a `done` may queue more writes;
// Drain waits for all of it.
TEST_P(GroupCommitTest, AsyncWritesCompleteAfterTheirCommit) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto observer = Open();
  ASSERT_NE(observer, nullptr);
  constexpr int kWrites = 40;
  std::mutex mu;
  std::vector<std::optional<Status>> results(kWrites);
  std::atomic<int> visible_at_done{0};
  std::atomic<bool> chained_done{false};
  for (int i = 0; i < kWrites; ++i) {
    store->WriteAsync(
        [i](Tx& tx) -> Status {
          SWASD_RETURN_IF_ERROR(tx.PutIdempotency(Row("a" + std::to_string(i))));
          if (i % 10 == 3) return errors::InvalidParam("X", "member fails");
          if (i % 10 == 7) throw std::runtime_error("member throws");
          return Status::Ok();
        },
        [&, i](Status s) {
          if (s.ok()) {
            bool seen = false;
            EXPECT_TRUE(observer
                            ->Read([&](Tx& tx) -> Status {
                              seen = tx.GetIdempotency("acct", "act", "a" + std::to_string(i))
                                         ->has_value();
                              return Status::Ok();
                            })
                            .ok());
            if (seen) ++visible_at_done;
          }
          if (i == kWrites - 1) {
            // From inside a completion: queued, not deadlocked.
            store->WriteAsync([](Tx& tx) { return tx.PutIdempotency(Row("chained")); },
                              [&](Status c) {
                                EXPECT_TRUE(c.ok());
                                chained_done = true;
                              });
          }
          std::lock_guard<std::mutex> l(mu);
          results[i] = std::move(s);
        });
  }
  store->Drain();
  EXPECT_TRUE(chained_done.load());
  int ok = 0;
  for (int i = 0; i < kWrites; ++i) {
    ASSERT_TRUE(results[i].has_value()) << i;
    if (i % 10 == 3) {
      EXPECT_TRUE(results[i]->error().Is(errors::kInvalidParameter));
    } else if (i % 10 == 7) {
      EXPECT_TRUE(results[i]->error().Is(errors::kInternalError));
      EXPECT_NE(results[i]->error().internal_cause().find("member throws"), std::string::npos);
    } else {
      EXPECT_TRUE(results[i]->ok());
      ++ok;
    }
  }
  EXPECT_EQ(visible_at_done.load(), ok);
  ASSERT_TRUE(observer
                  ->Read([&](Tx& tx) -> Status {
                    for (int i = 0; i < kWrites; ++i) {
                      bool want = i % 10 != 3 && i % 10 != 7;
                      EXPECT_EQ(tx.GetIdempotency("acct", "act", "a" + std::to_string(i))
                                    ->has_value(),
                                want)
                          << i;
                    }
                    EXPECT_TRUE(tx.GetIdempotency("acct", "act", "chained")->has_value());
                    return Status::Ok();
                  })
                  .ok());
}

// WriteThenAsync keeps `first` when `then` fails, as WriteThen does.
TEST_P(GroupCommitTest, AsyncWriteThenKeepsFirstWhenThenFails) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::optional<Status> got;
  store->WriteThenAsync([](Tx& tx) { return tx.PutIdempotency(Row("first")); },
                        [](Tx& tx) -> Status {
                          SWASD_RETURN_IF_ERROR(tx.PutIdempotency(Row("then")));
                          return errors::InvalidParam("X", "then fails");
                        },
                        [&](Status s) { got = std::move(s); });
  store->Drain();
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->error().Is(errors::kInvalidParameter));
  ASSERT_TRUE(store
                  ->Read([](Tx& tx) -> Status {
                    EXPECT_TRUE(tx.GetIdempotency("acct", "act", "first")->has_value());
                    EXPECT_FALSE(tx.GetIdempotency("acct", "act", "then")->has_value());
                    return Status::Ok();
                  })
                  .ok());
}

// A child process writes from many threads and reports each Write once it
// returned OK; it is SIGKILLed mid-load. After reopening, every reported
// write is there, and every write (two rows, "a" and "b") is whole.
TEST_P(GroupCommitTest, CrashKeepsEveryAcknowledgedWrite) {
  const std::string dir = (root_ / "data").string();
  {
    auto store = Open();  // create and migrate before the child races
    ASSERT_NE(store, nullptr);
  }
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const bool group = GetParam();
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    SqliteOptions o{dir};
    o.group_commit = group;
    auto opened = SqliteStore::Open(o);
    if (!opened.ok()) ::_exit(3);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int j = 0;; ++j) {
          char token[32];
          std::snprintf(token, sizeof token, "%02d-%06d", t, j);
          Status s = (*opened)->Write([&](Tx& tx) -> Status {
            SWASD_RETURN_IF_ERROR(tx.PutIdempotency(Row(std::string("a") + token)));
            return tx.PutIdempotency(Row(std::string("b") + token));
          });
          if (!s.ok()) ::_exit(4);
          char line[40];
          int n = std::snprintf(line, sizeof line, "%s\n", token);
          if (::write(fds[1], line, static_cast<size_t>(n)) != n) ::_exit(5);
        }
      });
    }
    for (auto& th : threads) th.join();
    ::_exit(0);
  }
  ::close(fds[1]);
  std::set<std::string> acked;
  std::string pending;
  // Kill once enough writes were acknowledged -- a condition, not a time,
  // so a slow (sanitized, loaded) run still kills mid-load after real work.
  constexpr long kAckedBeforeKill = 200;
  char buf[4096];
  while (std::count(pending.begin(), pending.end(), '\n') < kAckedBeforeKill) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    pending.append(buf, static_cast<size_t>(n));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  // Whatever was acknowledged before the kill is in the pipe.
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) {
    pending.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  for (size_t pos = 0, nl; (nl = pending.find('\n', pos)) != std::string::npos;
       pos = nl + 1) {
    acked.insert(pending.substr(pos, nl - pos));
  }
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited " << WEXITSTATUS(status);
  ASSERT_FALSE(acked.empty());

  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Read([&](Tx& tx) -> Status {
                    for (const auto& token : acked) {
                      EXPECT_TRUE(tx.GetIdempotency("acct", "act", "a" + token)
                                      ->has_value())
                          << token;
                    }
                    return Status::Ok();
                  })
                  .ok());
  // No torn write: every "a" row has its "b" row and vice versa.
  store.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((root_ / "data" / "swasd.db").c_str(), &db,
                            SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(
                db,
                "SELECT (SELECT count(*) FROM idempotency x WHERE NOT EXISTS ("
                "SELECT 1 FROM idempotency y WHERE y.token = "
                "(CASE substr(x.token, 1, 1) WHEN 'a' THEN 'b' ELSE 'a' END)"
                " || substr(x.token, 2))), (SELECT count(*) FROM idempotency)",
                -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), 0);
  EXPECT_GE(sqlite3_column_int64(stmt, 1),
            static_cast<int64_t>(2 * acked.size()));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

INSTANTIATE_TEST_SUITE_P(OnOff, GroupCommitTest, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& p) {
                           return p.param ? "Grouped" : "Alone";
                         });

}  // namespace
}  // namespace swasd::store
