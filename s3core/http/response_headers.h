// Collects the header block of an HTTP/1.x response as libcurl hands it over, one line at a time.
//
// libcurl calls its header callback for every header line of every response it reads during one
// transfer, including interim ones (100 Continue) and, if it ever followed them, redirects. Only
// the final response matters to the caller, so a new status line starts the collection afresh.
#pragma once

#include <string_view>

#include "s3core/http/http_client.h"

namespace s3core::http_internal {

class ResponseHeaderCollector {
 public:
  // Feeds one raw line, with or without its trailing CRLF.
  void AddLine(std::string_view line);

  int status() const { return status_; }
  const Headers& headers() const { return headers_; }
  Headers TakeHeaders() { return std::move(headers_); }

 private:
  int status_ = 0;
  Headers headers_;
};

// Lower-cases ASCII letters (header names are ASCII tokens).
std::string AsciiLower(std::string_view s);
// Strips leading and trailing spaces and tabs.
std::string_view TrimWhitespace(std::string_view s);

}  // namespace s3core::http_internal
