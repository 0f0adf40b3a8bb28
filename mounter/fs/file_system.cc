// FileSystem: construction, lookup and attributes, and the shared helpers of Impl.
#include "mounter/fs/file_system.h"

#include <cerrno>
#include <chrono>

#include "mounter/fs/file_system_impl.h"

namespace mounter {
namespace {

constexpr size_t kMaxNameLength = 255;
constexpr size_t kMaxKeyLength = 1024;  // S3's limit, in bytes

MetadataCache::Options CacheOptions(const FsConfig& config) {
  MetadataCache::Options options;
  options.stat_ttl = config.stat_ttl;
  options.negative_ttl = config.negative_ttl;
  options.dir_ttl = config.dir_ttl;
  options.max_weight = config.max_cached_entries;
  return options;
}

}  // namespace

FileSystem::Impl::Impl(FsConfig config, std::shared_ptr<s3core::ObjectStore> store)
    : config_(std::move(config)),
      store_(std::move(store)),
      budget_(config_.memory_limit != 0 ? config_.memory_limit : DefaultMemoryLimit()),
      // Idle buffers kept for reuse: a quarter of the budget (they are not counted in it).
      buffers_(budget_.limit() / 4),
      cache_(CacheOptions(config_)) {
  defaults_.uid = config_.uid;
  defaults_.gid = config_.gid;
  defaults_.umask = config_.umask;
  defaults_.override_owner = config_.override_owner;
  const auto now = std::chrono::system_clock::now();
  lister_.bucket = config_.bucket;
  lister_.defaults = defaults_;
  lister_.folder_suffix_compat = config_.compat_dir_folder_suffix;
  lister_.implicit_dir_mtime = now;
  file_context_.store = store_.get();
  file_context_.transfer.bucket = config_.bucket;
  file_context_.transfer.write_options = config_.write_options;
  file_context_.transfer.part_size = config_.multipart_size;
  file_context_.transfer.parallelism = config_.parallel_count;
  file_context_.transfer.max_single_copy_size = config_.max_single_copy_size;
  file_context_.staging_dir = config_.cache_dir;
  if (!config_.cache_dir.empty() && config_.data_cache_size > 0) {
    DataCache::Options cache;
    cache.dir = config_.cache_dir + "/.s3mount-" + config_.bucket;  // beside s3fs's DIR/BUCKET, not in it
    cache.max_bytes = config_.data_cache_size;
    auto opened = DataCache::Open(std::move(cache));
    if (opened.ok()) {
      data_cache_ = std::move(opened.value());
    } else {
      data_cache_error_ = opened.status().WithContext("data cache in " + config_.cache_dir);
    }
  }
  reader_ = std::make_unique<ObjectReader>(store_.get(), config_.bucket, config_.write_options.sse, data_cache_.get());
  pool_ = std::make_unique<TaskPool>(std::max(config_.background_threads, config_.parallel_count));
  prefetch_.reader = reader_.get();
  prefetch_.pool = pool_.get();
  prefetch_.budget = &budget_;
  prefetch_.buffers = &buffers_;
  prefetch_.options.max_window = config_.read_ahead_max;
  prefetch_.options.max_chunk = std::max<uint64_t>(std::min<uint64_t>(config_.read_ahead_max / 4, 8 << 20), 1 << 20);
  file_context_.reader = reader_.get();
  file_context_.upload = UploadContext{store_.get(), &file_context_.transfer, pool_.get(), &budget_, &buffers_};
  file_context_.streaming_writes = config_.streaming_writes;
  root_.attrs = ImplicitDirectoryAttributes(defaults_, now);
  root_.attrs.mode = S_IFDIR | (0777 & ~config_.mp_umask);
}

FsResult<std::string> FileSystem::Impl::PathOf(Ino ino) const {
  auto path = inodes_.PathOf(ino);
  if (!path) return FsError(ENOENT, "inode " + std::to_string(ino) + " is not known or was removed");
  return *path;
}

FsResult<std::string> FileSystem::Impl::ChildPath(Ino parent, std::string_view name) const {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos) {
    return FsError(EINVAL, "invalid name '" + std::string(name) + "'");
  }
  if (name.size() > kMaxNameLength) return FsError(ENAMETOOLONG, "name longer than 255 bytes");
  auto parent_path = PathOf(parent);
  if (!parent_path.ok()) return parent_path.error();
  std::string path = parent_path->empty() ? std::string(name) : *parent_path + "/" + std::string(name);
  // +1 for the "/" of a directory marker.
  if (config_.prefix.size() + path.size() + 1 > kMaxKeyLength) {
    return FsError(ENAMETOOLONG, "object key longer than 1024 bytes");
  }
  return path;
}

