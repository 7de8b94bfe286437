#include "store/faulty/faulty_store.h"

#include <sys/stat.h>

#include <charconv>
#include <cstdlib>
#include <thread>
#include <vector>

#include "base/errors.h"

namespace swasd::store {
namespace {

constexpr uint64_t kDefaultSeed = 0x5eed5eedULL;

Error BadSpec(std::string_view item, std::string_view why) {
  return Error(errors::kInvalidParameter,
               "fault injection spec: '" + std::string(item) + "': " +
                   std::string(why));
}

bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && *out >= 0;
}

bool ParseUint(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool ParseProbability(std::string_view s, double* out) {
  if (s.empty() || s.size() > 32) return false;
  std::string copy(s);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !(v >= 0.0 && v <= 1.0)) {
    return false;
  }
  *out = v;
  return true;
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// Is this the Nth (1-based) call, or a multiple of `every`?
bool Hits(int64_t count, int64_t nth, int64_t every) {
  return (nth > 0 && count == nth) || (every > 0 && count % every == 0);
}

}  // namespace

bool FaultSpec::any() const {
  return fail_write_nth > 0 || fail_write_every > 0 || disk_full ||
         writes_unavailable || lose_ack_nth > 0 || lose_ack_every > 0 ||
         fail_write_probability > 0 || fail_read_nth > 0 ||
         fail_read_every > 0 || fail_all_reads || read_latency.count() > 0 ||
         write_latency.count() > 0;
}

Result<FaultSpec> ParseFaultSpec(std::string_view spec) {
  FaultSpec out;
  if (spec.empty() || spec == "none") return out;
  if (spec.size() > 4096) return BadSpec(spec.substr(0, 32), "too long");
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t comma = spec.find(',', pos);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view item = spec.substr(pos, comma - pos);
    pos = comma + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    std::string_view key = item.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    bool has_value = eq != std::string_view::npos;
    auto flag = [&](bool* f) -> Status {
      if (has_value) return BadSpec(item, "takes no value");
      *f = true;
      return Status::Ok();
    };
    auto count = [&](int64_t* n) -> Status {
      if (!ParseInt(value, n) || *n == 0) {
        return BadSpec(item, "needs a positive integer");
      }
      return Status::Ok();
    };
    auto millis = [&](std::chrono::milliseconds* ms) -> Status {
      int64_t n = 0;
      if (!ParseInt(value, &n) || n > 600000) {
        return BadSpec(item, "needs milliseconds in [0, 600000]");
      }
      *ms = std::chrono::milliseconds(n);
      return Status::Ok();
    };
    Status s = Status::Ok();
    if (key == "disk-full" || key == "fail-writes") {
      s = flag(&out.disk_full);
    } else if (key == "unavailable") {
      s = flag(&out.writes_unavailable);
    } else if (key == "fail-reads") {
      s = flag(&out.fail_all_reads);
    } else if (key == "fail-write-nth") {
      s = count(&out.fail_write_nth);
    } else if (key == "fail-write-every") {
      s = count(&out.fail_write_every);
    } else if (key == "lose-ack-nth") {
      s = count(&out.lose_ack_nth);
    } else if (key == "lose-ack-every") {
      s = count(&out.lose_ack_every);
    } else if (key == "fail-read-nth") {
      s = count(&out.fail_read_nth);
    } else if (key == "fail-read-every") {
      s = count(&out.fail_read_every);
    } else if (key == "fail-write-prob") {
      if (!ParseProbability(value, &out.fail_write_probability)) {
        s = BadSpec(item, "needs a probability in [0, 1]");
      }
    } else if (key == "latency-ms") {
      s = millis(&out.read_latency);
      out.write_latency = out.read_latency;
    } else if (key == "read-latency-ms") {
      s = millis(&out.read_latency);
    } else if (key == "write-latency-ms") {
      s = millis(&out.write_latency);
    } else if (key == "seed") {
      if (!ParseUint(value, &out.seed)) s = BadSpec(item, "needs an integer");
    } else if (key == "when-file") {
      if (value.empty()) s = BadSpec(item, "needs a path");
      out.when_file = std::string(value);
    } else {
      s = BadSpec(item, "unknown fault");
    }
    if (!s.ok()) return std::move(s).error();
  }
  return out;
}

std::string FormatFaultSpec(const FaultSpec& s) {
  std::vector<std::string> parts;
  auto n = [&](const char* k, int64_t v) {
    if (v > 0) parts.push_back(std::string(k) + "=" + std::to_string(v));
  };
  if (s.disk_full) parts.push_back("disk-full");
  if (s.writes_unavailable) parts.push_back("unavailable");
  if (s.fail_all_reads) parts.push_back("fail-reads");
  n("fail-write-nth", s.fail_write_nth);
  n("fail-write-every", s.fail_write_every);
  n("lose-ack-nth", s.lose_ack_nth);
  n("lose-ack-every", s.lose_ack_every);
  n("fail-read-nth", s.fail_read_nth);
  n("fail-read-every", s.fail_read_every);
  if (s.fail_write_probability > 0) {
    parts.push_back("fail-write-prob=" + std::to_string(s.fail_write_probability));
  }
  n("read-latency-ms", s.read_latency.count());
  n("write-latency-ms", s.write_latency.count());
  if (s.seed != 0) parts.push_back("seed=" + std::to_string(s.seed));
  if (!s.when_file.empty()) parts.push_back("when-file=" + s.when_file);
  if (parts.empty()) return "none";
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ',';
    out += p;
  }
  return out;
}

