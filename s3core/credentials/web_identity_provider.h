// Credentials from STS AssumeRoleWithWebIdentity (EKS IAM Roles for Service Accounts, and any
// OIDC token projected into a file).
//
// Every Get() re-reads the token file, since Kubernetes rotates the projected token, and asks
// STS for fresh credentials: wrap this provider in a CachingCredentialsProvider (the default
// chain does). The request is an unsigned POST with a form body, so the token travels in the
// body and never in a URL that a proxy or a debug log might print.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "s3core/auth/credentials.h"
#include "s3core/credentials/environment.h"
#include "s3core/http/http_client.h"

namespace s3core {

struct WebIdentityOptions {
  std::string role_arn;
  std::string token_file;
  std::string session_name;  // "" = "s3core-<unix milliseconds>"
  // Base URL of STS, scheme included, no path ("https://sts.amazonaws.com"). See StsEndpoint().
  std::string sts_endpoint = "https://sts.amazonaws.com";
  std::chrono::seconds duration{0};  // 0 = the role's default (1 hour)
  std::string source = "web-identity";  // the chain sets "profile:NAME" for a profile's role

  // From AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME; nullopt unless
  // AWS_WEB_IDENTITY_TOKEN_FILE is set (a missing AWS_ROLE_ARN is then reported by Get()).
  // `region` ("" = from AWS_REGION / AWS_DEFAULT_REGION) picks the STS endpoint.
  static std::optional<WebIdentityOptions> FromEnvironment(const Environment& env, std::string region = "");
};

// The STS endpoint, in this order: AWS_ENDPOINT_URL_STS; the regional endpoint
// https://sts.<region>.amazonaws.com when AWS_STS_REGIONAL_ENDPOINTS=regional and a region is
// known (`region`, else AWS_REGION, else AWS_DEFAULT_REGION), or always for China regions
// (.amazonaws.com.cn), which the global endpoint does not serve; else https://sts.amazonaws.com.
std::string StsEndpoint(const Environment& env, std::string region = "");

class WebIdentityCredentialsProvider final : public CredentialsProvider {
 public:
  WebIdentityCredentialsProvider(WebIdentityOptions options, std::shared_ptr<HttpClient> http,
                                 Clock clock = SystemClock());

  // Errors are kCredentials; an STS error answer is quoted by its code, message and request id.
  Result<Credentials> Get() override;

 private:
  Result<Credentials> Fetch();

  WebIdentityOptions options_;
  std::shared_ptr<HttpClient> http_;
  Clock clock_;
};

}  // namespace s3core
