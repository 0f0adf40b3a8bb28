// Helpers shared by the DataCache tests: a temporary directory and deterministic block contents.
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "mounter/fs/data_cache_format.h"

namespace mounter::testing_util {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at destruction.
class TempDir {
 public:
  TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/data-cache-test-XXXXXX";
    if (::mkdtemp(templ.data()) != nullptr) path_ = templ;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The bytes of block `index` of object version (key, etag): a function of all four, so a block
// served for the wrong key, version, index or length never compares equal.
inline std::string BlockData(std::string_view key, std::string_view etag, uint64_t index, size_t size) {
  uint64_t state = data_cache_format::DataHash(std::string(key) + '\0' + std::string(etag)) ^ (index * 0x9e3779b97f4a7c15ULL);
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    data[i] = static_cast<char>(state >> 56);
  }
  return data;
}

// The size of the file that caches `data_length` bytes of (key, etag).
inline uint64_t FileSize(std::string_view key, std::string_view etag, uint64_t data_length) {
  return data_cache_format::kFixedHeaderSize + key.size() + etag.size() + data_length;
}

}  // namespace mounter::testing_util
