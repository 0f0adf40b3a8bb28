// Parsing of the STS AssumeRoleWithWebIdentity answer (XML, pugixml).
//
// Kept here rather than in s3core/xml: it is the only STS document s3core reads, and the
// credentials layer should not wait on the S3 XML layer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "s3core/auth/credentials.h"
#include "s3core/status.h"

namespace s3core::credentials_internal {

// <AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>
//   <AccessKeyId/><SecretAccessKey/><SessionToken/><Expiration/>
// kUnexpectedResponse when the document is not XML or misses a field (the message never quotes
// the document: it holds secrets).
Result<Credentials> ParseAssumeRoleWithWebIdentityResponse(std::string_view xml);

struct StsError {
  std::string code;
  std::string message;
  std::string request_id;
};

// <ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>; nullopt if the
// body is not such a document.
std::optional<StsError> ParseStsError(std::string_view xml);

}  // namespace s3core::credentials_internal
