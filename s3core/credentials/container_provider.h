// Credentials from the container credentials endpoint: ECS task roles and EKS Pod Identity.
//
//   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI   path on http://169.254.170.2 (ECS), or else
//   AWS_CONTAINER_CREDENTIALS_FULL_URI       a whole URL (EKS Pod Identity: http://169.254.170.23/v1/credentials)
//   AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE   Authorization header value, re-read on every call
//                                            (EKS rotates it); wins over
//   AWS_CONTAINER_AUTHORIZATION_TOKEN        a literal Authorization header value
// Answer: {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}.
//
// As in the AWS SDKs, a full URI must be https, or http to a loopback address or to the ECS /
// EKS link-local addresses (169.254.170.2, 169.254.170.23, [fd00:ec2::23]), so that a mistyped
// variable cannot send the Authorization token in clear text across a network. Host names are
// not resolved here: "localhost" is the only name taken as loopback.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "s3core/auth/credentials.h"
#include "s3core/credentials/environment.h"
#include "s3core/http/http_client.h"

namespace s3core {

struct ContainerOptions {
  std::string relative_uri;  // path on ecs_base_url; wins over full_uri
  std::string full_uri;
  std::string authorization_token;       // "" = none
  std::string authorization_token_file;  // "" = none; wins over authorization_token
  std::string ecs_base_url = "http://169.254.170.2";  // for the relative URI; tests override

  // nullopt unless one of the two URI variables is set.
  static std::optional<ContainerOptions> FromEnvironment(const Environment& env);
};

class ContainerCredentialsProvider final : public CredentialsProvider {
 public:
  ContainerCredentialsProvider(ContainerOptions options, std::shared_ptr<HttpClient> http);

  // source "container"; errors kCredentials.
  Result<Credentials> Get() override;

 private:
  Result<Credentials> Fetch();

  ContainerOptions options_;
  std::shared_ptr<HttpClient> http_;
};

namespace credentials_internal {
// Whether the SDK rules above allow `url` as a full container credentials URI.
bool IsAllowedContainerUrl(const std::string& url);
}  // namespace credentials_internal

}  // namespace s3core
