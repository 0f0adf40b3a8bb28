#include "s3core/http/curl_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "s3core/http/curl_handle_pool.h"
#include "s3core/http/curl_transfer.h"
#include "s3core/http/response_headers.h"

namespace s3core {

using http_internal::AsciiLower;
using http_internal::CurlHandlePool;
using http_internal::CurlShare;
using http_internal::CurlTransfer;
using http_internal::PooledHandle;

namespace {

// Idle TCP keepalive probes: a peer that vanished (NAT timeout, dead host) is noticed on a
// pooled connection or a stalled transfer without waiting for the kernel's 2-hour default.
constexpr long kTcpKeepIdleSeconds = 60;
constexpr long kTcpKeepIntervalSeconds = 20;

// Owns a curl_slist.
class HeaderList {
 public:
  HeaderList() = default;
  ~HeaderList() { curl_slist_free_all(list_); }
  HeaderList(HeaderList&& other) noexcept : list_(std::exchange(other.list_, nullptr)) {}
  HeaderList& operator=(HeaderList&&) = delete;
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;

  bool Append(const std::string& line) {
    curl_slist* grown = curl_slist_append(list_, line.c_str());
    if (grown == nullptr) return false;
    list_ = grown;
    return true;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

bool HasControlChars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 32 && u < 127 && c != ':' && c != '(' && c != ')' && c != ',' && c != ';' && c != '"';
  });
}

// The URL for messages: no user info, query or fragment. A presigned URL carries its signature
// and security token in the query, so the query never leaves this function.
std::string RedactedUrl(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const size_t authority_start = scheme_end + 3;
  const size_t authority_end = std::min(url.find('/', authority_start), url.size());
  const size_t at = url.rfind('@', authority_end);
  if (at == std::string_view::npos || at < authority_start) return std::string(url);
  return std::string(url.substr(0, authority_start)) + std::string(url.substr(at + 1));
}

// Header lines for libcurl. "Name;" is libcurl's way to send a header with an empty value;
// "Name:" (no value) removes a header libcurl would add on its own.
Result<HeaderList> BuildHeaderList(const HttpRequest& request) {
  HeaderList list;
  bool has_expect = false;
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    if (!IsToken(name) || HasControlChars(value)) {
      // Only the name: a value may be a credential.
      return Status::InvalidArgument("invalid HTTP header '" + (IsToken(name) ? name : std::string("?")) + "'");
    }
    const std::string lower = AsciiLower(name);
    has_expect = has_expect || lower == "expect";
    has_content_type = has_content_type || lower == "content-type";
    const std::string trimmed(http_internal::TrimWhitespace(value));
    if (!list.Append(trimmed.empty() ? name + ";" : name + ": " + trimmed)) {
      return Status::Internal("out of memory building request headers");
    }
  }
  // "Expect: 100-continue", which libcurl adds to large uploads, costs a round trip per request.
  bool ok = has_expect || list.Append("Expect:");
  // libcurl labels every POST application/x-www-form-urlencoded unless told otherwise.
  if (request.method == "POST" && !has_content_type) ok = ok && list.Append("Content-Type:");
  if (!ok) return Status::Internal("out of memory building request headers");
  return list;
}

void ApplyConnectionOptions(CURL* curl, const HttpClientOptions& options) {
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts must not raise SIGALRM in threads
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  // The URL arrives percent-encoded and signed exactly as written: a key such as "a/../b" must
  // not be "normalised" by libcurl into another key (and a broken signature).
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.low_speed_time.count()));
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, options.tcp_nodelay ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPIDLE, kTcpKeepIdleSeconds);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPINTVL, kTcpKeepIntervalSeconds);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (!options.ca_bundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_bundle.c_str());
  // Each pooled handle keeps one connection; the pool size bounds the total (see the pool).
  curl_easy_setopt(curl, CURLOPT_MAXCONNECTS, 1L);
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, CurlHttpClient::kReceiveBufferBytes);
  curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, CurlHttpClient::kUploadBufferBytes);
}

