// Await: the synchronous form of a callback-style asynchronous call.
#ifndef SWASD_BASE_AWAIT_H_
#define SWASD_BASE_AWAIT_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace swasd {

// Calls start(done) and waits until `done` has been called with a value, on
// any thread (or already within start), and returns that value. `done` must
// be called exactly once. Why: one asynchronous implementation serves both
// the event-loop path and callers that may block (tests, worker threads).
template <typename T, typename Start>
T Await(Start&& start) {
  struct Slot {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<T> value;
  };
  auto slot = std::make_shared<Slot>();
  std::forward<Start>(start)(std::function<void(T)>([slot](T v) {
    {
      std::lock_guard<std::mutex> lock(slot->mu);
      slot->value.emplace(std::move(v));
    }
    slot->cv.notify_one();
  }));
  std::unique_lock<std::mutex> lock(slot->mu);
  slot->cv.wait(lock, [&] { return slot->value.has_value(); });
  return std::move(*slot->value);
}

}  // namespace swasd

#endif  // SWASD_BASE_AWAIT_H_
