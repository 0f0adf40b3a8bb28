#include "s3core/client/s3_client.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <thread>

#include "s3core/auth/sigv4.h"
#include "s3core/xml/s3_xml.h"

namespace s3core {
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

Result<HttpResponse> S3Client::Attempt(const Call& call, const RequestTarget& target) {
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
  return http_->Send(request, call.sink);
}

Result<HttpResponse> S3Client::Execute(const Call& call) {
  const RequestTarget target = ResolveTarget(config_.endpoint, config_.addressing, call.bucket, call.key);
  std::string context = call.operation;
  if (!call.bucket.empty()) context += " " + call.bucket + (call.key.empty() ? "" : "/" + call.key);

  for (int attempt = 1;; ++attempt) {
    if (attempt > 1 && call.sink != nullptr) call.sink->Reset();
    auto response = Attempt(call, target);
    Status status;
    if (!response.ok()) {
      status = response.status();
    } else if (response->status / 100 != 2) {
      status = ErrorFromResponse(*response);
    } else if (call.check) {
      status = call.check(*response);
    }
    if (status.ok()) return response;
    if (!retry_.ShouldRetry(status, attempt)) {
      if (config_.logger) config_.logger->debug("{} failed: {}", context, status.ToString());
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
