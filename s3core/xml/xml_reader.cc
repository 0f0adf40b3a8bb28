#include "s3core/xml/xml_reader.h"

#include <charconv>

#include "s3core/xml/time_format.h"

namespace s3core::xml_internal {
namespace {

// Element names from the server end up in messages; keep them short and printable.
std::string Printable(std::string_view text, size_t limit = 64) {
  std::string out;
  for (char c : text.substr(0, limit)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > limit) out += "...";
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view LocalName(pugi::xml_node node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool IsElement(pugi::xml_node node, std::string_view name) {
  return node.type() == pugi::node_element && LocalName(node) == name;
}

pugi::xml_node FindChild(pugi::xml_node parent, std::string_view name) {
  for (pugi::xml_node child : parent.children()) {
    if (IsElement(child, name)) return child;
  }
  return {};
}

std::string UnquoteETag(std::string_view etag) {
  etag = Trim(etag);
  constexpr std::string_view kEntity = "&quot;";
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  } else if (etag.size() >= 2 * kEntity.size() && etag.substr(0, kEntity.size()) == kEntity &&
             etag.substr(etag.size() - kEntity.size()) == kEntity) {
    etag = etag.substr(kEntity.size(), etag.size() - 2 * kEntity.size());
  }
  return std::string(etag);
}

Result<std::string> UrlDecode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '+') {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      const int high = i + 2 < encoded.size() ? HexValue(encoded[i + 1]) : -1;
      const int low = high >= 0 ? HexValue(encoded[i + 2]) : -1;
      if (low < 0) {
        return Status::UnexpectedResponse("bad percent-encoding in '" + Printable(encoded) + "'");
      }
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

Status XmlReader::Error(std::string_view message) const {
  return Status::UnexpectedResponse(what_ + ": " + std::string(message));
}

Result<pugi::xml_node> XmlReader::LoadAnyRoot(std::string_view body) {
  if (Trim(body).empty()) return Error("empty body, expected an XML document");
  // parse_ws_pcdata_single keeps a text child made only of spaces: a key may be "   ".
  const pugi::xml_parse_result parsed = doc_.load_buffer(
      body.data(), body.size(), pugi::parse_default | pugi::parse_ws_pcdata_single, pugi::encoding_utf8);
  if (!parsed) {
    return Error(std::string("not well-formed XML (") + parsed.description() + " at byte " +
                 std::to_string(parsed.offset) + ")");
  }
  pugi::xml_node root;
  for (pugi::xml_node child : doc_.children()) {
    if (child.type() != pugi::node_element) continue;
    if (root) return Error("more than one root element");
    root = child;
  }
  if (!root) return Error("no root element");
  return root;
}

Result<pugi::xml_node> XmlReader::Load(std::string_view body, std::initializer_list<std::string_view> roots) {
  S3_ASSIGN_OR_RETURN(pugi::xml_node root, LoadAnyRoot(body));
  for (std::string_view name : roots) {
    if (IsElement(root, name)) return root;
  }
  if (IsElement(root, "Error")) {
    S3_ASSIGN_OR_RETURN(S3ErrorBody error, ErrorBody(root));
    return ErrorDocumentIn200Status(error);
  }
  std::string expected;
  for (std::string_view name : roots) expected += (expected.empty() ? "<" : " or <") + std::string(name) + ">";
  return Error("expected root element " + expected + ", got <" + Printable(root.name()) + ">");
}

Result<std::string> XmlReader::Text(pugi::xml_node element, bool trim) const {
  std::string text;
  for (pugi::xml_node child : element.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    } else if (child.type() == pugi::node_element) {
      return Error("<" + Printable(element.name()) + "> should hold text but contains <" +
                   Printable(child.name()) + ">");
    }
  }
  if (trim) return std::string(Trim(text));
  return text;
}

Status XmlReader::FieldText(pugi::xml_node parent, std::string_view name, Need need, bool trim, std::string* text,
                            bool* found) const {
  const pugi::xml_node child = FindChild(parent, name);
  *found = static_cast<bool>(child);
  if (!child) {
    if (need == Need::kRequired) {
      return Error("<" + Printable(parent.name()) + "> has no <" + std::string(name) + ">");
    }
    return Status::Ok();
  }
  S3_ASSIGN_OR_RETURN(*text, Text(child, trim));
  return Status::Ok();
}

Status XmlReader::String(pugi::xml_node parent, std::string_view name, std::string* out, Need need) const {
  std::string text;
  bool found = false;
  S3_RETURN_IF_ERROR(FieldText(parent, name, need, /*trim=*/true, &text, &found));
  if (found) *out = std::move(text);
  return Status::Ok();
}

Status XmlReader::Key(pugi::xml_node parent, std::string_view name, bool url_encoded, std::string* out,
                      Need need) const {
  std::string text;
  bool found = false;
  S3_RETURN_IF_ERROR(FieldText(parent, name, need, /*trim=*/false, &text, &found));
  if (!found) return Status::Ok();
  if (!url_encoded) {
    *out = std::move(text);
    return Status::Ok();
  }
  Result<std::string> decoded = UrlDecode(text);
  if (!decoded.ok()) return Error("<" + std::string(name) + ">: " + decoded.status().message());
  *out = std::move(decoded).value();
  return Status::Ok();
}

Status XmlReader::ETag(pugi::xml_node parent, std::string_view name, std::string* out, Need need) const {
  std::string text;
  bool found = false;
  S3_RETURN_IF_ERROR(FieldText(parent, name, need, /*trim=*/true, &text, &found));
  if (found) *out = UnquoteETag(text);
  return Status::Ok();
}

Status XmlReader::Uint64(pugi::xml_node parent, std::string_view name, uint64_t* out, Need need) const {
  std::string text;
  bool found = false;
  S3_RETURN_IF_ERROR(FieldText(parent, name, need, /*trim=*/true, &text, &found));
  if (!found) return Status::Ok();
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  // from_chars takes no sign for unsigned types, but check the first byte anyway: "-1" and
  // "+1" must not slip through on any library.
  if (text.empty() || text.front() < '0' || text.front() > '9' || ec == std::errc::invalid_argument ||
      ptr != end) {
    return Error("<" + std::string(name) + "> '" + Printable(text) + "' is not an unsigned integer");
  }
  if (ec == std::errc::result_out_of_range) {
    return Error("<" + std::string(name) + "> '" + Printable(text) + "' is too large");
  }
  *out = value;
  return Status::Ok();
}

Status XmlReader::Bool(pugi::xml_node parent, std::string_view name, bool* out, Need need) const {
  std::string text;
  bool found = false;
  S3_RETURN_IF_ERROR(FieldText(parent, name, need, /*trim=*/true, &text, &found));
  if (!found) return Status::Ok();
  if (EqualsIgnoreCase(text, "true")) {
    *out = true;
  } else if (EqualsIgnoreCase(text, "false")) {
    *out = false;
  } else {
    return Error("<" + std::string(name) + "> '" + Printable(text) + "' is not true or false");
  }
  return Status::Ok();
}

Status XmlReader::Time(pugi::xml_node parent, std::string_view name, TimePoint* out, Need need) const {
  std::string text;
  bool found = false;
  S3_RETURN_IF_ERROR(FieldText(parent, name, need, /*trim=*/true, &text, &found));
  if (!found) return Status::Ok();
  Result<TimePoint> time = ParseIso8601(text);
  if (!time.ok()) return Error("<" + std::string(name) + ">: " + time.status().message());
  *out = *time;
  return Status::Ok();
}

Result<S3ErrorBody> XmlReader::ErrorBody(pugi::xml_node error) const {
  S3ErrorBody body;
  S3_RETURN_IF_ERROR(String(error, "Code", &body.code, Need::kRequired));
  if (body.code.empty()) return Error("<Error> has an empty <Code>");
  S3_RETURN_IF_ERROR(String(error, "Message", &body.message));
  S3_RETURN_IF_ERROR(String(error, "RequestId", &body.request_id));
  S3_RETURN_IF_ERROR(String(error, "HostId", &body.host_id));
  S3_RETURN_IF_ERROR(String(error, "Resource", &body.resource));
  return body;
}

Result<bool> XmlReader::IsUrlEncoded(pugi::xml_node root) const {
  std::string encoding;
  S3_RETURN_IF_ERROR(String(root, "EncodingType", &encoding));
  if (encoding.empty()) return false;
  if (EqualsIgnoreCase(encoding, "url")) return true;
  return Error("unsupported <EncodingType> '" + Printable(encoding) + "'");
}

}  // namespace s3core::xml_internal
