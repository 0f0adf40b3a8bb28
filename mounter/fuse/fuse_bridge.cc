#include "mounter/fuse/fuse_bridge.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mounter {
namespace {

FuseBridge& Bridge(fuse_req_t req) { return *static_cast<FuseBridge*>(fuse_req_userdata(req)); }

Caller CallerOf(fuse_req_t req) {
  const fuse_ctx* ctx = fuse_req_ctx(req);
  return Caller{ctx->uid, ctx->gid, ctx->pid};
}

fuse_entry_param ToParam(const Entry& entry) {
  fuse_entry_param param{};
  param.ino = entry.ino;
  param.generation = 0;
  param.attr = entry.attr;
  param.attr.st_ino = entry.ino;
  param.attr_timeout = entry.attr_timeout;
  param.entry_timeout = entry.entry_timeout;
  return param;
}

// One request being answered: what the operations need of the bridge, plus the errno the
// answer carried, for the observer.
class FuseCall {
 public:
  explicit FuseCall(FuseBridge& bridge) : bridge_(bridge) {}
  FileSystem& fs() { return bridge_.fs(); }
  spdlog::logger& logger() { return bridge_.logger(); }
  void ReplyError(fuse_req_t req, const char* op, const FsError& error) {
    error_ = error.errno_value() > 0 ? error.errno_value() : EIO;
    bridge_.ReplyError(req, op, error);
  }
  void ReplyErrno(fuse_req_t req, int err) {
    error_ = err;
    fuse_reply_err(req, err);
  }
  int error() const { return error_; }

 private:
  FuseBridge& bridge_;
  int error_ = 0;
};

// Runs one operation; an exception (allocation failure, a bug) must not unwind through libfuse's
// C frames, so it becomes EIO with a log line.
template <typename Fn>
void Run(fuse_req_t req, const char* op, Fn&& fn) {
  FuseBridge& bridge = Bridge(req);
  FuseOpObserver* observer = bridge.options().observer.get();
  const auto started = observer != nullptr ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
  FuseCall call(bridge);
  try {
    fn(call);
  } catch (const std::exception& e) {
    bridge.logger().error("{}: unexpected exception: {}", op, e.what());
    call.ReplyErrno(req, EIO);
  }
  // `req` is answered (and freed) by now: only the op name and the errno are left to report.
  if (observer != nullptr) observer->OnFuseOp(op, call.error(), std::chrono::steady_clock::now() - started);
}

template <typename T>
bool Failed(fuse_req_t req, FuseCall& bridge, const char* op, const FsResult<T>& result) {
  if (result.ok()) return false;
  bridge.ReplyError(req, op, result.error());
  return true;
}

void ReplyStatus(fuse_req_t req, FuseCall& bridge, const char* op, const FsStatus& status) {
  if (!status.ok()) {
    bridge.ReplyError(req, op, status.error());
  } else {
    fuse_reply_err(req, 0);
  }
}

void ReplyEntry(fuse_req_t req, FuseCall& bridge, const char* op, const FsResult<Entry>& entry) {
  if (Failed(req, bridge, op, entry)) return;
  const fuse_entry_param param = ToParam(entry.value());
  fuse_reply_entry(req, &param);
}

// --- Operations. ---

void Init(void* userdata, fuse_conn_info* conn) {
  auto* bridge = static_cast<FuseBridge*>(userdata);
  const FuseBridgeOptions& options = bridge->options();
  // libfuse already wants ASYNC_READ, ATOMIC_O_TRUNC (FileSystem::Open honours O_TRUNC),
  // PARALLEL_DIROPS, AUTO_INVAL_DATA and READDIRPLUS(_AUTO) when the kernel offers them.
  if ((conn->capable & FUSE_CAP_READDIRPLUS) != 0) conn->want |= FUSE_CAP_READDIRPLUS;
  if ((conn->capable & FUSE_CAP_ASYNC_READ) != 0) conn->want |= FUSE_CAP_ASYNC_READ;
  if (options.writeback_cache && (conn->capable & FUSE_CAP_WRITEBACK_CACHE) != 0) {
    conn->want |= FUSE_CAP_WRITEBACK_CACHE;
  } else {
    conn->want &= ~static_cast<unsigned>(FUSE_CAP_WRITEBACK_CACHE);
  }
  // No NFS export: inode numbers are not stable across restarts.
  conn->want &= ~static_cast<unsigned>(FUSE_CAP_EXPORT_SUPPORT);
  // The kernel, not FileSystem, clears set-user/group-id bits on write and chown (it sends the
  // mode change as a setattr).
  conn->want &= ~static_cast<unsigned>(FUSE_CAP_HANDLE_KILLPRIV);
  conn->max_write = options.max_write;
  conn->max_readahead = options.max_readahead;
  bridge->logger().info("FUSE session started (protocol {}.{}, max_write {})", conn->proto_major, conn->proto_minor,
                        conn->max_write);
}

void Lookup(fuse_req_t req, fuse_ino_t parent, const char* name) {
  Run(req, "lookup", [&](FuseCall& b) { ReplyEntry(req, b, "lookup", b.fs().Lookup(parent, name, CallerOf(req))); });
}

void Forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup) {
  Bridge(req).fs().Forget(ino, nlookup);
  fuse_reply_none(req);
}