std::string FileSystem::Impl::ParentPath(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

FsResult<NodeInfo> FileSystem::Impl::Stat(const std::string& path, bool exact) {
  if (path.empty()) {
    std::lock_guard lock(mu_);  // chmod of the root changes it
    return root_;
  }
  auto cached = cache_.GetNode(path);
  if (cached.state == MetadataCache::NodeLookup::State::kNegative) {
    return FsError(ENOENT, "no such file or directory: " + path);
  }
  if (cached.state == MetadataCache::NodeLookup::State::kPositive && !(exact && cached.info.from_listing)) {
    return cached.info;
  }
  // The parent's fresh listing settles a name's absence without a request.
  if (cached.state == MetadataCache::NodeLookup::State::kMiss) {
    if (auto listing = cache_.GetListing(ParentPath(path))) {
      const std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
      bool found = false;
      for (const auto& entry : *listing) {
        if (entry.name == name) {
          found = true;
          break;
        }
      }
      if (!found) return FsError(ENOENT, "no such file or directory: " + path);
    }
  }
  auto remote = StatRemote(path);
  if (remote.ok()) {
    cache_.PutNode(path, remote.value());
  } else if (remote.error().errno_value() == ENOENT) {
    cache_.PutNegative(path);
  }
  return remote;
}

FsResult<NodeInfo> FileSystem::Impl::StatRemote(const std::string& path) {
  const std::string key = FileKey(path);
  auto head = [&](const std::string& object_key) {
    s3core::HeadObjectRequest request;
    request.bucket = config_.bucket;
    request.key = object_key;
    request.sse = config_.write_options.sse;
    return store_->HeadObject(request);
  };
  auto from_object = [&](const s3core::ObjectInfo& object, const std::string& object_key) {
    NodeInfo info;
    info.attrs = AttributesFromObject(object, defaults_);
    info.object_key = object_key;
    info.etag = object.etag;
    info.content_type = object.content_type;
    info.metadata = object.metadata;
    return info;
  };
  // 1. A file (or an old s3fs directory object without the slash).
  auto file = head(key);
  if (file.ok()) return from_object(*file, key);
  if (!file.status().IsNotFound()) return FsError::FromStatus(file.status(), "HeadObject " + key);
  // 2. A directory: anything under "key/". The first key tells whether a marker exists.
  s3core::ListObjectsRequest list;
  list.bucket = config_.bucket;
  list.prefix = key + "/";
  list.max_keys = 1;
  auto listed = store_->ListObjects(list);
  if (!listed.ok()) return FsError::FromStatus(listed.status(), "ListObjects " + list.prefix);
  if (!listed->objects.empty() || !listed->common_prefixes.empty()) {
    if (!listed->objects.empty() && listed->objects.front().key == list.prefix) {
      auto marker = head(list.prefix);
      if (marker.ok()) return from_object(*marker, list.prefix);
      if (!marker.status().IsNotFound()) return FsError::FromStatus(marker.status(), "HeadObject " + list.prefix);
    }
    NodeInfo info;
    info.attrs = ImplicitDirectoryAttributes(defaults_, lister_.implicit_dir_mtime);
    return info;
  }
  // 3. Old tools' "key_$folder$" marker.
  if (config_.compat_dir_folder_suffix) {
    const std::string folder = key + kFolderSuffix;
    auto marker = head(folder);
    if (marker.ok()) {
      NodeInfo info = from_object(*marker, folder);
      info.attrs.mode = S_IFDIR | (info.attrs.mode & 07777);
      info.attrs.size = 0;
      return info;
    }
    if (!marker.status().IsNotFound()) return FsError::FromStatus(marker.status(), "HeadObject " + folder);
  }
  return FsError(ENOENT, "no such file or directory: " + path);
}

void FileSystem::Impl::Invalidate(const std::string& path) {
  cache_.InvalidateNode(path);
  cache_.InvalidateListing(ParentPath(path));
}

Entry FileSystem::Impl::MakeEntry(Ino ino, const NodeInfo& info) const {
  Entry entry;
  entry.ino = ino;
  struct stat& st = entry.attr;
  st.st_ino = ino;
  st.st_mode = info.attrs.mode;
  st.st_nlink = S_ISDIR(info.attrs.mode) ? 2 : 1;
  st.st_uid = info.attrs.uid;
  st.st_gid = info.attrs.gid;
  st.st_size = static_cast<off_t>(info.attrs.size);
  st.st_blksize = 4096;
  st.st_blocks = static_cast<blkcnt_t>((info.attrs.size + 511) / 512);
  st.st_mtim = info.attrs.mtime;
  st.st_ctim = info.attrs.ctime;
  st.st_atim = info.attrs.atime;
  entry.attr_timeout = std::chrono::duration<double>(config_.stat_ttl).count();
  entry.entry_timeout = entry.attr_timeout;
  return entry;
}

std::shared_ptr<OpenFile> FileSystem::Impl::FindOpenFile(Ino ino) {
  std::lock_guard lock(mu_);
  auto it = open_files_.find(ino);
  return it == open_files_.end() ? nullptr : it->second;
}

FsResult<NodeInfo> FileSystem::Impl::InfoOf(Ino ino, const std::string& path, bool exact) {
  if (auto file = FindOpenFile(ino)) return file->info();
  return Stat(path, exact);
}

FsError FileSystem::Impl::UploadError(const s3core::Status& status, const std::string& context) {
  FsError error = FsError::FromStatus(status, context);
  switch (error.errno_value()) {
    case EACCES:
    case ETIMEDOUT:
    case EIO:
      return error;
    default:  // ENOENT/EINVAL/... from close() would mislead: the data did not reach S3
      return FsError(EIO, context, status);
  }
}

FsStatus FileSystem::Impl::ReadOnlyCheck() const {
  if (config_.read_only) return FsError(EROFS, "read-only mount");
  return {};
}

NodeAttributes FileSystem::Impl::NewAttributes(mode_t mode, const Caller& caller) const {
  NodeAttributes attrs;
  attrs.mode = mode;
  attrs.uid = caller.uid;
  attrs.gid = caller.gid;
  clock_gettime(CLOCK_REALTIME, &attrs.mtime);
  attrs.ctime = attrs.atime = attrs.mtime;
  return attrs;
}

FsResult<NodeInfo> FileSystem::Impl::PutNode(const std::string& key, const NodeAttributes& attrs,
                                             std::string_view body, const std::string& content_type) {
  s3core::PutObjectRequest put;
  put.bucket = config_.bucket;
  put.key = key;
  s3core::BufferSource source(body);
  put.body = body.empty() ? nullptr : &source;
  put.options = config_.write_options;
  put.options.metadata.clear();
  EncodeAttributes(attrs, &put.options.metadata);
  put.options.content_type = content_type;
  auto result = store_->PutObject(put);
  if (!result.ok()) return FsError::FromStatus(result.status(), "PutObject " + key);
  NodeInfo info;
  info.attrs = attrs;
  info.attrs.size = S_ISDIR(attrs.mode) ? 0 : body.size();
  info.object_key = key;
  info.etag = result->etag;
  info.content_type = content_type;
  info.metadata = put.options.metadata;
  return info;
}

FsResult<Entry> FileSystem::Impl::CreateNode(Ino parent, std::string_view name, mode_t mode, std::string_view body,
                                             const Caller& caller) {
  if (auto ro = ReadOnlyCheck(); !ro.ok()) return ro.error();
  auto path = ChildPath(parent, name);
  if (!path.ok()) return path.error();
  auto existing = Stat(*path, false);
  if (existing.ok()) return FsError(EEXIST, "already exists: " + *path);
  if (existing.error().errno_value() != ENOENT) return existing.error();
  const bool is_dir = S_ISDIR(mode);
  auto info = PutNode(is_dir ? DirPrefix(*path) : FileKey(*path), NewAttributes(mode, caller), body,
                      is_dir ? kDirectoryContentType : "");
  if (!info.ok()) return info.error();
  Invalidate(*path);
  cache_.PutNode(*path, info.value());
  Ino ino = inodes_.LookupOrCreate(parent, name, is_dir);
  if (ino == 0) return FsError(ENOENT, "parent directory was removed");
  return MakeEntry(ino, info.value());
}

// --- Public methods. ---

FileSystem::FileSystem(FsConfig config, std::shared_ptr<s3core::ObjectStore> store)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(store))) {}

