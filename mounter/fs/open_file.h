// OpenFile: the state of one open file (shared by all handles on the same inode).
//
// A clean file is read with ranged GETs carrying If-Match with the ETag seen at open, so a
// file replaced by another writer fails the read (EIO) instead of mixing old and new bytes.
// The first write (or truncate) makes it local: a StagingFile gets the object's bytes (unless
// the file is being truncated to 0) and from then on reads and writes are local. Flush uploads
// the staging file with the s3fs metadata; on failure the data stays dirty for the next flush.
// Issue 4 (read-ahead) plugs in at ReadRemote.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "mounter/fs/node_info.h"
#include "mounter/fs/object_transfer.h"
#include "mounter/fs/staging_file.h"

namespace mounter {

struct OpenFileContext {
  s3core::ObjectStore* store = nullptr;
  TransferOptions transfer;
  std::string staging_dir;
};

class OpenFile {
 public:
  // `info` must come from a HEAD (or a PUT just done): etag, size, metadata.
  OpenFile(const OpenFileContext* context, std::string key, NodeInfo info);

  s3core::Result<size_t> Read(uint64_t offset, size_t size, char* buf);
  // Writes at `offset`, or at the end of the file when `append`. Returns the offset written at.
  s3core::Result<uint64_t> Write(uint64_t offset, std::string_view data, bool append);
  s3core::Status Truncate(uint64_t size);
  // Uploads pending data and attributes, if any. No-op for an unlinked file.
  s3core::Status Flush();
  // Makes the whole content local, so the file stays readable after its object is deleted.
  s3core::Status MakeLocal();
  // The object was deleted (unlink, or replaced by a rename): keep serving local data, never
  // upload again.
  void MarkUnlinked();
  // The file moved to `key` (rename).
  void SetKey(std::string key);
  std::string key() const;

  // The node as it is now: local size and pending attributes included.
  NodeInfo info() const;
  bool dirty() const;
  // Attributes/metadata changed while data is pending: they are uploaded with the data.
  s3core::Status SetPending(const NodeAttributes& attrs, const s3core::UserMetadata& metadata);
  // The object was rewritten server-side (metadata copy): new ETag, attributes and metadata.
  void OnRemoteReplaced(const NodeInfo& info);

  // Handle count, maintained by the file system under its own lock.
  int handles = 0;

 private:
  s3core::Status EnsureLocalLocked(uint64_t bytes_needed);
  s3core::Status DownloadLocked(uint64_t length);
  s3core::Result<size_t> ReadRemote(const std::string& key, const std::string& etag, uint64_t offset,
                                    size_t size, char* buf);

  const OpenFileContext* context_;
  mutable std::mutex mu_;
  std::string key_;
  NodeInfo info_;  // attrs.size is the current (local) size
  std::unique_ptr<StagingFile> staging_;  // non-null: the local copy is authoritative
  bool dirty_ = false;
  bool unlinked_ = false;
};

}  // namespace mounter
