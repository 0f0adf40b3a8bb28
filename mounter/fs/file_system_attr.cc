// FileSystem: attribute changes (chmod, chown, utimens, truncate) and extended attributes.
#include <sys/xattr.h>

#include <cerrno>

#include "mounter/fs/file_system_impl.h"

namespace mounter {
namespace {

struct timespec Now() {
  struct timespec ts {};
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts;
}

// POSIX rules for a caller that is not root (the kernel applies them too with
// default_permissions; these keep them without it). Only the caller's primary gid is known,
// so a chgrp to a supplementary group of the owner is refused.
FsStatus CheckOwnership(const NodeAttributes& attrs, const SetAttrRequest& request, const Caller& caller) {
  if (caller.uid == 0) return {};
  const bool owner = caller.uid == attrs.uid;
  if (request.mode && !owner) return FsError(EPERM, "only the owner may change the mode");
  if (request.uid && *request.uid != attrs.uid) return FsError(EPERM, "only root may change the owner");
  if (request.gid && *request.gid != attrs.gid && (!owner || *request.gid != caller.gid)) {
    return FsError(EPERM, "only the owner may change the group, to a group of theirs");
  }
  return {};
}

}  // namespace

FsResult<NodeInfo> FileSystem::Impl::StoreAttributes(Ino ino, const std::string& path, const NodeInfo& current,
                                                     const NodeAttributes& attrs,
                                                     const s3core::UserMetadata& metadata) {
  if (path.empty()) {  // the mount root has no object: its attributes live as long as the mount
    std::lock_guard lock(mu_);
    root_.attrs = attrs;
    root_.metadata = metadata;
    return root_;
  }
  if (auto file = FindOpenFile(ino); file && file->dirty()) {
    s3core::Status status = file->SetPending(attrs, metadata);  // uploaded with the data
    if (!status.ok()) return FsError::FromStatus(status, "setattr of " + path);
    return file->info();
  }
  s3core::UserMetadata stored = metadata;
  EncodeAttributes(attrs, &stored);
  NodeInfo updated = current;
  updated.attrs = attrs;
  updated.metadata = stored;
  updated.from_listing = false;
  if (S_ISDIR(attrs.mode) && current.object_key.empty()) {
    // An implicit directory gets a marker to carry its attributes.
    auto put = PutNode(DirPrefix(path), attrs, "", kDirectoryContentType);
    if (!put.ok()) return put.error();
    put->metadata = stored;
    updated = put.value();
    if (!metadata.empty()) {
      // PutNode wrote only the attributes; other metadata (xattrs) needs the full set.
      auto copied = CopyObjectAnySize(*store_, file_context_.transfer, updated.object_key, updated.object_key, 0,
                                      &stored, kDirectoryContentType, "");
      if (!copied.ok()) return FsError::FromStatus(copied.status(), "CopyObject " + updated.object_key);
      updated.etag = copied->etag;
    }
  } else {
    const std::string key = current.object_key.empty() ? FileKey(path) : current.object_key;
    // Copying an object onto itself with REPLACE is S3's only way to change its metadata.
    auto copied = CopyObjectAnySize(*store_, file_context_.transfer, key, key, current.attrs.size, &stored,
                                    current.content_type, current.etag);
    if (!copied.ok()) return FsError::FromStatus(copied.status(), "CopyObject " + key);
    updated.etag = copied->etag;
    updated.object_key = key;
  }
  if (auto file = FindOpenFile(ino)) file->OnRemoteReplaced(updated);
  Invalidate(path);
  cache_.PutNode(path, updated);
  return updated;
}

FsResult<Entry> FileSystem::SetAttr(Ino ino, const SetAttrRequest& request, const Caller& caller) {
  if (auto ro = impl_->ReadOnlyCheck(); !ro.ok()) return ro.error();
  auto path = impl_->PathOf(ino);
  if (!path.ok()) return path.error();
  auto current = impl_->InfoOf(ino, *path, /*exact=*/true);
  if (!current.ok()) return current.error();
  if (auto allowed = CheckOwnership(current->attrs, request, caller); !allowed.ok()) return allowed.error();

  if (request.size) {
    if (current->is_dir()) return FsError(EISDIR, "is a directory: " + *path);
    std::shared_ptr<OpenFile> file;
    {
      std::lock_guard lock(impl_->mu_);
      auto& slot = impl_->open_files_[ino];
      if (!slot) slot = std::make_shared<OpenFile>(&impl_->file_context_, impl_->FileKey(*path), current.value());
      file = slot;
    }
    s3core::Status status = file->Truncate(*request.size);
    if (!status.ok()) return FsError::FromStatus(status, "truncate of " + *path);
    // truncate(2) on a file nobody has open is durable at once; with open handles the new size
    // is uploaded at flush, like any other write.
    bool open;
    {
      std::lock_guard lock(impl_->mu_);
      open = file->handles > 0;
    }
    if (!open) {
      FsStatus flushed = impl_->FlushFile(ino, *file);
      std::lock_guard lock(impl_->mu_);
      if (!file->dirty() && file->handles == 0) impl_->open_files_.erase(ino);
      if (!flushed.ok()) return flushed.error();
    }
    impl_->Invalidate(*path);
    current = file->info();
  }

  if (!request.mode && !request.uid && !request.gid && !request.atime && !request.mtime) {
    return impl_->MakeEntry(ino, current.value());
  }
  NodeAttributes attrs = current->attrs;
  if (request.mode) attrs.mode = (attrs.mode & S_IFMT) | (*request.mode & 07777);
  if (request.uid) attrs.uid = *request.uid;
  if (request.gid) attrs.gid = *request.gid;
  if (request.atime) attrs.atime = *request.atime;
  if (request.mtime) attrs.mtime = *request.mtime;
  attrs.ctime = Now();
  auto stored = impl_->StoreAttributes(ino, *path, current.value(), attrs, current->metadata);
  if (!stored.ok()) return stored.error();
  return impl_->MakeEntry(ino, stored.value());
}

// --- Extended attributes: s3fs's "xattr" header (url-encoded JSON of base64 values). ---

namespace {
FsResult<XattrMap> XattrsOf(const NodeInfo& info) {
  auto it = info.metadata.find(kMetaXattr);
  if (it == info.metadata.end()) return XattrMap{};
  auto decoded = DecodeXattrs(it->second);
  if (!decoded) return FsError(EIO, "unreadable xattr metadata on " + info.object_key);
  return *decoded;
}
}  // namespace

FsStatus FileSystem::SetXattr(Ino ino, std::string_view name, std::string_view value, int flags, const Caller&) {
  if (auto ro = impl_->ReadOnlyCheck(); !ro.ok()) return ro;
  // Only the user namespace: security.*, trusted.* and system.* (ACLs) mean something to the
  // kernel that an object's metadata cannot enforce.
  if (name.substr(0, 5) != "user.") return FsError(ENOTSUP, "only user.* extended attributes are supported");
  auto path = impl_->PathOf(ino);
  if (!path.ok()) return path.error();
  auto current = impl_->InfoOf(ino, *path, true);
  if (!current.ok()) return current.error();
  auto xattrs = XattrsOf(current.value());
  if (!xattrs.ok()) return xattrs.error();
  const bool exists = xattrs->count(std::string(name)) > 0;
  if ((flags & XATTR_CREATE) != 0 && exists) return FsError(EEXIST, "attribute exists");
  if ((flags & XATTR_REPLACE) != 0 && !exists) return FsError(ENODATA, "no such attribute");
  (*xattrs)[std::string(name)] = std::string(value);
  s3core::UserMetadata metadata = current->metadata;
  metadata[kMetaXattr] = EncodeXattrs(*xattrs);
  // S3 limits user metadata to 2 KiB in total.
  size_t total = 0;
  for (const auto& [k, v] : metadata) total += k.size() + v.size();
  if (total > 2048) return FsError(ENOSPC, "extended attributes exceed S3's 2 KiB metadata limit");
  NodeAttributes attrs = current->attrs;
  attrs.ctime = Now();
  auto stored = impl_->StoreAttributes(ino, *path, current.value(), attrs, metadata);
  if (!stored.ok()) return stored.error();
  return {};
}

FsResult<std::string> FileSystem::GetXattr(Ino ino, std::string_view name) {
  // Only user.* attributes can be stored (SetXattr), so any other name is absent without asking
  // S3. `ls -l` asks for security.selinux and system.posix_acl_access of every entry: without
  // this, one HEAD per entry.
  if (name.substr(0, 5) != "user.") return FsError(ENODATA, "no such attribute");
  auto path = impl_->PathOf(ino);
  if (!path.ok()) return path.error();
  auto current = impl_->InfoOf(ino, *path, true);
  if (!current.ok()) return current.error();
  auto xattrs = XattrsOf(current.value());
  if (!xattrs.ok()) return xattrs.error();
  auto it = xattrs->find(std::string(name));
  if (it == xattrs->end()) return FsError(ENODATA, "no such attribute");
  return it->second;
}

FsResult<std::vector<std::string>> FileSystem::ListXattr(Ino ino) {
  auto path = impl_->PathOf(ino);
  if (!path.ok()) return path.error();
  auto current = impl_->InfoOf(ino, *path, true);
  if (!current.ok()) return current.error();
  auto xattrs = XattrsOf(current.value());
  if (!xattrs.ok()) return xattrs.error();
  std::vector<std::string> names;
  for (const auto& [name, value] : *xattrs) names.push_back(name);
  return names;
}

FsStatus FileSystem::RemoveXattr(Ino ino, std::string_view name, const Caller&) {
  if (auto ro = impl_->ReadOnlyCheck(); !ro.ok()) return ro;
  auto path = impl_->PathOf(ino);
  if (!path.ok()) return path.error();
  auto current = impl_->InfoOf(ino, *path, true);
  if (!current.ok()) return current.error();
  auto xattrs = XattrsOf(current.value());
  if (!xattrs.ok()) return xattrs.error();
  if (xattrs->erase(std::string(name)) == 0) return FsError(ENODATA, "no such attribute");
  s3core::UserMetadata metadata = current->metadata;
  if (xattrs->empty()) {
    metadata.erase(kMetaXattr);
  } else {
    metadata[kMetaXattr] = EncodeXattrs(*xattrs);
  }
  NodeAttributes attrs = current->attrs;
  attrs.ctime = Now();
  auto stored = impl_->StoreAttributes(ino, *path, current.value(), attrs, metadata);
  if (!stored.ok()) return stored.error();
  return {};
}

}  // namespace mounter
