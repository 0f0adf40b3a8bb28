// Small string helpers shared by the credential providers.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace s3core::credentials_internal {

std::string_view Trim(std::string_view text);  // spaces, tabs, CR, LF
std::string ToLower(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// RFC 3986 percent-encoding of everything but the unreserved characters (A-Z a-z 0-9 - _ . ~),
// as application/x-www-form-urlencoded bodies and query strings of AWS APIs expect.
std::string PercentEncode(std::string_view text);

// Replaces every occurrence of `secret` in `text` with "<redacted>", so that a server message
// quoting a token we sent cannot carry it into an error message. No-op for an empty secret.
std::string Scrub(std::string text, std::string_view secret);

// The Expiration time stamps of STS, the container endpoint and IMDS:
// "2019-11-09T13:34:41Z", with optional fractional seconds and a "Z" or "+hh:mm" zone.
// nullopt if it does not parse. Own small parser: the calendar code of s3core/xml belongs to
// another layer, and std::chrono::parse is not in libstdc++ 12.
std::optional<std::chrono::system_clock::time_point> ParseExpiration(std::string_view text);

}  // namespace s3core::credentials_internal
