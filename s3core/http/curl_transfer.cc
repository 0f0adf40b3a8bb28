#include "s3core/http/curl_transfer.h"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <utility>

namespace s3core::http_internal {

namespace {
// libcurl 7.87 added a dedicated "abort" return for write callbacks; any short count works too.
#ifdef CURL_WRITEFUNC_ERROR
constexpr size_t kWriteAbort = CURL_WRITEFUNC_ERROR;
#else
constexpr size_t kWriteAbort = 0;
#endif
}  // namespace

void CurlTransfer::Attach(CURL* curl) {
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &CurlTransfer::HeaderCallback);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &CurlTransfer::WriteCallback);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
  // Set even without a body: libcurl's default read callback would read stdin.
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &CurlTransfer::ReadCallback);
  curl_easy_setopt(curl, CURLOPT_READDATA, this);
  curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, &CurlTransfer::SeekCallback);
  curl_easy_setopt(curl, CURLOPT_SEEKDATA, this);
}

void CurlTransfer::Fail(Status status) {
  if (callback_error_.ok()) callback_error_ = std::move(status);
}

size_t CurlTransfer::ReadCallback(char* buf, size_t size, size_t nitems, void* self) {
  return static_cast<CurlTransfer*>(self)->Read(buf, size * nitems);
}

size_t CurlTransfer::Read(char* buf, size_t n) {
  if (source_ == nullptr) return 0;
  // Never hand libcurl more than the declared Content-Length, whatever the source holds.
  const uint64_t remaining = source_->Size() - std::min(sent_, source_->Size());
  const size_t want = static_cast<size_t>(std::min<uint64_t>(n, remaining));
  if (want == 0) return 0;
  Result<size_t> got = source_->Read(buf, want);
  if (!got.ok()) {
    Fail(got.status());
    return CURL_READFUNC_ABORT;
  }
  if (*got == 0 || *got > want) {
    // Ending early would make libcurl send a short body the server waits on until it times out.
    Fail(Status::Io("request body source returned " + std::to_string(*got) + " bytes at offset " +
                    std::to_string(sent_) + " of a declared " + std::to_string(source_->Size())));
    return CURL_READFUNC_ABORT;
  }
  sent_ += *got;
  return *got;
}

int CurlTransfer::SeekCallback(void* self, curl_off_t offset, int origin) {
  return static_cast<CurlTransfer*>(self)->Seek(offset, origin);
}

int CurlTransfer::Seek(curl_off_t offset, int origin) {
  // libcurl seeks to 0 when it must send the body again (a connection that died before any
  // answer, a redirect or auth round). Other offsets only serve resumed uploads, which we never
  // ask for; refusing them makes libcurl fall back to reading forward, which stays correct.
  if (offset != 0 || origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  if (source_ != nullptr && !source_->Rewind()) return CURL_SEEKFUNC_CANTSEEK;
  sent_ = 0;
  return CURL_SEEKFUNC_OK;
}

size_t CurlTransfer::HeaderCallback(char* data, size_t size, size_t nitems, void* self) {
  static_cast<CurlTransfer*>(self)->headers_.AddLine(std::string_view(data, size * nitems));
  return size * nitems;
}

size_t CurlTransfer::WriteCallback(char* data, size_t size, size_t nitems, void* self) {
  return static_cast<CurlTransfer*>(self)->Write(data, size * nitems);
}

size_t CurlTransfer::Write(const char* data, size_t n) {
  // Body bytes only ever follow the final response's headers, so its status is known here.
  const int status = headers_.status();
  const bool success = status >= 200 && status < 300;
  if (success && sink_ != nullptr) {
    Status st = sink_->Write(data, n);
    if (!st.ok()) {
      Fail(std::move(st));
      return kWriteAbort;
    }
    return n;
  }
  if (success) {
    if (body_.size() + n > max_unsunk_body_) {
      Fail(Status::UnexpectedResponse("response body exceeds " + std::to_string(max_unsunk_body_) +
                                      " bytes and no sink was given"));
      return kWriteAbort;
    }
    body_.append(data, n);
    return n;
  }
  // An error document: keep its head for the caller to parse, drain the rest.
  if (body_.size() < max_error_body_) body_.append(data, std::min(n, max_error_body_ - body_.size()));
  return n;
}

}  // namespace s3core::http_internal
