#include "store/postgres/pg_common.h"

#include <pqxx/pqxx>

#include "base/errors.h"

namespace swasd::store::postgres {
namespace {

// PostgreSQL messages span lines ("ERROR: ...\nDETAIL: ..."); a cause is
// one log line.
std::string OneLine(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Failure Classify(const std::exception_ptr& ep, std::string_view what,
                 const pqxx::connection_base* conn) {
  auto fail = [&](FailureKind kind, std::string_view message) {
    Error e(kind == FailureKind::kOther ? errors::kInternalError
                                        : errors::kServiceUnavailable);
    e.WithCause("postgresql: " + std::string(what) + ": " + OneLine(message));
    return Failure{kind, std::move(e)};
  };
  const bool lost = conn != nullptr && !conn->is_open();
  try {
    std::rethrow_exception(ep);
  } catch (const pqxx::in_doubt_error& e) {
    return fail(FailureKind::kInDoubt, e.what());
  } catch (const pqxx::broken_connection& e) {
    return fail(FailureKind::kBroken, e.what());
  } catch (const pqxx::statement_completion_unknown& e) {
    // The statement (a COMMIT, typically) may or may not have happened.
    return fail(FailureKind::kInDoubt, e.what());
  } catch (const pqxx::transaction_rollback& e) {
    // serialization_failure, deadlock_detected and the rest of class 40.
    return fail(lost ? FailureKind::kBroken : FailureKind::kRetry, e.what());
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    if (lost || StartsWith(state, "08") || state == "57P01" ||
        state == "57P02" || state == "57P03") {
      return fail(FailureKind::kBroken, e.what());
    }
    if (StartsWith(state, "40")) return fail(FailureKind::kRetry, e.what());
    return fail(FailureKind::kOther,
                state.empty() ? std::string(e.what())
                              : "[" + state + "] " + e.what());
  } catch (const std::exception& e) {
    return fail(lost ? FailureKind::kBroken : FailureKind::kOther, e.what());
  } catch (...) {
    return fail(FailureKind::kOther, "unknown exception");
  }
}

std::string EncodeText(std::string_view s) {
  if (s.find_first_of(std::string_view("\0\1", 2)) == std::string_view::npos) {
    return std::string(s);
  }
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    if (c == '\0') {
      out += "\1\1";
    } else if (c == '\1') {
      out += "\1\2";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string DecodeText(std::string_view s) {
  if (s.find('\1') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\1' && i + 1 < s.size()) {
      out.push_back(s[i + 1] == '\1' ? '\0' : '\1');
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string TextArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (char c : EncodeText(items[i])) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

namespace {

bool IsUri(std::string_view dsn) {
  return StartsWith(dsn, "postgresql://") || StartsWith(dsn, "postgres://");
}

}  // namespace

std::string RedactDsn(std::string_view dsn) {
  std::string out(dsn);
  if (IsUri(dsn)) {
    // postgresql://user:password@host...: the userinfo ends at the last '@'
    // before the path.
    const size_t start = out.find("://") + 3;
    size_t end = out.find_first_of("/?", start);
    if (end == std::string::npos) end = out.size();
    const size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // password=... as a URI query parameter or a key=value pair.
  for (size_t pos = 0; (pos = out.find("password=", pos)) != std::string::npos;) {
    const bool at_key_start =
        pos == 0 || out[pos - 1] == ' ' || out[pos - 1] == '?' ||
        out[pos - 1] == '&';
    pos += 9;
    if (!at_key_start) continue;
    size_t end = pos;
    if (end < out.size() && out[end] == '\'') {
      ++end;
      while (end < out.size() && out[end] != '\'') {
        if (out[end] == '\\') ++end;
        ++end;
      }
      if (end < out.size()) ++end;
    } else {
      while (end < out.size() && out[end] != ' ' && out[end] != '&') ++end;
    }
    out.replace(pos, end - pos, "***");
  }
  return out;
}

std::string WithDefaultParam(std::string_view dsn, std::string_view key,
                             std::string_view value) {
  const std::string needle = std::string(key) + "=";
  for (size_t pos = 0; (pos = dsn.find(needle, pos)) != std::string_view::npos;
       ++pos) {
    if (pos == 0 || dsn[pos - 1] == ' ' || dsn[pos - 1] == '?' ||
        dsn[pos - 1] == '&') {
      return std::string(dsn);
    }
  }
  std::string out(dsn);
  if (IsUri(dsn)) {
    out += out.find('?') == std::string::npos ? '?' : '&';
  } else if (!out.empty()) {
    out += ' ';
  }
  out += needle;
  out += value;
  return out;
}

}  // namespace swasd::store::postgres
