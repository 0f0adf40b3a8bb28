#include "mounter/fuse/mount_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace mounter {

namespace {

std::string JoinOptions(const std::vector<std::string>& options) {
  std::string joined;
  for (const auto& option : options) {
    if (!joined.empty()) joined.push_back(',');
    joined += option;
  }
  return joined;
}

}  // namespace

MountSession::MountSession(FileSystem& fs, MountSessionOptions options, std::shared_ptr<spdlog::logger> logger)
    : fs_(fs),
      options_(std::move(options)),
      logger_(logger ? std::move(logger) : spdlog::default_logger()),
      bridge_(fs, options_.bridge, logger_) {}

FsResult<std::unique_ptr<MountSession>> MountSession::Create(FileSystem& fs, MountSessionOptions options,
                                                             std::shared_ptr<spdlog::logger> logger) {
  std::unique_ptr<MountSession> session(new MountSession(fs, std::move(options), std::move(logger)));
  // libfuse parses its options from an argv.
  std::vector<std::string> argv_strings = {"s3mount"};
  const std::string joined = JoinOptions(session->options_.fuse_options);
  if (!joined.empty()) {
    argv_strings.push_back("-o");
    argv_strings.push_back(joined);
  }
  if (session->options_.fuse_debug) argv_strings.push_back("-d");
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  fuse_args args = FUSE_ARGS_INIT(static_cast<int>(argv_strings.size()), argv.data());
  session->session_ = fuse_session_new(&args, &FuseBridge::Operations(), sizeof(fuse_lowlevel_ops), &session->bridge_);
  fuse_opt_free_args(&args);
  if (session->session_ == nullptr) {
    // libfuse has printed the reason (an unknown option) on stderr.
    return FsError(EINVAL, "cannot create the FUSE session (FUSE options: " + joined + ")");
  }
  return session;
}

MountSession::~MountSession() {
  if (session_ == nullptr) return;
  if (signals_installed_) fuse_remove_signal_handlers(session_);
  if (mounted_) fuse_session_unmount(session_);
  fuse_session_destroy(session_);
}

FsStatus MountSession::Mount() {
  if (fuse_session_mount(session_, options_.mountpoint.c_str()) != 0) {
    return FsError(EIO, "cannot mount on " + options_.mountpoint +
                            " (is it an existing directory? is /dev/fuse available? see the message above)");
  }
  mounted_ = true;
  // libfuse's handlers call fuse_session_exit(): the loop returns and Run() flushes.
  if (fuse_set_signal_handlers(session_) != 0) {
    return FsError(EIO, "cannot install signal handlers");
  }
  signals_installed_ = true;
  logger_->info("mounted on {}", options_.mountpoint);
  return {};
}

void MountSession::Exit() { fuse_session_exit(session_); }

FsStatus MountSession::Run() {
  int result;
  if (options_.single_thread) {
    result = fuse_session_loop(session_);
  } else {
    fuse_loop_config* config = fuse_loop_cfg_create();
    fuse_loop_cfg_set_clone_fd(config, options_.clone_fd ? 1 : 0);
    fuse_loop_cfg_set_max_threads(config, std::max(options_.max_threads, options_.max_idle_threads));
    fuse_loop_cfg_set_idle_threads(config, options_.max_idle_threads);
    result = fuse_session_loop_mt(session_, config);
    fuse_loop_cfg_destroy(config);
  }
  if (result > 0) {
    logger_->info("signal {} received: flushing pending uploads, then unmounting", result);
  } else if (result < 0) {
    logger_->error("FUSE session failed: {}", std::strerror(-result));
  } else {
    logger_->info("unmounted: flushing pending uploads");
  }
  // Data first: while flushing, the mount (if still there) answers nothing, which is better
  // than an unmount that loses writes.
  FsStatus flushed = fs_.FlushAll();
  if (!flushed.ok()) logger_->error("flushing pending uploads failed: {}", flushed.error().ToString());
  if (signals_installed_) {
    fuse_remove_signal_handlers(session_);
    signals_installed_ = false;
  }
  if (mounted_) {
    fuse_session_unmount(session_);
    mounted_ = false;
  }
  if (flushed.ok() && result < 0) return FsError(-result, "FUSE session failed");
  return flushed;
}

}  // namespace mounter
