// s3mount end to end: the built binary against the RGW test server, on real FUSE mounts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "tests/mount/mount_harness.h"

namespace s3mount_it {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;

// Command-line behaviour: no server needed.
TEST(S3mountCommandLine, NoArgumentsPrintsUsageAndFails) {
  ProcessResult r = RunProcess(S3MOUNT_PATH, {}, std::chrono::seconds(10));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_THAT(r.output, HasSubstr("s3mount: missing BUCKET argument"));
  EXPECT_THAT(r.output, HasSubstr("usage: s3mount"));
}

TEST(S3mountCommandLine, UnknownOptionIsRefusedByName) {
  ProcessResult r = RunProcess(S3MOUNT_PATH, {"bkt", "/tmp", "-o", "allow_other,frobnicate"}, std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("unknown option `frobnicate'"));
}

TEST(S3mountCommandLine, MalformedValueIsRefused) {
  ProcessResult r = RunProcess(S3MOUNT_PATH, {"bkt", "/tmp", "-o", "uid=abc"}, std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("uid"));
}

TEST(S3mountCommandLine, HelpAndVersion) {
  ProcessResult help = RunProcess(S3MOUNT_PATH, {"--help"}, std::chrono::seconds(10));
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.output, HasSubstr("-o passwd_file=PATH"));
  ProcessResult version = RunProcess(S3MOUNT_PATH, {"--version"}, std::chrono::seconds(10));
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.output, HasSubstr("s3mount "));
}

TEST(S3mountCommandLine, MissingMountpointDirectory) {
  ProcessResult r = RunProcess(S3MOUNT_PATH, {"bkt", "/nonexistent/s3mount/dir"}, std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("mountpoint"));
}

class S3mountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    if (!fixture_.SetUp(reason)) {
      if (s3core::testing::RgwRequired()) FAIL() << reason;
      GTEST_SKIP() << reason;
    }
  }
  void TearDown() override { fixture_.TearDown(); }

  void MountOrFail(const std::string& extra = "") {
    ProcessResult r = fixture_.Mount(extra);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_TRUE(IsMounted(fixture_.mountpoint())) << "s3mount returned 0 but nothing is mounted";
  }

  MountFixture fixture_;
};

TEST_F(S3mountTest, BadCredentialsFailWithReasonAndLeaveNoMount) {
  const std::string bad = fixture_.work_dir() + "/bad-passwd";
  ASSERT_TRUE(WriteFile(bad, fixture_.env().access_key + ":wrong-secret\n"));
  ASSERT_EQ(chmod(bad.c_str(), 0600), 0);
  std::vector<std::string> args = fixture_.MountArgs();
  args.back() += ",passwd_file=" + bad;  // the last passwd_file wins
  ProcessResult r = RunProcess(S3MOUNT_PATH, args, std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("cannot use bucket"));
  EXPECT_THAT(r.output, AnyOf(HasSubstr("SignatureDoesNotMatch"), HasSubstr("AccessDenied"), HasSubstr("403")));
  EXPECT_THAT(r.output, Not(HasSubstr("wrong-secret")));
  EXPECT_FALSE(IsMounted(fixture_.mountpoint()));
}

TEST_F(S3mountTest, MissingBucketFailsWithReason) {
  std::vector<std::string> args = fixture_.MountArgs();
  args[0] = fixture_.bucket() + "-missing";
  ProcessResult r = RunProcess(S3MOUNT_PATH, args, std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, AnyOf(HasSubstr("NoSuchBucket"), HasSubstr("NotFound"), HasSubstr("404")));
  EXPECT_FALSE(IsMounted(fixture_.mountpoint()));
}

