// The JSON reader under the RAM policy language: nlohmann's SAX parser
// building a DOM within limits (nesting depth, items per container), with
// no duplicate keys, and errors that name the place ("Statement[0]: ...")
// without echoing raw input bytes. Not policy logic: policy.cc reads a
// document with it and maps its errors to the policy error codes. Internal
// to the ram target (nlohmann_json is a private dependency).
#ifndef SWASD_RAM_JSON_READER_H_
#define SWASD_RAM_JSON_READER_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace swasd::ram {

struct JsonLimits {
  int max_depth;     // open containers at once
  size_t max_items;  // items of one array, keys of one object
};

// Why a text was not read.
struct JsonError {
  // True: not a JSON document we can read (syntax, trailing bytes, nesting
  // too deep). False: JSON we refuse (a duplicate key, too many items).
  bool malformed;
  std::string why;  // e.g. "Statement[0]: duplicate key \"Effect\""
};

// Reads `text` (strict: nothing may follow the document) into *out, or
// returns why not. Numbers: integers are number nodes; a float is a binary
// node holding its literal text ("1.50", "1E9"), so it reads back exactly
// as written (IsJsonNumber, JsonNumberText).
std::optional<JsonError> ReadJson(std::string_view text,
                                  const JsonLimits& limits,
                                  nlohmann::json* out);

// Whether `v` is a number as ReadJson stores it, and its text.
bool IsJsonNumber(const nlohmann::json& v);
std::string JsonNumberText(const nlohmann::json& v);

// `s` quoted for an error message: at most 64 characters (the cut never
// splits a UTF-8 sequence, so the message stays valid UTF-8).
std::string QuoteForMessage(std::string_view s);

}  // namespace swasd::ram

#endif  // SWASD_RAM_JSON_READER_H_