FileSystem::~FileSystem() = default;

FsStatus FileSystem::Init() {
  if (!impl_->data_cache_error_.ok()) return FsError::FromStatus(impl_->data_cache_error_, "use_cache");
  s3core::Status status = impl_->store_->HeadBucket(impl_->config_.bucket);
  if (!status.ok()) {
    std::string reason = "cannot access bucket '" + impl_->config_.bucket + "'";
    switch (status.kind()) {
      case s3core::ErrorKind::kNotFound: reason += ": the bucket does not exist"; break;
      case s3core::ErrorKind::kAccessDenied:
      case s3core::ErrorKind::kCredentials: reason += ": access denied (check the credentials)"; break;
      case s3core::ErrorKind::kNetwork:
      case s3core::ErrorKind::kTimeout: reason += ": the endpoint is unreachable"; break;
      default: break;
    }
    return FsError::FromStatus(status, reason);
  }
  return {};
}

FsResult<Entry> FileSystem::Lookup(Ino parent, std::string_view name, const Caller&) {
  auto path = impl_->ChildPath(parent, name);
  if (!path.ok()) return path.error();
  // An open file that is not uploaded yet is still the truth about its size.
  auto info = impl_->Stat(*path, false);
  if (!info.ok()) return info.error();
  Ino ino = impl_->inodes_.LookupOrCreate(parent, name, info->is_dir());
  if (ino == 0) return FsError(ENOENT, "parent directory was removed");
  if (auto file = impl_->FindOpenFile(ino)) return impl_->MakeEntry(ino, file->info());
  return impl_->MakeEntry(ino, info.value());
}