TEST_F(S3mountTest, UnreachableEndpointFailsInBoundedTime) {
  std::vector<std::string> args = fixture_.MountArgs("url=http://127.0.0.1:1,connect_timeout=2,retries=1");
  ProcessResult r = RunProcess(S3MOUNT_PATH, args, std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_FALSE(r.timed_out);
  EXPECT_LT(r.elapsed, std::chrono::seconds(30));
  EXPECT_THAT(r.output, HasSubstr("cannot use bucket"));
  EXPECT_FALSE(IsMounted(fixture_.mountpoint()));
}

TEST_F(S3mountTest, DaemonReturnsWhenLiveAndUnmountWorks) {
  MountOrFail();
  struct stat st {};
  ASSERT_EQ(stat(fixture_.mountpoint().c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_TRUE(fixture_.Unmount());
}

TEST_F(S3mountTest, WriteThenReadBackAndSeeInS3) {
  MountOrFail();
  const std::string data = "hello from s3mount\n";
  ASSERT_TRUE(WriteFile(fixture_.Path("hello.txt"), data));
  EXPECT_EQ(ReadFile(fixture_.Path("hello.txt")), data);
  EXPECT_EQ(fixture_.GetObject("hello.txt").value_or("<missing>"), data);
}

TEST_F(S3mountTest, MkdirListRmdir) {
  MountOrFail();
  namespace fs = std::filesystem;
  ASSERT_TRUE(fs::create_directory(fixture_.Path("dir")));
  ASSERT_TRUE(WriteFile(fixture_.Path("dir/a"), "a"));
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(fixture_.Path("dir"))) names.insert(e.path().filename());
  EXPECT_EQ(names, std::set<std::string>{"a"});
  std::error_code ec;
  EXPECT_FALSE(fs::remove(fixture_.Path("dir"), ec));  // not empty
  EXPECT_TRUE(fs::remove(fixture_.Path("dir/a")));
  EXPECT_TRUE(fs::remove(fixture_.Path("dir")));
  EXPECT_FALSE(fs::exists(fixture_.Path("dir")));
}

TEST_F(S3mountTest, RenameFile) {
  MountOrFail();
  ASSERT_TRUE(WriteFile(fixture_.Path("old"), "payload"));
  ASSERT_EQ(rename(fixture_.Path("old").c_str(), fixture_.Path("new").c_str()), 0) << strerror(errno);
  EXPECT_EQ(ReadFile(fixture_.Path("new")), "payload");
  EXPECT_FALSE(std::filesystem::exists(fixture_.Path("old")));
  EXPECT_EQ(fixture_.GetObject("new").value_or("<missing>"), "payload");
  EXPECT_FALSE(fixture_.GetObject("old").has_value());
}

TEST_F(S3mountTest, UnlinkRemovesObject) {
  MountOrFail();
  ASSERT_TRUE(WriteFile(fixture_.Path("gone"), "x"));
  ASSERT_EQ(unlink(fixture_.Path("gone").c_str()), 0) << strerror(errno);
  EXPECT_FALSE(std::filesystem::exists(fixture_.Path("gone")));
  EXPECT_FALSE(fixture_.GetObject("gone").has_value());
}

TEST_F(S3mountTest, SymlinkAndReadlink) {
  MountOrFail();
  ASSERT_EQ(symlink("target/file", fixture_.Path("link").c_str()), 0) << strerror(errno);
  char buf[256] = {};
  const ssize_t n = readlink(fixture_.Path("link").c_str(), buf, sizeof buf - 1);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), "target/file");
}

