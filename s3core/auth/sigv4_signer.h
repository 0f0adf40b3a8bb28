// SigV4Signer: SignRequest / PresignQuery with a cache of derived signing keys.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "s3core/auth/sigv4.h"

namespace s3core {

// Signs exactly like the free functions in sigv4.h, but derives each signing key (a chain of
// four HMACs) once per (secret, day, region, service) instead of once per request. Thread-safe;
// meant to live as long as the client that owns it (no global state).
//
// The cache is keyed by a SHA-256 over the secret and the scope, so it holds no secret in clear;
// the derived keys themselves are only valid for one day, region and service. When it holds
// `max_keys` entries it is emptied (keys change once a day, or when credentials rotate).
class SigV4Signer {
 public:
  explicit SigV4Signer(size_t max_keys = 8) : max_keys_(max_keys == 0 ? 1 : max_keys) {}
  ~SigV4Signer();
  SigV4Signer(const SigV4Signer&) = delete;
  SigV4Signer& operator=(const SigV4Signer&) = delete;

  // See SignRequest.
  void Sign(SignableRequest& request, const Credentials& credentials, const SigningParams& params);
  // See PresignQuery.
  std::vector<std::pair<std::string, std::string>> Presign(const SignableRequest& request,
                                                           const Credentials& credentials,
                                                           const SigningParams& params,
                                                           std::chrono::seconds expires);

  // Number of signing keys currently cached (for tests and metrics).
  size_t cached_keys() const;

 private:
  std::string SigningKey(const Credentials& credentials, const SigningParams& params);

  const size_t max_keys_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> keys_;  // guarded by mu_: cache id -> derived key
};

}  // namespace s3core
