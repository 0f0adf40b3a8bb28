#include "mounter/fs/data_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tuple>
#include <vector>

#include "mounter/fs/data_cache_format.h"

namespace mounter {
namespace block_format = data_cache_format;
namespace {

constexpr std::string_view kLockName = ".lock";
constexpr std::string_view kTempPrefix = "tmp-";

s3core::Status ErrnoStatus(const std::string& what, int err) {
  return s3core::Status::Io("data cache: " + what + ": " + std::strerror(err));
}

// Creates `dir` and missing parents with mode 0700 (like mkdir -p, but private).
s3core::Status MakeDirs(const std::string& dir) {
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoStatus("mkdir " + part, errno);
  }
  return s3core::Status();
}

s3core::Status CheckDirIsPrivate(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return ErrnoStatus("stat " + dir, errno);
  if (!S_ISDIR(st.st_mode)) return s3core::Status::InvalidArgument("data cache: " + dir + " is not a directory");
  if (st.st_uid != ::geteuid()) {
    return s3core::Status::InvalidArgument("data cache: " + dir + " belongs to uid " + std::to_string(st.st_uid) +
                                           ", not to this process's user");
  }
  if ((st.st_mode & 022) != 0) {
    return s3core::Status::InvalidArgument("data cache: " + dir +
                                           " is writable by group or others (chmod 700 it)");
  }
  return s3core::Status();
}

bool ReadFull(int fd, char* buf, size_t size, uint64_t offset) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, buf + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

bool WriteFull(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Reads and checks the header of block file `fd` (found as `name`); nullopt if it is not one of
// ours, written with `block_size`, complete.
std::optional<block_format::BlockHeader> ReadHeader(int fd, const std::string& name, uint64_t block_size) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  std::string bytes(block_format::kFixedHeaderSize, '\0');
  if (!ReadFull(fd, bytes.data(), bytes.size(), 0)) return std::nullopt;
  std::optional<block_format::BlockHeader> fixed = block_format::DecodeFixedHeader(bytes);
  if (!fixed) return std::nullopt;
  bytes.resize(fixed->header_size());
  if (!ReadFull(fd, bytes.data() + block_format::kFixedHeaderSize, bytes.size() - block_format::kFixedHeaderSize,
                block_format::kFixedHeaderSize)) {
    return std::nullopt;
  }
  std::optional<block_format::BlockHeader> header = block_format::DecodeHeader(bytes);
  if (!header || header->block_size != block_size || block_format::BlockFileName(header->key, header->index) != name ||
      static_cast<uint64_t>(st.st_size) != header->file_size()) {
    return std::nullopt;
  }
  return header;
}

}  // namespace

s3core::Result<std::unique_ptr<DataCache>> DataCache::Open(Options options) {
  if (options.dir.empty()) return s3core::Status::InvalidArgument("data cache: no directory");
  if (options.block_size == 0) return s3core::Status::InvalidArgument("data cache: block size 0");
  if (options.max_bytes < options.block_size) {
    return s3core::Status::InvalidArgument("data cache: the size cap must hold at least one block");
  }
  while (options.dir.size() > 1 && options.dir.back() == '/') options.dir.pop_back();
  S3_RETURN_IF_ERROR(MakeDirs(options.dir));
  S3_RETURN_IF_ERROR(CheckDirIsPrivate(options.dir));
  std::string lock_path = options.dir + "/" + std::string(kLockName);
  int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lock_fd < 0) return ErrnoStatus("open " + lock_path, errno);
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(lock_fd);
    if (err == EWOULDBLOCK) {
      return s3core::Status::Error(s3core::ErrorKind::kConflict,
                                   "data cache: " + options.dir + " is in use by another s3mount");
    }
    return ErrnoStatus("flock " + lock_path, err);
  }
  std::unique_ptr<DataCache> cache(new DataCache(std::move(options), lock_fd));
  S3_RETURN_IF_ERROR(cache->Load());
  return cache;
}

DataCache::DataCache(Options options, int lock_fd) : options_(std::move(options)), lock_fd_(lock_fd) {}

DataCache::~DataCache() { ::close(lock_fd_); }

std::string DataCache::PathOf(std::string_view name) const {
  std::string path = options_.dir;
  path += '/';
  path += name;
  return path;
}