TEST_F(S3mountTest, StatOfObjectWrittenDirectly) {
  ASSERT_EQ(fixture_.PutObject("dir2/direct.txt", "0123456789"), "");
  MountOrFail();
  struct stat st {};
  ASSERT_EQ(stat(fixture_.Path("dir2/direct.txt").c_str(), &st), 0) << strerror(errno);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_size, 10);
  EXPECT_NE(st.st_mode & 0777, 0u);
  ASSERT_EQ(stat(fixture_.Path("dir2").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(ReadFile(fixture_.Path("dir2/direct.txt")), "0123456789");
}

TEST_F(S3mountTest, LargeDirectoryListsEveryEntryOnce) {
  // More entries than one readdir(plus) buffer holds: offsets and the lookup references of
  // entries that did not fit must be handled right, or names repeat or go missing.
  constexpr int kFiles = 300;
  std::set<std::string> expected;
  for (int i = 0; i < kFiles; ++i) {
    const std::string name = "entry-with-a-longish-name-" + std::to_string(i);
    ASSERT_EQ(fixture_.PutObject("big/" + name, std::to_string(i)), "");
    expected.insert(name);
  }
  MountOrFail();
  std::multiset<std::string> seen;
  for (const auto& e : std::filesystem::directory_iterator(fixture_.Path("big"))) {
    seen.insert(e.path().filename());
    EXPECT_TRUE(e.is_regular_file()) << e.path();  // uses the attributes readdirplus returned
  }
  EXPECT_EQ(seen.size(), expected.size());
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
  EXPECT_EQ(ReadFile(fixture_.Path("big/entry-with-a-longish-name-299")), "299");
}

TEST_F(S3mountTest, MountFuse3HelperFromFstab) {
  // What `mount` runs for the fstab line "BUCKET MNT fuse.s3mount _netdev,allow_other,... 0 0":
  // mount.fuse3 finds s3mount on PATH and calls `s3mount BUCKET MNT -o OPTIONS`.
  const std::string dir = std::filesystem::path(S3MOUNT_PATH).parent_path();
  const char* old_path = std::getenv("PATH");
  const std::string saved = old_path ? old_path : "/usr/bin:/bin";
  setenv("PATH", (dir + ":" + saved).c_str(), 1);
  std::vector<std::string> args = fixture_.MountArgs();  // bucket, mnt, -o, options
  ProcessResult r = RunProcess("/usr/sbin/mount.fuse3",
                               {args[0], args[1], "-t", "fuse.s3mount", "-o", "rw,_netdev,nofail,allow_other," + args[3]},
                               std::chrono::seconds(60));
  setenv("PATH", saved.c_str(), 1);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(IsMounted(fixture_.mountpoint()));
  ASSERT_TRUE(WriteFile(fixture_.Path("via-fstab"), "ok"));
  EXPECT_EQ(fixture_.GetObject("via-fstab").value_or("<missing>"), "ok");
}

TEST_F(S3mountTest, DevFdMountpointServesCallersMount) {
  if (geteuid() != 0) GTEST_SKIP() << "mount(2) of /dev/fuse needs root";
  // Do what a privileged launcher does: open /dev/fuse, mount it, hand the descriptor over.
  const int fd = open("/dev/fuse", O_RDWR);  // no O_CLOEXEC: s3mount inherits it
  ASSERT_GE(fd, 0) << strerror(errno);
  const std::string data = "fd=" + std::to_string(fd) + ",rootmode=40000,user_id=0,group_id=0,default_permissions";
  ASSERT_EQ(mount(fixture_.bucket().c_str(), fixture_.mountpoint().c_str(), "fuse.s3mount", MS_NOSUID | MS_NODEV,
                  data.c_str()),
            0)
      << strerror(errno);
  std::vector<std::string> args = fixture_.MountArgs();
  args[1] = "/dev/fd/" + std::to_string(fd);
  ProcessResult r = RunProcess(S3MOUNT_PATH, args, std::chrono::seconds(60));
  close(fd);  // the daemon holds its own copy now
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(WriteFile(fixture_.Path("via-fd"), "fd"));
  EXPECT_EQ(ReadFile(fixture_.Path("via-fd")), "fd");
  EXPECT_EQ(fixture_.GetObject("via-fd").value_or("<missing>"), "fd");
  // The caller unmounts; the daemon sees the connection end and exits.
  EXPECT_EQ(umount2(fixture_.mountpoint().c_str(), 0), 0) << strerror(errno);
}

TEST_F(S3mountTest, SigtermFlushesPendingWrite) {
  // Foreground, so that the test holds the s3mount pid to signal.
  std::vector<std::string> args = fixture_.MountArgs();
  args.push_back("-f");
  const pid_t pid = StartProcess(S3MOUNT_PATH, args, fixture_.work_dir() + "/s3mount.log");
  ASSERT_TRUE(WaitMounted(fixture_.mountpoint(), true, std::chrono::seconds(30)))
      << ReadFile(fixture_.work_dir() + "/s3mount.log");
  const std::string path = fixture_.Path("pending.txt");
  FILE* f = fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  ASSERT_GE(fputs("not yet flushed", f), 0);
  ASSERT_EQ(fflush(f), 0);  // reaches s3mount's staging file; the file stays open
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  auto code = WaitProcess(pid, std::chrono::seconds(60));
  fclose(f);
  ASSERT_TRUE(code.has_value()) << "s3mount did not exit after SIGTERM";
  EXPECT_EQ(*code, 0) << ReadFile(fixture_.work_dir() + "/s3mount.log");
  EXPECT_TRUE(WaitMounted(fixture_.mountpoint(), false, std::chrono::seconds(10)));
  EXPECT_EQ(fixture_.GetObject("pending.txt").value_or("<missing>"), "not yet flushed");
}

}  // namespace
}  // namespace s3mount_it