void FileSystem::Forget(Ino ino, uint64_t nlookup) { impl_->inodes_.Forget(ino, nlookup); }

FsResult<Entry> FileSystem::GetAttr(Ino ino) {
  if (auto file = impl_->FindOpenFile(ino)) return impl_->MakeEntry(ino, file->info());
  auto path = impl_->PathOf(ino);
  if (!path.ok()) return path.error();
  auto info = impl_->Stat(*path, false);
  if (!info.ok()) return info.error();
  return impl_->MakeEntry(ino, info.value());
}

FsResult<struct statvfs> FileSystem::StatFs() {
  // A bucket has no capacity: report a large, fixed size so tools that check free space
  // before writing (cp, package managers) go ahead, as s3fs does.
  struct statvfs st {};
  st.f_bsize = 4096;
  st.f_frsize = 4096;
  st.f_blocks = 1ULL << 40;  // 4 PiB
  st.f_bfree = st.f_blocks;
  st.f_bavail = st.f_blocks;
  st.f_files = 1ULL << 32;
  st.f_ffree = st.f_files;
  st.f_favail = st.f_files;
  st.f_namemax = kMaxNameLength;
  if (impl_->config_.read_only) st.f_flag |= ST_RDONLY;
  return st;
}

FsStats FileSystem::stats() const {
  const Impl& impl = *impl_;
  FsStats stats;
  stats.memory_used = impl.budget_.used();
  stats.memory_limit = impl.budget_.limit();
  stats.memory_peak = impl.budget_.peak();
  if (impl.pool_) stats.background_tasks = impl.pool_->pending();
  if (impl.data_cache_) {
    const DataCache::Stats cache = impl.data_cache_->stats();
    stats.data_cache_enabled = true;
    stats.data_cache_hits = cache.hits;
    stats.data_cache_misses = cache.misses;
    stats.data_cache_bytes = cache.bytes;
    stats.data_cache_entries = cache.entries;
    stats.data_cache_evictions = cache.evictions;
  }
  std::lock_guard lock(impl_->mu_);
  stats.open_files = impl.open_files_.size();
  stats.open_handles = impl.handles_.size();
  return stats;
}

}  // namespace mounter
