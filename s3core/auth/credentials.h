// AWS credentials and the provider seam.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "s3core/status.h"

namespace s3core {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
  std::optional<std::chrono::system_clock::time_point> expiration;  // none = never expires
  std::string source;  // which provider produced them ("env", "profile:default", ...) for logs

  bool anonymous() const { return access_key_id.empty(); }
};

// Never prints the secret or the token: safe in logs.
std::string Redacted(const Credentials& credentials);

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Current credentials; thread-safe. Providers of temporary credentials refresh them before
  // they expire. kCredentials when none can be had.
  virtual Result<Credentials> Get() = 0;
};

// Always the same credentials (explicit keys, or anonymous when access_key_id is empty).
class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials) : credentials_(std::move(credentials)) {}
  Result<Credentials> Get() override { return credentials_; }

 private:
  Credentials credentials_;
};

}  // namespace s3core
