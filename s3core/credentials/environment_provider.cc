#include "s3core/credentials/environment_provider.h"

#include <initializer_list>

namespace s3core {

namespace {

constexpr std::initializer_list<const char*> kAccessKeyVars = {"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY",
                                                               "AWSACCESSKEYID"};
constexpr std::initializer_list<const char*> kSecretKeyVars = {"AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY",
                                                               "AWSSECRETACCESSKEY"};
constexpr std::initializer_list<const char*> kTokenVars = {"AWS_SESSION_TOKEN", "AWSSESSIONTOKEN"};

std::optional<std::string> FirstSet(const Environment& env, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (auto value = env.Get(name)) return value;
  }
  return std::nullopt;
}

}  // namespace

bool EnvironmentCredentialsProvider::IsConfigured() const {
  return FirstSet(env_, kAccessKeyVars).has_value() || FirstSet(env_, kSecretKeyVars).has_value();
}

Result<Credentials> EnvironmentCredentialsProvider::Get() {
  std::optional<std::string> id = FirstSet(env_, kAccessKeyVars);
  std::optional<std::string> secret = FirstSet(env_, kSecretKeyVars);
  if (!id && !secret) {
    return Status::Error(ErrorKind::kCredentials,
                         "environment: neither AWS_ACCESS_KEY_ID nor AWSACCESSKEYID is set");
  }
  if (!id) {
    return Status::Error(ErrorKind::kCredentials,
                         "environment: a secret key variable is set but AWS_ACCESS_KEY_ID is not");
  }
  if (!secret) {
    return Status::Error(ErrorKind::kCredentials,
                         "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  }
  Credentials credentials;
  credentials.access_key_id = std::move(*id);
  credentials.secret_access_key = std::move(*secret);
  credentials.session_token = FirstSet(env_, kTokenVars).value_or("");
  credentials.source = "env";
  return credentials;
}

}  // namespace s3core
