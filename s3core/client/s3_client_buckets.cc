// Bucket operations of S3Client.
#include "s3core/client/s3_client.h"
#include "s3core/xml/s3_xml.h"

namespace s3core {

Status S3Client::HeadBucket(const std::string& bucket) {
  S3_RETURN_IF_ERROR(ValidateBucketName(bucket));
  Call call("HeadBucket", "HEAD", bucket, "");
  return Execute(call).status();
}

Status S3Client::CreateBucket(const std::string& bucket) {
  S3_RETURN_IF_ERROR(ValidateBucketName(bucket));
  // us-east-1 is the default location and must not be named in a LocationConstraint.
  const std::string config = BuildCreateBucketConfiguration(config_.region);
  BufferSource body(config);
  Call call("CreateBucket", "PUT", bucket, "");
  if (!config.empty()) {
    call.body = &body;
    call.headers.emplace_back("content-type", "application/xml");
  }
  return Execute(call).status();
}

Status S3Client::DeleteBucket(const std::string& bucket) {
  S3_RETURN_IF_ERROR(ValidateBucketName(bucket));
  Call call("DeleteBucket", "DELETE", bucket, "");
  return Execute(call).status();
}

Result<std::vector<BucketInfo>> S3Client::ListBuckets() {
  std::string doc;
  StringSink sink(&doc, 64 << 20);
  Call call("ListBuckets", "GET", "", "");
  call.sink = &sink;
  S3_RETURN_IF_ERROR(Execute(call).status());
  return ParseListBuckets(doc);
}

}  // namespace s3core
