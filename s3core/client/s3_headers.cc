#include "s3core/client/s3_headers.h"

#include <openssl/evp.h>
#include <openssl/md5.h>

#include <cctype>
#include <charconv>
#include <vector>

#include "s3core/auth/sigv4.h"
#include "s3core/xml/s3_xml.h"
#include "s3core/xml/time_format.h"

namespace s3core {
namespace {

bool IsHeaderSafe(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

bool IsTokenChar(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '!' || c == '#' || c == '$' ||
         c == '%' || c == '&' || c == '\'' || c == '*' || c == '+' || c == '^' || c == '`' || c == '|' || c == '~';
}

Result<uint64_t> ParseUnsigned(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    return Status::UnexpectedResponse("not an unsigned number: '" + std::string(s.substr(0, 40)) + "'");
  return v;
}

}  // namespace

std::string Base64Encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Md5Base64(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

void AddSseHeaders(const ServerSideEncryption& sse, bool for_read, bool copy_source, Headers& headers) {
  using Mode = ServerSideEncryption::Mode;
  if (sse.mode == Mode::kCustomerKey) {
    const std::string prefix =
        copy_source ? "x-amz-copy-source-server-side-encryption-customer-" : "x-amz-server-side-encryption-customer-";
    headers.emplace_back(prefix + "algorithm", "AES256");
    headers.emplace_back(prefix + "key", Base64Encode(sse.customer_key));
    headers.emplace_back(prefix + "key-md5", Md5Base64(sse.customer_key));
    return;
  }
  if (for_read || copy_source) return;
  if (sse.mode == Mode::kS3) headers.emplace_back("x-amz-server-side-encryption", "AES256");
  if (sse.mode == Mode::kKms) {
    headers.emplace_back("x-amz-server-side-encryption", "aws:kms");
    if (!sse.kms_key_id.empty()) headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", sse.kms_key_id);
  }
}

Status AddWriteHeaders(const WriteOptions& options, bool include_metadata, Headers& headers) {
  if (include_metadata) {
    if (!options.content_type.empty()) {
      if (!IsHeaderSafe(options.content_type)) return Status::InvalidArgument("content type is not printable ASCII");
      headers.emplace_back("content-type", options.content_type);
    }
    for (const auto& [name, value] : options.metadata) {
      bool name_ok = !name.empty();
      for (unsigned char c : name) name_ok = name_ok && IsTokenChar(c);
      if (!name_ok) return Status::InvalidArgument("metadata name '" + name + "' is not a valid header token");
      if (!IsHeaderSafe(value))
        return Status::InvalidArgument("metadata value of '" + name + "' is not printable ASCII");
      headers.emplace_back("x-amz-meta-" + name, value);
    }
  }
  if (!options.storage_class.empty()) headers.emplace_back("x-amz-storage-class", options.storage_class);
  if (!options.acl.empty()) headers.emplace_back("x-amz-acl", options.acl);
  if (options.sse.mode == ServerSideEncryption::Mode::kCustomerKey && options.sse.customer_key.size() != 32)
    return Status::InvalidArgument("SSE-C key must be 32 bytes");
  AddSseHeaders(options.sse, /*for_read=*/false, /*copy_source=*/false, headers);
  return Status();
}

Status ErrorDocumentAsStatus(const std::string& body) {
  if (!IsErrorDocument(body)) return Status();
  auto parsed = ParseError(body);
  if (!parsed.ok()) return parsed.status();
  return Status::FromS3(500, parsed->code, parsed->message, parsed->request_id);
}

std::string StripQuotes(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

std::string CopySourceValue(const std::string& bucket, const std::string& key) {
  return UriEncode(bucket, true) + "/" + UriEncode(key, false);
}

std::string RangeHeaderValue(const ByteRange& range) {
  std::string v = "bytes=" + std::to_string(range.offset) + "-";
  if (range.length) v += std::to_string(range.offset + *range.length - 1);
  return v;
}

Result<ObjectInfo> ObjectInfoFromHeaders(const HttpResponse& response, const std::string& key) {
  ObjectInfo info;
  info.key = key;
  info.etag = StripQuotes(response.Header("etag"));
  info.content_type = response.Header("content-type");
  info.storage_class = response.Header("x-amz-storage-class");
  info.version_id = response.Header("x-amz-version-id");
  if (const std::string& range = response.Header("content-range"); !range.empty()) {
    // "bytes 0-99/1234": the total follows the slash.
    auto slash = range.rfind('/');
    if (slash == std::string::npos) return Status::UnexpectedResponse("malformed Content-Range: " + range);
    S3_ASSIGN_OR_RETURN(info.size, ParseUnsigned(std::string_view(range).substr(slash + 1)));
  } else if (response.HasHeader("content-length")) {
    S3_ASSIGN_OR_RETURN(info.size, ParseUnsigned(response.Header("content-length")));
  }
  if (const std::string& lm = response.Header("last-modified"); !lm.empty()) {
    auto t = ParseHttpDate(lm);
    if (t.ok()) info.last_modified = *t;  // a malformed date is not worth failing the read
  }
  static constexpr std::string_view kMeta = "x-amz-meta-";
  for (const auto& [name, value] : response.headers) {
    if (name.size() > kMeta.size() && name.compare(0, kMeta.size(), kMeta) == 0)
      info.metadata[name.substr(kMeta.size())] = value;
  }
  return info;
}

}  // namespace s3core
