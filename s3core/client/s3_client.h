// S3Client: the ObjectStore implementation that talks to a real S3 server.
//
// Each operation builds one request (method, bucket, key, sub-resource query, headers, body),
// and Execute() signs it with SigV4, sends it through the HttpClient seam, maps error responses
// to a Status that keeps the S3 code, HTTP status and request id, and retries what may succeed
// on another try (5xx, throttling, timeouts, resets) with jittered exponential backoff.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "s3core/auth/credentials.h"
#include "s3core/auth/sigv4_signer.h"
#include "s3core/client/endpoint.h"
#include "s3core/client/request_observer.h"
#include "s3core/client/retry_policy.h"
#include "s3core/http/http_client.h"
#include "s3core/object_store.h"

namespace spdlog {
class logger;
}

namespace s3core {

struct S3ClientConfig {
  Endpoint endpoint = Endpoint::ForAwsRegion("us-east-1");
  std::string region = "us-east-1";
  AddressingStyle addressing = AddressingStyle::kAuto;
  RetryOptions retry;
  // Sign request bodies (SHA-256 of the payload) instead of sending UNSIGNED-PAYLOAD. Costs one
  // extra pass over every body; TLS already protects integrity on https endpoints.
  bool sign_payload = false;
  RequestOptions request_options;
  std::string user_agent = "s3csi-s3core/0.1";
  // Where retries and failures are logged; null = silent. Never receives secrets.
  std::shared_ptr<spdlog::logger> logger;
  // Told of every request once it is over (metrics); null = nobody.
  std::shared_ptr<RequestObserver> observer;
};

class S3Client final : public ObjectStore {
 public:
  S3Client(S3ClientConfig config, std::shared_ptr<HttpClient> http,
           std::shared_ptr<CredentialsProvider> credentials);

  Status HeadBucket(const std::string& bucket) override;
  Status CreateBucket(const std::string& bucket) override;
  Status DeleteBucket(const std::string& bucket) override;
  Result<std::vector<BucketInfo>> ListBuckets() override;

  Result<ObjectInfo> HeadObject(const HeadObjectRequest& request) override;
  Result<ObjectInfo> GetObject(const GetObjectRequest& request, BodySink& sink) override;
  Result<PutObjectResult> PutObject(const PutObjectRequest& request) override;
  Status DeleteObject(const std::string& bucket, const std::string& key) override;
  Result<DeleteObjectsResult> DeleteObjects(const std::string& bucket, const std::vector<std::string>& keys) override;
  Result<ListObjectsResult> ListObjects(const ListObjectsRequest& request) override;
  Result<PutObjectResult> CopyObject(const CopyObjectRequest& request) override;

  Result<std::string> CreateMultipartUpload(const CreateMultipartUploadRequest& request) override;
  Result<std::string> UploadPart(const UploadPartRequest& request) override;
  Result<std::string> UploadPartCopy(const UploadPartCopyRequest& request) override;
  Result<PutObjectResult> CompleteMultipartUpload(const CompleteMultipartUploadRequest& request) override;
  Status AbortMultipartUpload(const std::string& bucket, const std::string& key,
                              const std::string& upload_id) override;
  Result<ListMultipartUploadsResult> ListMultipartUploads(const ListMultipartUploadsRequest& request) override;

  // A presigned GET (or other method) URL valid for `expires` (at most 7 days).
  Result<std::string> PresignUrl(const std::string& method, const std::string& bucket, const std::string& key,
                                 std::chrono::seconds expires);

  const S3ClientConfig& config() const { return config_; }

 private:
  using Query = std::vector<std::pair<std::string, std::string>>;

  // One logical S3 request; Execute() turns it into one or more HTTP attempts.
  struct Call {
    Call(const char* op, std::string m, std::string b, std::string k, Query q = {})
        : operation(op), method(std::move(m)), bucket(std::move(b)), key(std::move(k)), query(std::move(q)) {}

    const char* operation;  // "GetObject" (for errors and logs)
    std::string method;
    std::string bucket, key;
    Query query;
    Headers headers;
    BodySource* body = nullptr;
    BodySink* sink = nullptr;
    // For 2xx responses whose body is an XML document (sink == nullptr): a check that may turn
    // the response into an error (S3 answers some failures with 200 and an <Error> body).
    std::function<Status(const HttpResponse&)> check;
  };

  Result<HttpResponse> Execute(const Call& call);
  // One HTTP exchange; the response body goes to `sink` (call.sink, or a counting wrapper of it).
  Result<HttpResponse> Attempt(const Call& call, const RequestTarget& target, BodySink* sink);
  Status ErrorFromResponse(const HttpResponse& response) const;
  void AddCommonHeaders(Headers& headers) const;

  S3ClientConfig config_;
  std::shared_ptr<HttpClient> http_;
  std::shared_ptr<CredentialsProvider> credentials_;
  RetryPolicy retry_;
  SigV4Signer signer_;  // caches derived signing keys (one per day, region and secret)
};

}  // namespace s3core
