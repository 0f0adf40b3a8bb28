#include "s3core/http/response_headers.h"

#include <charconv>

namespace s3core::http_internal {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void ResponseHeaderCollector::AddLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) return;  // the blank line that ends a header block

  if (line.starts_with("HTTP/")) {
    // "HTTP/1.1 200 OK": a new response begins; forget any interim one.
    headers_.clear();
    status_ = 0;
    const size_t space = line.find(' ');
    if (space != std::string_view::npos) {
      std::string_view code = line.substr(space + 1, 3);
      int value = 0;
      auto [ptr, ec] = std::from_chars(code.data(), code.data() + code.size(), value);
      if (ec == std::errc() && ptr == code.data() + code.size()) status_ = value;
    }
    return;
  }

  if ((line.front() == ' ' || line.front() == '\t') && !headers_.empty()) {
    // Obsolete line folding (RFC 7230 3.2.4): a continuation of the previous value.
    std::string_view more = TrimWhitespace(line);
    std::string& value = headers_.back().second;
    if (!more.empty()) value += value.empty() ? std::string(more) : " " + std::string(more);
    return;
  }

  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;  // not a header; ignore it
  headers_.emplace_back(AsciiLower(TrimWhitespace(line.substr(0, colon))),
                        std::string(TrimWhitespace(line.substr(colon + 1))));
}

}  // namespace s3core::http_internal
