#include "s3core/auth/sigv4_signer.h"

#include <openssl/crypto.h>

#include "s3core/auth/digest.h"

namespace s3core {
namespace {

void Wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}

}  // namespace

SigV4Signer::~SigV4Signer() {
  for (auto& entry : keys_) Wipe(entry.second);
}

std::string SigV4Signer::SigningKey(const Credentials& credentials, const SigningParams& params) {
  const std::string date = AmzDateStamp(params.now);
  // '\0' separators: no two different tuples give the same input (none of the parts holds NUL
  // in practice, and the secret comes last so it cannot shift the others).
  std::string id_input = date;
  id_input += '\0';
  id_input += params.region;
  id_input += '\0';
  id_input += params.service;
  id_input += '\0';
  id_input += credentials.secret_access_key;
  std::string id = auth_internal::Sha256(id_input);
  Wipe(id_input);

  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = keys_.find(id); it != keys_.end()) return it->second;
  }
  // Derived outside the lock: two threads may both derive the same key once; that is cheaper
  // than serialising every signature behind the HMAC chain.
  std::string key = DeriveSigningKey(credentials.secret_access_key, date, params.region, params.service);
  std::lock_guard<std::mutex> lock(mu_);
  if (keys_.size() >= max_keys_ && keys_.find(id) == keys_.end()) {
    for (auto& entry : keys_) Wipe(entry.second);
    keys_.clear();
  }
  keys_.insert_or_assign(std::move(id), key);
  return key;
}

void SigV4Signer::Sign(SignableRequest& request, const Credentials& credentials, const SigningParams& params) {
  if (credentials.anonymous()) return;
  std::string key = SigningKey(credentials, params);
  SignRequestWithKey(request, credentials, params, key);
  Wipe(key);
}

std::vector<std::pair<std::string, std::string>> SigV4Signer::Presign(const SignableRequest& request,
                                                                      const Credentials& credentials,
                                                                      const SigningParams& params,
                                                                      std::chrono::seconds expires) {
  if (credentials.anonymous()) return {};
  std::string key = SigningKey(credentials, params);
  auto query = PresignQueryWithKey(request, credentials, params, expires, key);
  Wipe(key);
  return query;
}

size_t SigV4Signer::cached_keys() const {
  std::lock_guard<std::mutex> lock(mu_);
  return keys_.size();
}

}  // namespace s3core
