// A small XML 1.0 well-formedness checker for what gateway::ToXml writes: an
// XML declaration, then one element tree of start/end tags, character data
// and entity/character references (no attributes, comments, CDATA, PIs or
// DTDs -- ToXml never writes them, so meeting one is an error too).
// Checks: UTF-8 well-formedness, every character an XML Char, names are
// XML Names, tags balanced, no raw '<' or '&' in text, references valid.
#ifndef SWASD_FUZZ_XML_CHECK_H_
#define SWASD_FUZZ_XML_CHECK_H_

#include <string>
#include <string_view>
#include <vector>

namespace swasd::fuzz {

struct XmlNode {
  std::string name;
  std::string text;  // character data directly inside, references decoded
  std::vector<XmlNode> children;
};

// Parses `doc`. Returns false with *error set when it is not well-formed.
bool ParseXml(std::string_view doc, XmlNode* root, std::string* error);

// Whether `name` is an XML 1.0 Name (ASCII-strict plus the non-ASCII
// NameStartChar/NameChar ranges of the spec).
bool IsXmlName(std::string_view name);

}  // namespace swasd::fuzz

#endif  // SWASD_FUZZ_XML_CHECK_H_
