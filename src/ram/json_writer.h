// The canonical JSON writer under the RAM policy language (SerializePolicy
// drives it). It never writes a value in more characters than the shortest
// JSON spelling of it, so the canonical form of a parsed document is never
// longer than the document (and always parses again): no whitespace,
// one-item lists as their item, values that spell a JSON number or boolean
// unquoted where allowed, non-ASCII text raw, and the short escapes where
// JSON has them. Not policy logic; internal to the ram target.
#ifndef SWASD_RAM_JSON_WRITER_H_
#define SWASD_RAM_JSON_WRITER_H_

#include <string>
#include <string_view>
#include <vector>

namespace swasd::ram {

struct JsonWriter {
  std::string out;

  // `s` as a JSON string. Bytes that are not UTF-8 (only a hand-built
  // document has them) are written as U+FFFD, never as junk.
  void String(std::string_view s);
  // `v` unquoted when literal_ok and it spells a JSON number or boolean
  // that reads back as exactly `v`; else as a string.
  void Value(std::string_view v, bool literal_ok);
  // One item as itself, several as a list.
  void List(const std::vector<std::string>& items, bool literal_ok);
  // ",\"name\":" -- the separator and key of an object's next member.
  void Field(std::string_view name);
};

}  // namespace swasd::ram

#endif  // SWASD_RAM_JSON_WRITER_H_
