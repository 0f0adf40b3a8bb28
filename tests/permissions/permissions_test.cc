// Permission checks on a real s3mount mount (docs/SEMANTICS.md "Permissions", docs/CONFIGURATION.md
// uid/gid/umask/mp_umask/allow_other). The test runs as root; operations "as another user" run in
// a forked child that drops to that uid/gid (no supplementary groups) and reports the errno of one
// syscall through a pipe. Each child is bounded in time, so a hung FUSE request fails the test
// instead of hanging it.
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>

#include "tests/mount/mount_harness.h"

namespace s3mount_permissions {
namespace {

using s3mount_it::MountFixture;
using s3mount_it::ProcessResult;

constexpr uid_t kUser = 12345;  // no passwd entry needed
constexpr gid_t kUserGroup = 12345;
constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;
constexpr int kTimedOut = -1;  // AsUser's result when the child did not answer in time

// Runs `op` in a child running as uid/gid (no supplementary groups). Returns 0 if `op` returned 0,
// else the errno it returned; kTimedOut if the child hung (it is killed). `op` must only make
// system calls (the child of a multithreaded process may not allocate).
int AsUser(uid_t uid, gid_t gid, const std::function<int()>& op) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return kTimedOut;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    int result = 0;
    if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
      result = 1000 + errno;  // not an errno: makes a failed setup visible in the assertion
    } else {
      umask(022);
      result = op();
    }
    (void)!write(fds[1], &result, sizeof result);
    _exit(0);
  }
  close(fds[1]);
  int result = kTimedOut;
  pollfd p{fds[0], POLLIN, 0};
  if (pid > 0 && poll(&p, 1, 20000) > 0 && read(fds[0], &result, sizeof result) != sizeof result) {
    result = kTimedOut;
  }
  close(fds[0]);
  if (pid > 0) {
    if (result == kTimedOut) kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  return result;
}

int Errno(int rc) { return rc == 0 ? 0 : errno; }

// The syscalls the children make: 0 or errno.
int StatErr(const std::string& path) {
  struct stat st {};
  return Errno(stat(path.c_str(), &st));
}
int OpenDirErr(const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return errno;
  closedir(dir);
  return 0;
}
int OpenErr(const std::string& path, int flags, mode_t mode = 0644) {
  const int fd = open(path.c_str(), flags, mode);
  if (fd < 0) return errno;
  return Errno(close(fd));
}
int ReadErr(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return errno;
  char buf[64];
  const ssize_t n = read(fd, buf, sizeof buf);
  const int err = n < 0 ? errno : 0;
  close(fd);
  return err;
}
int CreateWithDataErr(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) return errno;
  static constexpr char kData[] = "written by another user\n";
  const ssize_t n = write(fd, kData, sizeof kData - 1);
  const int err = n < 0 ? errno : 0;
  const int close_err = Errno(close(fd));  // the upload happens at close (flush)
  return err != 0 ? err : close_err;
}

struct stat StatOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path << ": " << std::strerror(errno);
  return st;
}

class PermissionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    if (!fixture_.SetUp(reason)) {
      if (s3core::testing::RgwRequired()) FAIL() << reason;
      GTEST_SKIP() << reason;
    }
    // mkdtemp makes the work directory 0700: other users could not even reach the mountpoint.
    ASSERT_EQ(chmod(fixture_.work_dir().c_str(), 0755), 0);
    umask(022);
  }
  void TearDown() override { fixture_.TearDown(); }

  void MountOrFail(const std::string& extra = "") {
    ProcessResult r = fixture_.Mount(extra);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_TRUE(s3mount_it::IsMounted(fixture_.mountpoint())) << "s3mount returned 0 but nothing is mounted";
  }
  void RemountOrFail(const std::string& extra = "") {
    ASSERT_TRUE(fixture_.Unmount());
    MountOrFail(extra);
  }

  // A file written by root with `mode`.
  void RootFile(const std::string& relative, mode_t mode) {
    const std::string path = fixture_.Path(relative);
    ASSERT_TRUE(s3mount_it::WriteFile(path, "root data\n")) << path;
    ASSERT_EQ(chmod(path.c_str(), mode), 0) << path << ": " << std::strerror(errno);
  }
  // A directory made by root with `mode` (0777: anyone may create and delete in it).
  void RootDir(const std::string& relative, mode_t mode) {
    const std::string path = fixture_.Path(relative);
    ASSERT_EQ(mkdir(path.c_str(), 0755), 0) << path << ": " << std::strerror(errno);
    ASSERT_EQ(chmod(path.c_str(), mode), 0) << path << ": " << std::strerror(errno);
  }

  MountFixture fixture_;
};