// Indexes the blocks left by earlier mounts, oldest first, so the LRU order restarts from the
// order they were written; drops what fails validation and what exceeds the cap.
s3core::Status DataCache::Load() {
  DIR* dir = ::opendir(options_.dir.c_str());
  if (dir == nullptr) return ErrnoStatus("opendir " + options_.dir, errno);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(dir)) names.emplace_back(e->d_name);
  ::closedir(dir);

  struct Found {
    struct timespec mtime;
    std::string name;
    Entry entry;
  };
  std::vector<Found> found;
  uint64_t invalid = 0;
  for (const std::string& name : names) {
    std::string path = PathOf(name);
    if (name.starts_with(kTempPrefix)) {  // a Put cut short by a crash; we hold the lock
      ::unlink(path.c_str());
      continue;
    }
    if (!block_format::IsBlockFileName(name)) continue;  // not ours (., .., .lock, anything else): left alone
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    std::optional<block_format::BlockHeader> header;
    struct stat st {};
    if (fd >= 0) {
      header = ReadHeader(fd, name, options_.block_size);
      if (::fstat(fd, &st) != 0) header.reset();
      ::close(fd);
    }
    if (!header) {
      ::unlink(path.c_str());
      ++invalid;
      continue;
    }
    Entry entry;
    entry.file_size = header->file_size();  // before the key and etag are moved out
    entry.data_length = header->data_length;
    entry.index = header->index;
    entry.key = std::move(header->key);
    entry.etag = std::move(header->etag);
    found.push_back(Found{st.st_mtim, name, std::move(entry)});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::tie(a.mtime.tv_sec, a.mtime.tv_nsec, a.name) < std::tie(b.mtime.tv_sec, b.mtime.tv_nsec, b.name);
  });

  std::lock_guard lock(mu_);
  stats_.invalid += invalid;
  for (Found& f : found) InsertLocked(std::move(f.name), std::move(f.entry));
  MakeRoomLocked(0);
  return s3core::Status();
}

void DataCache::InsertLocked(std::string name, Entry entry) {
  entry.generation = next_generation_++;
  bytes_ += entry.file_size;
  auto [it, inserted] = index_.insert_or_assign(std::move(name), std::move(entry));
  (void)inserted;  // callers remove an existing entry first
  lru_.push_front(&it->first);
  it->second.lru = lru_.begin();
}

void DataCache::RemoveLocked(Index::iterator it, bool unlink_file) {
  if (unlink_file && ::unlink(PathOf(it->first).c_str()) != 0 && errno != ENOENT) ++stats_.errors;
  bytes_ -= it->second.file_size;
  lru_.erase(it->second.lru);
  index_.erase(it);
}

bool DataCache::MakeRoomLocked(uint64_t incoming) {
  while (bytes_ + reserved_ + incoming > options_.max_bytes && !lru_.empty()) {
    RemoveLocked(index_.find(*lru_.back()), /*unlink_file=*/true);
    ++stats_.evictions;
  }
  return bytes_ + reserved_ + incoming <= options_.max_bytes;
}

bool DataCache::EnoughFreeSpace(uint64_t incoming) {
  struct statvfs vfs {};
  if (::statvfs(options_.dir.c_str(), &vfs) != 0) {
    ReportError(ErrnoStatus("statvfs " + options_.dir, errno));
    return false;
  }
  uint64_t free_bytes = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  return free_bytes >= incoming && free_bytes - incoming >= options_.min_free_bytes;
}

std::optional<size_t> DataCache::Get(std::string_view key, std::string_view etag, uint64_t index, char* out,
                                     size_t out_size) {
  std::string name = block_format::BlockFileName(key, index);
  uint64_t generation = 0;
  uint64_t data_length = 0;
  {
    std::lock_guard lock(mu_);
    auto it = index_.find(name);
    if (it == index_.end() || it->second.key != key || it->second.index != index) {
      ++stats_.misses;
      return std::nullopt;
    }
    if (it->second.etag != etag) {  // the object changed: these bytes will never be right again
      RemoveLocked(it, /*unlink_file=*/true);
      ++stats_.stale;
      ++stats_.misses;
      return std::nullopt;
    }
    if (it->second.data_length > out_size) {
      ++stats_.misses;
      return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    generation = it->second.generation;
    data_length = it->second.data_length;
  }
  // The file is read without the lock. If it is evicted or replaced meanwhile, the open fails or
  // the header names another version: either way a miss, never wrong bytes.
  bool ok = ReadBlock(name, key, etag, index, data_length, out);
  if (!ok) DropIfUnchanged(name, generation);
  std::lock_guard lock(mu_);
  ++(ok ? stats_.hits : stats_.misses);
  if (!ok) return std::nullopt;
  return static_cast<size_t>(data_length);
}

bool DataCache::ReadBlock(const std::string& name, std::string_view key, std::string_view etag, uint64_t index,
                          uint64_t data_length, char* out) {
  int fd = ::open(PathOf(name).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno != ENOENT) ReportError(ErrnoStatus("open " + PathOf(name), errno));
    return false;
  }
  std::string header_bytes(block_format::kFixedHeaderSize + key.size() + etag.size(), '\0');
  bool ok = ReadFull(fd, header_bytes.data(), header_bytes.size(), 0) &&
            ReadFull(fd, out, static_cast<size_t>(data_length), header_bytes.size());
  ::close(fd);
  if (!ok) return false;
  std::optional<block_format::BlockHeader> header = block_format::DecodeHeader(header_bytes);
  return header && header->key == key && header->etag == etag && header->index == index &&
         header->block_size == options_.block_size && header->data_length == data_length &&
         header->data_hash == block_format::DataHash(std::string_view(out, static_cast<size_t>(data_length)));
}

