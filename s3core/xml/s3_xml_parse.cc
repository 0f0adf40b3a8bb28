// Response parsers: see s3_xml.h. Field access and error wording live in xml_reader.h.
#include <utility>

#include "s3core/xml/s3_xml.h"
#include "s3core/xml/xml_reader.h"

namespace s3core {

using xml_internal::FindChild;
using xml_internal::IsElement;
using xml_internal::Need;
using xml_internal::XmlReader;

namespace {

// A body excerpt for messages: what a proxy's HTML page or a truncated answer began with.
std::string Excerpt(std::string_view body) {
  constexpr size_t kLimit = 120;
  std::string out;
  for (char c : body.substr(0, kLimit)) out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  if (body.size() > kLimit) out += "...";
  return out;
}

}  // namespace

bool IsErrorDocument(std::string_view body) {
  XmlReader reader("response");
  Result<pugi::xml_node> root = reader.LoadAnyRoot(body);
  return root.ok() && IsElement(*root, "Error");
}

Result<S3ErrorBody> ParseError(std::string_view xml) {
  XmlReader reader("S3 error response");
  S3_ASSIGN_OR_RETURN(pugi::xml_node root, reader.LoadAnyRoot(xml));
  if (!IsElement(root, "Error")) return reader.Error("root element is not <Error>");
  return reader.ErrorBody(root);
}

Status ErrorResponseStatus(int http_status, std::string_view body, std::string_view request_id_header) {
  Result<S3ErrorBody> error = ParseError(body);
  if (!error.ok()) {
    // No usable <Error>: HEAD answers have no body at all, proxies send HTML. The HTTP status
    // alone still classifies the failure.
    std::string message = body.empty() ? std::string() : "non-S3 error body: " + Excerpt(body);
    return Status::FromS3(http_status, "", std::move(message), std::string(request_id_header));
  }
  std::string request_id = error->request_id.empty() ? std::string(request_id_header) : error->request_id;
  return Status::FromS3(http_status, std::move(error->code), std::move(error->message), std::move(request_id));
}

Status ErrorDocumentIn200Status(const S3ErrorBody& error) {
  // ClassifyS3Error looks at the code first and only then at the HTTP status, so 500 keeps
  // known codes (NoSuchUpload, SlowDown, ...) and makes unknown ones retryable server errors.
  std::string message = "error document in an HTTP 200 response";
  if (!error.message.empty()) message += ": " + error.message;
  return Status::FromS3(500, error.code, std::move(message), error.request_id);
}

Result<std::vector<BucketInfo>> ParseListBuckets(std::string_view xml) {
  XmlReader reader("ListBuckets response");
  S3_ASSIGN_OR_RETURN(pugi::xml_node root, reader.Load(xml, {"ListAllMyBucketsResult"}));
  std::vector<BucketInfo> buckets;
  // No <Buckets> at all is an empty list: some servers omit it for an account without buckets.
  for (pugi::xml_node node : FindChild(root, "Buckets").children()) {
    if (!IsElement(node, "Bucket")) continue;
    BucketInfo bucket;
    S3_RETURN_IF_ERROR(reader.String(node, "Name", &bucket.name, Need::kRequired));
    S3_RETURN_IF_ERROR(reader.Time(node, "CreationDate", &bucket.creation_date));
    buckets.push_back(std::move(bucket));
  }
  return buckets;
}

Result<ListObjectsResult> ParseListObjectsV2(std::string_view xml) {
  XmlReader reader("ListObjectsV2 response");
  S3_ASSIGN_OR_RETURN(pugi::xml_node root, reader.Load(xml, {"ListBucketResult"}));
  S3_ASSIGN_OR_RETURN(const bool url_encoded, reader.IsUrlEncoded(root));
  ListObjectsResult result;
  S3_RETURN_IF_ERROR(reader.Bool(root, "IsTruncated", &result.is_truncated));
  S3_RETURN_IF_ERROR(reader.String(root, "NextContinuationToken", &result.next_continuation_token));
  if (result.is_truncated && result.next_continuation_token.empty()) {
    return reader.Error("<IsTruncated> is true but there is no <NextContinuationToken> to continue with");
  }
  for (pugi::xml_node node : root.children()) {
    if (IsElement(node, "Contents")) {
      ObjectInfo object;
      S3_RETURN_IF_ERROR(reader.Key(node, "Key", url_encoded, &object.key, Need::kRequired));
      S3_RETURN_IF_ERROR(reader.Uint64(node, "Size", &object.size, Need::kRequired));
      S3_RETURN_IF_ERROR(reader.ETag(node, "ETag", &object.etag));
      S3_RETURN_IF_ERROR(reader.Time(node, "LastModified", &object.last_modified));
      S3_RETURN_IF_ERROR(reader.String(node, "StorageClass", &object.storage_class));
      result.objects.push_back(std::move(object));
    } else if (IsElement(node, "CommonPrefixes")) {
      // One <Prefix> per <CommonPrefixes> is the norm, but accept several.
      for (pugi::xml_node prefix : node.children()) {
        if (!IsElement(prefix, "Prefix")) continue;
        S3_ASSIGN_OR_RETURN(std::string text, reader.Text(prefix, /*trim=*/false));
        if (url_encoded) {
          Result<std::string> decoded = xml_internal::UrlDecode(text);
          if (!decoded.ok()) return reader.Error("<Prefix>: " + decoded.status().message());
          text = std::move(decoded).value();
        }
        result.common_prefixes.push_back(std::move(text));
      }
    }
  }
  return result;
}

Result<CopyResult> ParseCopyObjectResult(std::string_view xml) {
  XmlReader reader("copy response");
  S3_ASSIGN_OR_RETURN(pugi::xml_node root, reader.Load(xml, {"CopyObjectResult", "CopyPartResult"}));
  CopyResult result;
  S3_RETURN_IF_ERROR(reader.ETag(root, "ETag", &result.etag, Need::kRequired));
  if (result.etag.empty()) return reader.Error("empty <ETag>");
  S3_RETURN_IF_ERROR(reader.Time(root, "LastModified", &result.last_modified));
  return result;
}

Result<std::string> ParseInitiateMultipartUpload(std::string_view xml) {
  XmlReader reader("CreateMultipartUpload response");
  S3_ASSIGN_OR_RETURN(pugi::xml_node root, reader.Load(xml, {"InitiateMultipartUploadResult"}));
  std::string upload_id;
  S3_RETURN_IF_ERROR(reader.String(root, "UploadId", &upload_id, Need::kRequired));
  if (upload_id.empty()) return reader.Error("empty <UploadId>");
  return upload_id;
}

Result<std::string> ParseCompleteMultipartUpload(std::string_view xml) {
  XmlReader reader("CompleteMultipartUpload response");
  S3_ASSIGN_OR_RETURN(pugi::xml_node root, reader.Load(xml, {"CompleteMultipartUploadResult"}));
  std::string etag;  // RGW 16 may leave it out or empty: not an error
  S3_RETURN_IF_ERROR(reader.ETag(root, "ETag", &etag));
  return etag;
}

Result<ListMultipartUploadsResult> ParseListMultipartUploads(std::string_view xml) {
  XmlReader reader("ListMultipartUploads response");
  S3_ASSIGN_OR_RETURN(pugi::xml_node root, reader.Load(xml, {"ListMultipartUploadsResult"}));
  S3_ASSIGN_OR_RETURN(const bool url_encoded, reader.IsUrlEncoded(root));
  ListMultipartUploadsResult result;
  S3_RETURN_IF_ERROR(reader.Bool(root, "IsTruncated", &result.is_truncated));
  S3_RETURN_IF_ERROR(reader.Key(root, "NextKeyMarker", url_encoded, &result.next_key_marker));
  S3_RETURN_IF_ERROR(reader.String(root, "NextUploadIdMarker", &result.next_upload_id_marker));
  for (pugi::xml_node node : root.children()) {
    if (!IsElement(node, "Upload")) continue;
    MultipartUploadInfo upload;
    S3_RETURN_IF_ERROR(reader.Key(node, "Key", url_encoded, &upload.key, Need::kRequired));
    S3_RETURN_IF_ERROR(reader.String(node, "UploadId", &upload.upload_id, Need::kRequired));
    if (upload.upload_id.empty()) return reader.Error("empty <UploadId> in <Upload>");
    S3_RETURN_IF_ERROR(reader.Time(node, "Initiated", &upload.initiated));
    result.uploads.push_back(std::move(upload));
  }
  return result;
}

Result<DeleteObjectsResult> ParseDeleteResult(std::string_view xml) {
  DeleteObjectsResult result;
  if (xml.find_first_not_of(" \t\r\n") == std::string_view::npos) return result;
  XmlReader reader("DeleteObjects response");
  S3_ASSIGN_OR_RETURN(pugi::xml_node root, reader.Load(xml, {"DeleteResult"}));
  for (pugi::xml_node node : root.children()) {
    if (IsElement(node, "Deleted")) {
      std::string key;
      S3_RETURN_IF_ERROR(reader.Key(node, "Key", /*url_encoded=*/false, &key, Need::kRequired));
      result.deleted.push_back(std::move(key));
    } else if (IsElement(node, "Error")) {
      DeleteObjectsResult::Failure failure;
      S3_RETURN_IF_ERROR(reader.Key(node, "Key", /*url_encoded=*/false, &failure.key, Need::kRequired));
      S3_RETURN_IF_ERROR(reader.String(node, "Code", &failure.code, Need::kRequired));
      S3_RETURN_IF_ERROR(reader.String(node, "Message", &failure.message));
      result.failed.push_back(std::move(failure));
    }
  }
  return result;
}

Result<std::string> ParseLocationConstraint(std::string_view xml) {
  XmlReader reader("GetBucketLocation response");
  S3_ASSIGN_OR_RETURN(pugi::xml_node root, reader.Load(xml, {"LocationConstraint"}));
  S3_ASSIGN_OR_RETURN(std::string region, reader.Text(root, /*trim=*/true));
  if (region.empty()) return std::string("us-east-1");
  if (region == "EU") return std::string("eu-west-1");
  return region;
}

}  // namespace s3core
