// The tools people run on a mount (cp -a, tar, rsync, git, find, du, editors that save through
// a rename) against real s3mount mounts on the RGW server. Each copies a tree in and out and
// compares it with the original, then again after a remount (the data is in S3, not a cache).
#include <sys/stat.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "s3core/testing/rgw_env.h"
#include "tests/mount/mount_harness.h"

namespace {

using s3mount_it::MountFixture;
using s3mount_it::ProcessResult;
using s3mount_it::RunProcess;

constexpr std::chrono::seconds kTimeout{120};

ProcessResult Sh(const std::string& script) { return RunProcess("/bin/sh", {"-ec", script}, kTimeout); }

class ToolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    if (!fixture_.SetUp(reason)) {
      if (s3core::testing::RgwRequired()) FAIL() << reason;
      GTEST_SKIP() << reason;
    }
    ASSERT_EQ(fixture_.Mount().exit_code, 0);
    // A source tree with nested directories, an empty file, an empty directory, a symlink,
    // modes other than the default, a file larger than one upload part, and old mtimes.
    src_ = fixture_.work_dir() + "/src";
    const ProcessResult made = Sh(
        "mkdir -p " + src_ + "/a/b/c " + src_ + "/empty-dir && cd " + src_ +
        " && printf 'hello\\n' > a/hello.txt && : > a/b/empty && chmod 600 a/hello.txt"
        " && chmod 750 a/b && head -c 12000000 /dev/urandom > a/b/c/big.bin"
        " && cp /etc/services a/services && ln -s b/c/big.bin a/link"
        " && touch -d '2021-03-04 05:06:07' a/services a/hello.txt");
    ASSERT_EQ(made.exit_code, 0) << made.output;
  }
  void TearDown() override { fixture_.TearDown(); }

  // Contents, symlinks and (with -p semantics) modes of two trees must be the same.
  void ExpectSameTree(const std::string& a, const std::string& b) {
    const ProcessResult diff = Sh("diff -r --no-dereference " + a + " " + b);
    EXPECT_EQ(diff.exit_code, 0) << diff.output;
  }
  void ExpectSameModesAndMtimes(const std::string& a, const std::string& b) {
    // find's %m (mode) and %T@ truncated to seconds, relative paths, sorted.
    const std::string fmt = " -printf '%P %y %m %TY-%Tm-%Td_%TH:%TM:%TS\\n' | sed 's/\\.[0-9]*$//' | sort";
    const ProcessResult left = Sh("cd " + a + " && find . -mindepth 1 ! -type l ! -type d" + fmt);
    const ProcessResult right = Sh("cd " + b + " && find . -mindepth 1 ! -type l ! -type d" + fmt);
    ASSERT_EQ(left.exit_code, 0) << left.output;
    ASSERT_EQ(right.exit_code, 0) << right.output;
    EXPECT_EQ(left.output, right.output);
  }
  void Remount() {
    ASSERT_TRUE(fixture_.Unmount());
    ASSERT_EQ(fixture_.Mount().exit_code, 0);
  }

  MountFixture fixture_;
  std::string src_;
};

TEST_F(ToolsTest, CpArchiveInAndOut) {
  const std::string in = fixture_.Path("cp");
  const ProcessResult cp = Sh("cp -a " + src_ + " " + in);
  ASSERT_EQ(cp.exit_code, 0) << cp.output;
  ExpectSameTree(src_, in);
  ExpectSameModesAndMtimes(src_, in);
  Remount();
  ExpectSameTree(src_, in);
  ExpectSameModesAndMtimes(src_, in);
  const std::string out = fixture_.work_dir() + "/cp-out";
  ASSERT_EQ(Sh("cp -a " + in + " " + out).exit_code, 0);
  ExpectSameTree(src_, out);
}

TEST_F(ToolsTest, TarRoundTrip) {
  const ProcessResult tar = Sh("mkdir " + fixture_.Path("tar") + " && tar -C " + src_ + " -cf - . | tar -C " +
                               fixture_.Path("tar") + " -xpf -");
  ASSERT_EQ(tar.exit_code, 0) << tar.output;
  Remount();
  ExpectSameTree(src_, fixture_.Path("tar"));
  ExpectSameModesAndMtimes(src_, fixture_.Path("tar"));
  const std::string out = fixture_.work_dir() + "/tar-out";
  const ProcessResult back =
      Sh("mkdir " + out + " && tar -C " + fixture_.Path("tar") + " -cf - . | tar -C " + out + " -xpf -");
  ASSERT_EQ(back.exit_code, 0) << back.output;
  ExpectSameTree(src_, out);
}