FaultyStore::FaultyStore(Store* inner, FaultSpec spec)
    : inner_(inner),
      backend_("faulty(" + std::string(inner->Backend()) + ")"),
      spec_(std::move(spec)),
      rng_(spec_.seed ? spec_.seed : kDefaultSeed) {}

FaultyStore::FaultyStore(std::unique_ptr<Store> inner, FaultSpec spec)
    : FaultyStore(inner.get(), std::move(spec)) {
  owned_ = std::move(inner);
}

FaultyStore::~FaultyStore() = default;

void FaultyStore::SetSpec(FaultSpec spec) {
  MutexLock lock(&mu_);
  spec_ = std::move(spec);
  counters_ = Counters();
  rng_.seed(spec_.seed ? spec_.seed : kDefaultSeed);
}

FaultSpec FaultyStore::spec() const {
  MutexLock lock(&mu_);
  return spec_;
}

FaultyStore::Counters FaultyStore::counters() const {
  MutexLock lock(&mu_);
  return counters_;
}

bool FaultyStore::Active(const FaultSpec& spec) const {
  return spec.when_file.empty() || FileExists(spec.when_file);
}

FaultyStore::WriteFault FaultyStore::NextWriteFault(
    std::chrono::milliseconds* latency) {
  MutexLock lock(&mu_);
  *latency = std::chrono::milliseconds(0);
  if (!spec_.any() || !Active(spec_)) return WriteFault::kNone;
  *latency = spec_.write_latency;
  int64_t n = ++counters_.writes;
  WriteFault f = WriteFault::kNone;
  if (spec_.writes_unavailable) {
    f = WriteFault::kUnavailable;
  } else if (spec_.disk_full ||
             Hits(n, spec_.fail_write_nth, spec_.fail_write_every)) {
    f = WriteFault::kFailCommit;
  } else if (spec_.fail_write_probability > 0 &&
             std::uniform_real_distribution<double>(0, 1)(rng_) <
                 spec_.fail_write_probability) {
    f = WriteFault::kFailCommit;
  } else if (Hits(n, spec_.lose_ack_nth, spec_.lose_ack_every)) {
    f = WriteFault::kLoseAck;
  }
  if (f == WriteFault::kLoseAck) {
    ++counters_.lost_acks;
  } else if (f != WriteFault::kNone) {
    ++counters_.write_faults;
  }
  return f;
}

bool FaultyStore::NextReadFault(std::chrono::milliseconds* latency) {
  MutexLock lock(&mu_);
  *latency = std::chrono::milliseconds(0);
  if (!spec_.any() || !Active(spec_)) return false;
  *latency = spec_.read_latency;
  int64_t n = ++counters_.reads;
  bool fail = spec_.fail_all_reads ||
              Hits(n, spec_.fail_read_nth, spec_.fail_read_every);
  if (fail) ++counters_.read_faults;
  return fail;
}

Status FaultyStore::Write(const std::function<Status(Tx&)>& fn) {
  std::chrono::milliseconds latency;
  WriteFault fault = NextWriteFault(&latency);
  if (fault == WriteFault::kUnavailable) {
    return Error(errors::kServiceUnavailable)
        .WithCause("fault injection: store unavailable");
  }
  // A sentinel distinguishing "fn failed" from "we failed the commit", so a
  // failing fn's own error is passed through unchanged.
  bool injected = false;
  Status s = inner_->Write([&](Tx& tx) -> Status {
    SWASD_RETURN_IF_ERROR(fn(tx));
    if (latency.count() > 0) std::this_thread::sleep_for(latency);
    if (fault == WriteFault::kFailCommit) {
      injected = true;
      // Returning an error makes the inner store roll back.
      return Error(errors::kInternalError)
          .WithCause("fault injection: commit failed (database or disk is full)");
    }
    return Status::Ok();
  });
  if (!s.ok() || injected) return s;
  if (fault == WriteFault::kLoseAck) {
    return Error(errors::kInternalError)
        .WithCause("fault injection: committed, acknowledgement lost");
  }
  return s;
}

Status FaultyStore::Read(const std::function<Status(Tx&)>& fn) {
  std::chrono::milliseconds latency;
  bool fail = NextReadFault(&latency);
  if (latency.count() > 0) std::this_thread::sleep_for(latency);
  if (fail) {
    return Error(errors::kInternalError)
        .WithCause("fault injection: read failed (I/O error)");
  }
  return inner_->Read(fn);
}

Result<std::unique_ptr<Store>> WrapWithFaults(std::unique_ptr<Store> store,
                                              std::string_view spec) {
  SWASD_ASSIGN_OR_RETURN(FaultSpec parsed, ParseFaultSpec(spec));
  return std::unique_ptr<Store>(
      std::make_unique<FaultyStore>(std::move(store), std::move(parsed)));
}

}  // namespace swasd::store
