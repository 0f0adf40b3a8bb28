// The per-request state libcurl's callbacks work on during one CurlHttpClient::Send().
//
// libcurl reports a callback's failure only as a generic code (CURLE_READ_ERROR,
// CURLE_WRITE_ERROR, CURLE_ABORTED_BY_CALLBACK). The callbacks therefore keep the real cause
// here, and Send() returns it instead, with its kind intact (a failing pread stays kIo).
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "s3core/body.h"
#include "s3core/http/response_headers.h"
#include "s3core/status.h"

namespace s3core::http_internal {

class CurlTransfer {
 public:
  CurlTransfer(BodySource* source, BodySink* sink, size_t max_error_body, size_t max_unsunk_body)
      : source_(source), sink_(sink), max_error_body_(max_error_body), max_unsunk_body_(max_unsunk_body) {}

  // Points the handle's read/seek/header/write callbacks at this object.
  void Attach(CURL* curl);

  // The first failure a callback met (source, sink or oversized body), or OK.
  const Status& callback_error() const { return callback_error_; }
  ResponseHeaderCollector& headers() { return headers_; }
  std::string TakeBody() { return std::move(body_); }

 private:
  static size_t ReadCallback(char* buf, size_t size, size_t nitems, void* self);
  static int SeekCallback(void* self, curl_off_t offset, int origin);
  static size_t HeaderCallback(char* data, size_t size, size_t nitems, void* self);
  static size_t WriteCallback(char* data, size_t size, size_t nitems, void* self);

  size_t Read(char* buf, size_t n);
  int Seek(curl_off_t offset, int origin);
  size_t Write(const char* data, size_t n);
  void Fail(Status status);

  BodySource* source_;
  BodySink* sink_;
  size_t max_error_body_;
  size_t max_unsunk_body_;
  uint64_t sent_ = 0;  // request body bytes handed to libcurl since the last rewind
  ResponseHeaderCollector headers_;
  std::string body_;
  Status callback_error_;
};

}  // namespace s3core::http_internal
