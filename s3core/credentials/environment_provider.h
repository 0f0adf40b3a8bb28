// Credentials from environment variables.
//
//   access key id:  AWS_ACCESS_KEY_ID, else AWS_ACCESS_KEY (old Java SDK name), else AWSACCESSKEYID (s3fs)
//   secret key:     AWS_SECRET_ACCESS_KEY, else AWS_SECRET_KEY, else AWSSECRETACCESSKEY (s3fs)
//   session token:  AWS_SESSION_TOKEN, else AWSSESSIONTOKEN (s3fs); optional
// Empty variables count as unset. An id without a secret (or the reverse) is an error, not a
// reason to fall through to the next provider: half a key pair is a configuration mistake.
#pragma once

#include "s3core/auth/credentials.h"
#include "s3core/credentials/environment.h"

namespace s3core {

class EnvironmentCredentialsProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentCredentialsProvider(Environment env) : env_(std::move(env)) {}

  // source "env".
  Result<Credentials> Get() override;

  // Whether any access key or secret variable is set (the chain asks before Get()).
  bool IsConfigured() const;

 private:
  Environment env_;
};

}  // namespace s3core
