#include "s3core/auth/credentials.h"

#include <time.h>

#include <array>
#include <ctime>

namespace s3core {

// Only what helps to tell credentials apart in a log: the access key id (not a secret: AWS
// prints it in CloudTrail and error messages), where they came from, whether a session token
// is present and when they expire. Never the secret key or the token.
std::string Redacted(const Credentials& credentials) {
  const std::string source = credentials.source.empty() ? "unknown" : credentials.source;
  if (credentials.anonymous()) return "anonymous (source: " + source + ")";
  std::string out = "access key " + credentials.access_key_id + " (source: " + source;
  if (!credentials.session_token.empty()) out += ", with session token";
  if (credentials.expiration) {
    const std::time_t t = std::chrono::system_clock::to_time_t(*credentials.expiration);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    const size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    out += ", expires ";
    out.append(buf.data(), n);
  }
  out += ")";
  return out;
}

}  // namespace s3core
