// Object operations of S3Client: head, get, put, delete, list, copy.
#include <string>

#include "s3core/client/s3_client.h"
#include "s3core/client/s3_headers.h"
#include "s3core/xml/s3_xml.h"

namespace s3core {

Result<ObjectInfo> S3Client::HeadObject(const HeadObjectRequest& request) {
  S3_RETURN_IF_ERROR(ValidateBucketName(request.bucket));
  S3_RETURN_IF_ERROR(ValidateObjectKey(request.key));
  Call call("HeadObject", "HEAD", request.bucket, request.key);
  if (!request.if_match.empty()) call.headers.emplace_back("if-match", request.if_match);
  if (!request.if_none_match.empty()) call.headers.emplace_back("if-none-match", request.if_none_match);
  AddSseHeaders(request.sse, /*for_read=*/true, /*copy_source=*/false, call.headers);
  S3_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  return ObjectInfoFromHeaders(response, request.key);
}

Result<ObjectInfo> S3Client::GetObject(const GetObjectRequest& request, BodySink& sink) {
  S3_RETURN_IF_ERROR(ValidateBucketName(request.bucket));
  S3_RETURN_IF_ERROR(ValidateObjectKey(request.key));
  Call call("GetObject", "GET", request.bucket, request.key);
  if (request.range) {
    if (request.range->length && *request.range->length == 0)
      return Status::InvalidArgument("GetObject: empty byte range");
    call.headers.emplace_back("range", RangeHeaderValue(*request.range));
  }
  if (!request.if_match.empty()) call.headers.emplace_back("if-match", request.if_match);
  if (!request.if_none_match.empty()) call.headers.emplace_back("if-none-match", request.if_none_match);
  AddSseHeaders(request.sse, /*for_read=*/true, /*copy_source=*/false, call.headers);
  call.sink = &sink;
  S3_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  return ObjectInfoFromHeaders(response, request.key);
}

Result<PutObjectResult> S3Client::PutObject(const PutObjectRequest& request) {
  S3_RETURN_IF_ERROR(ValidateBucketName(request.bucket));
  S3_RETURN_IF_ERROR(ValidateObjectKey(request.key));
  BufferSource empty("");
  Call call("PutObject", "PUT", request.bucket, request.key);
  S3_RETURN_IF_ERROR(AddWriteHeaders(request.options, /*include_metadata=*/true, call.headers));
  if (!request.if_match.empty()) call.headers.emplace_back("if-match", request.if_match);
  if (!request.if_none_match.empty()) call.headers.emplace_back("if-none-match", request.if_none_match);
  call.body = request.body != nullptr ? request.body : &empty;
  S3_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  return PutObjectResult{StripQuotes(response.Header("etag")), response.Header("x-amz-version-id")};
}

Status S3Client::DeleteObject(const std::string& bucket, const std::string& key) {
  S3_RETURN_IF_ERROR(ValidateBucketName(bucket));
  S3_RETURN_IF_ERROR(ValidateObjectKey(key));
  Call call("DeleteObject", "DELETE", bucket, key);
  return Execute(call).status();
}

Result<DeleteObjectsResult> S3Client::DeleteObjects(const std::string& bucket, const std::vector<std::string>& keys) {
  S3_RETURN_IF_ERROR(ValidateBucketName(bucket));
  if (keys.empty()) return DeleteObjectsResult{};
  if (keys.size() > 1000) return Status::InvalidArgument("DeleteObjects takes at most 1000 keys");
  for (const auto& key : keys) S3_RETURN_IF_ERROR(ValidateObjectKey(key));
  S3_ASSIGN_OR_RETURN(const std::string request_doc, BuildDeleteObjects(keys, /*quiet=*/false));
  BufferSource body(request_doc);
  std::string doc;
  StringSink sink(&doc, 64 << 20);
  Call call("DeleteObjects", "POST", bucket, "", {{"delete", ""}});
  call.headers.emplace_back("content-type", "application/xml");
  call.headers.emplace_back("content-md5", Md5Base64(request_doc));  // required by S3 for this call
  call.body = &body;
  call.sink = &sink;
  S3_RETURN_IF_ERROR(Execute(call).status());
  return ParseDeleteResult(doc);
}

Result<ListObjectsResult> S3Client::ListObjects(const ListObjectsRequest& request) {
  S3_RETURN_IF_ERROR(ValidateBucketName(request.bucket));
  if (request.max_keys < 1 || request.max_keys > 1000) return Status::InvalidArgument("max_keys must be 1..1000");
  Call call("ListObjectsV2", "GET", request.bucket, "", {{"list-type", "2"}, {"encoding-type", "url"}});
  call.query.emplace_back("max-keys", std::to_string(request.max_keys));
  if (!request.prefix.empty()) call.query.emplace_back("prefix", request.prefix);
  if (!request.delimiter.empty()) call.query.emplace_back("delimiter", request.delimiter);
  if (!request.continuation_token.empty()) call.query.emplace_back("continuation-token", request.continuation_token);
  if (!request.start_after.empty()) call.query.emplace_back("start-after", request.start_after);
  std::string doc;
  StringSink sink(&doc, 64 << 20);
  call.sink = &sink;
  S3_RETURN_IF_ERROR(Execute(call).status());
  return ParseListObjectsV2(doc);
}

Result<PutObjectResult> S3Client::CopyObject(const CopyObjectRequest& request) {
  S3_RETURN_IF_ERROR(ValidateBucketName(request.source_bucket));
  S3_RETURN_IF_ERROR(ValidateObjectKey(request.source_key));
  S3_RETURN_IF_ERROR(ValidateBucketName(request.bucket));
  S3_RETURN_IF_ERROR(ValidateObjectKey(request.key));
  const bool replace = request.directive == CopyObjectRequest::MetadataDirective::kReplace;
  Call call("CopyObject", "PUT", request.bucket, request.key);
  call.headers.emplace_back("x-amz-copy-source", CopySourceValue(request.source_bucket, request.source_key));
  call.headers.emplace_back("x-amz-metadata-directive", replace ? "REPLACE" : "COPY");
  S3_RETURN_IF_ERROR(AddWriteHeaders(request.options, /*include_metadata=*/replace, call.headers));
  if (!request.source_if_match.empty()) call.headers.emplace_back("x-amz-copy-source-if-match", request.source_if_match);
  AddSseHeaders(request.source_sse, /*for_read=*/true, /*copy_source=*/true, call.headers);
  std::string doc;
  StringSink sink(&doc, 1 << 20);
  call.sink = &sink;
  call.check = [&doc](const HttpResponse&) { return ErrorDocumentAsStatus(doc); };
  S3_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  S3_ASSIGN_OR_RETURN(CopyResult copied, ParseCopyObjectResult(doc));
  return PutObjectResult{copied.etag, response.Header("x-amz-version-id")};
}

}  // namespace s3core