// A block that failed to read is dropped, unless a Put replaced it meanwhile (then the failure
// may have been the race, and the new block is good).
void DataCache::DropIfUnchanged(const std::string& name, uint64_t generation) {
  std::lock_guard lock(mu_);
  auto it = index_.find(name);
  if (it == index_.end() || it->second.generation != generation) return;
  RemoveLocked(it, /*unlink_file=*/true);
  ++stats_.invalid;
}

void DataCache::Put(std::string_view key, std::string_view etag, uint64_t index, std::string_view data) {
  if (key.empty() || key.size() > block_format::kMaxKeyLength || etag.size() > block_format::kMaxEtagLength ||
      data.size() > options_.block_size) {
    {
      std::lock_guard lock(mu_);
      ++stats_.put_skipped;
    }
    ReportError(s3core::Status::InvalidArgument("data cache: block " + std::to_string(index) + " of " +
                                                std::string(key) + " cannot be cached (bad size)"));
    return;
  }
  block_format::BlockHeader header;
  header.key = std::string(key);
  header.etag = std::string(etag);
  header.index = index;
  header.block_size = options_.block_size;
  header.data_length = data.size();
  header.data_hash = block_format::DataHash(data);
  std::string header_bytes = block_format::EncodeHeader(header);
  const uint64_t file_size = header.file_size();

  bool room = EnoughFreeSpace(file_size);
  {
    std::lock_guard lock(mu_);
    room = room && MakeRoomLocked(file_size);
    if (!room) {
      ++stats_.put_skipped;
      return;
    }
    reserved_ += file_size;  // counted from now on, so concurrent Puts cannot overshoot the cap
  }
  std::string temp_path;
  s3core::Status status = WriteTempFile(header_bytes, data, &temp_path);
  std::string name = block_format::BlockFileName(key, index);
  {
    std::lock_guard lock(mu_);
    reserved_ -= file_size;
    if (status.ok()) {
      // Under the lock, so that the file a name holds and the index entry change together.
      if (::rename(temp_path.c_str(), PathOf(name).c_str()) == 0) {
        auto old = index_.find(name);
        if (old != index_.end()) RemoveLocked(old, /*unlink_file=*/false);  // the rename replaced it
        Entry entry;
        entry.key = std::move(header.key);
        entry.etag = std::move(header.etag);
        entry.index = index;
        entry.file_size = file_size;
        entry.data_length = data.size();
        InsertLocked(std::move(name), std::move(entry));
        ++stats_.puts;
        return;
      }
      status = ErrnoStatus("rename to " + PathOf(name), errno);
    }
    ++stats_.errors;
  }
  if (!temp_path.empty()) ::unlink(temp_path.c_str());
  ReportError(status);
}

s3core::Status DataCache::WriteTempFile(const std::string& header, std::string_view data, std::string* temp_path) {
  std::string templ = PathOf(std::string(kTempPrefix) + "XXXXXX");
  int fd = ::mkostemp(templ.data(), O_CLOEXEC);  // mode 0600
  if (fd < 0) return ErrnoStatus("create a file in " + options_.dir, errno);
  *temp_path = templ;
  // No fsync: a block torn by a crash fails its checksums and is dropped, which is all a cache needs.
  bool ok = WriteFull(fd, header) && WriteFull(fd, data);
  int err = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) return ErrnoStatus("write " + templ, err);
  return s3core::Status();
}

void DataCache::Invalidate(std::string_view key) {
  std::string prefix = block_format::KeyNamePrefix(key);
  std::lock_guard lock(mu_);
  for (auto it = index_.lower_bound(prefix); it != index_.end() && it->first.starts_with(prefix);) {
    if (it->second.key == key) {
      RemoveLocked(it++, /*unlink_file=*/true);
    } else {
      ++it;  // another key with the same name hash
    }
  }
}

DataCache::Stats DataCache::stats() const {
  std::lock_guard lock(mu_);
  Stats stats = stats_;
  stats.bytes = bytes_;
  stats.entries = index_.size();
  return stats;
}

void DataCache::ReportError(const s3core::Status& status) {
  if (options_.on_error) options_.on_error(status);
}

}  // namespace mounter
