// ListObjectsV2 and ListMultipartUploads over the in-memory state, with S3's paging rules.
#include <algorithm>
#include <tuple>
#include <vector>

#include "s3core/testing/in_memory_state.h"

namespace s3core::testing::in_memory {
namespace {

// Continuation tokens are opaque to callers (S3's are too); ours carry the last key or common
// prefix returned, and the next page holds what sorts after it.
constexpr std::string_view kTokenPrefix = "fake-after:";

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::optional<ListObjectsResult> ListObjectsPage(const std::map<std::string, ObjectEntry>& objects,
                                                 const ListObjectsRequest& request) {
  // Every entry of a page, key or common prefix, sorts after the marker: start-after, or where
  // the previous page ended (S3 ignores start-after once paging has begun). So a common prefix
  // that sorts before a start-after inside it ("dir/" < "dir/a") is not listed, as on RGW.
  std::string marker = request.start_after;
  if (!request.continuation_token.empty()) {
    if (!StartsWith(request.continuation_token, kTokenPrefix)) return std::nullopt;
    marker = request.continuation_token.substr(kTokenPrefix.size());
  }

  // Start at the first key under the prefix, or after the marker if that is later.
  auto it = marker.empty() || marker < request.prefix ? objects.lower_bound(request.prefix)
                                                      : objects.upper_bound(marker);

  ListObjectsResult page;
  std::string last_token;
  int returned = 0;  // objects and common prefixes both count toward max-keys, as in S3
  for (; it != objects.end() && StartsWith(it->first, request.prefix); ++it) {
    const std::string& key = it->first;
    std::optional<std::string> common_prefix;
    if (!request.delimiter.empty()) {
      const size_t at = key.find(request.delimiter, request.prefix.size());
      if (at != std::string::npos) common_prefix = key.substr(0, at + request.delimiter.size());
    }
    if (common_prefix && !marker.empty() && *common_prefix <= marker) continue;
    // Keys under one common prefix are adjacent in byte order, so comparing with the last one
    // rolls them all up.
    if (common_prefix && !page.common_prefixes.empty() && page.common_prefixes.back() == *common_prefix) continue;
    if (returned == request.max_keys) {
      page.is_truncated = true;
      page.next_continuation_token = last_token;
      break;
    }
    if (common_prefix) {
      page.common_prefixes.push_back(*common_prefix);
      last_token = std::string(kTokenPrefix) + *common_prefix;
    } else {
      ObjectInfo info = it->second.info;
      info.metadata.clear();      // listings carry no user metadata
      info.content_type.clear();  // nor a content type
      page.objects.push_back(std::move(info));
      last_token = std::string(kTokenPrefix) + key;
    }
    ++returned;
  }
  return page;
}

ListMultipartUploadsResult ListUploadsPage(const std::map<std::string, UploadEntry>& uploads,
                                           const ListMultipartUploadsRequest& request) {
  // S3 orders uploads by key, then by initiation; upload ids here grow with time, so the pair
  // (key, upload id) gives that order and is what the markers name.
  std::vector<std::pair<const std::string*, const std::string*>> sorted;  // key, upload id
  for (const auto& [id, upload] : uploads) {
    if (!StartsWith(upload.key, request.prefix)) continue;
    if (!request.key_marker.empty()) {
      const bool after_marker = upload.key > request.key_marker ||
                                (upload.key == request.key_marker && !request.upload_id_marker.empty() &&
                                 id > request.upload_id_marker);
      if (!after_marker) continue;
    }
    sorted.emplace_back(&upload.key, &id);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return std::tie(*a.first, *a.second) < std::tie(*b.first, *b.second); });

  ListMultipartUploadsResult page;
  for (const auto& [key, id] : sorted) {
    if (static_cast<int>(page.uploads.size()) == request.max_uploads) {
      page.is_truncated = true;
      page.next_key_marker = page.uploads.back().key;
      page.next_upload_id_marker = page.uploads.back().upload_id;
      break;
    }
    page.uploads.push_back(MultipartUploadInfo{*key, *id, uploads.at(*id).initiated});
  }
  return page;
}

}  // namespace s3core::testing::in_memory
