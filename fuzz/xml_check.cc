#include "xml_check.h"

#include <cstdint>

namespace swasd::fuzz {
namespace {

// Decodes one UTF-8 code point at s[*i]; false when malformed.
bool NextCodePoint(std::string_view s, size_t* i, uint32_t* cp) {
  auto c = static_cast<unsigned char>(s[*i]);
  size_t len;
  if (c < 0x80) {
    *cp = c;
    ++*i;
    return true;
  } else if ((c & 0xe0) == 0xc0) {
    len = 2;
    *cp = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3;
    *cp = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4;
    *cp = c & 0x07;
  } else {
    return false;
  }
  if (*i + len > s.size()) return false;
  for (size_t k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[*i + k]);
    if ((cc & 0xc0) != 0x80) return false;
    *cp = (*cp << 6) | (cc & 0x3f);
  }
  if ((len == 2 && *cp < 0x80) || (len == 3 && *cp < 0x800) ||
      (len == 4 && (*cp < 0x10000 || *cp > 0x10ffff)) ||
      (*cp >= 0xd800 && *cp <= 0xdfff)) {
    return false;
  }
  *i += len;
  return true;
}

bool IsXmlChar(uint32_t c) {
  return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
         (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

bool IsNameStart(uint32_t c) {
  return c == ':' || (c >= 'A' && c <= 'Z') || c == '_' ||
         (c >= 'a' && c <= 'z') || (c >= 0xc0 && c <= 0xd6) ||
         (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
         (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) ||
         (c >= 0x200c && c <= 0x200d) || (c >= 0x2070 && c <= 0x218f) ||
         (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
         (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd) ||
         (c >= 0x10000 && c <= 0xeffff);
}

bool IsNameChar(uint32_t c) {
  return IsNameStart(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') ||
         c == 0xb7 || (c >= 0x300 && c <= 0x36f) ||
         (c >= 0x203f && c <= 0x2040);
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

class Parser {
 public:
  Parser(std::string_view doc, std::string* error) : s_(doc), err_(error) {}

  bool Document(XmlNode* root) {
    // Every character of the document must be a well-formed XML Char.
    for (size_t i = 0; i < s_.size();) {
      uint32_t cp;
      if (!NextCodePoint(s_, &i, &cp)) return Fail("invalid UTF-8");
      if (!IsXmlChar(cp)) return Fail("character U+" + Hex(cp) + " is not an XML Char");
    }
    constexpr std::string_view kDecl = "<?xml version='1.0' encoding='UTF-8'?>";
    if (s_.substr(0, kDecl.size()) != kDecl) return Fail("no XML declaration");
    pos_ = kDecl.size();
    if (!Element(root, 0)) return false;
    if (pos_ != s_.size()) return Fail("content after the root element");
    return true;
  }

 private:
  bool Fail(std::string why) {
    *err_ = why + " at byte " + std::to_string(pos_);
    return false;
  }
  static std::string Hex(uint32_t v) {
    static const char* d = "0123456789ABCDEF";
    std::string out;
    do {
      out.insert(out.begin(), d[v & 15]);
      v >>= 4;
    } while (v);
    return out;
  }

  bool Name(std::string* name) {
    size_t start = pos_;
    bool first = true;
    while (pos_ < s_.size()) {
      size_t i = pos_;
      uint32_t cp;
      if (!NextCodePoint(s_, &i, &cp)) return Fail("invalid UTF-8 in a name");
      if (first ? !IsNameStart(cp) : !IsNameChar(cp)) break;
      first = false;
      pos_ = i;
    }
    if (pos_ == start) return Fail("expected a name");
    *name = std::string(s_.substr(start, pos_ - start));
    return true;
  }

  bool Reference(std::string* text) {
    size_t semi = s_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 12) return Fail("bad reference");
    std::string_view ref = s_.substr(pos_ + 1, semi - pos_ - 1);
    if (ref == "lt") *text += '<';
    else if (ref == "gt") *text += '>';
    else if (ref == "amp") *text += '&';
    else if (ref == "quot") *text += '"';
    else if (ref == "apos") *text += '\'';
    else if (ref.size() >= 2 && ref[0] == '#') {
      uint32_t v = 0;
      bool hex = ref[1] == 'x';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) return Fail("empty character reference");
      for (char c : digits) {
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return Fail("bad character reference");
        v = v * (hex ? 16 : 10) + static_cast<uint32_t>(d);
        if (v > 0x10ffff) return Fail("character reference out of range");
      }
      if (!IsXmlChar(v)) return Fail("character reference to a non-Char");
      AppendUtf8(v, text);
    } else {
      return Fail("unknown entity &" + std::string(ref) + ";");
    }
    pos_ = semi + 1;
    return true;
  }

  bool Element(XmlNode* node, int depth) {
    if (depth > 200) return Fail("nesting too deep for the checker");
    if (pos_ >= s_.size() || s_[pos_] != '<') return Fail("expected '<'");
    ++pos_;
    if (!Name(&node->name)) return false;
    if (pos_ >= s_.size() || s_[pos_] != '>') return Fail("expected '>' (no attributes are written)");
    ++pos_;
    for (;;) {
      if (pos_ >= s_.size()) return Fail("unclosed <" + node->name + ">");
      char c = s_[pos_];
      if (c == '<') {
        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '/') {
          pos_ += 2;
          std::string end;
          if (!Name(&end)) return false;
          if (end != node->name) return Fail("</" + end + "> closes <" + node->name + ">");
          if (pos_ >= s_.size() || s_[pos_] != '>') return Fail("expected '>'");
          ++pos_;
          return true;
        }
        node->children.emplace_back();
        if (!Element(&node->children.back(), depth + 1)) return false;
      } else if (c == '&') {
        if (!Reference(&node->text)) return false;
      } else {
        if (c == '>' && pos_ >= 2 && s_.substr(pos_ - 2, 2) == "]]") {
          return Fail("']]>' in character data");
        }
        node->text += c;
        ++pos_;
      }
    }
  }

  std::string_view s_;
  std::string* err_;
  size_t pos_ = 0;
};

}  // namespace

bool IsXmlName(std::string_view name) {
  if (name.empty()) return false;
  size_t i = 0;
  bool first = true;
  while (i < name.size()) {
    uint32_t cp;
    if (!NextCodePoint(name, &i, &cp)) return false;
    if (first ? !IsNameStart(cp) : !IsNameChar(cp)) return false;
    first = false;
  }
  return true;
}

bool ParseXml(std::string_view doc, XmlNode* root, std::string* error) {
  Parser p(doc, error);
  *root = XmlNode();
  return p.Document(root);
}

}  // namespace swasd::fuzz
