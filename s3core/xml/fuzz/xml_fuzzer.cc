// libFuzzer target for s3core_xml: every response parser and time parser gets the same bytes,
// and a few properties are checked beyond "does not crash":
//   - a failed parse carries a non-OK Status with a message;
//   - ParseError succeeding implies IsErrorDocument;
//   - a parsed time formats and parses back to itself (at the format's precision);
//   - keys split from the input that BuildDeleteObjects accepts come back unchanged from a
//     standard XML parser (escaping is lossless).
// Build and run: see s3core/xml/CMakeLists.txt.
#include <pugixml.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "s3core/xml/s3_xml.h"
#include "s3core/xml/time_format.h"

namespace {

using s3core::ErrorKind;
using s3core::Result;
using s3core::TimePoint;

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

template <typename T>
void CheckResult(const Result<T>& result) {
  if (!result.ok()) Check(!result.status().message().empty() || !result.status().s3_code().empty(), "error has a cause");
}

void CheckTimes(std::string_view input) {
  Result<TimePoint> iso = s3core::ParseIso8601(input);
  if (iso.ok()) {
    const TimePoint millis = std::chrono::floor<std::chrono::milliseconds>(*iso);
    Result<TimePoint> back = s3core::ParseIso8601(s3core::FormatIso8601(*iso));
    Check(back.ok() && *back == millis, "ISO 8601 format/parse round trip");
  } else {
    Check(iso.status().kind() == ErrorKind::kUnexpectedResponse, "ISO 8601 error kind");
  }
  Result<TimePoint> http = s3core::ParseHttpDate(input);
  if (http.ok()) {
    Result<TimePoint> back = s3core::ParseHttpDate(s3core::FormatHttpDate(*http));
    Check(back.ok() && *back == *http, "HTTP date format/parse round trip");
  } else {
    Check(http.status().kind() == ErrorKind::kUnexpectedResponse, "HTTP date error kind");
  }
}

void CheckDeleteObjectsEscaping(std::string_view input) {
  std::vector<std::string> keys;
  size_t start = 0;
  while (start <= input.size() && keys.size() < 1000) {
    size_t end = input.find('|', start);
    if (end == std::string_view::npos) end = input.size();
    keys.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  Result<std::string> body = s3core::BuildDeleteObjects(keys, /*quiet=*/true);
  if (!body.ok()) {
    Check(body.status().kind() == ErrorKind::kInvalidArgument, "BuildDeleteObjects error kind");
    return;
  }
  pugi::xml_document doc;
  Check(static_cast<bool>(doc.load_buffer(body->data(), body->size(),
                                          pugi::parse_default | pugi::parse_ws_pcdata_single, pugi::encoding_utf8)),
        "BuildDeleteObjects output is well-formed");
  size_t i = 0;
  for (pugi::xml_node object : doc.child("Delete").children("Object")) {
    Check(i < keys.size() && keys[i] == object.child("Key").child_value(), "DeleteObjects key round trip");
    ++i;
  }
  Check(i == keys.size(), "DeleteObjects key count");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  s3core::Result<s3core::S3ErrorBody> error = s3core::ParseError(input);
  CheckResult(error);
  if (error.ok()) Check(s3core::IsErrorDocument(input) && !error->code.empty(), "ParseError implies IsErrorDocument");
  Check(!s3core::ErrorResponseStatus(500, input, "req").ok(), "an error response is never OK");

  CheckResult(s3core::ParseListBuckets(input));
  CheckResult(s3core::ParseListObjectsV2(input));
  CheckResult(s3core::ParseCopyObjectResult(input));
  CheckResult(s3core::ParseInitiateMultipartUpload(input));
  CheckResult(s3core::ParseCompleteMultipartUpload(input));
  CheckResult(s3core::ParseListMultipartUploads(input));
  CheckResult(s3core::ParseDeleteResult(input));
  CheckResult(s3core::ParseLocationConstraint(input));

  // Short inputs are the interesting ones for the time parsers; skip the cost on big documents.
  if (size < 64) CheckTimes(input);
  if (size < 4096) CheckDeleteObjectsEscaping(input);
  return 0;
}
