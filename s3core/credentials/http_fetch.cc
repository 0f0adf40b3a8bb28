#include "s3core/credentials/http_fetch.h"

#include "s3core/body.h"

namespace s3core::credentials_internal {

Result<FetchedResponse> Fetch(HttpClient& http, const HttpRequest& request, size_t limit) {
  std::string success_body;
  StringSink sink(&success_body, limit);
  Result<HttpResponse> response = http.Send(request, &sink);
  if (!response.ok()) return response.status();
  FetchedResponse out;
  out.status = response->status;
  // A 2xx body went to the sink; any other came back in response.body.
  out.body = IsSuccess(out.status) ? std::move(success_body) : std::move(response->body);
  if (out.body.size() > limit) return Status::UnexpectedResponse("response body too large");
  return out;
}

}  // namespace s3core::credentials_internal
