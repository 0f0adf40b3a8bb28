#include "csi/common/secrets.h"

#include "s3core/client/endpoint.h"

namespace s3csi {

using s3core::Result;
using s3core::Status;

Result<S3Access> ParseSecrets(const std::map<std::string, std::string>& secrets) {
  S3Access out;
  auto get = [&](const char* key) {
    auto it = secrets.find(key);
    return it == secrets.end() ? std::string() : it->second;
  };
  out.access_key_id = get("accessKeyID");
  out.secret_access_key = get("secretAccessKey");
  out.session_token = get("sessionToken");
  out.endpoint = get("endpoint");
  out.region = get("region");
  // Messages name the keys, never their values.
  if (out.access_key_id.empty() != out.secret_access_key.empty()) {
    return Status::InvalidArgument("secrets: accessKeyID and secretAccessKey must be given together");
  }
  if (!out.session_token.empty() && out.access_key_id.empty()) {
    return Status::InvalidArgument("secrets: sessionToken without accessKeyID and secretAccessKey");
  }
  // s3mount receives the keys in an s3fs-style "KEY:SECRET" line, so neither may hold ':' or blanks.
  for (const std::string* v : {&out.access_key_id, &out.secret_access_key}) {
    if (v->find_first_of(":\n\r\t ") != std::string::npos) {
      return Status::InvalidArgument("secrets: accessKeyID/secretAccessKey contain blanks or ':'");
    }
  }
  if (!out.endpoint.empty() && !s3core::Endpoint::Parse(out.endpoint).ok()) {
    return Status::InvalidArgument("secrets: endpoint is not a valid URL");
  }
  return out;
}

}  // namespace s3csi
