#include "protocol/params.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "base/errors.h"

namespace swasd::protocol {
namespace {

Error Invalid(std::string message) {
  return Error(errors::kInvalidParameter, std::move(message));
}

bool HasControlChars(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Decodes one name=value piece and appends it. Checks are ordered so that a
// name is only quoted in a message after it is known to be short, valid
// UTF-8 and free of control characters (messages end up in JSON/XML bodies).
Status AppendPiece(std::string_view piece, Params* out,
                   const ParamLimits& limits) {
  if (out->size() >= limits.max_params) {
    return Invalid("too many parameters (the limit is " +
                   std::to_string(limits.max_params) + ")");
  }
  size_t eq = piece.find('=');
  std::string_view raw_name = piece.substr(0, eq);
  std::string_view raw_value =
      eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);

  std::optional<std::string> name = PercentDecode(raw_name, true);
  if (!name) return Invalid("a parameter name has a malformed %-escape");
  if (name->empty()) return Invalid("a parameter has an empty name");
  if (name->size() > limits.max_name_len) {
    return Invalid("a parameter name is longer than " +
                   std::to_string(limits.max_name_len) + " bytes");
  }
  if (!IsValidUtf8(*name)) return Invalid("a parameter name is not UTF-8");
  if (HasControlChars(*name)) {
    return Invalid("a parameter name contains control characters");
  }

  std::optional<std::string> value = PercentDecode(raw_value, true);
  if (!value) return errors::InvalidParam(*name, "malformed %-escape");
  if (value->size() > limits.max_value_len) {
    return errors::InvalidParam(
        *name, "the value is longer than " +
                   std::to_string(limits.max_value_len) + " bytes");
  }
  if (!IsValidUtf8(*value)) {
    return errors::InvalidParam(*name, "the value is not valid UTF-8");
  }
  return out->Add(std::move(*name), std::move(*value));
}

// SAX consumer accepting exactly one flat array of strings. A SAX parse
// (rather than a DOM) means nested input is refused at its first '[' or '{'
// without building anything, and the item count is bounded while reading.
class FlatStringArraySax final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit FlatStringArraySax(size_t max_items) : max_items_(max_items) {}

  bool null() override { return NotAString(); }
  bool boolean(bool) override { return NotAString(); }
  bool number_integer(number_integer_t) override { return NotAString(); }
  bool number_unsigned(number_unsigned_t) override { return NotAString(); }
  bool number_float(number_float_t, const string_t&) override {
    return NotAString();
  }
  bool binary(binary_t&) override { return NotAString(); }
  bool string(string_t& s) override {
    if (!in_array_) return Fail("is not a JSON array");
    if (items_.size() >= max_items_) {
      return Fail("has more than " + std::to_string(max_items_) + " items");
    }
    items_.push_back(std::move(s));
    return true;
  }
  bool start_object(std::size_t) override { return NotAString(); }
  bool key(string_t&) override { return NotAString(); }
  bool end_object() override { return NotAString(); }
  bool start_array(std::size_t) override {
    if (seen_array_) return NotAString();  // nested array
    seen_array_ = in_array_ = true;
    return true;
  }
  bool end_array() override {
    in_array_ = false;
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return Fail("is not a valid JSON array");
  }

  const std::string& why() const { return why_; }
  std::vector<std::string>& items() { return items_; }

 private:
  bool NotAString() {
    return Fail(in_array_ ? "must hold only strings" : "is not a JSON array");
  }
  bool Fail(std::string why) {
    if (why_.empty()) why_ = std::move(why);
    return false;
  }

  size_t max_items_;
  bool seen_array_ = false;
  bool in_array_ = false;
  std::vector<std::string> items_;
  std::string why_;
};

}  // namespace

size_t Params::LowerBound(std::string_view name) const {
  auto it = std::lower_bound(
      order_.begin(), order_.end(), name,
      [this](size_t i, std::string_view n) { return pairs_[i].first < n; });
  return static_cast<size_t>(it - order_.begin());
}

