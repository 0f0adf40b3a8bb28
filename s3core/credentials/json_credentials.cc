#include "s3core/credentials/json_credentials.h"

#include <nlohmann/json.hpp>

#include "s3core/credentials/text_util.h"

namespace s3core::credentials_internal {

namespace {

using nlohmann::json;

// The string member `name`, or "" if absent or not a string.
std::string StringMember(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

json ParseObject(std::string_view text) {
  // allow_exceptions = false: a malformed document yields a "discarded" value, never a throw.
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return json();
  return doc;
}

}  // namespace

Result<Credentials> ParseJsonCredentials(std::string_view text, bool require_expiration) {
  json doc = ParseObject(text);
  if (doc.is_null()) return Status::UnexpectedResponse("credentials document is not a JSON object");
  if (std::string code = StringMember(doc, "Code"); !code.empty() && code != "Success") {
    return Status::UnexpectedResponse("credentials document has Code " + code.substr(0, 64));
  }
  Credentials out;
  out.access_key_id = StringMember(doc, "AccessKeyId");
  out.secret_access_key = StringMember(doc, "SecretAccessKey");
  out.session_token = StringMember(doc, "Token");
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return Status::UnexpectedResponse("credentials document lacks AccessKeyId or SecretAccessKey");
  }
  std::string expiration = StringMember(doc, "Expiration");
  if (!expiration.empty()) {
    auto when = ParseExpiration(expiration);
    if (!when) return Status::UnexpectedResponse("credentials document has a malformed Expiration");
    out.expiration = *when;
  } else if (require_expiration) {
    return Status::UnexpectedResponse("credentials document has no Expiration");
  }
  return out;
}

std::string JsonErrorSummary(std::string_view text) {
  json doc = ParseObject(text);
  if (doc.is_null()) return "";
  std::string code = StringMember(doc, "code");
  if (code.empty()) code = StringMember(doc, "Code");
  std::string message = StringMember(doc, "message");
  if (message.empty()) message = StringMember(doc, "Message");
  std::string summary = code.empty() ? message : (message.empty() ? code : code + ": " + message);
  return summary.substr(0, 300);
}

}  // namespace s3core::credentials_internal