void ForgetMulti(fuse_req_t req, size_t count, fuse_forget_data* forgets) {
  FileSystem& fs = Bridge(req).fs();
  for (size_t i = 0; i < count; ++i) fs.Forget(forgets[i].ino, forgets[i].nlookup);
  fuse_reply_none(req);
}

void GetAttr(fuse_req_t req, fuse_ino_t ino, fuse_file_info*) {
  Run(req, "getattr", [&](FuseCall& b) {
    auto entry = b.fs().GetAttr(ino);
    if (Failed(req, b, "getattr", entry)) return;
    fuse_reply_attr(req, &entry->attr, entry->attr_timeout);
  });
}

struct timespec Now() {
  struct timespec now {};
  clock_gettime(CLOCK_REALTIME, &now);
  return now;
}

void SetAttr(fuse_req_t req, fuse_ino_t ino, struct stat* attr, int to_set, fuse_file_info*) {
  Run(req, "setattr", [&](FuseCall& b) {
    SetAttrRequest request;
    if ((to_set & FUSE_SET_ATTR_MODE) != 0) request.mode = attr->st_mode;
    if ((to_set & FUSE_SET_ATTR_UID) != 0) request.uid = attr->st_uid;
    if ((to_set & FUSE_SET_ATTR_GID) != 0) request.gid = attr->st_gid;
    if ((to_set & FUSE_SET_ATTR_SIZE) != 0) request.size = static_cast<uint64_t>(attr->st_size);
    if ((to_set & FUSE_SET_ATTR_ATIME_NOW) != 0) {
      request.atime = Now();
    } else if ((to_set & FUSE_SET_ATTR_ATIME) != 0) {
      request.atime = attr->st_atim;
    }
    if ((to_set & FUSE_SET_ATTR_MTIME_NOW) != 0) {
      request.mtime = Now();
    } else if ((to_set & FUSE_SET_ATTR_MTIME) != 0) {
      request.mtime = attr->st_mtim;
    }
    auto entry = b.fs().SetAttr(ino, request, CallerOf(req));
    if (Failed(req, b, "setattr", entry)) return;
    fuse_reply_attr(req, &entry->attr, entry->attr_timeout);
  });
}

void ReadLink(fuse_req_t req, fuse_ino_t ino) {
  Run(req, "readlink", [&](FuseCall& b) {
    auto target = b.fs().Readlink(ino);
    if (Failed(req, b, "readlink", target)) return;
    fuse_reply_readlink(req, target->c_str());
  });
}

void MkNod(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode, dev_t) {
  Run(req, "mknod", [&](FuseCall& b) { ReplyEntry(req, b, "mknod", b.fs().Mknod(parent, name, mode, CallerOf(req))); });
}

void MkDir(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode) {
  Run(req, "mkdir", [&](FuseCall& b) { ReplyEntry(req, b, "mkdir", b.fs().Mkdir(parent, name, mode, CallerOf(req))); });
}

void Symlink(fuse_req_t req, const char* link, fuse_ino_t parent, const char* name) {
  Run(req, "symlink",
      [&](FuseCall& b) { ReplyEntry(req, b, "symlink", b.fs().Symlink(link, parent, name, CallerOf(req))); });
}

void Unlink(fuse_req_t req, fuse_ino_t parent, const char* name) {
  Run(req, "unlink", [&](FuseCall& b) { ReplyStatus(req, b, "unlink", b.fs().Unlink(parent, name, CallerOf(req))); });
}

void RmDir(fuse_req_t req, fuse_ino_t parent, const char* name) {
  Run(req, "rmdir", [&](FuseCall& b) { ReplyStatus(req, b, "rmdir", b.fs().Rmdir(parent, name, CallerOf(req))); });
}

void Rename(fuse_req_t req, fuse_ino_t parent, const char* name, fuse_ino_t new_parent, const char* new_name,
            unsigned int flags) {
  Run(req, "rename", [&](FuseCall& b) {
    ReplyStatus(req, b, "rename", b.fs().Rename(parent, name, new_parent, new_name, flags, CallerOf(req)));
  });
}

