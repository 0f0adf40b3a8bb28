#include "mounter/fs/dir_lister.h"

#include <map>

#include "mounter/fs/parallel_for.h"

namespace mounter {
namespace {

bool ValidName(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

s3core::Result<DirListing> ListDirectory(s3core::ObjectStore& store, const DirListerOptions& options,
                                         const std::string& dir_prefix) {
  std::map<std::string, ListedEntry> merged;
  auto add_dir = [&](const std::string& name, std::string object_key, s3core::TimePoint mtime) {
    ListedEntry& entry = merged[name];
    if (entry.info.is_dir() && !entry.info.object_key.empty()) return;
    entry.name = name;
    entry.info = NodeInfo{};
    entry.info.attrs = ImplicitDirectoryAttributes(options.defaults, mtime);
    entry.info.object_key = std::move(object_key);
    entry.info.from_listing = true;
  };
  s3core::ListObjectsRequest request;
  request.bucket = options.bucket;
  request.prefix = dir_prefix;
  request.delimiter.assign(1, '/');  // (not = "/": GCC 12 -Wrestrict false positive)
  for (;;) {
    S3_ASSIGN_OR_RETURN(s3core::ListObjectsResult page, store.ListObjects(request));
    for (const auto& object : page.objects) {
      if (object.key.size() <= dir_prefix.size()) continue;  // the directory's own marker
      std::string name = object.key.substr(dir_prefix.size());
      if (options.folder_suffix_compat && EndsWith(name, kFolderSuffix)) {
        name.resize(name.size() - (sizeof(kFolderSuffix) - 1));
        if (ValidName(name)) add_dir(name, object.key, object.last_modified);
        continue;
      }
      if (!ValidName(name)) continue;
      auto it = merged.find(name);
      if (it != merged.end() && it->second.info.is_dir()) continue;  // the directory wins
      ListedEntry entry;
      entry.name = name;
      entry.info.attrs = AttributesFromListing(object, options.defaults);
      entry.info.object_key = object.key;
      entry.info.etag = object.etag;
      entry.info.from_listing = true;
      merged[name] = std::move(entry);
    }
    for (const auto& prefix : page.common_prefixes) {
      if (prefix.size() <= dir_prefix.size() + 1) continue;  // "dir//": an empty name
      std::string name = prefix.substr(dir_prefix.size(), prefix.size() - dir_prefix.size() - 1);
      if (!ValidName(name)) continue;
      add_dir(name, "", options.implicit_dir_mtime);
    }
    if (!page.is_truncated || page.next_continuation_token.empty()) break;
    request.continuation_token = page.next_continuation_token;
  }
  DirListing out;
  out.reserve(merged.size());
  for (auto& [name, entry] : merged) out.push_back(std::move(entry));
  return out;
}

void HeadEach(s3core::ObjectStore& store, const DirListerOptions& options, const std::string& dir_prefix,
              DirListing* listing, int parallelism, HeadScope scope) {
  ParallelFor(listing->size(), parallelism, [&](size_t i) {
    ListedEntry& entry = (*listing)[i];
    if (!entry.info.from_listing) return;
    if (scope == HeadScope::kPossibleSymlinks &&
        (entry.info.is_dir() || entry.info.attrs.size > kMaxSymlinkObjectSize)) {
      return;
    }
    s3core::HeadObjectRequest head;
    head.bucket = options.bucket;
    const bool is_dir = entry.info.is_dir();
    head.key = is_dir && entry.info.object_key.empty() ? dir_prefix + entry.name + "/" : entry.info.object_key;
    auto result = store.HeadObject(head);
    if (!result.ok()) {
      if (result.status().IsNotFound() && is_dir) entry.info.from_listing = false;  // implicit
      return;
    }
    NodeInfo info;
    info.attrs = AttributesFromObject(*result, options.defaults);
    if (is_dir && !S_ISDIR(info.attrs.mode)) return;  // a "name_$folder$" with odd metadata
    info.object_key = head.key;
    info.etag = result->etag;
    info.content_type = result->content_type;
    info.metadata = result->metadata;
    entry.info = std::move(info);
  });
}

}  // namespace mounter
