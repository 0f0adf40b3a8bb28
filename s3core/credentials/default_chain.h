// The default credentials chain: where s3core looks for credentials, in order.
//
//   1. anonymous                  when options.anonymous (public buckets): no signing at all
//   2. static                     options.access_key_id / secret_access_key / session_token
//   3. passwd-file:<path>         options.passwd_file (s3fs's passwd_file option)
//   4. env                        AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
//                                 (and the s3fs and legacy names, see environment_provider.h)
//   5. passwd-file:<path>         AWS_CREDENTIAL_FILE (s3fs reads it right after the variables)
//   6. web-identity               AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (EKS IRSA)
//   7. profile:NAME               ~/.aws/credentials and ~/.aws/config (keys or web identity role)
//   8. passwd-file (defaults)     $HOME/.passwd-s3fs, then /etc/passwd-s3fs
//   9. container                  AWS_CONTAINER_CREDENTIALS_{RELATIVE,FULL}_URI (ECS, EKS Pod Identity)
//  10. imds                       EC2 instance metadata (IMDSv2), unless AWS_EC2_METADATA_DISABLED
// Steps 1-8 follow s3fs's order (command line, passwd_file, variables, AWS_CREDENTIAL_FILE,
// ~/.aws/credentials, ~/.passwd-s3fs, /etc/passwd-s3fs) with the AWS SDKs' web identity step
// slotted where the SDKs put it (after the variables, before the profile); 9-10 end the chain as
// in the SDKs. The default passwd files come after the profile, as in s3fs, so that an s3fs
// user's existing files keep working and an AWS user's files keep their usual precedence.
//
// How a step is chosen: each step first says, without network I/O, whether it is configured at
// all (its variables set, its files present, its profile holding credential keys). Unconfigured
// steps are skipped. The first configured step is asked; if it fails, the chain fails with its
// error rather than falling through, because a broken configuration (a passwd file with mode
// 0644, half a key pair, an STS rejection) should be reported, not masked by credentials of
// another identity found further down. The step that succeeded is remembered and asked directly
// from then on, as the AWS SDKs do; until one succeeds, each Get() walks the chain again.
// If no step is configured, the error lists every step (no secrets) and how to fix it.
//
// Each step's provider is wrapped in a CachingCredentialsProvider, so files are read and
// endpoints asked only when credentials near expiry (or every caching.reload_interval).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "s3core/auth/credentials.h"
#include "s3core/credentials/caching_provider.h"
#include "s3core/credentials/environment.h"
#include "s3core/http/http_client.h"

namespace s3core {

struct DefaultCredentialsChainOptions {
  bool anonymous = false;
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string passwd_file;  // an explicit s3fs passwd file
  std::string bucket;       // selects BUCKET:KEY:SECRET lines of passwd files
  std::string profile;      // "" = AWS_PROFILE, else "default"
  // For STS and the container endpoint; without it, those steps fail when configured.
  std::shared_ptr<HttpClient> http;
  // For IMDS, built with short timeouts (1 s connect, a few seconds per request: see
  // imds_provider.h). Without it, the IMDS step is skipped.
  std::shared_ptr<HttpClient> imds_http;
  Environment env = Environment::Process();
  CachingOptions caching;
};

class DefaultCredentialsChain final : public CredentialsProvider {
 public:
  struct Step {
    std::string name;                  // for messages: "env", "profile:dev", ...
    std::function<bool()> configured;  // cheap, no network; empty = always configured
    std::shared_ptr<CredentialsProvider> provider;
  };

  explicit DefaultCredentialsChain(DefaultCredentialsChainOptions options);
  // A chain of given steps (tests, or a caller that wants another order).
  explicit DefaultCredentialsChain(std::vector<Step> steps);

  Result<Credentials> Get() override;

  // The steps in order, and the one that was chosen ("" until one succeeded).
  std::vector<std::string> StepNames() const;
  std::string ChosenStep() const;

  // The ordered steps for `options` (exposed for tests).
  static std::vector<Step> BuildSteps(const DefaultCredentialsChainOptions& options);

 private:
  const Step* Chosen() const;

  const std::vector<Step> steps_;
  mutable std::mutex mu_;
  const Step* chosen_ = nullptr;  // guarded by mu_
  std::mutex walk_mu_;            // one walk at a time
};

}  // namespace s3core