// Chooses how libcurl sends the method and body. HEAD must use NOBODY (a custom "HEAD" would
// wait for a body that never comes); PUT uses UPLOAD so the body streams from the read callback
// with a Content-Length; POST from memory goes out without a copy via POSTFIELDS.
void ApplyMethod(CURL* curl, const HttpRequest& request) {
  BodySource* body = request.body;
  const auto size = static_cast<curl_off_t>(body != nullptr ? body->Size() : 0);
  const std::string& method = request.method;
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method == "GET" && body == nullptr) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, size);
    // POSTFIELDS must never be left null here: libcurl would then read the body from stdin.
    static const char kNoBody[] = "";
    std::optional<std::string_view> memory;
    if (body != nullptr) memory = body->Contiguous();
    if (body == nullptr || size == 0) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, kNoBody);
    } else if (memory.has_value() && memory->size() == static_cast<size_t>(size)) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, memory->data());
    }  // otherwise libcurl pulls the body through the read callback
  } else if (method == "PUT" || body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, size);
    if (method != "PUT") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());  // DELETE and the like
  }
}

Status TransportError(CURLcode code, const char* error_buffer, const HttpRequest& request) {
  std::string message = request.method + " " + RedactedUrl(request.url) + ": " + curl_easy_strerror(code);
  if (error_buffer[0] != '\0') {
    std::string detail(error_buffer);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
    message += " (" + detail + ")";
  }
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:  // also the low-speed limit
      return Status::Transport(true, code, std::move(message));
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Status::InvalidArgument(std::move(message));
    case CURLE_OUT_OF_MEMORY:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_NOT_BUILT_IN:
    case CURLE_FAILED_INIT:
      return Status::Internal(std::move(message));
    default:  // refused, reset, DNS, TLS, send/receive failures, truncated bodies
      return Status::Transport(false, code, std::move(message));
  }
}

}  // namespace

CurlHttpClient::CurlHttpClient(HttpClientOptions options)
    : options_(std::move(options)), init_status_(http_internal::EnsureCurlGlobalInit()) {
  if (!init_status_.ok()) return;
  share_ = std::make_unique<CurlShare>();
  const size_t max_idle = static_cast<size_t>(std::max(options_.max_connections, 0));
  pool_ = std::make_unique<CurlHandlePool>(share_->get(), max_idle);
}

CurlHttpClient::~CurlHttpClient() = default;

size_t CurlHttpClient::idle_handles() const { return pool_ ? pool_->idle_count() : 0; }

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request, BodySink* sink) {
  S3_RETURN_IF_ERROR(init_status_);
  if (!IsToken(request.method)) return Status::InvalidArgument("invalid HTTP method");
  if (HasControlChars(request.url)) return Status::InvalidArgument("URL contains control characters");
  S3_ASSIGN_OR_RETURN(HeaderList headers, BuildHeaderList(request));
  // Start from the first byte even if the caller's previous attempt consumed the source. A
  // source that cannot rewind is used as it stands: if it has been read, the read callback
  // notices the shortfall and fails the request instead of sending a wrong body.
  if (request.body != nullptr) request.body->Rewind();

  PooledHandle handle(pool_.get());  // reset by the pool when it comes back
  CURL* curl = handle.get();
  if (curl == nullptr) return Status::Internal("curl_easy_init failed");

  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  ApplyConnectionOptions(curl, options_);
  ApplyMethod(curl, request);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  CurlTransfer transfer(request.body, sink, kMaxErrorBodyBytes, kMaxUnsunkBodyBytes);
  transfer.Attach(curl);

  const CURLcode code = curl_easy_perform(curl);
  // A callback's own failure explains the abort better than libcurl's generic code for it.
  if (!transfer.callback_error().ok()) return transfer.callback_error();
  if (code != CURLE_OK) return TransportError(code, error_buffer, request);

  HttpResponse response;
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  response.headers = transfer.headers().TakeHeaders();
  response.body = transfer.TakeBody();
  return response;
}

}  // namespace s3core
