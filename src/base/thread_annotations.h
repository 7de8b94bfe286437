// Locking rules the compiler checks: Clang's thread-safety analysis
// (-Wthread-safety, an error in clang builds; see CMakeLists.txt). A member
// written `T x_ GUARDED_BY(mu_);` may only be touched with mu_ held; a
// function marked REQUIRES(mu_) may only be called with it held, EXCLUDES
// (mu_) only without. The analysis needs a lockable type that says what it
// does, so locks are swasd::Mutex (a std::mutex with the capability
// attribute, as leveldb's port::Mutex) held through MutexLock, and a
// condition variable waits through Mutex::Wait. On GCC every macro expands
// to nothing and Mutex is a plain std::mutex wrapper.
#ifndef SWASD_BASE_THREAD_ANNOTATIONS_H_
#define SWASD_BASE_THREAD_ANNOTATIONS_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define SWASD_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define SWASD_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) SWASD_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY SWASD_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) SWASD_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) SWASD_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) SWASD_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) SWASD_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) SWASD_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) SWASD_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define ASSERT_CAPABILITY(x) SWASD_THREAD_ANNOTATION(assert_capability(x))
#define NO_THREAD_SAFETY_ANALYSIS \
  SWASD_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace swasd {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  void AssertHeld() ASSERT_CAPABILITY(this) {}

  // Releases the mutex, waits for `cv` to be notified (or a spurious
  // wake-up) and holds the mutex again. The caller holds it and re-checks
  // its condition in a loop, where the analysis sees the mutex held:
  //   while (!ready_) mu_.Wait(cv_);
  void Wait(std::condition_variable& cv) REQUIRES(this) {
    std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
    cv.wait(lock);
    lock.release();
  }
  // As Wait, giving up at `deadline`: false when it passed without a
  // notification.
  bool WaitUntil(std::condition_variable& cv,
                 std::chrono::steady_clock::time_point deadline) REQUIRES(this) {
    std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
    bool notified = cv.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return notified;
  }

 private:
  std::mutex mu_;
};

// Holds a Mutex for its scope (released on the way out, an exception
// included). Unlock/Lock release and take it again midway.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() RELEASE() {
    if (held_) mu_->Unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void Unlock() RELEASE() {
    mu_->Unlock();
    held_ = false;
  }
  void Lock() ACQUIRE() {
    mu_->Lock();
    held_ = true;
  }

 private:
  Mutex* const mu_;
  bool held_ = true;
};

}  // namespace swasd

#endif  // SWASD_BASE_THREAD_ANNOTATIONS_H_
