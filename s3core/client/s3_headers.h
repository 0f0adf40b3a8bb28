// Translation between s3core's request options and S3's HTTP headers.
#pragma once

#include <string>
#include <string_view>

#include "s3core/http/http_client.h"
#include "s3core/model.h"

namespace s3core {

std::string Base64Encode(std::string_view data);
// Base64 of the MD5 digest of `data` (Content-MD5, SSE-C key digests).
std::string Md5Base64(std::string_view data);

// x-amz-server-side-encryption* headers. `copy_source` selects the
// x-amz-copy-source-server-side-encryption-customer-* variant (SSE-C key of a copy source).
// `for_read` emits only the SSE-C headers (reads of SSE-S3/KMS objects need none).
void AddSseHeaders(const ServerSideEncryption& sse, bool for_read, bool copy_source, Headers& headers);

// Content-Type, x-amz-meta-*, x-amz-storage-class, x-amz-acl and SSE for writes.
// Metadata names and values must be printable ASCII (HTTP headers); otherwise InvalidArgument.
Status AddWriteHeaders(const WriteOptions& options, bool include_metadata, Headers& headers);

// ObjectInfo from a HEAD/GET response (Content-Length, ETag, Last-Modified, x-amz-meta-*, ...).
// For a ranged GET the size comes from Content-Range.
Result<ObjectInfo> ObjectInfoFromHeaders(const HttpResponse& response, const std::string& key);

// The value of x-amz-copy-source: "bucket/key", URL-encoded, '/' kept in the key.
std::string CopySourceValue(const std::string& bucket, const std::string& key);

// "bytes=first-last" or "bytes=first-" for a range.
std::string RangeHeaderValue(const ByteRange& range);

// S3 answers some failures of CopyObject, UploadPartCopy and CompleteMultipartUpload with HTTP 200
// and an <Error> document. Returns that error (classified as a server-side failure, so it is
// retried) or OK when `body` is not an error document.
Status ErrorDocumentAsStatus(const std::string& body);

// ETag without the surrounding quotes.
std::string StripQuotes(std::string_view etag);

}  // namespace s3core
