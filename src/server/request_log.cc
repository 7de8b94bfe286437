#include "server/request_log.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <ctime>

namespace swasd::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendInt(std::string* out, int64_t v, int min_digits = 1) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  for (int n = static_cast<int>(end - buf); n < min_digits; ++n) out->push_back('0');
  out->append(buf, end);
}

// 2026-12-02T04:05:06.123Z
void AppendTime(std::string* out, std::chrono::system_clock::time_point t) {
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         t.time_since_epoch())
                         .count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  AppendInt(out, tm.tm_year + 1900, 4);
  out->push_back('-');
  AppendInt(out, tm.tm_mon + 1, 2);
  out->push_back('-');
  AppendInt(out, tm.tm_mday, 2);
  out->push_back('T');
  AppendInt(out, tm.tm_hour, 2);
  out->push_back(':');
  AppendInt(out, tm.tm_min, 2);
  out->push_back(':');
  AppendInt(out, tm.tm_sec, 2);
  out->push_back('.');
  AppendInt(out, ms % 1000, 3);
  out->push_back('Z');
}

// 1.234 (milliseconds, microsecond precision).
void AppendMillis(std::string* out, std::chrono::nanoseconds d) {
  const int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  AppendInt(out, us / 1000);
  out->push_back('.');
  AppendInt(out, us % 1000, 3);
}

bool IsPlainText(unsigned char c) { return c > 0x20 && c < 0x7f; }

// logfmt: bare when the value is non-empty printable ASCII without '"',
// '=' or '\'; quoted otherwise, with '"', '\' and every byte outside
// printable ASCII escaped (\n, \t, \xNN).
void AppendTextValue(std::string* out, std::string_view v) {
  bool bare = !v.empty() && v != "-";
  for (unsigned char c : v) {
    if (!IsPlainText(c) || c == '"' || c == '=' || c == '\\') {
      bare = false;
      break;
    }
  }
  if (bare) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (c < 0x20 || c >= 0x7f) {
      out->append("\\x");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

// A JSON string. Bytes outside printable ASCII become \u00XX, so the line
// is valid JSON (and UTF-8) whatever the caller sent.
void AppendJsonString(std::string* out, std::string_view v) {
  out->push_back('"');
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20 || c >= 0x7f) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

// Writes fields in one of the two syntaxes.
class LineWriter {
 public:
  LineWriter(LogFormat format, std::string* out) : json_(format == LogFormat::kJson), out_(out) {}

  void Begin(std::chrono::system_clock::time_point time, std::string_view level) {
    if (json_) {
      out_->append("{\"time\":\"");
      AppendTime(out_, time);
      out_->append("\",\"level\":\"").append(level).append("\",\"msg\":\"request\"");
    } else {
      AppendTime(out_, time);
      out_->append(" ").append(level).append(" request");
    }
  }
  // A string field; absent (text "-", JSON null) when `present` is false.
  void Str(std::string_view key, std::string_view value, bool present = true) {
    Key(key);
    if (json_) {
      if (present) {
        AppendJsonString(out_, value);
      } else {
        out_->append("null");
      }
    } else if (present) {
      AppendTextValue(out_, value);
    } else {
      out_->push_back('-');
    }
  }
  void Int(std::string_view key, int64_t v) {
    Key(key);
    AppendInt(out_, v);
  }
  void Millis(std::string_view key, std::chrono::nanoseconds d) {
    Key(key);
    AppendMillis(out_, d);
  }
  void Bool(std::string_view key, bool v) {
    Key(key);
    out_->append(v ? "true" : "false");
  }
  void End() { out_->append(json_ ? "}\n" : "\n"); }

 private:
  void Key(std::string_view key) {
    if (json_) {
      out_->append(",\"");
      out_->append(key);
      out_->append("\":");
    } else {
      out_->push_back(' ');
      out_->append(key);
      out_->push_back('=');
    }
  }

  bool json_;
  std::string* out_;
};

}  // namespace

bool ParseLogFormat(std::string_view name, LogFormat* format) {
  if (name == "text") {
    *format = LogFormat::kText;
  } else if (name == "json") {
    *format = LogFormat::kJson;
  } else {
    return false;
  }
  return true;
}

std::string_view PrincipalTypeName(gateway::Principal::Type type) {
  switch (type) {
    case gateway::Principal::Type::kRoot:
      return "root-account";
    case gateway::Principal::Type::kRamUser:
      return "ram-user";
    case gateway::Principal::Type::kAssumedRole:
      return "assumed-role";
  }
  return "unknown";
}

void FormatRequestLine(const RequestEntry& e, LogFormat format, std::string* out) {
  LineWriter w(format, out);
  const gateway::CallRecord* c = e.call;
  // The admin endpoints are logged at debug (see RequestEntry::call).
  w.Begin(e.time, c != nullptr ? "info" : "debug");
  if (c != nullptr) {
    w.Str("request_id", c->request_id, !c->request_id.empty());
  } else {
    w.Str("method", e.method);
    w.Str("path", e.path);
  }
  w.Int("status", e.status);
  if (c != nullptr) {
    w.Str("code", c->code, !c->code.empty());
    w.Str("product", c->product, !c->product.empty());
    w.Str("version", c->version, !c->version.empty());
    w.Str("action", c->action, !c->action.empty());
    w.Str("account_id", c->account_id, c->authenticated);
    w.Str("principal_type", PrincipalTypeName(c->principal_type), c->authenticated);
    w.Str("principal_name", c->principal_name, c->authenticated);
    w.Str("access_key_id", c->access_key_id, c->authenticated);
  }
  w.Millis("latency_ms", e.latency);
  w.Int("bytes_in", static_cast<int64_t>(e.bytes_in));
  w.Int("bytes_out", static_cast<int64_t>(e.bytes_out));
  w.Str("client", e.client, !e.client.empty());
  w.Bool("tls", e.tls);
  w.End();
}

void RequestLog::Write(const RequestEntry& entry) const {
  // One buffer per worker thread, reused: no allocation once warm.
  thread_local std::string line;
  line.clear();
  FormatRequestLine(entry, format_, &line);
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace swasd::server
