// FileSystem::Impl: shared state and helpers of the file system core. The operations are
// spread over file_system.cc (lookup/attributes), file_system_dir.cc (directories, rename),
// file_system_file.cc (open files) and file_system_xattr.cc (setattr, xattrs).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "mounter/fs/buffer_pool.h"
#include "mounter/fs/data_cache.h"
#include "mounter/fs/dir_lister.h"
#include "mounter/fs/file_system.h"
#include "mounter/fs/inode_table.h"
#include "mounter/fs/metadata_cache.h"
#include "mounter/fs/memory_budget.h"
#include "mounter/fs/object_reader.h"
#include "mounter/fs/open_file.h"
#include "mounter/fs/prefetcher.h"
#include "mounter/fs/task_pool.h"

namespace mounter {

class FileSystem::Impl {
 public:
  Impl(FsConfig config, std::shared_ptr<s3core::ObjectStore> store);

  // --- Names and keys. ---
  // The object key of the file at `path` ("" = root is not a file).
  std::string FileKey(const std::string& path) const { return config_.prefix + path; }
  // The listing prefix of the directory at `path` ("" or "a/b/").
  std::string DirPrefix(const std::string& path) const {
    return path.empty() ? config_.prefix : config_.prefix + path + "/";
  }
  FsResult<std::string> PathOf(Ino ino) const;
  // Validates `name` (ENAMETOOLONG, EINVAL) and joins it to the parent's path.
  FsResult<std::string> ChildPath(Ino parent, std::string_view name) const;
  static std::string ParentPath(const std::string& path);

  // --- Attributes. ---
  // What `path` is: from the cache, or from S3 (HEAD key, LIST "key/" max 1, HEAD marker).
  // `exact` refuses listing-derived attributes (mode/uid/gid defaults) and HEADs instead.
  FsResult<NodeInfo> Stat(const std::string& path, bool exact);
  FsResult<NodeInfo> StatRemote(const std::string& path);
  // Drops what the cache knows of `path` and of its parent's listing (after a change).
  void Invalidate(const std::string& path);
  Entry MakeEntry(Ino ino, const NodeInfo& info) const;
  // The open file of `ino`, if any.
  std::shared_ptr<OpenFile> FindOpenFile(Ino ino);
  // Current info of an inode: the open file's (pending data) or Stat's.
  FsResult<NodeInfo> InfoOf(Ino ino, const std::string& path, bool exact);

  // Writes `attrs` + `metadata` for the node at `path`: pending on a dirty open file, otherwise a
  // copy of the object onto itself (REPLACE) or a new directory marker.
  FsResult<NodeInfo> StoreAttributes(Ino ino, const std::string& path, const NodeInfo& current,
                                     const NodeAttributes& attrs, const s3core::UserMetadata& metadata);
  // PUTs an empty/small object with s3fs metadata (create, mknod, mkdir, symlink).
  FsResult<NodeInfo> PutNode(const std::string& key, const NodeAttributes& attrs, std::string_view body,
                             const std::string& content_type);
  NodeAttributes NewAttributes(mode_t mode, const Caller& caller) const;
  FsResult<Entry> CreateNode(Ino parent, std::string_view name, mode_t mode, std::string_view body,
                             const Caller& caller);

  // Maps a failed upload to the errno returned from flush/fsync/close.
  // Uploads `file` if dirty and refreshes the cache; upload errors as UploadError.
  FsStatus FlushFile(Ino ino, OpenFile& file);
  static FsError UploadError(const s3core::Status& status, const std::string& context);
  FsStatus ReadOnlyCheck() const;

  // --- Directory listing. ---
  FsResult<std::shared_ptr<const DirListing>> Listing(const std::string& path);

  // --- Rename helpers. ---
  FsStatus RenameFile(const std::string& from, const NodeInfo& info, const std::string& to);
  FsStatus RenameDirectory(const std::string& from, const NodeInfo& info, const std::string& to);
  FsStatus CheckEmptyDirectory(const std::string& path);
  FsStatus DeleteKeys(const std::vector<std::string>& keys);
  // Keeps the data of an open file whose object is about to disappear (unlink, replaced).
  void DetachOpenFile(Ino parent, std::string_view name);
  void RefreshOpenFileKeys();

  FsConfig config_;
  std::shared_ptr<s3core::ObjectStore> store_;
  // The data path. Declared before the open files, so destroyed after them: an open file's
  // unfinished upload and in-flight fetches still have their pool, budget and reader.
  MemoryBudget budget_;
  BufferPool buffers_;
  std::unique_ptr<DataCache> data_cache_;
  s3core::Status data_cache_error_;  // reported by Init
  std::unique_ptr<ObjectReader> reader_;
  std::unique_ptr<TaskPool> pool_;
  PrefetchContext prefetch_;
  AttributeDefaults defaults_;
  DirListerOptions lister_;
  OpenFileContext file_context_;
  InodeTable inodes_;
  MetadataCache cache_;
  NodeInfo root_;

  std::mutex mu_;  // guards everything below
  struct Handle {
    Ino ino = 0;
    int flags = 0;
    std::shared_ptr<OpenFile> file;
    std::shared_ptr<Prefetcher> prefetcher;  // this handle's read-ahead window
  };
  struct DirHandle {
    Ino ino = 0;
    std::shared_ptr<const DirListing> listing;
  };
  FileHandle next_handle_ = 1;
  std::unordered_map<Ino, std::shared_ptr<OpenFile>> open_files_;
  std::unordered_map<FileHandle, Handle> handles_;
  std::unordered_map<FileHandle, DirHandle> dir_handles_;
};

}  // namespace mounter