void Create(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode, fuse_file_info* fi) {
  Run(req, "create", [&](FuseCall& b) {
    auto created = b.fs().Create(parent, name, mode, fi->flags, CallerOf(req));
    if (Failed(req, b, "create", created)) return;
    fi->fh = created->fh;
    const fuse_entry_param param = ToParam(created->entry);
    if (fuse_reply_create(req, &param, fi) != 0) {
      // The request was interrupted: the kernel will never release this handle.
      (void)b.fs().Release(created->entry.ino, created->fh);
    }
  });
}

void Open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Run(req, "open", [&](FuseCall& b) {
    auto fh = b.fs().Open(ino, fi->flags, CallerOf(req));
    if (Failed(req, b, "open", fh)) return;
    fi->fh = *fh;
    if (fuse_reply_open(req, fi) != 0) (void)b.fs().Release(ino, *fh);
  });
}

void Read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
  Run(req, "read", [&](FuseCall& b) {
    std::unique_ptr<char[]> buf(new char[size]);
    auto n = b.fs().Read(ino, fi->fh, offset, size, buf.get());
    if (Failed(req, b, "read", n)) return;
    fuse_reply_buf(req, buf.get(), *n);
  });
}

void Write(fuse_req_t req, fuse_ino_t ino, const char* data, size_t size, off_t offset, fuse_file_info* fi) {
  Run(req, "write", [&](FuseCall& b) {
    auto n = b.fs().Write(ino, fi->fh, offset, std::string_view(data, size));
    if (Failed(req, b, "write", n)) return;
    fuse_reply_write(req, *n);
  });
}

void Flush(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Run(req, "flush", [&](FuseCall& b) { ReplyStatus(req, b, "flush", b.fs().Flush(ino, fi->fh)); });
}

void Release(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  // The kernel ignores release's answer; a failure here (a lost upload) only reaches the log.
  Run(req, "release", [&](FuseCall& b) { ReplyStatus(req, b, "release", b.fs().Release(ino, fi->fh)); });
}

void Fsync(fuse_req_t req, fuse_ino_t ino, int, fuse_file_info* fi) {
  Run(req, "fsync", [&](FuseCall& b) { ReplyStatus(req, b, "fsync", b.fs().Fsync(ino, fi->fh)); });
}

void OpenDir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Run(req, "opendir", [&](FuseCall& b) {
    auto fh = b.fs().OpenDir(ino, CallerOf(req));
    if (Failed(req, b, "opendir", fh)) return;
    fi->fh = *fh;
    if (fuse_reply_open(req, fi) != 0) (void)b.fs().ReleaseDir(ino, *fh);
  });
}

// readdir and readdirplus: fill the kernel's buffer of `size` bytes with entries from `offset`.
void FillDir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi, bool plus) {
  const char* op = plus ? "readdirplus" : "readdir";
  Run(req, op, [&](FuseCall& b) {
    // The smallest entries: 24 + 8 bytes (readdir), 128 + 24 + 8 bytes (readdirplus). Asking
    // for no more than can fit keeps the lookup references to hand back (below) few.
    const size_t max_entries = std::max<size_t>(1, size / (plus ? 160 : 32));
    auto entries = b.fs().ReadDir(ino, fi->fh, offset, max_entries, plus);
    if (Failed(req, b, op, entries)) return;
    std::vector<char> buf(size);
    size_t used = 0;
    size_t i = 0;
    for (; i < entries->size(); ++i) {
      const DirEntry& e = (*entries)[i];
      size_t need;
      if (plus) {
        const fuse_entry_param param = ToParam(e.entry);
        need = fuse_add_direntry_plus(req, buf.data() + used, size - used, e.name.c_str(), &param, e.next_offset);
      } else {
        struct stat st = e.entry.attr;
        st.st_ino = e.entry.ino;
        need = fuse_add_direntry(req, buf.data() + used, size - used, e.name.c_str(), &st, e.next_offset);
      }
      if (need > size - used) break;
      used += need;
    }
    if (plus) {
      // Entries that did not fit were looked up for nothing ("." and ".." never are).
      for (; i < entries->size(); ++i) {
        const DirEntry& e = (*entries)[i];
        if (e.name != "." && e.name != "..") b.fs().Forget(e.entry.ino, 1);
      }
    }
    fuse_reply_buf(req, buf.data(), used);
  });
}

void ReadDir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
  FillDir(req, ino, size, offset, fi, false);
}

void ReadDirPlus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
  FillDir(req, ino, size, offset, fi, true);
}

void ReleaseDir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Run(req, "releasedir", [&](FuseCall& b) { ReplyStatus(req, b, "releasedir", b.fs().ReleaseDir(ino, fi->fh)); });
}

