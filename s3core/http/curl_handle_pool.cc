#include "s3core/http/curl_handle_pool.h"

#include <algorithm>
#include <string>

namespace s3core::http_internal {

Status EnsureCurlGlobalInit() {
  // C++ guarantees a function-local static is initialised once even under concurrent callers.
  // The only process-wide state in this library, and it belongs to libcurl, not to us.
  static const CURLcode kInitResult = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (kInitResult == CURLE_OK) return Status();
  return Status::Internal(std::string("curl_global_init failed: ") + curl_easy_strerror(kInitResult));
}

CurlShare::CurlShare() {
  share_ = curl_share_init();
  if (share_ == nullptr) return;  // then handles simply do not share; still correct
  curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlShare::Lock);
  curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlShare::Unlock);
  curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

CurlShare::~CurlShare() {
  // Every easy handle using the share must be gone first (CurlHandlePool is destroyed before).
  if (share_ != nullptr) curl_share_cleanup(share_);
}

std::mutex& CurlShare::MutexFor(curl_lock_data data) {
  const int index = static_cast<int>(data);
  // Out-of-range values cannot come from libcurl 7.88; fold them onto CURL_LOCK_DATA_SHARE.
  if (index < 0 || index >= CURL_LOCK_DATA_LAST) return mutexes_[CURL_LOCK_DATA_SHARE];
  return mutexes_[index];
}

void CurlShare::Lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
  // A plain mutex for both shared and single access: the unlock callback is not told which
  // access was taken, and the critical sections are tiny.
  static_cast<CurlShare*>(self)->MutexFor(data).lock();
}

void CurlShare::Unlock(CURL*, curl_lock_data data, void* self) {
  static_cast<CurlShare*>(self)->MutexFor(data).unlock();
}

CurlHandlePool::CurlHandlePool(CURLSH* share, size_t max_idle) : share_(share), max_idle_(max_idle) {
  idle_.reserve(std::min<size_t>(max_idle, 256));
}

CurlHandlePool::~CurlHandlePool() {
  for (CURL* handle : idle_) curl_easy_cleanup(handle);
}

CURL* CurlHandlePool::Checkout() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      CURL* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  CURL* handle = curl_easy_init();
  // The share survives curl_easy_reset, so it is attached once, for the handle's life.
  if (handle != nullptr && share_ != nullptr) curl_easy_setopt(handle, CURLOPT_SHARE, share_);
  return handle;
}

void CurlHandlePool::Return(CURL* handle) {
  // Drops every option of the finished request, above all its pointers into the caller's stack
  // (error buffer, callback data). Kept: the live connection, the DNS/TLS caches and the share.
  curl_easy_reset(handle);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < max_idle_) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(handle);  // outside the lock: it may close a connection
}

size_t CurlHandlePool::idle_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_.size();
}

}  // namespace s3core::http_internal
