// Time: the Clock interface every component reads time through (so tests and
// STS expiry can be driven by a controllable clock, never by sleeps), and
// ISO-8601 UTC formatting/parsing in Alibaba's wire form.
#ifndef SWASD_BASE_CLOCK_H_
#define SWASD_BASE_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace swasd {

using TimePoint = std::chrono::system_clock::time_point;

// Thread-safe source of wall-clock time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  int64_t NowUnixSeconds() const;
  int64_t NowUnixMillis() const;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that reads the system clock plus an adjustable offset. Tests move
// it forward (Advance) instead of sleeping.
class OffsetClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::system_clock::now() +
           std::chrono::milliseconds(offset_ms_.load());
  }
  void Advance(std::chrono::milliseconds d) { offset_ms_ += d.count(); }
  int64_t offset_ms() const { return offset_ms_.load(); }

 private:
  std::atomic<int64_t> offset_ms_{0};
};

// "2024-01-01T00:00:00Z" (seconds, UTC), the form x-acs-date, Timestamp and
// CreationTime use.
std::string FormatIso8601(TimePoint t);
std::string FormatIso8601(int64_t unix_seconds);
// Parses exactly YYYY-MM-DDTHH:MM:SSZ (optionally with .fff fraction before
// Z). Returns unix seconds, or nullopt when the text is not that form or
// not a real date.
std::optional<int64_t> ParseIso8601(std::string_view s);

}  // namespace swasd

#endif  // SWASD_BASE_CLOCK_H_