// (1) Without allow_other the FUSE kernel module refuses every other user, root's files or not.
TEST_F(PermissionsTest, WithoutAllowOtherOtherUsersAreRefused) {
  MountOrFail();
  const std::string mnt = fixture_.mountpoint();
  EXPECT_EQ(StatErr(mnt), 0);  // root, the mounting user
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return StatErr(mnt); }), EACCES);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return OpenDirErr(mnt); }), EACCES);
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return StatErr(mnt); }), EACCES);
}

// (2) With allow_other the kernel checks the files' modes (default_permissions is always on).
TEST_F(PermissionsTest, FileModesGovernOtherUsersReadsAndWrites) {
  MountOrFail("allow_other");
  ASSERT_NO_FATAL_FAILURE(RootFile("private", 0600));
  ASSERT_NO_FATAL_FAILURE(RootFile("public", 0644));
  const std::string priv = fixture_.Path("private");
  const std::string pub = fixture_.Path("public");

  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return OpenDirErr(fixture_.mountpoint()); }), 0);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return ReadErr(priv); }), EACCES);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return ReadErr(pub); }), 0);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return OpenErr(pub, O_WRONLY); }), EACCES);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return OpenErr(pub, O_WRONLY | O_TRUNC); }), EACCES);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(truncate(pub.c_str(), 0)); }), EACCES);
  // The mount's root is root's 0755: nobody else may create there.
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return OpenErr(fixture_.Path("intruder"), O_WRONLY | O_CREAT); }),
            EACCES);
  EXPECT_EQ(s3mount_it::ReadFile(pub), "root data\n");  // the refused opens changed nothing
}

TEST_F(PermissionsTest, NewFilesBelongToTheirCreatorAcrossRemount) {
  MountOrFail("allow_other");
  ASSERT_NO_FATAL_FAILURE(RootDir("shared", 0777));
  const std::string mine = fixture_.Path("shared/mine");
  ASSERT_EQ(AsUser(kUser, kUserGroup, [&] { return CreateWithDataErr(mine); }), 0);
  struct stat st = StatOf(mine);
  EXPECT_EQ(st.st_uid, kUser);
  EXPECT_EQ(st.st_gid, kUserGroup);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  // The creator may write its file again; others (not in its group) may only read it.
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return OpenErr(mine, O_WRONLY | O_APPEND); }), 0);
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return OpenErr(mine, O_WRONLY); }), EACCES);
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return ReadErr(mine); }), 0);

  // Owner, group and modes are stored with the objects (s3fs metadata), not only in memory.
  ASSERT_NO_FATAL_FAILURE(RemountOrFail("allow_other"));
  st = StatOf(fixture_.Path("shared"));
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0777u);
  st = StatOf(mine);
  EXPECT_EQ(st.st_uid, kUser);
  EXPECT_EQ(st.st_gid, kUserGroup);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return OpenErr(mine, O_WRONLY); }), EACCES);
  // The directory's stored 0777 still lets another user create there.
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return CreateWithDataErr(fixture_.Path("shared/nobodys")); }), 0);
  EXPECT_EQ(StatOf(fixture_.Path("shared/nobodys")).st_uid, kNobody);
}

TEST_F(PermissionsTest, OwnershipRulesForChmodAndChown) {
  MountOrFail("allow_other");
  ASSERT_NO_FATAL_FAILURE(RootFile("rootfile", 0644));
  ASSERT_NO_FATAL_FAILURE(RootDir("shared", 0777));
  const std::string rootfile = fixture_.Path("rootfile");
  const std::string own = fixture_.Path("shared/own");
  ASSERT_EQ(AsUser(kUser, kUserGroup, [&] { return CreateWithDataErr(own); }), 0);

  // Not the owner: no chmod, no chown.
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(chmod(rootfile.c_str(), 0666)); }), EPERM);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(chown(rootfile.c_str(), kUser, -1)); }), EPERM);
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return Errno(chmod(own.c_str(), 0666)); }), EPERM);
  EXPECT_EQ(StatOf(rootfile).st_mode & 07777, 0644u);
  EXPECT_EQ(StatOf(rootfile).st_uid, 0u);

  // The owner: chmod yes, giving the file away no, chgrp only to its own group.
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(chmod(own.c_str(), 0600)); }), 0);
  EXPECT_EQ(StatOf(own).st_mode & 07777, 0600u);
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return ReadErr(own); }), EACCES);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(chown(own.c_str(), kNobody, -1)); }), EPERM);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(chown(own.c_str(), -1, kNogroup)); }), EPERM);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(chown(own.c_str(), kUser, kUserGroup)); }), 0);
  EXPECT_EQ(StatOf(own).st_uid, kUser);

  // Root may give it to anyone; that is stored too.
  ASSERT_EQ(chown(own.c_str(), kNobody, kNogroup), 0) << std::strerror(errno);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(chmod(own.c_str(), 0644)); }), EPERM);
  ASSERT_NO_FATAL_FAILURE(RemountOrFail("allow_other"));
  struct stat st = StatOf(own);
  EXPECT_EQ(st.st_uid, kNobody);
  EXPECT_EQ(st.st_gid, kNogroup);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return ReadErr(own); }), EACCES);
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return ReadErr(own); }), 0);
}

