// Parsing of the JSON credential documents of the container endpoint and IMDS:
//   {"Code": "Success", "AccessKeyId": "...", "SecretAccessKey": "...", "Token": "...",
//    "Expiration": "2024-01-01T00:00:00Z", ...}
#pragma once

#include <string_view>

#include "s3core/auth/credentials.h"
#include "s3core/status.h"

namespace s3core::credentials_internal {

// kUnexpectedResponse when the text is not a JSON object, misses AccessKeyId or SecretAccessKey,
// has a "Code" other than "Success", or has a malformed Expiration (or none when
// `require_expiration`). Messages never quote the document: it holds secrets.
Result<Credentials> ParseJsonCredentials(std::string_view text, bool require_expiration);

// "code: message" from an error document ({"code": ..., "message": ...} or the capitalised
// names), "" when the body is not such a document. Truncated to a few hundred characters.
std::string JsonErrorSummary(std::string_view text);

}  // namespace s3core::credentials_internal
