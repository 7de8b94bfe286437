// Errors as values. An Error carries the exact Alibaba wire code, the HTTP
// status that code is answered with, and a human message. Catalog entries
// (ErrorSpec) are constants defined beside each product; only
// gateway/envelope turns an Error into bytes.
#ifndef SWASD_BASE_ERROR_H_
#define SWASD_BASE_ERROR_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace swasd {

// One row of an error catalog: the wire code, its HTTP status and the
// default message. Instances are constexpr constants (see base/errors.h).
struct ErrorSpec {
  std::string_view code;
  int http_status;
  std::string_view message;
};

class Error {
 public:
  Error(const ErrorSpec& spec)  // NOLINT: implicit by design
      : code_(spec.code), http_status_(spec.http_status),
        message_(spec.message) {}
  Error(const ErrorSpec& spec, std::string message)
      : code_(spec.code), http_status_(spec.http_status),
        message_(std::move(message)) {}
  Error(std::string code, int http_status, std::string message)
      : code_(std::move(code)), http_status_(http_status),
        message_(std::move(message)) {}

  const std::string& code() const { return code_; }
  int http_status() const { return http_status_; }
  const std::string& message() const { return message_; }

  // Structured detail rendered as a nested object named detail_name()
  // (e.g. RAM's AccessDeniedDetail). Empty for most errors.
  const std::string& detail_name() const { return detail_name_; }
  const std::vector<std::pair<std::string, std::string>>& detail() const {
    return detail_;
  }
  Error& WithDetail(std::string name,
                    std::vector<std::pair<std::string, std::string>> fields) {
    detail_name_ = std::move(name);
    detail_ = std::move(fields);
    return *this;
  }

  // A cause kept for the server log only; never rendered to the client.
  const std::string& internal_cause() const { return internal_cause_; }
  Error& WithCause(std::string cause) {
    internal_cause_ = std::move(cause);
    return *this;
  }

  bool Is(const ErrorSpec& spec) const { return code_ == spec.code; }

 private:
  std::string code_;
  int http_status_;
  std::string message_;
  std::string detail_name_;
  std::vector<std::pair<std::string, std::string>> detail_;
  std::string internal_cause_;
};

// Result<T>: a T or an Error. Cheap to test, explicit to unwrap.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  Result(const ErrorSpec& spec) : v_(Error(spec)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok()
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Status: success or an Error, for operations with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  Status(const ErrorSpec& spec) : error_(Error(spec)), ok_(false) {}  // NOLINT
  static Status Ok() { return Status(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // REQUIRES: !ok()
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_{std::string(), 0, std::string()};
  bool ok_ = true;
};

}  // namespace swasd

// Early-return helpers in the leveldb idiom.
#define SWASD_RETURN_IF_ERROR(expr)                         \
  do {                                                      \
    auto swasd_status_ = (expr);                            \
    if (!swasd_status_.ok()) return std::move(swasd_status_).error(); \
  } while (0)

#define SWASD_CONCAT_INNER_(a, b) a##b
#define SWASD_CONCAT_(a, b) SWASD_CONCAT_INNER_(a, b)
#define SWASD_ASSIGN_OR_RETURN(lhs, expr)                             \
  auto SWASD_CONCAT_(swasd_result_, __LINE__) = (expr);               \
  if (!SWASD_CONCAT_(swasd_result_, __LINE__).ok())                   \
    return std::move(SWASD_CONCAT_(swasd_result_, __LINE__)).error(); \
  lhs = std::move(SWASD_CONCAT_(swasd_result_, __LINE__)).value()

#endif  // SWASD_BASE_ERROR_H_