// POSIX: without the sticky bit, write+search permission on a directory lets a user delete any
// entry in it, whoever owns the entry. With the sticky bit only the entry's owner may.
TEST_F(PermissionsTest, DeletingOthersFilesDependsOnTheDirectoryOnly) {
  MountOrFail("allow_other");
  ASSERT_NO_FATAL_FAILURE(RootDir("shared", 0777));
  ASSERT_NO_FATAL_FAILURE(RootFile("shared/rootowned", 0644));
  const std::string rootowned = fixture_.Path("shared/rootowned");
  const std::string nobodys = fixture_.Path("shared/nobodys");
  ASSERT_EQ(AsUser(kNobody, kNogroup, [&] { return CreateWithDataErr(nobodys); }), 0);

  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(unlink(rootowned.c_str())); }), 0);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(unlink(nobodys.c_str())); }), 0);
  EXPECT_EQ(StatErr(rootowned), ENOENT);
  EXPECT_EQ(StatErr(nobodys), ENOENT);

  // Root's 0755 directory: no deleting there, even a file one owns.
  ASSERT_NO_FATAL_FAILURE(RootDir("closed", 0755));
  ASSERT_NO_FATAL_FAILURE(RootFile("closed/file", 0666));
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(unlink(fixture_.Path("closed/file").c_str())); }), EACCES);
  EXPECT_EQ(StatErr(fixture_.Path("closed/file")), 0);

  // Sticky directory (like /tmp).
  ASSERT_NO_FATAL_FAILURE(RootDir("sticky", 01777));
  EXPECT_EQ(StatOf(fixture_.Path("sticky")).st_mode & 07777, 01777u);
  const std::string theirs = fixture_.Path("sticky/theirs");
  const std::string mine = fixture_.Path("sticky/mine");
  ASSERT_EQ(AsUser(kNobody, kNogroup, [&] { return CreateWithDataErr(theirs); }), 0);
  ASSERT_EQ(AsUser(kUser, kUserGroup, [&] { return CreateWithDataErr(mine); }), 0);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(unlink(theirs.c_str())); }), EPERM);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return Errno(unlink(mine.c_str())); }), 0);
  EXPECT_EQ(StatErr(theirs), 0);
}

// Stored restrictive modes after a remount: a lookup (stat) HEADs the object, and
// readdir_head_objects makes listings carry the exact attributes too (docs/SEMANTICS.md).
TEST_F(PermissionsTest, StoredModesAreEnforcedAfterRemountAndListing) {
  MountOrFail("allow_other");
  ASSERT_NO_FATAL_FAILURE(RootFile("private", 0600));
  const std::string priv = fixture_.Path("private");
  ASSERT_NO_FATAL_FAILURE(RemountOrFail("allow_other,readdir_head_objects"));
  ASSERT_EQ(OpenDirErr(fixture_.mountpoint()), 0);
  DIR* dir = opendir(fixture_.mountpoint().c_str());
  ASSERT_NE(dir, nullptr);
  while (readdir(dir) != nullptr) {
  }
  closedir(dir);
  EXPECT_EQ(StatOf(priv).st_mode & 07777, 0600u);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return ReadErr(priv); }), EACCES);
}

