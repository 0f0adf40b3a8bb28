// Request body builders: see s3_xml.h. Written by hand rather than through pugixml so the
// output is exactly what we mean (declaration, namespace, no indentation) and cannot fail.
#include <cstdint>
#include <string>

#include "s3core/xml/s3_xml.h"

namespace s3core {
namespace {

constexpr std::string_view kDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr std::string_view kNamespace = R"( xmlns="http://s3.amazonaws.com/doc/2006-03-01/")";
// S3 rejects a DeleteObjects request with more keys than this.
constexpr size_t kMaxDeleteKeys = 1000;

void AppendElement(std::string* out, std::string_view name, std::string_view escaped_text) {
  *out += '<';
  *out += name;
  *out += '>';
  *out += escaped_text;
  *out += "</";
  *out += name;
  *out += '>';
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      // As references, a parser cannot normalise them away (CR, CRLF) or collapse them.
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default: out += c;
    }
  }
  return out;
}

bool IsXmlRepresentable(std::string_view text) {
  static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    uint32_t code_point = 0;
    size_t length = 0;
    if (lead < 0x80) {
      code_point = lead;
      length = 1;
    } else if ((lead >> 5) == 0x6) {
      code_point = lead & 0x1Fu;
      length = 2;
    } else if ((lead >> 4) == 0xE) {
      code_point = lead & 0x0Fu;
      length = 3;
    } else if ((lead >> 3) == 0x1E) {
      code_point = lead & 0x07u;
      length = 4;
    } else {
      return false;  // a continuation byte where a character should start, or 0xF8..0xFF
    }
    if (text.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0u) != 0x80u) return false;
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    if (code_point < kMinForLength[length]) return false;  // overlong form
    if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return false;
    if (code_point < 0x20 && code_point != '\t' && code_point != '\n' && code_point != '\r') return false;
    if (code_point == 0xFFFE || code_point == 0xFFFF) return false;
    i += length;
  }
  return true;
}

std::string BuildCompleteMultipartUpload(const std::vector<CompletedPart>& parts) {
  std::string out(kDeclaration);
  out += "<CompleteMultipartUpload";
  out += kNamespace;
  out += '>';
  for (const CompletedPart& part : parts) {
    std::string_view etag = part.etag;
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
    out += "<Part>";
    AppendElement(&out, "PartNumber", std::to_string(part.part_number));
    // Quotes written literally, as in the S3 documentation; only the inside needs escaping.
    AppendElement(&out, "ETag", '"' + XmlEscape(etag) + '"');
    out += "</Part>";
  }
  out += "</CompleteMultipartUpload>";
  return out;
}

Result<std::string> BuildDeleteObjects(const std::vector<std::string>& keys, bool quiet) {
  if (keys.empty()) return Status::InvalidArgument("DeleteObjects needs at least one key");
  if (keys.size() > kMaxDeleteKeys) {
    return Status::InvalidArgument("DeleteObjects takes at most 1000 keys, got " + std::to_string(keys.size()));
  }
  std::string out(kDeclaration);
  out += "<Delete";
  out += kNamespace;
  out += '>';
  if (quiet) out += "<Quiet>true</Quiet>";
  for (const std::string& key : keys) {
    if (key.empty()) return Status::InvalidArgument("DeleteObjects: empty key");
    if (!IsXmlRepresentable(key)) {
      // The key itself is not logged: it may be binary. Its length helps find it.
      return Status::InvalidArgument("DeleteObjects: a key of " + std::to_string(key.size()) +
                                     " bytes cannot be sent in XML (control character or invalid UTF-8)");
    }
    out += "<Object>";
    AppendElement(&out, "Key", XmlEscape(key));
    out += "</Object>";
  }
  out += "</Delete>";
  return out;
}

std::string BuildCreateBucketConfiguration(std::string_view region) {
  if (region.empty() || region == "us-east-1") return {};
  std::string out(kDeclaration);
  out += "<CreateBucketConfiguration";
  out += kNamespace;
  out += '>';
  AppendElement(&out, "LocationConstraint", XmlEscape(region));
  out += "</CreateBucketConfiguration>";
  return out;
}

}  // namespace s3core