void StatFs(fuse_req_t req, fuse_ino_t) {
  Run(req, "statfs", [&](FuseCall& b) {
    auto st = b.fs().StatFs();
    if (Failed(req, b, "statfs", st)) return;
    fuse_reply_statfs(req, &st.value());
  });
}

void SetXattr(fuse_req_t req, fuse_ino_t ino, const char* name, const char* value, size_t size, int flags) {
  Run(req, "setxattr", [&](FuseCall& b) {
    ReplyStatus(req, b, "setxattr", b.fs().SetXattr(ino, name, std::string_view(value, size), flags, CallerOf(req)));
  });
}

// getxattr and listxattr: size 0 asks for the size; a too small buffer is ERANGE.
void ReplySized(fuse_req_t req, FuseCall& call, const std::string& data, size_t size) {
  if (size == 0) {
    fuse_reply_xattr(req, data.size());
  } else if (data.size() > size) {
    call.ReplyErrno(req, ERANGE);
  } else {
    fuse_reply_buf(req, data.data(), data.size());
  }
}

void GetXattr(fuse_req_t req, fuse_ino_t ino, const char* name, size_t size) {
  Run(req, "getxattr", [&](FuseCall& b) {
    auto value = b.fs().GetXattr(ino, name);
    if (Failed(req, b, "getxattr", value)) return;
    ReplySized(req, b, *value, size);
  });
}

void ListXattr(fuse_req_t req, fuse_ino_t ino, size_t size) {
  Run(req, "listxattr", [&](FuseCall& b) {
    auto names = b.fs().ListXattr(ino);
    if (Failed(req, b, "listxattr", names)) return;
    std::string list;
    for (const std::string& name : *names) list.append(name).push_back('\0');
    ReplySized(req, b, list, size);
  });
}

void RemoveXattr(fuse_req_t req, fuse_ino_t ino, const char* name) {
  Run(req, "removexattr",
      [&](FuseCall& b) { ReplyStatus(req, b, "removexattr", b.fs().RemoveXattr(ino, name, CallerOf(req))); });
}

fuse_lowlevel_ops MakeOperations() {
  fuse_lowlevel_ops ops{};
  ops.init = Init;
  ops.lookup = Lookup;
  ops.forget = Forget;
  ops.forget_multi = ForgetMulti;
  ops.getattr = GetAttr;
  ops.setattr = SetAttr;
  ops.readlink = ReadLink;
  ops.mknod = MkNod;
  ops.mkdir = MkDir;
  ops.unlink = Unlink;
  ops.rmdir = RmDir;
  ops.symlink = Symlink;
  ops.rename = Rename;
  ops.create = Create;
  ops.open = Open;
  ops.read = Read;
  ops.write = Write;
  ops.flush = Flush;
  ops.release = Release;
  ops.fsync = Fsync;
  ops.opendir = OpenDir;
  ops.readdir = ReadDir;
  ops.readdirplus = ReadDirPlus;
  ops.releasedir = ReleaseDir;
  ops.statfs = StatFs;
  ops.setxattr = SetXattr;
  ops.getxattr = GetXattr;
  ops.listxattr = ListXattr;
  ops.removexattr = RemoveXattr;
  return ops;
}

// Errors a working file system answers all day (a shell probing for files, a tool checking
// xattrs): not worth a log line above debug.
bool IsExpected(int err) {
  switch (err) {
    case ENOENT:
    case EEXIST:
    case ENOTEMPTY:
    case ENOTDIR:
    case EISDIR:
    case ENODATA:
    case ERANGE:
    case ENAMETOOLONG:
    case EINVAL:
    case EXDEV:
    case ENOSYS:
    case EOPNOTSUPP:
    case EACCES:
    case EPERM:
    case EROFS:
    case EBADF:
    case EINTR:
      return true;
    default:
      return false;
  }
}

}  // namespace

FuseBridge::FuseBridge(FileSystem& fs, FuseBridgeOptions options, std::shared_ptr<spdlog::logger> logger)
    : fs_(fs), options_(options), logger_(logger ? std::move(logger) : spdlog::default_logger()) {}

const fuse_lowlevel_ops& FuseBridge::Operations() {
  static const fuse_lowlevel_ops kOps = MakeOperations();
  return kOps;
}

void FuseBridge::ReplyError(fuse_req_t req, const char* op, const FsError& error) {
  const int err = error.errno_value();
  if (err == ENOENT || err == ENODATA) {
    // The common negative answers: not logged at all.
  } else if (IsExpected(err)) {
    logger_->debug("{}: {}", op, error.ToString());
  } else {
    // ToString() carries the S3 error code, HTTP status and request id when S3 caused it.
    logger_->error("{}: {}", op, error.ToString());
  }
  fuse_reply_err(req, err > 0 ? err : EIO);
}

}  // namespace mounter