// uid=/gid= are "owner of every file and directory" (s3fs): they override stored owners too,
// while umask= only applies where no mode is stored.
TEST_F(PermissionsTest, UidGidOptionsOverrideStoredOwners) {
  MountOrFail("allow_other");
  ASSERT_NO_FATAL_FAILURE(RootDir("shared", 0777));
  const std::string file = fixture_.Path("shared/nobodys");
  ASSERT_EQ(AsUser(kNobody, kNogroup, [&] { return CreateWithDataErr(file); }), 0);
  ASSERT_NO_FATAL_FAILURE(RemountOrFail("allow_other,uid=12345,gid=23456,umask=077"));
  struct stat st = StatOf(file);
  EXPECT_EQ(st.st_uid, kUser);
  EXPECT_EQ(st.st_gid, 23456u);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  st = StatOf(fixture_.Path("shared"));
  EXPECT_EQ(st.st_uid, kUser);
  EXPECT_EQ(st.st_mode & 07777, 0777u);
  // The kernel now treats uid 12345 as the owner: it may write; nobody (the stored owner) may not.
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return OpenErr(file, O_WRONLY | O_APPEND); }), 0);
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return OpenErr(file, O_WRONLY); }), EACCES);
}

// (3) Objects written by plain S3 clients carry no mode/owner metadata: they show the mounting
// user (root here) and 0666/0777 masked by umask, or the uid=/gid=/umask= options.
TEST_F(PermissionsTest, ObjectsWithoutMetadataShowDefaults) {
  ASSERT_EQ(fixture_.PutObject("plain.txt", "plain\n"), "");
  ASSERT_EQ(fixture_.PutObject("implicit/inner.txt", "inner\n"), "");
  MountOrFail();
  struct stat st = StatOf(fixture_.Path("plain.txt"));
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_EQ(st.st_uid, 0u);
  EXPECT_EQ(st.st_gid, 0u);
  st = StatOf(fixture_.Path("implicit"));
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  EXPECT_EQ(st.st_uid, 0u);
}

TEST_F(PermissionsTest, UidGidUmaskOptionsApplyToObjectsWithoutMetadata) {
  ASSERT_EQ(fixture_.PutObject("plain.txt", "plain\n"), "");
  ASSERT_EQ(fixture_.PutObject("implicit/inner.txt", "inner\n"), "");
  ASSERT_EQ(fixture_.PutObject("explicit/", ""), "");
  MountOrFail("allow_other,uid=12345,gid=23456,umask=027");
  const std::string plain = fixture_.Path("plain.txt");
  struct stat st = StatOf(plain);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_uid, kUser);
  EXPECT_EQ(st.st_gid, 23456u);
  for (const char* dir : {"implicit", "explicit"}) {
    st = StatOf(fixture_.Path(dir));
    EXPECT_TRUE(S_ISDIR(st.st_mode)) << dir;
    EXPECT_EQ(st.st_mode & 07777, 0750u) << dir;
    EXPECT_EQ(st.st_uid, kUser) << dir;
    EXPECT_EQ(st.st_gid, 23456u) << dir;
  }
  // The kernel applies those attributes: the owner may read and write, "others" get nothing.
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return ReadErr(plain); }), 0);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return OpenErr(plain, O_WRONLY | O_APPEND); }), 0);
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return ReadErr(plain); }), EACCES);
  EXPECT_EQ(AsUser(kNobody, kNogroup, [&] { return OpenDirErr(fixture_.Path("implicit")); }), EACCES);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return ReadErr(fixture_.Path("implicit/inner.txt")); }), 0);
  // ... and the group gets read.
  EXPECT_EQ(AsUser(kNobody, 23456, [&] { return ReadErr(plain); }), 0);
  EXPECT_EQ(AsUser(kNobody, 23456, [&] { return OpenErr(plain, O_WRONLY); }), EACCES);
}

// (4) mp_umask masks the mount point's own mode (0777 before it).
TEST_F(PermissionsTest, MpUmaskSetsTheMountpointMode) {
  MountOrFail("allow_other");
  EXPECT_EQ(StatOf(fixture_.mountpoint()).st_mode & 07777, 0755u);  // default mp_umask 022

  ASSERT_NO_FATAL_FAILURE(RemountOrFail("allow_other,mp_umask=077"));
  struct stat st = StatOf(fixture_.mountpoint());
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return OpenDirErr(fixture_.mountpoint()); }), EACCES);

  ASSERT_NO_FATAL_FAILURE(RemountOrFail("allow_other,mp_umask=0"));
  EXPECT_EQ(StatOf(fixture_.mountpoint()).st_mode & 07777, 0777u);
  const std::string created = fixture_.Path("by-user");
  EXPECT_EQ(AsUser(kUser, kUserGroup, [&] { return CreateWithDataErr(created); }), 0);
  EXPECT_EQ(StatOf(created).st_uid, kUser);
}

}  // namespace
}  // namespace s3mount_permissions
