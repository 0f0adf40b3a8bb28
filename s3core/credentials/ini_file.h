// A tolerant reader of the AWS shared config/credentials INI format.
//
// What it accepts, like the AWS CLI (Python's configparser) does:
//   - "[section]" headers (spaces inside the brackets are trimmed: "[ profile dev ]");
//   - "key = value" or "key: value"; keys are lower-cased, keys and values trimmed;
//   - full-line comments starting with '#' or ';', and inline comments that start with
//     " #" or " ;" (a '#' with no space before it belongs to the value);
//   - CRLF line ends, blank lines, a UTF-8 byte-order mark;
//   - nested sub-sections ("s3 =" followed by indented "key = value" lines) are skipped:
//     their keys do not leak into the profile.
// Lines that are none of these are ignored (the AWS CLI would refuse the file; refusing here
// would turn a typo in an unrelated profile into an outage). Later duplicate keys win.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace s3core::credentials_internal {

using IniSection = std::map<std::string, std::string>;
using IniFile = std::map<std::string, IniSection>;  // section name -> keys

IniFile ParseIni(std::string_view text);

}  // namespace s3core::credentials_internal
