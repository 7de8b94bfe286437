#include "ram/json_writer.h"

#include "base/encoding.h"

namespace swasd::ram {
namespace {

// True iff `v` is a JSON number literal or true/false whose re-parse gives
// back exactly `v` (policy.cc's ConditionValue): every float literal keeps its text,
// integers are re-spelled by the parser, which changes only "-0".
bool IsRoundTripLiteral(std::string_view v) {
  if (v == "true" || v == "false") return true;
  if (v == "-0") return false;
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    return i - start;
  };
  if (i < v.size() && v[i] == '-') ++i;
  if (i < v.size() && v[i] == '0') {
    ++i;
  } else if (digits() == 0) {
    return false;
  }
  if (i < v.size() && v[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == v.size();
}

}  // namespace

void JsonWriter::String(std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    auto ch = DecodeUtf8(s, i);
    if (!ch) {  // only a hand-built policy: replace, never emit junk
      out += "\ufffd";
      ++i;
      continue;
    }
    size_t n = ch->length;
    if (n > 1) {
      out.append(s.substr(i, n));
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\b') {
      out += "\\b";
    } else if (c == '\f') {
      out += "\\f";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
    i += n;
  }
  out += '"';
}

void JsonWriter::Value(std::string_view v, bool literal_ok) {
  if (literal_ok && IsRoundTripLiteral(v)) {
    out.append(v);
  } else {
    String(v);
  }
}

void JsonWriter::List(const std::vector<std::string>& items, bool literal_ok) {
  if (items.size() == 1) return Value(items[0], literal_ok);
  out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    Value(items[i], literal_ok);
  }
  out += ']';
}

void JsonWriter::Field(std::string_view name) {
  out += ',';
  String(name);
  out += ':';
}

}  // namespace swasd::ram
