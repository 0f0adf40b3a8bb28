#include "s3core/credentials/sts_response.h"

#include <pugixml.hpp>

#include "s3core/credentials/text_util.h"

namespace s3core::credentials_internal {

namespace {

bool Load(pugi::xml_document& doc, std::string_view xml) {
  // parse_default without DOCTYPE/PI expansion concerns: pugixml never fetches entities.
  return doc.load_buffer(xml.data(), xml.size(), pugi::parse_default).status == pugi::status_ok;
}

std::string Text(const pugi::xml_node& parent, const char* name) {
  return std::string(Trim(parent.child(name).text().as_string()));
}

}  // namespace

Result<Credentials> ParseAssumeRoleWithWebIdentityResponse(std::string_view xml) {
  pugi::xml_document doc;
  if (!Load(doc, xml)) return Status::UnexpectedResponse("STS answer is not valid XML");
  pugi::xml_node creds = doc.child("AssumeRoleWithWebIdentityResponse")
                             .child("AssumeRoleWithWebIdentityResult")
                             .child("Credentials");
  if (!creds) {
    return Status::UnexpectedResponse("STS answer has no AssumeRoleWithWebIdentityResult/Credentials element");
  }
  Credentials out;
  out.access_key_id = Text(creds, "AccessKeyId");
  out.secret_access_key = Text(creds, "SecretAccessKey");
  out.session_token = Text(creds, "SessionToken");
  std::string expiration = Text(creds, "Expiration");
  if (out.access_key_id.empty() || out.secret_access_key.empty() || out.session_token.empty()) {
    return Status::UnexpectedResponse("STS answer lacks AccessKeyId, SecretAccessKey or SessionToken");
  }
  auto when = ParseExpiration(expiration);
  if (!when) return Status::UnexpectedResponse("STS answer has a missing or malformed Expiration");
  out.expiration = *when;
  return out;
}

std::optional<StsError> ParseStsError(std::string_view xml) {
  pugi::xml_document doc;
  if (!Load(doc, xml)) return std::nullopt;
  pugi::xml_node root = doc.child("ErrorResponse");
  pugi::xml_node error = root.child("Error");
  if (!error) return std::nullopt;
  StsError out;
  out.code = Text(error, "Code");
  out.message = Text(error, "Message");
  out.request_id = Text(root, "RequestId");
  if (out.code.empty()) return std::nullopt;
  return out;
}

}  // namespace s3core::credentials_internal
