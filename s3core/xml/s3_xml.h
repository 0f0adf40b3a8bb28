// S3 XML: response parsers and request body builders (pugixml underneath, not exposed).
//
// Every parser takes the raw response body and returns a Result: any body that is not the
// expected document (not XML, truncated, wrong root element, a number that is negative or
// overflows, a malformed time stamp, a required element missing) gives kUnexpectedResponse
// with a message that says what was wrong. Nothing throws and nothing recurses over the input.
//
// A body whose root is <Error> is turned into the S3 error it carries, by every parser: S3 can
// answer CompleteMultipartUpload, CopyObject and UploadPartCopy with HTTP 200 and then report a
// failure in the body. See ErrorDocumentIn200Status for how such an error is classified.
//
// Element names follow the Amazon S3 API reference; the quirks of Ceph RGW (empty <Message>,
// an empty <ETag> from CompleteMultipartUpload, <HostId> beside <RequestId>) are accepted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "s3core/model.h"
#include "s3core/status.h"

namespace s3core {

// The fields of an S3 <Error> document. Missing elements are left empty.
struct S3ErrorBody {
  std::string code;        // "NoSuchKey"; never empty in a successfully parsed body
  std::string message;     // may be empty (RGW sends <Message></Message> for many codes)
  std::string request_id;  // <RequestId>
  std::string host_id;     // <HostId> (AWS: extended request id; RGW: zone group name)
  std::string resource;    // <Resource>, when the server sends it
};

// The result of CopyObject (<CopyObjectResult>) and UploadPartCopy (<CopyPartResult>).
struct CopyResult {
  std::string etag;  // quotes removed
  TimePoint last_modified{};
};

// Whether `body` is an XML document whose root element is <Error>. Cheap enough to call on
// every 200 answer of the operations that may carry a late error.
bool IsErrorDocument(std::string_view body);

// Parses an <Error> document. A body that is not XML, or whose root is not <Error>, or that has
// no <Code>, is kUnexpectedResponse (proxies answer with HTML; HEAD answers have no body).
Result<S3ErrorBody> ParseError(std::string_view xml);

// The Status for an HTTP error answer (status >= 300): the parsed <Error> if there is one,
// otherwise the HTTP status alone with a printable excerpt of the body as the message.
// `request_id_header` (x-amz-request-id) is used when the body has no <RequestId>.
Status ErrorResponseStatus(int http_status, std::string_view body, std::string_view request_id_header = {});

// The Status for an <Error> document inside an HTTP 200 answer. Its kind comes from the code
// (InternalError -> kServerError, SlowDown -> kThrottled, NoSuchUpload -> kNotFound, ...); an
// unknown code counts as a server error, so it is retryable, as the AWS SDKs treat it. To get
// that classification the Status carries HTTP status 500; its message says it came in a 200.
Status ErrorDocumentIn200Status(const S3ErrorBody& error);

// GET / (ListBuckets): <ListAllMyBucketsResult>.
Result<std::vector<BucketInfo>> ParseListBuckets(std::string_view xml);

// GET /bucket?list-type=2: <ListBucketResult>. With <EncodingType>url</EncodingType> the keys
// and prefixes are percent-decoded. IsTruncated without a NextContinuationToken is an error,
// since the listing could not go on.
Result<ListObjectsResult> ParseListObjectsV2(std::string_view xml);

// <CopyObjectResult> or <CopyPartResult>; ETag is required.
Result<CopyResult> ParseCopyObjectResult(std::string_view xml);

// POST ?uploads: <InitiateMultipartUploadResult>; returns the non-empty UploadId.
Result<std::string> ParseInitiateMultipartUpload(std::string_view xml);

// POST ?uploadId=: <CompleteMultipartUploadResult>; returns the ETag without quotes, which is
// empty (not an error) when the server sends none, as RGW 16 may.
Result<std::string> ParseCompleteMultipartUpload(std::string_view xml);

// GET ?uploads: <ListMultipartUploadsResult>; keys are percent-decoded with EncodingType url.
Result<ListMultipartUploadsResult> ParseListMultipartUploads(std::string_view xml);

// POST ?delete: <DeleteResult>. An empty body is an empty result: with <Quiet>, S3 may send
// nothing when every key was deleted.
Result<DeleteObjectsResult> ParseDeleteResult(std::string_view xml);

// GET ?location: <LocationConstraint>. An empty constraint means us-east-1 and the legacy "EU"
// means eu-west-1; both are returned as region names.
Result<std::string> ParseLocationConstraint(std::string_view xml);

// <CompleteMultipartUpload> with one <Part> per entry, in the given order. ETags are sent quoted
// (quotes are added unless already there), as S3 returned them from UploadPart.
std::string BuildCompleteMultipartUpload(const std::vector<CompletedPart>& parts);

// <Delete> for DeleteObjects. Keys are escaped (& < > " ' and tab, LF, CR as character
// references, so a parser gives them back unchanged). A key XML 1.0 cannot carry at all (other
// control characters, invalid UTF-8) or an empty key is kInvalidArgument: the caller should
// delete such keys one by one with DeleteObject.
Result<std::string> BuildDeleteObjects(const std::vector<std::string>& keys, bool quiet);

// <CreateBucketConfiguration> naming `region`; empty for us-east-1 (or no region), where S3
// wants no body at all.
std::string BuildCreateBucketConfiguration(std::string_view region);

// Escapes text for XML element content or attribute values: & < > " ' become entities; tab,
// LF and CR become character references. Other bytes pass unchanged.
std::string XmlEscape(std::string_view text);

// Whether XML 1.0 can carry `text`: valid UTF-8 (no overlong forms, no surrogates) without
// control characters other than tab, LF and CR, and without U+FFFE / U+FFFF.
bool IsXmlRepresentable(std::string_view text);

}  // namespace s3core
