// The state of InMemoryObjectStore (internal; shared by its .cc files and the listing code).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "s3core/model.h"

namespace s3core::testing::in_memory {

// Object bodies are immutable and shared, so a GET can stream one outside the store's lock
// while a PUT replaces the object.
using Data = std::shared_ptr<const std::string>;

struct ObjectEntry {
  Data data;
  ObjectInfo info;  // key, size, etag, last_modified, storage_class, content_type, metadata
};

struct PartEntry {
  Data data;
  std::string etag;  // hex MD5 of the part
};

struct UploadEntry {
  std::string key;
  TimePoint initiated{};
  std::string content_type, storage_class;
  UserMetadata metadata;
  std::map<int, PartEntry> parts;
};

struct BucketEntry {
  TimePoint created{};
  std::map<std::string, ObjectEntry> objects;  // std::string compares bytes: S3's listing order
  std::map<std::string, UploadEntry> uploads;  // by upload id
};

// One page of ListObjectsV2 over `objects`. A bad continuation token is reported as nullopt
// (the caller answers 400 InvalidArgument).
std::optional<ListObjectsResult> ListObjectsPage(const std::map<std::string, ObjectEntry>& objects,
                                                 const ListObjectsRequest& request);

// The page of ListMultipartUploads over `uploads` (keyed by upload id).
ListMultipartUploadsResult ListUploadsPage(const std::map<std::string, UploadEntry>& uploads,
                                           const ListMultipartUploadsRequest& request);

}  // namespace s3core::testing::in_memory
