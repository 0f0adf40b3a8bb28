// OpenFile: the state of one open file (shared by all handles on the same inode).
//
// Its content is in one of three forms:
// - remote: the object as it was at open (or at the last upload). Reads are ranged GETs pinned
//   to that ETag (If-Match), through the handle's Prefetcher, so a file replaced by another
//   writer fails the read (EIO) instead of mixing old and new bytes.
// - streaming: a new (or truncated-to-empty) file written from its start goes straight to S3
//   as it is written (StreamingUpload); no local copy is made. Anything else (a seek, a read,
//   a truncate) hands it over to the staged form.
// - staged: a sparse local StagingFile holds the bytes written (dirty) and those fetched from
//   the object (present); nothing is downloaded up front. Flush uploads the changed parts and
//   copies the unchanged ones server-side (UploadChanges): a 1-byte change to a 5 GiB object
//   sends about one part.
// Flush failures keep everything pending for the next flush (or the unmount's FlushAll).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "mounter/fs/node_info.h"
#include "mounter/fs/object_reader.h"
#include "mounter/fs/object_transfer.h"
#include "mounter/fs/prefetcher.h"
#include "mounter/fs/range_set.h"
#include "mounter/fs/staging_file.h"
#include "mounter/fs/streaming_upload.h"

namespace mounter {

struct OpenFileContext {
  s3core::ObjectStore* store = nullptr;
  TransferOptions transfer;
  std::string staging_dir;
  ObjectReader* reader = nullptr;
  UploadContext upload;          // streaming uploads: pool, budget, transfer (points at `transfer`)
  bool streaming_writes = true;  // stream new files written sequentially
};

class OpenFile {
 public:
  // `info` must come from a HEAD (or a PUT just done): etag, size, metadata.
  OpenFile(const OpenFileContext* context, std::string key, NodeInfo info);

  // `prefetcher` (the handle's) may be null: remote reads are then fetched as asked.
  s3core::Result<size_t> Read(uint64_t offset, size_t size, char* buf, Prefetcher* prefetcher = nullptr);
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
  ObjectVersion BaseVersionLocked() const;
  s3core::WriteOptions WriteOptionsLocked() const;
  s3core::Status EnsureStagingLocked();
  // Leaves the streaming form: the uploaded parts become the base object, the buffered tail
  // goes to the staging file.
  s3core::Status StopStreamingLocked();
  // Makes the staging file hold the base object's bytes in [begin, end) (thread-safe against
  // other fills: Flush fills parts in parallel).
  s3core::Status FillLocked(uint64_t begin, uint64_t end);
  s3core::Status AfterUploadLocked(const std::string& etag);

  const OpenFileContext* context_;
  mutable std::mutex mu_;
  std::string key_;
  NodeInfo info_;            // attrs.size is the current (local) size; etag is the base version
  uint64_t base_valid_ = 0;  // bytes [0, base_valid_) of the base object are still the file's
  std::unique_ptr<StreamingUpload> stream_;
  bool stream_metadata_stale_ = false;  // attributes changed after the stream's upload began
  std::unique_ptr<StagingFile> staging_;
  std::mutex fill_mu_;       // guards present_ during parallel fills
  RangeSet present_;         // bytes the staging file holds (fetched or written)
  RangeSet changed_;         // bytes written since the last upload
  bool dirty_ = false;       // data or attributes not uploaded yet
  bool unlinked_ = false;
};

}  // namespace mounter
