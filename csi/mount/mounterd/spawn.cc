#include "csi/mount/mounterd/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace s3csi::mounterd {

namespace {

using s3core::Status;

Status Errno(const std::string& what) { return Status::Io(what + ": " + std::strerror(errno)); }

// A close-on-exec copy numbered >= 10, so that the dup2s to 3..5 in the child cannot overwrite
// a source that happens to be numbered 3..5.
s3core::Result<UniqueFd> HighCopy(int fd) {
  UniqueFd copy(fcntl(fd, F_DUPFD_CLOEXEC, 10));
  if (!copy.valid()) return Errno("fcntl(F_DUPFD_CLOEXEC)");
  return copy;
}

// The credentials as a sealed in-memory file of mode 0600: never on disk, unreadable to others.
s3core::Result<UniqueFd> CredentialsMemfd(const S3Secrets& secrets) {
  UniqueFd fd(memfd_create("s3csi-credentials", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!fd.valid()) return Errno("memfd_create");
  if (fchmod(fd.get(), 0600) != 0) return Errno("fchmod(memfd)");
  const std::string text = CredentialsFileText(secrets);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd.get(), text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("write(memfd)");
    }
    done += static_cast<size_t>(n);
  }
  if (fcntl(fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    return Errno("seal(memfd)");
  }
  return fd;
}

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

s3core::Result<SpawnedS3mount> SpawnS3mount(const S3mountCommand& command, int fuse_fd, const S3Secrets& secrets) {
  S3_ASSIGN_OR_RETURN(UniqueFd fuse, HighCopy(fuse_fd));
  UniqueFd credentials;
  if (command.needs_credentials_fd) {
    S3_ASSIGN_OR_RETURN(UniqueFd memfd, CredentialsMemfd(secrets));
    S3_ASSIGN_OR_RETURN(credentials, HighCopy(memfd.get()));
  }
  int ready_pipe[2], output_pipe[2];
  if (pipe2(ready_pipe, O_CLOEXEC) != 0) return Errno("pipe2");
  UniqueFd ready_read(ready_pipe[0]), ready_write_low(ready_pipe[1]);
  if (pipe2(output_pipe, O_CLOEXEC) != 0) return Errno("pipe2");
  UniqueFd output_read(output_pipe[0]), output_write_low(output_pipe[1]);
  S3_ASSIGN_OR_RETURN(UniqueFd ready_write, HighCopy(ready_write_low.get()));
  S3_ASSIGN_OR_RETURN(UniqueFd output_write, HighCopy(output_write_low.get()));
  ready_write_low.Reset();
  output_write_low.Reset();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, output_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output_write.get(), STDERR_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fuse.get(), kChildFuseFd);
  posix_spawn_file_actions_adddup2(&actions, ready_write.get(), kChildReadyFd);
  if (credentials.valid()) posix_spawn_file_actions_adddup2(&actions, credentials.get(), kChildCredentialsFd);
  // Everything else mounterd has open is close-on-exec (sockets, pipes, memfds, received fds).

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGPIPE}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);

  std::vector<char*> argv = CStrings(command.argv);
  std::vector<char*> envp = CStrings(command.env);
  pid_t pid = -1;
  const int err = posix_spawn(&pid, command.argv[0].c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (err != 0) return Status::Io("cannot start " + command.argv[0] + ": " + std::strerror(err));

  SpawnedS3mount spawned;
  spawned.pid = pid;
  spawned.ready = std::move(ready_read);
  spawned.output = std::move(output_read);
  return spawned;  // the write ends and the fuse/credentials copies close here: only the child has them
}

}  // namespace s3csi::mounterd
