// FileSystem: files, their handles and data (create, open, read, write, flush, unlink, ...).
#include <fcntl.h>

#include <cerrno>

#include "mounter/fs/file_system_impl.h"

namespace mounter {
namespace {
bool WantsWrite(int flags) { return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) != 0; }
}  // namespace

FsStatus FileSystem::Impl::FlushFile(Ino ino, OpenFile& file) {
  if (!file.dirty()) return {};
  s3core::Status status = file.Flush();
  if (!status.ok()) return UploadError(status, "upload of " + file.key() + " failed; data kept for retry");
  if (auto path = inodes_.PathOf(ino)) {
    Invalidate(*path);
    cache_.PutNode(*path, file.info());
  }
  return {};
}

void FileSystem::Impl::DetachOpenFile(Ino parent, std::string_view name) {
  auto ino = inodes_.Find(parent, name);
  if (!ino) return;
  auto file = FindOpenFile(*ino);
  if (!file) return;
  // Open-unlinked files stay readable until closed: keep every byte locally first. If the
  // download fails the file is still detached; reads of missing data then fail with EIO.
  (void)file->MakeLocal();
  file->MarkUnlinked();
}

FsResult<FileSystem::Created> FileSystem::Create(Ino parent, std::string_view name, mode_t mode, int flags,
                                                 const Caller& caller) {
  auto path = impl_->ChildPath(parent, name);
  if (!path.ok()) return path.error();
  auto existing = impl_->Stat(*path, false);
  if (existing.ok()) {
    if ((flags & O_EXCL) != 0) return FsError(EEXIST, "already exists: " + *path);
    if (existing->is_dir()) return FsError(EISDIR, "is a directory: " + *path);
    Ino ino = impl_->inodes_.LookupOrCreate(parent, name, false);
    auto fh = Open(ino, flags, caller);
    if (!fh.ok()) {
      impl_->inodes_.Forget(ino, 1);
      return fh.error();
    }
    auto attr = GetAttr(ino);
    if (!attr.ok()) return attr.error();
    return Created{attr.value(), fh.value()};
  }
  // The file exists from now on, for every client: an empty object with its attributes.
  auto entry = impl_->CreateNode(parent, name, S_IFREG | (mode & 07777), "", caller);
  if (!entry.ok()) return entry.error();
  auto info = impl_->Stat(*path, false);
  if (!info.ok()) return info.error();
  auto file = std::make_shared<OpenFile>(&impl_->file_context_, impl_->FileKey(*path), info.value());
  std::lock_guard lock(impl_->mu_);
  auto [it, inserted] = impl_->open_files_.emplace(entry->ino, file);
  ++it->second->handles;
  FileHandle fh = impl_->next_handle_++;
  impl_->handles_[fh] = Impl::Handle{entry->ino, flags, it->second, std::make_shared<Prefetcher>(&impl_->prefetch_)};
  return Created{entry.value(), fh};
}

FsResult<FileHandle> FileSystem::Open(Ino ino, int flags, const Caller&) {
  if (WantsWrite(flags)) {
    if (auto ro = impl_->ReadOnlyCheck(); !ro.ok()) return ro.error();
  }
  auto file = impl_->FindOpenFile(ino);
  if (!file) {
    auto path = impl_->PathOf(ino);
    if (!path.ok()) return path.error();
    // A fresh HEAD: the ETag that every read of this open file will insist on.
    auto info = impl_->StatRemote(*path);
    if (!info.ok()) {
      if (info.error().errno_value() == ENOENT) impl_->cache_.PutNegative(*path);
      return info.error();
    }
    if (info->is_dir()) return FsError(EISDIR, "is a directory: " + *path);
    impl_->cache_.PutNode(*path, info.value());
    std::lock_guard lock(impl_->mu_);
    auto [it, inserted] =
        impl_->open_files_.emplace(ino, std::make_shared<OpenFile>(&impl_->file_context_, impl_->FileKey(*path),
                                                                   info.value()));
    file = it->second;
  }
  if ((flags & O_TRUNC) != 0) {
    s3core::Status status = file->Truncate(0);
    if (!status.ok()) return FsError::FromStatus(status, "truncate at open");
  }
  std::lock_guard lock(impl_->mu_);
  ++file->handles;
  FileHandle fh = impl_->next_handle_++;
  impl_->handles_[fh] = Impl::Handle{ino, flags, file, std::make_shared<Prefetcher>(&impl_->prefetch_)};
  return fh;
}

FsResult<size_t> FileSystem::Read(Ino, FileHandle fh, off_t offset, size_t size, char* buf) {
  std::shared_ptr<OpenFile> file;
  std::shared_ptr<Prefetcher> prefetcher;
  {
    std::lock_guard lock(impl_->mu_);
    auto it = impl_->handles_.find(fh);
    if (it == impl_->handles_.end()) return FsError(EBADF, "unknown file handle");
    file = it->second.file;
    prefetcher = it->second.prefetcher;
  }
  if (offset < 0) return FsError(EINVAL, "negative offset");
  auto result = file->Read(static_cast<uint64_t>(offset), size, buf, prefetcher.get());
  if (!result.ok()) {
    if (result.status().IsPreconditionFailed()) {
      return FsError(EIO, "the object " + file->key() + " changed since it was opened; reopen the file",
                     result.status());
    }
    return FsError::FromStatus(result.status(), "read of " + file->key());
  }
  return result.value();
}

