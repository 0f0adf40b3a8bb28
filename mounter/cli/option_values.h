// Value parsers shared by the rows of s3mount's option table: each turns the text after '=' into
// a typed value or an InvalidArgument status that names the option and the bad value.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "s3core/status.h"

namespace mounter::cli {

// A decimal integer in [min, max].
s3core::Result<uint64_t> ParseUnsigned(std::string_view option, std::string_view value, uint64_t min,
                                       uint64_t max);
// An octal permission mask, at most 0777 ("022", "0022", "0").
s3core::Result<mode_t> ParseOctalMask(std::string_view option, std::string_view value);
// A flag's value: "" (bare flag), 1/0, true/false, yes/no, on/off.
s3core::Result<bool> ParseFlag(std::string_view option, std::string_view value);

s3core::Status BadValue(std::string_view option, std::string_view value, std::string_view why);

}  // namespace mounter::cli
