#include "ram/json_reader.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace swasd::ram {
namespace {

using json = nlohmann::json;

JsonError Malformed(std::string why) { return {true, std::move(why)}; }
JsonError Invalid(std::string why) { return {false, std::move(why)}; }

// Replaces bytes that are not printable ASCII, so text derived from raw
// input (the JSON parser's diagnostics) is always safe to render.
std::string PrintableAscii(std::string_view s, size_t max_len) {
  std::string out;
  for (char c : s.substr(0, max_len)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7F) ? c : '?';
  }
  return out;
}

// SAX consumer that builds the DOM under the parser's limits: nesting depth,
// items per container, and no duplicate keys. It tracks the path of the
// open containers so its errors name the place ("Statement[0]").
class BoundedDomSax final : public json::json_sax_t {
 public:
  explicit BoundedDomSax(const JsonLimits& limits) : limits_(limits) {}

  bool null() override { return Add(json(nullptr)) != nullptr; }
  bool boolean(bool v) override { return Add(json(v)) != nullptr; }
  bool number_integer(number_integer_t v) override {
    return Add(json(v)) != nullptr;
  }
  bool number_unsigned(number_unsigned_t v) override {
    return Add(json(v)) != nullptr;
  }
  // A float keeps its literal text ("1.50", "1E9") so condition values read
  // exactly as written; it is stored as a binary node, which JSON text can
  // never produce otherwise (see IsJsonNumber/JsonNumberText).
  bool number_float(number_float_t, const string_t& literal) override {
    return Add(json::binary(std::vector<std::uint8_t>(
               literal.begin(), literal.end()))) != nullptr;
  }
  bool string(string_t& s) override {
    return Add(json(std::move(s))) != nullptr;
  }
  bool binary(binary_t&) override {
    return Fail(Malformed("binary values are not JSON"));
  }
  bool start_object(std::size_t) override { return Open(json::object()); }
  bool key(string_t& k) override {
    json* top = stack_.back();
    if (top->contains(k)) {
      return Fail(Invalid(Where() + "duplicate key " + QuoteForMessage(k)));
    }
    if (top->size() >= limits_.max_items) {
      return Fail(Invalid(Where() + "more than " +
                          std::to_string(limits_.max_items) + " keys"));
    }
    key_ = std::move(k);
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    std::string_view what = ex.what();
    size_t bracket = what.find("] ");
    if (bracket != std::string_view::npos) what.remove_prefix(bracket + 2);
    // Drop the "; last read: '<input bytes>'" part: it echoes raw input.
    what = what.substr(0, what.find("; last read:"));
    constexpr std::string_view kAt = "parse error at ";
    if (what.starts_with(kAt)) {
      // "line 1, column 2: syntax error while parsing value - ..."
      what.remove_prefix(kAt.size());
      return Fail(Malformed("not valid JSON at " + PrintableAscii(what, 160)));
    }
    return Fail(Malformed("not valid JSON at byte " + std::to_string(position) +
                          ": " + PrintableAscii(what, 160)));
  }

  json& root() { return root_; }
  std::optional<JsonError>& error() { return error_; }

 private:
  // "Statement[0].Condition: " for the innermost open container, or "" at
  // the top level.
  std::string Where() const {
    std::string path;
    for (const std::string& seg : path_) path += seg;
    return path.empty() ? std::string() : path + ": ";
  }

  // Inserts `v` in the innermost open container (or as the root) and
  // returns it; nullptr after recording an error.
  json* Add(json v, std::string* segment = nullptr) {
    if (stack_.empty()) {
      root_ = std::move(v);
      if (segment) segment->clear();
      return &root_;
    }
    json* top = stack_.back();
    if (top->is_array()) {
      if (top->size() >= limits_.max_items) {
        Fail(Invalid(Where() + "more than " + std::to_string(limits_.max_items) +
                     " items"));
        return nullptr;
      }
      if (segment) *segment = "[" + std::to_string(top->size()) + "]";
      top->push_back(std::move(v));
      return &top->back();
    }
    if (segment) *segment = (path_.size() <= 1 ? "" : ".") + key_;
    json& slot = (*top)[key_];
    slot = std::move(v);
    return &slot;
  }

  bool Open(json container) {
    if (stack_.size() >= static_cast<size_t>(limits_.max_depth)) {
      std::string where = Where();
      if (!where.empty())
        where = " (in " + where.substr(0, where.size() - 2) + ")";
      return Fail(Malformed("nesting deeper than " +
                            std::to_string(limits_.max_depth) + " levels" +
                            where));
    }
    std::string segment;
    json* c = Add(std::move(container), &segment);
    if (c == nullptr) return false;
    stack_.push_back(c);
    path_.push_back(std::move(segment));
    return true;
  }

  bool Close() {
    stack_.pop_back();
    path_.pop_back();
    return true;
  }

  bool Fail(JsonError e) {
    if (!error_) error_ = std::move(e);
    return false;
  }

  json root_;
  std::vector<json*> stack_;
  std::vector<std::string> path_;  // parallel to stack_
  std::string key_;
  const JsonLimits limits_;
  std::optional<JsonError> error_;
};

}  // namespace

std::optional<JsonError> ReadJson(std::string_view text,
                                  const JsonLimits& limits, json* out) {
  BoundedDomSax sax(limits);
  // strict: trailing bytes after the document are an error. Errors are
  // reported through the SAX interface; sax_parse does not throw for them.
  bool ok = json::sax_parse(text, &sax, json::input_format_t::json,
                            /*strict=*/true);
  if (sax.error()) return std::move(sax.error());
  if (!ok) return Malformed("not valid JSON");
  *out = std::move(sax.root());
  return std::nullopt;
}

bool IsJsonNumber(const json& v) { return v.is_number() || v.is_binary(); }

std::string JsonNumberText(const json& v) {
  if (v.is_binary()) {
    const auto& bytes = v.get_binary();
    return std::string(bytes.begin(), bytes.end());
  }
  return v.dump();
}

std::string QuoteForMessage(std::string_view s) {
  constexpr size_t kMaxChars = 64;
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == kMaxChars) break;
      ++chars;
    }
  }
  std::string out = "\"";
  out.append(s.substr(0, i));
  if (i < s.size()) out += "...";
  out += "\"";
  return out;
}

}  // namespace swasd::ram
