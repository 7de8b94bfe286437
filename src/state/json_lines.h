// Where each value of a JSON text starts, so that a message about a
// document's part can name its line ("fixture.json:14: ..."). nlohmann's
// parser keeps no positions; this is a small scanner of its own.
#ifndef SWASD_STATE_JSON_LINES_H_
#define SWASD_STATE_JSON_LINES_H_

#include <map>
#include <string>
#include <string_view>

namespace swasd::state {

// Paths are written as in messages: `Accounts[0].Instances[1].PlanId`; the
// document itself is "".
class JsonLines {
 public:
  // Scans `text`, which should be valid JSON; on malformed text it records
  // what it saw up to the fault and stops (the parser reports the fault).
  explicit JsonLines(std::string_view text);

  // The 1-based line where the value at `path` starts; for a path not
  // recorded, the line of its nearest recorded ancestor (1 at worst).
  int LineOf(const std::string& path) const;

 private:
  std::map<std::string, int> lines_;
};

}  // namespace swasd::state

#endif  // SWASD_STATE_JSON_LINES_H_
