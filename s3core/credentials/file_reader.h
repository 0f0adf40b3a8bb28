// Reads the small local files credentials come from (INI files, passwd files, token files).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>

#include "s3core/status.h"

namespace s3core::credentials_internal {

struct FileContents {
  std::string data;
  mode_t mode = 0;  // st_mode of the file that was read (fstat of the open descriptor)
};

// Reads a regular file of at most `max_bytes`. kNotFound when it does not exist, kIo for any
// other failure (the message names the path and the reason, never the content). The mode comes
// from the same open descriptor, so a permission check on it cannot race with a rename.
Result<FileContents> ReadSmallFile(const std::string& path, size_t max_bytes = 1 << 20);

// Whether `path` names an existing file (any type), without reading it.
bool FileExists(const std::string& path);

}  // namespace s3core::credentials_internal
