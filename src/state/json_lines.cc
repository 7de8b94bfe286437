#include "state/json_lines.h"

#include <vector>

namespace swasd::state {
namespace {

struct Frame {
  bool array = false;
  int index = 0;         // arrays: the next element's index
  std::string key;       // objects: the last key read
  bool want_key = true;  // objects: a string now is a key
  std::string path;
};

std::string Child(const Frame& f) {
  if (f.array) return f.path + "[" + std::to_string(f.index) + "]";
  return f.path.empty() ? f.key : f.path + "." + f.key;
}

}  // namespace

JsonLines::JsonLines(std::string_view text) {
  std::vector<Frame> stack;
  int line = 1;
  lines_[""] = 1;
  // Records the value starting here, if it is inside a container.
  auto value_starts = [&]() -> std::string {
    if (stack.empty()) return "";
    std::string p = Child(stack.back());
    lines_.emplace(p, line);
    return p;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\n':
        ++line;
        break;
      case '{':
      case '[': {
        std::string p = value_starts();
        stack.push_back(Frame{.array = c == '[', .path = std::move(p)});
        break;
      }
      case '}':
      case ']':
        if (stack.empty()) return;
        stack.pop_back();
        break;
      case ',':
        if (stack.empty()) return;
        if (stack.back().array) {
          ++stack.back().index;
        } else {
          stack.back().want_key = true;
        }
        break;
      case ':':
        if (!stack.empty()) stack.back().want_key = false;
        break;
      case '"': {
        std::string s;
        size_t j = i + 1;
        for (; j < text.size() && text[j] != '"'; ++j) {
          if (text[j] == '\\' && j + 1 < text.size()) ++j;
          s += text[j];
        }
        if (j >= text.size()) return;
        if (!stack.empty() && !stack.back().array && stack.back().want_key) {
          stack.back().key = std::move(s);
        } else {
          value_starts();
        }
        i = j;
        break;
      }
      case ' ':
      case '\t':
      case '\r':
        break;
      default: {
        // A number or literal: record it, skip to its end.
        value_starts();
        while (i + 1 < text.size() && text[i + 1] != ',' && text[i + 1] != '}' &&
               text[i + 1] != ']' && text[i + 1] != '\n' && text[i + 1] != ' ') {
          ++i;
        }
      }
    }
  }
}

int JsonLines::LineOf(const std::string& path) const {
  std::string p = path;
  for (;;) {
    auto it = lines_.find(p);
    if (it != lines_.end()) return it->second;
    const size_t cut = p.find_last_of(".[");
    if (cut == std::string::npos) return 1;
    p.resize(cut);
  }
}

}  // namespace swasd::state
