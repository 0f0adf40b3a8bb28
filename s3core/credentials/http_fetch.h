// One small HTTP exchange for the remote providers (STS, container endpoint, IMDS): the whole
// answer in memory, bounded, whatever its status.
#pragma once

#include <cstddef>
#include <string>

#include "s3core/http/http_client.h"

namespace s3core::credentials_internal {

struct FetchedResponse {
  int status = 0;
  std::string body;
};

// Sends `request` once. A transport failure keeps its Status (kNetwork / kTimeout); the caller
// wraps it into kCredentials with its own context. Bodies above `limit` bytes fail.
Result<FetchedResponse> Fetch(HttpClient& http, const HttpRequest& request, size_t limit = 1 << 20);

// Whether a status is 2xx.
inline bool IsSuccess(int status) { return status >= 200 && status < 300; }

}  // namespace s3core::credentials_internal