FsResult<size_t> FileSystem::Write(Ino ino, FileHandle fh, off_t offset, std::string_view data) {
  if (auto ro = impl_->ReadOnlyCheck(); !ro.ok()) return ro.error();
  std::shared_ptr<OpenFile> file;
  int flags = 0;
  {
    std::lock_guard lock(impl_->mu_);
    auto it = impl_->handles_.find(fh);
    if (it == impl_->handles_.end()) return FsError(EBADF, "unknown file handle");
    file = it->second.file;
    flags = it->second.flags;
  }
  if (offset < 0) return FsError(EINVAL, "negative offset");
  auto result = file->Write(static_cast<uint64_t>(offset), data, (flags & O_APPEND) != 0);
  if (!result.ok()) return FsError::FromStatus(result.status(), "write to " + file->key());
  if (auto path = impl_->inodes_.PathOf(ino)) impl_->Invalidate(*path);
  return data.size();
}

FsStatus FileSystem::Flush(Ino ino, FileHandle fh) {
  std::shared_ptr<OpenFile> file;
  {
    std::lock_guard lock(impl_->mu_);
    auto it = impl_->handles_.find(fh);
    if (it == impl_->handles_.end()) return FsError(EBADF, "unknown file handle");
    file = it->second.file;
  }
  return impl_->FlushFile(ino, *file);
}

FsStatus FileSystem::Fsync(Ino ino, FileHandle fh) { return Flush(ino, fh); }

FsStatus FileSystem::Release(Ino ino, FileHandle fh) {
  std::shared_ptr<OpenFile> file;
  {
    std::lock_guard lock(impl_->mu_);
    auto it = impl_->handles_.find(fh);
    if (it == impl_->handles_.end()) return FsError(EBADF, "unknown file handle");
    file = it->second.file;
    impl_->handles_.erase(it);
    --file->handles;
  }
  FsStatus status = impl_->FlushFile(ino, *file);
  std::lock_guard lock(impl_->mu_);
  // A file whose upload failed stays here, dirty, for the next open or FlushAll to retry.
  auto it = impl_->open_files_.find(ino);
  if (it != impl_->open_files_.end() && it->second == file && file->handles == 0 && !file->dirty()) {
    impl_->open_files_.erase(it);
  }
  return status;
}

FsStatus FileSystem::FlushAll() {
  std::vector<std::pair<Ino, std::shared_ptr<OpenFile>>> files;
  {
    std::lock_guard lock(impl_->mu_);
    files.assign(impl_->open_files_.begin(), impl_->open_files_.end());
  }
  FsStatus first;
  for (auto& [ino, file] : files) {
    FsStatus status = impl_->FlushFile(ino, *file);
    if (!status.ok()) {
      if (first.ok()) first = status;
      continue;
    }
    std::lock_guard lock(impl_->mu_);
    if (file->handles == 0) impl_->open_files_.erase(ino);
  }
  return first;
}

FsStatus FileSystem::Unlink(Ino parent, std::string_view name, const Caller&) {
  if (auto ro = impl_->ReadOnlyCheck(); !ro.ok()) return ro.error();
  auto path = impl_->ChildPath(parent, name);
  if (!path.ok()) return path.error();
  auto info = impl_->Stat(*path, false);
  if (!info.ok()) return info.error();
  if (info->is_dir()) return FsError(EISDIR, "is a directory: " + *path);
  impl_->DetachOpenFile(parent, name);
  const std::string key = info->object_key.empty() ? impl_->FileKey(*path) : info->object_key;
  s3core::Status status = impl_->store_->DeleteObject(impl_->config_.bucket, key);
  if (!status.ok()) return FsError::FromStatus(status, "DeleteObject " + key);
  impl_->Invalidate(*path);
  impl_->cache_.PutNegative(*path);
  impl_->inodes_.Detach(parent, name);
  return {};
}

FsResult<Entry> FileSystem::Mknod(Ino parent, std::string_view name, mode_t mode, const Caller& caller) {
  // Regular files, FIFOs and sockets are just a mode on an empty object (as s3fs does); device
  // nodes would need a device number s3fs does not store, and would be a security hole.
  const mode_t type = mode & S_IFMT;
  if (type != S_IFREG && type != S_IFIFO && type != S_IFSOCK && type != 0) {
    return FsError(EPERM, "device nodes are not supported");
  }
  return impl_->CreateNode(parent, name, (type == 0 ? S_IFREG : type) | (mode & 07777), "", caller);
}

FsResult<Entry> FileSystem::Symlink(std::string_view target, Ino parent, std::string_view name,
                                    const Caller& caller) {
  if (target.empty()) return FsError(ENOENT, "empty symlink target");
  if (target.size() > 4095) return FsError(ENAMETOOLONG, "symlink target too long");
  return impl_->CreateNode(parent, name, S_IFLNK | 0777, target, caller);
}

FsResult<std::string> FileSystem::Readlink(Ino ino) {
  auto path = impl_->PathOf(ino);
  if (!path.ok()) return path.error();
  auto info = impl_->Stat(*path, false);
  if (!info.ok()) return info.error();
  if (!info->from_listing && !S_ISLNK(info->attrs.mode)) return FsError(EINVAL, "not a symlink: " + *path);
  s3core::GetObjectRequest get;
  get.bucket = impl_->config_.bucket;
  get.key = impl_->FileKey(*path);
  get.sse = impl_->config_.write_options.sse;
  std::string target;
  s3core::StringSink sink(&target, 4096);
  auto result = impl_->store_->GetObject(get, sink);
  if (!result.ok()) return FsError::FromStatus(result.status(), "GetObject " + get.key);
  return target;
}

}  // namespace mounter
