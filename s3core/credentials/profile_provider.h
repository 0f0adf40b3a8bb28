// Credentials from a profile of the AWS shared files (see shared_config.h for the files and
// the profile name).
//
// A profile gives either static keys (aws_access_key_id, aws_secret_access_key, optional
// aws_session_token), or a role to assume with a web identity token (role_arn +
// web_identity_token_file, optional role_session_name, duration_seconds, region), which is
// delegated to WebIdentityCredentialsProvider. Profiles that need another mechanism
// (source_profile, credential_source, credential_process, sso_*) are reported as unsupported
// rather than silently skipped.
//
// Files are read on every Get(): wrap in a CachingCredentialsProvider to avoid that.
#pragma once

#include <memory>
#include <string>

#include "s3core/auth/credentials.h"
#include "s3core/credentials/environment.h"
#include "s3core/http/http_client.h"

namespace s3core {

class ProfileCredentialsProvider final : public CredentialsProvider {
 public:
  // `profile` "" = AWS_PROFILE or "default". `http` is only needed for web identity profiles.
  ProfileCredentialsProvider(Environment env, std::string profile = "", std::shared_ptr<HttpClient> http = nullptr);

  // source "profile:NAME".
  Result<Credentials> Get() override;

  // Whether the profile holds a credential setting, or was named explicitly (option or
  // AWS_PROFILE) and so must exist. A default profile that only sets `region` is not
  // configured: the chain then goes on to the container and instance providers.
  bool IsConfigured() const;

  const std::string& profile() const { return profile_; }

 private:
  Result<Credentials> Load();

  Environment env_;
  std::string profile_;
  bool named_explicitly_;
  std::shared_ptr<HttpClient> http_;
};

}  // namespace s3core
