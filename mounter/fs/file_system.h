// FileSystem: the s3mount file system core, independent of FUSE.
//
// It maps a bucket (optionally a prefix in it) to a POSIX tree over the ObjectStore seam, using
// the on-bucket format of s3fs (see docs/SEMANTICS.md): objects are files, "dir/" marker objects
// and common prefixes are directories, x-amz-meta-{mode,uid,gid,mtime,ctime,atime} carry
// attributes, symlinks are objects whose body is the target and whose mode has S_IFLNK.
// Every method is safe to call from many FUSE worker threads at once.
#pragma once

#include <sys/statvfs.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mounter/fs/fs_config.h"
#include "mounter/fs/fs_types.h"
#include "s3core/object_store.h"

namespace mounter {

struct DirEntry {
  std::string name;
  Entry entry;  // full attributes (readdirplus); entry.ino is looked up (lookup count +1)
  off_t next_offset = 0;
};

// A snapshot of the data path's state, for metrics (plain numbers; cheap to take).
struct FsStats {
  uint64_t memory_used = 0;   // bytes of read-ahead and write buffers leased from the budget now
  uint64_t memory_limit = 0;  // the budget (memory_limit_mb)
  uint64_t memory_peak = 0;   // the most ever leased at once
  uint64_t open_files = 0;    // files with at least one open handle
  uint64_t open_handles = 0;  // open file handles (directories not counted)
  uint64_t background_tasks = 0;  // read-ahead GETs and part uploads queued or running
  bool data_cache_enabled = false;  // use_cache with cache_size_mb > 0
  uint64_t data_cache_hits = 0, data_cache_misses = 0, data_cache_bytes = 0, data_cache_entries = 0,
           data_cache_evictions = 0;
};

class FileSystem {
 public:
  FileSystem(FsConfig config, std::shared_ptr<s3core::ObjectStore> store);
  ~FileSystem();
  FileSystem(const FileSystem&) = delete;
  FileSystem& operator=(const FileSystem&) = delete;

  // Checks the bucket (and prefix) is reachable with the credentials: the mount fails early
  // with the reason instead of serving EIO.
  FsStatus Init();
  // Uploads everything pending (unmount path). Returns the first failure.
  FsStatus FlushAll();

  FsResult<Entry> Lookup(Ino parent, std::string_view name, const Caller& caller);
  void Forget(Ino ino, uint64_t nlookup);
  FsResult<Entry> GetAttr(Ino ino);
  FsResult<Entry> SetAttr(Ino ino, const SetAttrRequest& request, const Caller& caller);

  FsResult<Entry> Mkdir(Ino parent, std::string_view name, mode_t mode, const Caller& caller);
  FsResult<Entry> Mknod(Ino parent, std::string_view name, mode_t mode, const Caller& caller);
  FsResult<Entry> Symlink(std::string_view target, Ino parent, std::string_view name, const Caller& caller);
  FsResult<std::string> Readlink(Ino ino);
  FsStatus Unlink(Ino parent, std::string_view name, const Caller& caller);
  FsStatus Rmdir(Ino parent, std::string_view name, const Caller& caller);
  // flags: RENAME_NOREPLACE / RENAME_EXCHANGE (the latter is EINVAL).
  FsStatus Rename(Ino parent, std::string_view name, Ino new_parent, std::string_view new_name, unsigned flags,
                  const Caller& caller);

  struct Created {
    Entry entry;
    FileHandle fh;
  };
  FsResult<Created> Create(Ino parent, std::string_view name, mode_t mode, int flags, const Caller& caller);
  FsResult<FileHandle> Open(Ino ino, int flags, const Caller& caller);
  // Reads up to `size` bytes at `offset` into `buf`; returns the count (0 at end of file).
  FsResult<size_t> Read(Ino ino, FileHandle fh, off_t offset, size_t size, char* buf);
  FsResult<size_t> Write(Ino ino, FileHandle fh, off_t offset, std::string_view data);
  FsStatus Flush(Ino ino, FileHandle fh);
  FsStatus Fsync(Ino ino, FileHandle fh);
  FsStatus Release(Ino ino, FileHandle fh);

  FsResult<FileHandle> OpenDir(Ino ino, const Caller& caller);
  // Entries from `offset` on ("." and ".." included), at most `max_entries`.
  // plus (readdirplus): every entry but "." and ".." takes a lookup reference (the glue must
  // Forget(ino, 1) the entries it could not fit in the kernel's buffer). !plus (readdir):
  // no references; entry.ino is only a d_ino hint.
  FsResult<std::vector<DirEntry>> ReadDir(Ino ino, FileHandle fh, off_t offset, size_t max_entries,
                                          bool plus = true);
  FsStatus ReleaseDir(Ino ino, FileHandle fh);

  FsResult<struct statvfs> StatFs();

  FsStatus SetXattr(Ino ino, std::string_view name, std::string_view value, int flags, const Caller& caller);
  FsResult<std::string> GetXattr(Ino ino, std::string_view name);
  FsResult<std::vector<std::string>> ListXattr(Ino ino);
  FsStatus RemoveXattr(Ino ino, std::string_view name, const Caller& caller);

  // The data path's counters and levels now (metrics).
  FsStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mounter
