// FileSystem: directories (mkdir, rmdir, readdir) and rename.
#include <linux/fs.h>  // RENAME_NOREPLACE, RENAME_EXCHANGE

#include <cerrno>
#include <functional>
#include <mutex>

#include "mounter/fs/file_system_impl.h"
#include "mounter/fs/parallel_for.h"

namespace mounter {

FsResult<std::shared_ptr<const DirListing>> FileSystem::Impl::Listing(const std::string& path) {
  if (auto cached = cache_.GetListing(path)) return cached;
  auto listed = ListDirectory(*store_, lister_, DirPrefix(path));
  if (!listed.ok()) return FsError::FromStatus(listed.status(), "ListObjects " + DirPrefix(path));
  DirListing listing = std::move(listed).value();
  // A listing cannot tell an s3fs symlink (a small object with S_IFLNK in its metadata) from a
  // file, so objects small enough to be one are HEADed, in parallel; with readdir_head_objects
  // every entry is, for exact modes and owners.
  HeadEach(*store_, lister_, DirPrefix(path), &listing, config_.parallel_count * 4,
           config_.readdir_head_objects ? HeadScope::kAll : HeadScope::kPossibleSymlinks);
  // Children's attributes as listed, so the lookups/getattrs of `ls -l` cost no request. Exact
  // (HEAD-derived) entries already cached are not downgraded to listing data.
  for (const auto& entry : listing) {
    const std::string child = path.empty() ? entry.name : path + "/" + entry.name;
    auto cached = cache_.GetNode(child);
    if (cached.state == MetadataCache::NodeLookup::State::kPositive && !cached.info.from_listing &&
        cached.info.is_dir() == entry.info.is_dir() && cached.info.attrs.size == entry.info.attrs.size) {
      continue;
    }
    cache_.PutNode(child, entry.info);
  }
  cache_.PutListing(path, listing);
  return std::make_shared<const DirListing>(std::move(listing));
}

FsResult<Entry> FileSystem::Mkdir(Ino parent, std::string_view name, mode_t mode, const Caller& caller) {
  return impl_->CreateNode(parent, name, S_IFDIR | (mode & 07777), "", caller);
}

FsStatus FileSystem::Impl::CheckEmptyDirectory(const std::string& path) {
  s3core::ListObjectsRequest list;
  list.bucket = config_.bucket;
  list.prefix = DirPrefix(path);
  list.delimiter.assign(1, '/');  // (not = "/": GCC 12 -Wrestrict false positive)
  list.max_keys = 2;  // the marker itself, and one child
  auto listed = store_->ListObjects(list);
  if (!listed.ok()) return FsError::FromStatus(listed.status(), "ListObjects " + list.prefix);
  if (!listed->common_prefixes.empty()) return FsError(ENOTEMPTY, "directory not empty: " + path);
  for (const auto& object : listed->objects) {
    if (object.key != list.prefix) return FsError(ENOTEMPTY, "directory not empty: " + path);
  }
  return {};
}

FsStatus FileSystem::Impl::DeleteKeys(const std::vector<std::string>& keys) {
  for (size_t i = 0; i < keys.size(); i += 1000) {
    std::vector<std::string> batch(keys.begin() + static_cast<ptrdiff_t>(i),
                                   keys.begin() + static_cast<ptrdiff_t>(std::min(keys.size(), i + 1000)));
    auto result = store_->DeleteObjects(config_.bucket, batch);
    if (!result.ok()) return FsError::FromStatus(result.status(), "DeleteObjects");
    if (!result->failed.empty()) {
      const auto& failure = result->failed.front();
      return FsError(EIO, "DeleteObjects " + failure.key + ": " + failure.code + " " + failure.message);
    }
  }
  return {};
}

FsStatus FileSystem::Rmdir(Ino parent, std::string_view name, const Caller&) {
  if (auto ro = impl_->ReadOnlyCheck(); !ro.ok()) return ro.error();
  auto path = impl_->ChildPath(parent, name);
  if (!path.ok()) return path.error();
  auto info = impl_->Stat(*path, false);
  if (!info.ok()) return info.error();
  if (!info->is_dir()) return FsError(ENOTDIR, "not a directory: " + *path);
  if (auto empty = impl_->CheckEmptyDirectory(*path); !empty.ok()) return empty;
  std::vector<std::string> keys{impl_->DirPrefix(*path)};
  if (!info->object_key.empty() && info->object_key != keys.front()) keys.push_back(info->object_key);
  if (auto deleted = impl_->DeleteKeys(keys); !deleted.ok()) return deleted;
  impl_->cache_.InvalidateTree(*path);
  impl_->Invalidate(*path);
  impl_->cache_.PutNegative(*path);
  impl_->inodes_.Detach(parent, name);
  return {};
}

FsResult<FileHandle> FileSystem::OpenDir(Ino ino, const Caller&) {
  auto path = impl_->PathOf(ino);
  if (!path.ok()) return path.error();
  auto info = impl_->Stat(*path, false);
  if (!info.ok()) return info.error();
  if (!info->is_dir()) return FsError(ENOTDIR, "not a directory: " + *path);
  // The listing is taken at opendir, so offsets stay valid across the readdir calls.
  auto listing = impl_->Listing(*path);
  if (!listing.ok()) return listing.error();
  std::lock_guard lock(impl_->mu_);
  FileHandle fh = impl_->next_handle_++;
  impl_->dir_handles_[fh] = Impl::DirHandle{ino, listing.value()};
  return fh;
}

FsResult<std::vector<DirEntry>> FileSystem::ReadDir(Ino ino, FileHandle fh, off_t offset, size_t max_entries,
                                                    bool plus) {
  std::shared_ptr<const DirListing> listing;
  {
    std::lock_guard lock(impl_->mu_);
    auto it = impl_->dir_handles_.find(fh);
    if (it == impl_->dir_handles_.end()) return FsError(EBADF, "unknown directory handle");
    listing = it->second.listing;
  }
  auto path = impl_->PathOf(ino);
  if (!path.ok()) return path.error();
  std::vector<DirEntry> out;
  const size_t total = listing->size() + 2;
  for (size_t i = offset < 0 ? 0 : static_cast<size_t>(offset); i < total && out.size() < max_entries; ++i) {
    DirEntry entry;
    entry.next_offset = static_cast<off_t>(i + 1);
    if (i < 2) {
      // "." and "..": the kernel takes no lookup reference on them.
      entry.name = i == 0 ? "." : "..";
      Ino self = i == 0 ? ino : impl_->inodes_.ParentOf(ino).value_or(kRootIno);
      NodeInfo info;
      info.attrs = impl_->root_.attrs;
      entry.entry = impl_->MakeEntry(self, info);
      out.push_back(std::move(entry));
      continue;
    }
    const ListedEntry& child = (*listing)[i - 2];
    entry.name = child.name;
    const bool is_dir = child.info.is_dir();
    Ino child_ino = 0;
    if (plus) {
      child_ino = impl_->inodes_.LookupOrCreate(ino, child.name, is_dir);
      if (child_ino == 0) return FsError(ENOENT, "directory was removed");
    } else {
      // Plain readdir: d_ino only, no reference. Known inodes keep their number; others get a
      // number from a name hash that is never handed out by the inode table (high bit set).
      auto known = impl_->inodes_.Find(ino, child.name);
      child_ino = known ? *known : (std::hash<std::string>{}(child.name) | (1ULL << 63));
    }
    const std::string child_path = path->empty() ? child.name : *path + "/" + child.name;
    NodeInfo info = child.info;
    auto cached = impl_->cache_.GetNode(child_path);
    if (cached.state == MetadataCache::NodeLookup::State::kPositive && cached.info.is_dir() == is_dir) {
      info = cached.info;
    }
    if (auto file = impl_->FindOpenFile(child_ino)) info = file->info();
    entry.entry = impl_->MakeEntry(child_ino, info);
    out.push_back(std::move(entry));
  }
  return out;
}

FsStatus FileSystem::ReleaseDir(Ino, FileHandle fh) {
  std::lock_guard lock(impl_->mu_);
  impl_->dir_handles_.erase(fh);
  return {};
}

// --- Rename. ---

void FileSystem::Impl::RefreshOpenFileKeys() {
  std::lock_guard lock(mu_);
  for (auto& [ino, file] : open_files_) {
    if (auto path = inodes_.PathOf(ino)) file->SetKey(FileKey(*path));
  }
}

FsStatus FileSystem::Impl::RenameFile(const std::string& from, const NodeInfo& info, const std::string& to) {
  const std::string source = info.object_key.empty() ? FileKey(from) : info.object_key;
  auto copied = CopyObjectAnySize(*store_, file_context_.transfer, source, FileKey(to), info.attrs.size,
                                  nullptr, "", info.etag);
  if (!copied.ok()) return FsError::FromStatus(copied.status(), "copy " + source + " -> " + FileKey(to));
  s3core::Status deleted = store_->DeleteObject(config_.bucket, source);
  if (!deleted.ok()) return FsError::FromStatus(deleted, "DeleteObject " + source);
  return {};
}

FsStatus FileSystem::Impl::RenameDirectory(const std::string& from, const NodeInfo& info, const std::string& to) {
  // Every object under the prefix is copied, then the sources deleted: not atomic. A failure
  // part-way leaves the source complete and a partial copy at the target.
  const std::string src = DirPrefix(from);
  const std::string dst = DirPrefix(to);
  std::vector<s3core::ObjectInfo> objects;
  s3core::ListObjectsRequest list;
  list.bucket = config_.bucket;
  list.prefix = src;
  for (;;) {
    auto page = store_->ListObjects(list);
    if (!page.ok()) return FsError::FromStatus(page.status(), "ListObjects " + src);
    for (auto& object : page->objects) objects.push_back(std::move(object));
    if (!page->is_truncated || page->next_continuation_token.empty()) break;
    list.continuation_token = page->next_continuation_token;
  }
  std::mutex mu;
  FsStatus first;
  ParallelFor(objects.size(), config_.parallel_count, [&](size_t i) {
    const auto& object = objects[i];
    const std::string target = dst + object.key.substr(src.size());
    auto copied = CopyObjectAnySize(*store_, file_context_.transfer, object.key, target, object.size, nullptr, "",
                                    object.etag);
    if (!copied.ok()) {
      std::lock_guard lock(mu);
      if (first.ok()) first = FsError::FromStatus(copied.status(), "copy " + object.key + " -> " + target);
    }
  });
  if (!first.ok()) return first;
  std::vector<std::string> doomed;
  for (const auto& object : objects) doomed.push_back(object.key);
  // Markers outside the prefix (old s3fs "dir" objects, "dir_$folder$") become a "dir/" marker.
  if (!info.object_key.empty() && info.object_key != src) {
    auto put = PutNode(dst, info.attrs, "", kDirectoryContentType);
    if (!put.ok()) return put.error();
    doomed.push_back(info.object_key);
  }
  return DeleteKeys(doomed);
}

FsStatus FileSystem::Rename(Ino parent, std::string_view name, Ino new_parent, std::string_view new_name,
                            unsigned flags, const Caller&) {
  if ((flags & RENAME_EXCHANGE) != 0) return FsError(EINVAL, "RENAME_EXCHANGE is not supported");
  if ((flags & ~static_cast<unsigned>(RENAME_NOREPLACE)) != 0) return FsError(EINVAL, "unknown rename flags");
  if (auto ro = impl_->ReadOnlyCheck(); !ro.ok()) return ro;
  auto from = impl_->ChildPath(parent, name);
  if (!from.ok()) return from.error();
  auto to = impl_->ChildPath(new_parent, new_name);
  if (!to.ok()) return to.error();
  auto source = impl_->Stat(*from, false);
  if (!source.ok()) return source.error();
  if (*from == *to) return {};
  const bool is_dir = source->is_dir();
  if (is_dir && to->compare(0, from->size() + 1, *from + "/") == 0) {
    return FsError(EINVAL, "cannot move a directory into itself");
  }
  auto target = impl_->Stat(*to, false);
  if (target.ok()) {
    if ((flags & RENAME_NOREPLACE) != 0) return FsError(EEXIST, "target exists: " + *to);
    if (is_dir && !target->is_dir()) return FsError(ENOTDIR, "target is not a directory: " + *to);
    if (!is_dir && target->is_dir()) return FsError(EISDIR, "target is a directory: " + *to);
    if (target->is_dir()) {
      if (auto empty = impl_->CheckEmptyDirectory(*to); !empty.ok()) return empty;
      std::vector<std::string> markers{impl_->DirPrefix(*to)};
      if (!target->object_key.empty() && target->object_key != markers.front()) markers.push_back(target->object_key);
      if (auto deleted = impl_->DeleteKeys(markers); !deleted.ok()) return deleted;
    } else {
      impl_->DetachOpenFile(new_parent, new_name);  // its object is about to be overwritten
    }
  } else if (target.error().errno_value() != ENOENT) {
    return target.error();
  }
  FsStatus status;
  if (is_dir) {
    // Pending writes under the directory are uploaded first so that they move with it.
    if (auto flushed = FlushAll(); !flushed.ok()) return flushed;
    status = impl_->RenameDirectory(*from, source.value(), *to);
  } else {
    NodeInfo info = source.value();
    if (auto ino = impl_->inodes_.Find(parent, name)) {
      if (auto file = impl_->FindOpenFile(*ino)) {
        if (auto flushed = impl_->FlushFile(*ino, *file); !flushed.ok()) return flushed;
        info = file->info();
      }
    }
    status = impl_->RenameFile(*from, info, *to);
  }
  impl_->cache_.InvalidateTree(*from);
  impl_->cache_.InvalidateTree(*to);
  impl_->Invalidate(*from);
  impl_->Invalidate(*to);
  if (!status.ok()) return status;
  impl_->cache_.PutNegative(*from);
  impl_->inodes_.Move(parent, name, new_parent, new_name);
  impl_->RefreshOpenFileKeys();
  return {};
}

}  // namespace mounter