TEST_F(ToolsTest, RsyncArchiveAndIncrementalUpdate) {
  if (RunProcess("/bin/sh", {"-c", "command -v rsync"}, kTimeout).exit_code != 0) GTEST_SKIP() << "no rsync";
  const std::string dst = fixture_.Path("rsync/");
  ProcessResult sync = Sh("rsync -a " + src_ + "/ " + dst);
  ASSERT_EQ(sync.exit_code, 0) << sync.output;
  ExpectSameTree(src_, dst);
  // A second run after one change transfers just that file (rsync's temp file + rename).
  ASSERT_EQ(Sh("printf 'changed\\n' >> " + src_ + "/a/hello.txt").exit_code, 0);
  sync = Sh("rsync -a --itemize-changes " + src_ + "/ " + dst);
  ASSERT_EQ(sync.exit_code, 0) << sync.output;
  EXPECT_NE(sync.output.find("a/hello.txt"), std::string::npos) << sync.output;
  EXPECT_EQ(sync.output.find("big.bin"), std::string::npos) << sync.output;
  Remount();
  ExpectSameTree(src_, dst);
  ExpectSameModesAndMtimes(src_, dst);
}

TEST_F(ToolsTest, GitInitCommitAndClone) {
  const std::string repo = fixture_.Path("repo");
  const std::string git = "git -c user.email=t@example.com -c user.name=t -c init.defaultBranch=main ";
  const ProcessResult made = Sh("mkdir " + repo + " && cd " + repo + " && " + git + "init -q && cp -r " + src_ +
                                "/a . && " + git + "add -A && " + git + "commit -qm one && printf 'x\\n' >> a/hello.txt && " +
                                git + "commit -qam two && " + git + "fsck --strict 2>&1 && " + git + "status --porcelain");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  Remount();
  const std::string clone = fixture_.work_dir() + "/clone";
  const ProcessResult cloned = Sh("git clone -q " + repo + " " + clone + " && cd " + clone + " && git log --oneline | wc -l");
  ASSERT_EQ(cloned.exit_code, 0) << cloned.output;
  EXPECT_EQ(cloned.output, "2\n");
  ExpectSameTree(clone + "/a", repo + "/a");
}

TEST_F(ToolsTest, FindAndDuSeeTheTree) {
  ASSERT_EQ(Sh("cp -a " + src_ + " " + fixture_.Path("t")).exit_code, 0);
  Remount();
  const std::string list = " -mindepth 1 | sed 's|^[^/]*/||' | sort";
  const ProcessResult local = Sh("cd " + src_ + "/.. && find src" + list);
  const ProcessResult mounted = Sh("cd " + fixture_.mountpoint() + " && find t" + list);
  ASSERT_EQ(local.exit_code, 0);
  ASSERT_EQ(mounted.exit_code, 0);
  EXPECT_EQ(local.output, mounted.output);
  // du counts blocks: at least the 12 MB file, within a sane bound.
  const ProcessResult du = Sh("du -sk " + fixture_.Path("t") + " | cut -f1");
  ASSERT_EQ(du.exit_code, 0) << du.output;
  const long kib = std::stol(du.output);
  EXPECT_GE(kib, 11'700);
  EXPECT_LE(kib, 14'000);
}

TEST_F(ToolsTest, EditorSaveThroughRename) {
  // vim/emacs style: write a new file beside the old one, fsync, rename over it.
  const std::string file = fixture_.Path("notes.txt");
  ASSERT_EQ(Sh("printf 'v1\\n' > " + file + " && chmod 640 " + file).exit_code, 0);
  const ProcessResult save = Sh("printf 'v2\\n' > " + file + ".swp && sync " + file + ".swp && chmod 640 " + file +
                                ".swp && mv -f " + file + ".swp " + file);
  ASSERT_EQ(save.exit_code, 0) << save.output;
  EXPECT_EQ(s3mount_it::ReadFile(file), "v2\n");
  Remount();
  EXPECT_EQ(s3mount_it::ReadFile(file), "v2\n");
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_NE(stat((file + ".swp").c_str(), &st), 0);
  auto object = fixture_.GetObject("notes.txt");
  ASSERT_TRUE(object.has_value());
  EXPECT_EQ(*object, "v2\n");
}

}  // namespace
