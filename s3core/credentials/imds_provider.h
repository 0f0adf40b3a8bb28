// Credentials of the EC2 instance profile, from the instance metadata service (IMDSv2).
//
//   PUT  <endpoint>/latest/api/token                          X-aws-ec2-metadata-token-ttl-seconds: 21600
//   GET  <endpoint>/latest/meta-data/iam/security-credentials/          -> role name
//   GET  <endpoint>/latest/meta-data/iam/security-credentials/<role>    -> JSON credentials
// The two GETs carry X-aws-ec2-metadata-token. If the token PUT answers 404 or 405 (an old or
// emulated metadata service without IMDSv2) the GETs go without a token (IMDSv1); a 403 (IMDS
// disabled on the instance) or a transport error is not retried that way.
//
// Configuration: AWS_EC2_METADATA_DISABLED=true turns it off; AWS_EC2_METADATA_SERVICE_ENDPOINT
// replaces the endpoint, AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6 picks http://[fd00:ec2::254].
//
// Timeouts: off EC2 nothing answers 169.254.169.254 and a connection attempt hangs until the
// connect timeout. The HttpClient given to this provider must therefore be built with short
// timeouts (the AWS SDKs use 1 s to connect and a few seconds per request); do not share the
// S3 client's HttpClient, whose timeouts are sized for large transfers.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "s3core/auth/credentials.h"
#include "s3core/credentials/environment.h"
#include "s3core/http/http_client.h"

namespace s3core {

struct ImdsOptions {
  std::string endpoint = "http://169.254.169.254";
  std::chrono::seconds token_ttl{21600};
  bool disabled = false;

  static ImdsOptions FromEnvironment(const Environment& env);
};

class ImdsCredentialsProvider final : public CredentialsProvider {
 public:
  // `http` must have short timeouts (see above).
  ImdsCredentialsProvider(ImdsOptions options, std::shared_ptr<HttpClient> http);

  // source "imds"; errors kCredentials.
  Result<Credentials> Get() override;

  bool IsConfigured() const { return !options_.disabled; }

 private:
  Result<Credentials> Fetch();
  // GET with the session token (if any); the body of a 2xx answer.
  Result<std::string> GetMetadata(const std::string& path, const std::string& token);

  ImdsOptions options_;
  std::shared_ptr<HttpClient> http_;
};

}  // namespace s3core
