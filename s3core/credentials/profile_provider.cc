#include "s3core/credentials/profile_provider.h"

#include <charconv>

#include "s3core/credentials/shared_config.h"
#include "s3core/credentials/web_identity_provider.h"

namespace s3core {

namespace {

using credentials_internal::IniSection;

// Keys that mean "this profile is meant to supply credentials".
constexpr const char* kCredentialKeys[] = {"aws_access_key_id", "aws_secret_access_key", "aws_session_token",
                                           "role_arn", "web_identity_token_file", "credential_process",
                                           "sso_start_url", "sso_session", "source_profile", "credential_source"};

std::string Value(const IniSection& keys, const char* name) {
  auto it = keys.find(name);
  return it == keys.end() ? std::string() : it->second;
}

}  // namespace

ProfileCredentialsProvider::ProfileCredentialsProvider(Environment env, std::string profile,
                                                       std::shared_ptr<HttpClient> http)
    : env_(std::move(env)),
      profile_(ResolveProfileName(env_, profile)),
      named_explicitly_(!profile.empty() || env_.Get("AWS_PROFILE").has_value()),
      http_(std::move(http)) {}

bool ProfileCredentialsProvider::IsConfigured() const {
  auto loaded = credentials_internal::LoadSharedProfile(env_, profile_);
  if (!loaded.ok()) return true;  // an unreadable file: let Get() report it
  if (!loaded->found) return named_explicitly_;
  for (const char* key : kCredentialKeys) {
    if (loaded->keys.count(key) != 0) return true;
  }
  return false;  // a profile with only region and such: credentials come from elsewhere
}

Result<Credentials> ProfileCredentialsProvider::Get() {
  Result<Credentials> result = Load();
  if (!result.ok()) {
    return Status::Error(ErrorKind::kCredentials, "profile " + profile_ + ": " + result.status().message());
  }
  return result;
}

Result<Credentials> ProfileCredentialsProvider::Load() {
  S3_ASSIGN_OR_RETURN(credentials_internal::SharedProfile loaded,
                      credentials_internal::LoadSharedProfile(env_, profile_));
  const std::string source = "profile:" + profile_;
  if (!loaded.found) return Status::NotFound("not found in " + loaded.files);
  const IniSection& keys = loaded.keys;

  const std::string id = Value(keys, "aws_access_key_id");
  const std::string secret = Value(keys, "aws_secret_access_key");
  if (!id.empty() || !secret.empty()) {
    if (id.empty()) return Status::InvalidArgument("aws_secret_access_key is set but aws_access_key_id is not");
    if (secret.empty()) return Status::InvalidArgument("aws_access_key_id is set but aws_secret_access_key is not");
    Credentials credentials;
    credentials.access_key_id = id;
    credentials.secret_access_key = secret;
    credentials.session_token = Value(keys, "aws_session_token");
    credentials.source = source;
    return credentials;
  }

  const std::string role_arn = Value(keys, "role_arn");
  const std::string token_file = Value(keys, "web_identity_token_file");
  if (!role_arn.empty() && !token_file.empty()) {
    WebIdentityOptions options;
    options.role_arn = role_arn;
    options.token_file = token_file;
    options.session_name = Value(keys, "role_session_name");
    options.sts_endpoint = StsEndpoint(env_, Value(keys, "region"));
    options.source = source;
    const std::string duration = Value(keys, "duration_seconds");
    long seconds = 0;
    if (!duration.empty()) {
      auto [end, ec] = std::from_chars(duration.data(), duration.data() + duration.size(), seconds);
      if (ec != std::errc() || end != duration.data() + duration.size() || seconds <= 0) {
        return Status::InvalidArgument("duration_seconds is not a positive integer");
      }
    }
    options.duration = std::chrono::seconds(seconds);
    return WebIdentityCredentialsProvider(std::move(options), http_, env_.now).Get();
  }

  if (!role_arn.empty()) {
    return Status::Error(ErrorKind::kNotImplemented,
                         "role_arn without web_identity_token_file (source_profile / credential_source) "
                         "is not supported");
  }
  if (keys.count("credential_process") != 0) {
    return Status::Error(ErrorKind::kNotImplemented, "credential_process is not supported");
  }
  if (keys.count("sso_start_url") != 0 || keys.count("sso_session") != 0) {
    return Status::Error(ErrorKind::kNotImplemented, "SSO profiles are not supported");
  }
  return Status::NotFound("has no aws_access_key_id / aws_secret_access_key in " + loaded.files);
}

}  // namespace s3core
