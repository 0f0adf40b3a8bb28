// XmlReader: the strict-but-forgiving layer between pugixml and the S3 response parsers.
//
// Internal to s3core_xml. It owns the parsed document, so node handles stay valid for its
// lifetime, and turns every way a response can be wrong into a kUnexpectedResponse Status whose
// message names the response and the element ("ListObjectsV2 response: <Size> '-1' is not an
// unsigned integer"). Nothing here recurses over the document, so nesting depth cannot exhaust
// the stack, and pugixml expands no DTD entities (no "billion laughs").
//
// Element names are matched by local name: S3 declares a default namespace, but a server that
// writes a prefix (<s3:Key>) is still read correctly.
#pragma once

#include <pugixml.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "s3core/model.h"
#include "s3core/status.h"
#include "s3core/xml/s3_xml.h"

namespace s3core::xml_internal {

enum class Need { kOptional, kRequired };

// The element name without a namespace prefix.
std::string_view LocalName(pugi::xml_node node);
// Whether `node` is an element called `name`.
bool IsElement(pugi::xml_node node, std::string_view name);
// The first child element called `name`, or a null node.
pugi::xml_node FindChild(pugi::xml_node parent, std::string_view name);

// Strips one pair of surrounding double quotes, written literally or as a leftover "&quot;"
// (servers that escape twice), after trimming whitespace.
std::string UnquoteETag(std::string_view etag);

// Percent-decoding as for encoding-type=url listings: "%XX" is a byte and '+' a space
// (S3 writes a literal '+' as %2B). A '%' not followed by two hex digits is an error.
Result<std::string> UrlDecode(std::string_view encoded);

class XmlReader {
 public:
  // `what` prefixes every error message, e.g. "ListObjectsV2 response".
  explicit XmlReader(std::string what) : what_(std::move(what)) {}
  XmlReader(const XmlReader&) = delete;
  XmlReader& operator=(const XmlReader&) = delete;

  // Parses `body` and returns its root element, which must have one of the names in `roots`.
  // A root <Error> (S3 sends HTTP 200 with an error document when CompleteMultipartUpload or
  // a copy fails late) becomes the S3 error it describes; see ErrorStatusIn200().
  Result<pugi::xml_node> Load(std::string_view body, std::initializer_list<std::string_view> roots);
  // Parses `body` and returns its root element, whatever its name. Used by ParseError.
  Result<pugi::xml_node> LoadAnyRoot(std::string_view body);

  Status Error(std::string_view message) const;

  // The text of `element`: all its text and CDATA children, joined. An element child is an
  // error (a value we expect to be text is not). `trim` drops surrounding ASCII whitespace;
  // keys and prefixes are never trimmed, since " a " is a valid key.
  Result<std::string> Text(pugi::xml_node element, bool trim) const;

  // Field readers. Each looks for the first child `name` of `parent`; when it is absent, a
  // kOptional field leaves *out untouched and a kRequired one is an error.
  Status String(pugi::xml_node parent, std::string_view name, std::string* out, Need need = Need::kOptional) const;
  // Untrimmed, and percent-decoded when `url_encoded`.
  Status Key(pugi::xml_node parent, std::string_view name, bool url_encoded, std::string* out,
             Need need = Need::kOptional) const;
  Status ETag(pugi::xml_node parent, std::string_view name, std::string* out, Need need = Need::kOptional) const;
  // Decimal digits only: no sign, no spaces inside, no overflow.
  Status Uint64(pugi::xml_node parent, std::string_view name, uint64_t* out, Need need = Need::kOptional) const;
  // "true" or "false" (any case).
  Status Bool(pugi::xml_node parent, std::string_view name, bool* out, Need need = Need::kOptional) const;
  // ISO 8601, see ParseIso8601.
  Status Time(pugi::xml_node parent, std::string_view name, TimePoint* out, Need need = Need::kOptional) const;

  // The fields of an <Error> element; <Code> is required.
  Result<S3ErrorBody> ErrorBody(pugi::xml_node error) const;

  // Whether the root has <EncodingType>url</EncodingType>; another encoding type is an error.
  Result<bool> IsUrlEncoded(pugi::xml_node root) const;

 private:
  // Finds the child and its text; sets *found to false (and returns OK) when absent and optional.
  Status FieldText(pugi::xml_node parent, std::string_view name, Need need, bool trim, std::string* text,
                   bool* found) const;

  std::string what_;
  pugi::xml_document doc_;
};

}  // namespace s3core::xml_internal
