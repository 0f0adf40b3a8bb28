// DataCache: a persistent, bounded, block-level local cache of object data (s3fs's use_cache=DIR).
//
// Objects are cached in aligned blocks of `block_size` bytes, one file per block under `dir`
// (format and naming in data_cache_format.h). Every block records the key, the ETag of the object
// version it came from and checksums; a read names the ETag it expects, and a block of any other
// version is a miss and is deleted, so stale bytes are never served. The stored bytes are bounded
// by `max_bytes` (header + data of every file, counted before a file is written, so the cap is
// never exceeded) with least-recently-used eviction. The cache survives remounts: Open rebuilds
// the index from the directory, dropping files that fail validation, in the order they were
// written (LRU order itself is not persisted).
//
// Thread-safe. One mutex guards the index; block data is read and written outside it. Renames and
// unlinks of block files happen under it, so the directory and the index never disagree about
// which file a name holds. A cache directory is used by one process at a time (flock on
// dir/.lock): a second Open on the same directory fails instead of corrupting the first.
//
// The cache is an optimisation: Put never fails the caller (errors are counted and reported to
// `on_error`), and a Get that cannot read or validate its file is a miss.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "s3core/status.h"

namespace mounter {

class DataCache {
 public:
  struct Options {
    // Created (with parents) mode 0700 if missing. An existing directory must belong to the
    // effective user and not be writable by group or others (anyone who can write there could
    // plant blocks); Open refuses it otherwise. Block files are 0600.
    std::string dir;
    uint64_t max_bytes = 0;            // cap on the bytes of all block files; >= one block
    uint64_t block_size = 1 << 20;     // unit of caching; blocks written with another size are dropped
    // Put skips when the file system holding `dir` would have less free space than this
    // (s3fs's ensure_diskfree), so the cache never fills the disk other files need.
    uint64_t min_free_bytes = 64 << 20;
    // Called, outside the cache's lock and possibly from several threads at once, for each error
    // worth a log line (a failed write, an unreadable file). The cache goes on working either
    // way. May be empty.
    std::function<void(const s3core::Status&)> on_error;
  };

  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t bytes = 0;        // bytes of block files now indexed (headers included)
    uint64_t entries = 0;      // block files now indexed
    uint64_t evictions = 0;    // blocks removed to make room
    uint64_t stale = 0;        // blocks dropped because the object's ETag changed
    uint64_t invalid = 0;      // files dropped as torn, corrupt or foreign (at open or on read)
    uint64_t puts = 0;         // blocks stored
    uint64_t put_skipped = 0;  // Puts not stored: low disk space, no room under the cap, bad block
    uint64_t errors = 0;       // I/O errors (reported to on_error)
  };

  static s3core::Result<std::unique_ptr<DataCache>> Open(Options options);
  ~DataCache();
  DataCache(const DataCache&) = delete;
  DataCache& operator=(const DataCache&) = delete;

  // Copies block `index` of object version (key, etag) into `out`: the whole block, or the
  // object's last partial block (possibly 0 bytes). Returns the number of bytes copied, or nullopt
  // on a miss. A block stored under another ETag is a miss and is removed. A block longer than
  // `out_size` is a miss (and stays).
  std::optional<size_t> Get(std::string_view key, std::string_view etag, uint64_t index, char* out,
                            size_t out_size);
  // Stores block `index` of object version (key, etag), replacing any version of it. `data` must
  // be the whole block, or the object's last partial block, and at most block_size bytes. Best
  // effort: never fails the caller.
  void Put(std::string_view key, std::string_view etag, uint64_t index, std::string_view data);
  // Removes every block of `key` (the object was deleted or rewritten). Not needed for
  // correctness (Get checks the ETag), but frees the space at once.
  void Invalidate(std::string_view key);

  Stats stats() const;
  uint64_t block_size() const { return options_.block_size; }

 private:
  struct Entry {
    std::string key;
    std::string etag;
    uint64_t index = 0;
    uint64_t file_size = 0;
    uint64_t data_length = 0;
    uint64_t generation = 0;  // tells a re-Put entry from the one a reader looked up
    std::list<const std::string*>::iterator lru;  // its place in lru_
  };
  using Index = std::map<std::string, Entry>;  // by file name; a key's blocks are adjacent

  DataCache(Options options, int lock_fd);
  s3core::Status Load();
  std::string PathOf(std::string_view name) const;
  void InsertLocked(std::string name, Entry entry);
  // Forgets an entry; unlinks its file unless a rename has just replaced it.
  void RemoveLocked(Index::iterator it, bool unlink_file);
  // Evicts least recently used blocks until `incoming` more bytes fit; false if they cannot.
  bool MakeRoomLocked(uint64_t incoming);
  bool EnoughFreeSpace(uint64_t incoming);
  s3core::Status WriteTempFile(const std::string& header, std::string_view data, std::string* temp_path);
  bool ReadBlock(const std::string& name, std::string_view key, std::string_view etag, uint64_t index,
                 uint64_t data_length, char* out);
  void DropIfUnchanged(const std::string& name, uint64_t generation);
  void ReportError(const s3core::Status& status);

  const Options options_;
  const int lock_fd_;  // holds the flock for the life of the cache

  mutable std::mutex mu_;
  Index index_;
  std::list<const std::string*> lru_;  // names (keys of index_), front: most recently used
  uint64_t bytes_ = 0;              // of indexed files
  uint64_t reserved_ = 0;           // of files being written by Puts
  uint64_t next_generation_ = 1;
  Stats stats_;
};

}  // namespace mounter
