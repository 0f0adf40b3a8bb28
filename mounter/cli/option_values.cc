#include "mounter/cli/option_values.h"

#include <charconv>

namespace mounter::cli {

s3core::Status BadValue(std::string_view option, std::string_view value, std::string_view why) {
  std::string message = "option `";
  message.append(option).append("': `").append(value).append("' ").append(why);
  return s3core::Status::InvalidArgument(std::move(message));
}

s3core::Result<uint64_t> ParseUnsigned(std::string_view option, std::string_view value, uint64_t min,
                                       uint64_t max) {
  uint64_t parsed = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, parsed, 10);
  if (value.empty() || ec != std::errc() || ptr != end) {
    return BadValue(option, value, "is not a non-negative integer");
  }
  if (parsed < min || parsed > max) {
    return BadValue(option, value,
                    "is out of range (" + std::to_string(min) + " to " + std::to_string(max) + ")");
  }
  return parsed;
}

s3core::Result<mode_t> ParseOctalMask(std::string_view option, std::string_view value) {
  unsigned parsed = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, parsed, 8);
  if (value.empty() || ec != std::errc() || ptr != end) {
    return BadValue(option, value, "is not an octal mask (like 022)");
  }
  if (parsed > 0777) return BadValue(option, value, "is larger than 0777");
  return static_cast<mode_t>(parsed);
}

s3core::Result<bool> ParseFlag(std::string_view option, std::string_view value) {
  if (value.empty() || value == "1" || value == "true" || value == "yes" || value == "on") return true;
  if (value == "0" || value == "false" || value == "no" || value == "off") return false;
  return BadValue(option, value, "is not a boolean (1, 0, true, false)");
}

}  // namespace mounter::cli
