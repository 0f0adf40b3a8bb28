#include "s3core/client/s3_client.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <thread>

#include "s3core/auth/sigv4.h"
#include "s3core/xml/s3_xml.h"

namespace s3core {
namespace {

// Counts the response bytes that pass to the caller's sink, over every attempt (for observers).
class CountingSink final : public BodySink {
 public:
  explicit CountingSink(BodySink* inner) : inner_(inner) {}
  Status Write(const char* data, size_t n) override {
    bytes_ += n;
    return inner_->Write(data, n);
  }
  void Reset() override { inner_->Reset(); }
  uint64_t bytes() const { return bytes_; }

 private:
  BodySink* inner_;
  uint64_t bytes_ = 0;
};

bool ReachedServer(const Result<HttpResponse>& response) {
  if (response.ok()) return true;
  const ErrorKind kind = response.status().kind();
  return kind == ErrorKind::kNetwork || kind == ErrorKind::kTimeout;
}

}  // namespace

S3Client::S3Client(S3ClientConfig config, std::shared_ptr<HttpClient> http,
                   std::shared_ptr<CredentialsProvider> credentials)
    : config_(std::move(config)),
      http_(std::move(http)),
      credentials_(std::move(credentials)),
      retry_(config_.retry) {}

void S3Client::AddCommonHeaders(Headers& headers) const {
  if (config_.request_options.requester_pays) headers.emplace_back("x-amz-request-payer", "requester");
}

Status S3Client::ErrorFromResponse(const HttpResponse& response) const {
  return ErrorResponseStatus(response.status, response.body, response.Header("x-amz-request-id"));
}

Result<HttpResponse> S3Client::Attempt(const Call& call, const RequestTarget& target, BodySink* sink) {
  S3_ASSIGN_OR_RETURN(Credentials credentials, credentials_->Get());

  SignableRequest signable{call.method, target.host, target.encoded_path, call.query, call.headers};
  AddCommonHeaders(signable.headers);
  SigningParams params;
  params.region = config_.region;
  params.now = std::chrono::system_clock::now();
  if (call.body == nullptr || call.body->Size() == 0) {
    params.payload_hash = std::string(kEmptyPayloadSha256);
  } else if (config_.sign_payload) {
    if (auto data = call.body->Contiguous()) {
      params.payload_hash = Sha256Hex(*data);
    } else {
      // Streamed bodies are read once to hash them (in chunks); the transfer reads them again.
      S3_ASSIGN_OR_RETURN(params.payload_hash, Sha256Hex(*call.body));
    }
  }
  if (call.body != nullptr && !call.body->Rewind()) return Status::Io("request body cannot be rewound");
  signer_.Sign(signable, credentials, params);

  HttpRequest request;
  request.method = call.method;
  request.url = target.url_prefix + target.encoded_path + EncodeQuery(call.query);
  request.headers = std::move(signable.headers);
  request.headers.emplace_back("user-agent", config_.user_agent);
  request.body = call.body;
  return http_->Send(request, sink);
}

Result<HttpResponse> S3Client::Execute(const Call& call) {
  const RequestTarget target = ResolveTarget(config_.endpoint, config_.addressing, call.bucket, call.key);
  std::string context = call.operation;
  if (!call.bucket.empty()) context += " " + call.bucket + (call.key.empty() ? "" : "/" + call.key);

  // What the observer is told once the request is over (only counted when someone listens).
  const auto started = std::chrono::steady_clock::now();
  CountingSink counting(call.sink);
  BodySink* sink = (config_.observer && call.sink != nullptr) ? &counting : call.sink;
  RequestEvent event;
  event.operation = call.operation;
  auto finish = [&](const Status& status, int attempts) {
    if (!config_.observer) return;
    event.outcome = status.kind();
    event.attempts = attempts;
    event.bytes_received += counting.bytes();
    event.latency = std::chrono::steady_clock::now() - started;
    config_.observer->OnRequest(event);
  };

  for (int attempt = 1;; ++attempt) {
    if (attempt > 1 && call.sink != nullptr) call.sink->Reset();
    auto response = Attempt(call, target, sink);
    if (ReachedServer(response) && call.body != nullptr) event.bytes_sent += call.body->Size();
    event.http_status = response.ok() ? response->status : 0;
    if (response.ok()) event.bytes_received += response->body.size();
    Status status;
    if (!response.ok()) {
      status = response.status();
    } else if (response->status / 100 != 2) {
      status = ErrorFromResponse(*response);
    } else if (call.check) {
      status = call.check(*response);
    }
    if (status.ok()) {
      finish(status, attempt);
      return response;
    }
    if (!retry_.ShouldRetry(status, attempt)) {
      if (config_.logger) config_.logger->debug("{} failed: {}", context, status.ToString());
      finish(status, attempt);
      return status.WithContext(context);
    }
    const auto delay = retry_.Delay(status, attempt);
    if (config_.logger) {
      config_.logger->info("{} attempt {} failed ({}), retrying in {} ms", context, attempt, status.ToString(),
                           delay.count());
    }
    std::this_thread::sleep_for(delay);
  }
}

Result<std::string> S3Client::PresignUrl(const std::string& method, const std::string& bucket,
                                         const std::string& key, std::chrono::seconds expires) {
  if (expires.count() <= 0 || expires.count() > 7 * 24 * 3600)
    return Status::InvalidArgument("presigned URL lifetime must be 1 s to 7 days");
  S3_ASSIGN_OR_RETURN(Credentials credentials, credentials_->Get());
  const RequestTarget target = ResolveTarget(config_.endpoint, config_.addressing, bucket, key);
  SignableRequest signable{method, target.host, target.encoded_path, {}, {}};
  SigningParams params;
  params.region = config_.region;
  params.now = std::chrono::system_clock::now();
  auto query = signer_.Presign(signable, credentials, params, expires);
  return target.url_prefix + target.encoded_path + EncodeQuery(query);
}

}  // namespace s3core
