// The libcurl state behind CurlHttpClient: a share object and a pool of reusable easy handles.
//
// Why a pool of easy handles rather than one handle per request: an easy handle keeps its own
// cache of open connections, so a handle checked out again reuses the kept-alive connection of
// its previous request (no TCP or TLS handshake). The share object adds what can be shared
// safely between handles that run on different threads at once: the DNS cache and TLS
// sessions (a new connection resumes a TLS session instead of a full handshake).
//
// The connection cache itself (CURL_LOCK_DATA_CONNECT) is deliberately NOT shared: libcurl's
// documentation (7.88 included) says "it is not supported to share connections between
// multiple concurrent threads", and the per-handle caches already give keep-alive reuse.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <mutex>
#include <vector>

#include "s3core/status.h"

namespace s3core::http_internal {

// Initialises libcurl's process-wide state exactly once (thread-safe: a function-local static)
// and returns the outcome of that one attempt. curl_global_init is process-wide by nature; it is
// never cleaned up, since another part of the process may still use libcurl after we are gone.
Status EnsureCurlGlobalInit();

// A CURLSH sharing the DNS cache and TLS sessions, with one mutex per kind of shared data as
// libcurl asks ("make sure that the callback uses a different lock for each kind of data").
class CurlShare {
 public:
  CurlShare();
  ~CurlShare();
  CurlShare(const CurlShare&) = delete;
  CurlShare& operator=(const CurlShare&) = delete;

  CURLSH* get() const { return share_; }

 private:
  static void Lock(CURL* handle, curl_lock_data data, curl_lock_access access, void* self);
  static void Unlock(CURL* handle, curl_lock_data data, void* self);
  std::mutex& MutexFor(curl_lock_data data);

  CURLSH* share_ = nullptr;
  std::mutex mutexes_[CURL_LOCK_DATA_LAST];
};

// Idle easy handles, most recently used first out (its connection is the likeliest to be alive).
// Checkout never blocks: when no idle handle is left a new one is made, so the caller's own
// concurrency decides how many transfers run at once. At most `max_idle` handles are kept; a
// handle returned beyond that is destroyed, closing its connection.
class CurlHandlePool {
 public:
  CurlHandlePool(CURLSH* share, size_t max_idle);
  ~CurlHandlePool();
  CurlHandlePool(const CurlHandlePool&) = delete;
  CurlHandlePool& operator=(const CurlHandlePool&) = delete;

  // A handle with default options (plus the share); nullptr if libcurl cannot allocate one.
  CURL* Checkout();
  // Resets the handle's options and keeps it (and its connection) idle, or destroys it.
  void Return(CURL* handle);

  size_t idle_count() const;

 private:
  CURLSH* share_;
  size_t max_idle_;
  mutable std::mutex mu_;
  std::vector<CURL*> idle_;  // guarded by mu_
};

// Returns the handle to its pool when the request is over, whatever path it leaves by.
class PooledHandle {
 public:
  explicit PooledHandle(CurlHandlePool* pool) : pool_(pool), handle_(pool->Checkout()) {}
  ~PooledHandle() {
    if (handle_ != nullptr) pool_->Return(handle_);
  }
  PooledHandle(const PooledHandle&) = delete;
  PooledHandle& operator=(const PooledHandle&) = delete;

  CURL* get() const { return handle_; }

 private:
  CurlHandlePool* pool_;
  CURL* handle_;
};

}  // namespace s3core::http_internal
