// RequestObserver: a hook that sees every logical S3 request the client made, once it is over
// (after its retries). The metrics library (s3core/metrics) implements it; s3core itself does not
// depend on any metrics library.
//
// An event carries the operation name and outcome only: never the bucket, the key, a header or a
// credential, so that nothing an observer turns into a label can leak a secret or explode in
// cardinality.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "s3core/status.h"

namespace s3core {

struct RequestEvent {
  std::string_view operation;          // "GetObject", "PutObject", ... (a static string)
  ErrorKind outcome = ErrorKind::kOk;  // of the last attempt; kOk on success
  int http_status = 0;                 // of the last attempt; 0 when no HTTP answer came
  uint64_t bytes_sent = 0;             // request bodies, over every attempt that reached the server
  uint64_t bytes_received = 0;         // response bodies (data and XML), over every attempt
  std::chrono::nanoseconds latency{0};  // from the first attempt to the end, backoff included
  int attempts = 1;                     // 1 = no retry
};

class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  // Called on the thread that made the request; must be cheap and thread-safe.
  virtual void OnRequest(const RequestEvent& event) = 0;
};

}  // namespace s3core