Status Params::Add(std::string name, std::string value) {
  size_t pos = LowerBound(name);
  if (pos < order_.size() && pairs_[order_[pos]].first == name) {
    return errors::InvalidParam(name, "it is given more than once");
  }
  order_.insert(order_.begin() + static_cast<std::ptrdiff_t>(pos),
                pairs_.size());
  pairs_.emplace_back(std::move(name), std::move(value));
  return Status::Ok();
}

const std::string* Params::Find(std::string_view name) const {
  size_t pos = LowerBound(name);
  if (pos < order_.size() && pairs_[order_[pos]].first == name) {
    return &pairs_[order_[pos]].second;
  }
  return nullptr;
}

bool Params::Remove(std::string_view name) {
  size_t pos = LowerBound(name);
  if (pos >= order_.size() || pairs_[order_[pos]].first != name) return false;
  size_t index = order_[pos];
  order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(pos));
  pairs_.erase(pairs_.begin() + static_cast<std::ptrdiff_t>(index));
  for (size_t& i : order_) {
    if (i > index) --i;
  }
  return true;
}

Status AppendUrlEncoded(std::string_view text, Params* out,
                        const ParamLimits& limits) {
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view()
                                         : text.substr(amp + 1);
    if (piece.empty()) continue;
    SWASD_RETURN_IF_ERROR(AppendPiece(piece, out, limits));
  }
  return Status::Ok();
}

std::vector<std::string> RepeatList(const Params& params,
                                    std::string_view prefix) {
  // Each hit is a distinct parameter, so this stops after at most
  // params.size() + 1 lookups.
  std::vector<std::string> out;
  std::string key(prefix);
  key.push_back('.');
  const size_t base = key.size();
  for (size_t n = 1;; ++n) {
    key.resize(base);
    key += std::to_string(n);
    const std::string* v = params.Find(key);
    if (v == nullptr) break;
    out.push_back(*v);
  }
  return out;
}

std::vector<std::vector<std::optional<std::string>>> RepeatStructList(
    const Params& params, std::string_view prefix,
    std::span<const std::string_view> fields) {
  std::vector<std::vector<std::optional<std::string>>> out;
  std::string key(prefix);
  key.push_back('.');
  const size_t base = key.size();
  for (size_t n = 1;; ++n) {
    std::vector<std::optional<std::string>> row;
    row.reserve(fields.size());
    bool any = false;
    for (std::string_view field : fields) {
      key.resize(base);
      key += std::to_string(n);
      key.push_back('.');
      key += field;
      const std::string* v = params.Find(key);
      if (v != nullptr) {
        any = true;
        row.emplace_back(*v);
      } else {
        row.emplace_back(std::nullopt);
      }
    }
    if (!any) break;
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<std::string>> ParseJsonStringArray(
    std::string_view value, std::string_view param_name, size_t max_items) {
  if (!IsValidUtf8(value)) {
    return errors::InvalidParam(param_name, "the value is not valid UTF-8");
  }
  std::string_view trimmed = TrimSpaces(value);
  if (trimmed.empty()) return std::vector<std::string>();

  if (trimmed.front() == '[') {
    FlatStringArraySax sax(max_items);
    // strict=true: trailing bytes after the array are an error. The SAX
    // parser reports errors through parse_error and does not throw.
    bool ok = nlohmann::json::sax_parse(trimmed, &sax,
                                        nlohmann::json::input_format_t::json,
                                        /*strict=*/true);
    if (!ok) {
      return errors::InvalidParam(
          param_name,
          "the value " + (sax.why().empty() ? std::string("is not valid JSON")
                                            : sax.why()));
    }
    return std::move(sax.items());
  }

  // The documented alternative form: a plain comma list.
  std::vector<std::string> items;
  while (true) {
    size_t comma = trimmed.find(',');
    std::string_view item = TrimSpaces(trimmed.substr(0, comma));
    if (item.empty()) {
      return errors::InvalidParam(param_name, "the list has an empty item");
    }
    if (items.size() >= max_items) {
      return errors::InvalidParam(
          param_name,
          "the list has more than " + std::to_string(max_items) + " items");
    }
    items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    trimmed = trimmed.substr(comma + 1);
  }
  return items;
}

}  // namespace swasd::protocol
