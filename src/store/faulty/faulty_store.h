// FaultyStore: a store::Store that wraps any other Store and injects the
// failures a real disk and database produce -- a failed commit, a full
// disk, an unreachable database, failed reads, slow I/O, and the nastiest
// one for a client: a commit that succeeded but whose acknowledgement was
// lost. Used by the reliability unit tests and, through swasd's hidden
// `--fault-injection SPEC` flag (env SWASD_FAULT_INJECTION), by end-to-end
// tests. See docs/reliability.md.
//
// Semantics of each fault, as the wrapped store sees it:
//   commit failure  fn runs inside the inner transaction, then the wrapper
//                   turns the outcome into an error, so the inner store
//                   ROLLS BACK: nothing of the transaction is durable.
//                   Reported as InternalError (cause kept for the log).
//   disk full       every Write is a commit failure ("database or disk is
//                   full"). Reads still work, as with a real full disk.
//   unavailable     Write fails before it starts: ServiceUnavailable (503).
//   lost ack        the inner transaction COMMITS, then Write reports
//                   InternalError: the client is told "failed" for a write
//                   that is durable (a crash between commit and answer).
//   read failure    Read fails before it starts: InternalError.
//   latency         Reads sleep before starting; Writes sleep inside the
//                   transaction, after fn, before the commit (a slow fsync:
//                   it holds the writer, as a real one does).
// Counting ("the Nth write") is 1-based and starts when the spec is set
// (constructor or SetSpec), so a test can arm "the 2nd write from now".
//
// Thread-safe: Write/Read/SetSpec may be called concurrently.
#ifndef SWASD_STORE_FAULTY_FAULTY_STORE_H_
#define SWASD_STORE_FAULTY_FAULTY_STORE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/thread_annotations.h"
#include "store/store.h"

namespace swasd::store {

struct FaultSpec {
  // --- Writes (0 = off) -----------------------------------------------------
  int64_t fail_write_nth = 0;    // the Nth Write fails at commit
  int64_t fail_write_every = 0;  // every Nth Write fails at commit
  bool disk_full = false;        // every Write fails at commit
  bool writes_unavailable = false;  // every Write: ServiceUnavailable
  int64_t lose_ack_nth = 0;      // the Nth Write commits, reports failure
  int64_t lose_ack_every = 0;    // every Nth Write commits, reports failure
  double fail_write_probability = 0;  // each Write fails at commit w.p. p
  // --- Reads ------------------------------------------------------------------
  int64_t fail_read_nth = 0;
  int64_t fail_read_every = 0;
  bool fail_all_reads = false;
  // --- Latency --------------------------------------------------------------
  std::chrono::milliseconds read_latency{0};
  std::chrono::milliseconds write_latency{0};
  // --- Scope ----------------------------------------------------------------
  // Seed for fail_write_probability (0: a fixed default, so runs repeat).
  uint64_t seed = 0;
  // When set, faults apply only while this file exists: an end-to-end test
  // "fills the disk" by creating it and "frees space" by removing it.
  // Counters advance only while it exists.
  std::string when_file;

  bool any() const;
};

// Parses a comma-separated SPEC, e.g.
//   "disk-full"                        every write fails (full disk)
//   "fail-write-nth=3"                 the 3rd write fails at commit
//   "fail-write-every=5,seed=7"
//   "fail-write-prob=0.2,seed=42"
//   "lose-ack-nth=2"                   2nd write commits but reports failure
//   "lose-ack-every=3"
//   "unavailable"                      writes answer ServiceUnavailable
//   "fail-read-nth=4" "fail-read-every=2" "fail-reads"
//   "latency-ms=50" "read-latency-ms=5" "write-latency-ms=200"
//   "when-file=/tmp/full"              only while /tmp/full exists
// Empty SPEC or "none": no faults. Unknown keys and bad numbers are
// InvalidParameter errors whose message names the offending item.
Result<FaultSpec> ParseFaultSpec(std::string_view spec);

// The spec in the syntax above (for logs).
std::string FormatFaultSpec(const FaultSpec& spec);

class FaultyStore final : public Store {
 public:
  struct Counters {
    int64_t writes = 0;        // Write calls counted under the spec
    int64_t reads = 0;         // Read calls counted under the spec
    int64_t write_faults = 0;  // failed commits + unavailable
    int64_t lost_acks = 0;     // committed but reported failed
    int64_t read_faults = 0;
  };

  // Wraps `inner` (not owned; must outlive this).
  FaultyStore(Store* inner, FaultSpec spec);
  // Wraps and owns `inner`.
  FaultyStore(std::unique_ptr<Store> inner, FaultSpec spec);
  ~FaultyStore() override;

  // Replaces the spec and resets the counters. Thread-safe.
  void SetSpec(FaultSpec spec) EXCLUDES(mu_);
  FaultSpec spec() const EXCLUDES(mu_);
  Counters counters() const EXCLUDES(mu_);

  Status Write(const std::function<Status(Tx&)>& fn) override;
  Status Read(const std::function<Status(Tx&)>& fn) override;
  std::string_view Backend() const override { return backend_; }
  bool Durable() const override { return inner_->Durable(); }

  Store* inner() const { return inner_; }

 private:
  enum class WriteFault { kNone, kFailCommit, kUnavailable, kLoseAck };
  // Decides this call's fault and advances the counters.
  WriteFault NextWriteFault(std::chrono::milliseconds* latency) EXCLUDES(mu_);
  bool NextReadFault(std::chrono::milliseconds* latency) EXCLUDES(mu_);
  bool Active(const FaultSpec& spec) const;

  std::unique_ptr<Store> owned_;
  Store* inner_;
  std::string backend_;

  mutable Mutex mu_;
  FaultSpec spec_ GUARDED_BY(mu_);
  Counters counters_ GUARDED_BY(mu_);
  std::mt19937_64 rng_ GUARDED_BY(mu_);
};

// Wraps `store` in a FaultyStore configured by `spec` (see ParseFaultSpec).
// swasd's `--fault-injection` hook.
Result<std::unique_ptr<Store>> WrapWithFaults(std::unique_ptr<Store> store,
                                              std::string_view spec);

}  // namespace swasd::store

#endif  // SWASD_STORE_FAULTY_FAULTY_STORE_H_
