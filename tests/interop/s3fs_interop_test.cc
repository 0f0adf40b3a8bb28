// s3fs-fuse interoperability: s3mount and the real s3fs (Debian's /usr/bin/s3fs) on the same
// bucket of the RGW test server. What one writes, the other must show with the same type, mode,
// uid, gid, mtime (seconds), size and content (docs/SEMANTICS.md, "On-bucket format").
// Every reader is a fresh mount, so neither side answers from its own caches.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/mount/mount_harness.h"

namespace s3mount_it {
namespace {

constexpr const char* kS3fs = "/usr/bin/s3fs";
constexpr const char* kFusermount = "/usr/bin/fusermount3";
constexpr time_t kOldMtime = 1577934245;  // 2020-01-02 03:04:05 UTC
constexpr time_t kOtherMtime = 1262304000;  // 2010-01-01 00:00:00 UTC

// What s3fs stores of a file (and what we compare): type and permission bits, owner, mtime
// seconds, size, and the content (files) or target (symlinks).
struct Entry {
  int error = 0;  // errno of lstat, 0 if it exists
  mode_t mode = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  time_t mtime = 0;
  off_t size = 0;
  std::string data;
};

std::string Describe(const Entry& e) {
  if (e.error != 0) return std::string("<") + std::strerror(e.error) + ">";
  std::ostringstream out;
  out << "mode=0" << std::oct << e.mode << std::dec << " uid=" << e.uid << " gid=" << e.gid << " mtime=" << e.mtime
      << " size=" << e.size << " data.size=" << e.data.size();
  return out.str();
}

Entry Inspect(const std::string& root, const std::string& relative) {
  const std::string path = root + "/" + relative;
  Entry e;
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    e.error = errno;
    return e;
  }
  e.mode = st.st_mode;
  e.uid = st.st_uid;
  e.gid = st.st_gid;
  e.mtime = st.st_mtim.tv_sec;
  e.size = st.st_size;
  if (S_ISREG(st.st_mode)) {
    e.data = ReadFile(path);
  } else if (S_ISLNK(st.st_mode)) {
    char target[4096];
    const ssize_t n = readlink(path.c_str(), target, sizeof target);
    if (n >= 0) e.data.assign(target, static_cast<size_t>(n));
  }
  return e;
}

std::set<std::string> Names(const std::string& dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) names.insert(entry.path().filename());
  return names;
}

// Both views of one name must agree on everything s3fs stores (size is meaningless for dirs).
void ExpectSame(const std::string& name, const Entry& written, const Entry& read) {
  SCOPED_TRACE(name + ": writer " + Describe(written) + " / reader " + Describe(read));
  ASSERT_EQ(written.error, 0);
  ASSERT_EQ(read.error, 0);
  EXPECT_EQ(written.mode, read.mode) << std::oct << "0" << written.mode << " vs 0" << read.mode;
  EXPECT_EQ(written.uid, read.uid);
  EXPECT_EQ(written.gid, read.gid);
  EXPECT_EQ(written.mtime, read.mtime);
  if (!S_ISDIR(written.mode)) {
    EXPECT_EQ(written.size, read.size);
  }
  EXPECT_EQ(written.data, read.data);
}

bool SetMtime(const std::string& path, time_t seconds) {
  const timespec times[2] = {{seconds, 0}, {seconds, 0}};
  return utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0;
}

// The tree both directions write, relative to a mount root.
const std::vector<std::string> kTree = {"plain.txt",    "empty.txt",  "big.bin",      "private.txt",
                                        "owned.txt",    "old.txt",    "dir",          "n1",
                                        "n1/n2",        "n1/n2/n3",   "n1/n2/n3/deep.txt", "link",
                                        "dir/dirlink"};

class S3fsInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kS3fs, X_OK) != 0) GTEST_SKIP() << kS3fs << " is missing (apt-get install s3fs)";
    std::string reason;
    if (!fixture_.SetUp(reason)) {
      if (s3core::testing::RgwRequired()) FAIL() << reason;
      GTEST_SKIP() << reason;
    }
    s3fs_mountpoint_ = fixture_.work_dir() + "/s3fs";
    ASSERT_EQ(mkdir(s3fs_mountpoint_.c_str(), 0755), 0);
  }

  void TearDown() override {
    if (!s3fs_mountpoint_.empty() && IsMounted(s3fs_mountpoint_)) UnmountS3fs();
    fixture_.TearDown();
  }

  void MountS3fs() {
    const auto& env = fixture_.env();
    // No stat cache: every stat is a HEAD, so what we see is what is on the bucket.
    const std::string options = "url=" + env.endpoint + ",endpoint=" + env.region +
                                ",use_path_request_style,passwd_file=" + fixture_.passwd_file() +
                                ",dbglevel=warn,max_stat_cache_size=0,connect_timeout=5,retries=2";
    ProcessResult r = RunProcess(kS3fs, {fixture_.bucket(), s3fs_mountpoint_, "-o", options}, std::chrono::seconds(30));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_TRUE(WaitMounted(s3fs_mountpoint_, true, std::chrono::seconds(15))) << "s3fs did not mount: " << r.output;
  }

  bool UnmountS3fs() {
    ProcessResult r = RunProcess(kFusermount, {"-u", s3fs_mountpoint_}, std::chrono::seconds(30));
    if (r.exit_code != 0) RunProcess(kFusermount, {"-u", "-z", s3fs_mountpoint_}, std::chrono::seconds(30));
    return WaitMounted(s3fs_mountpoint_, false, std::chrono::seconds(30));
  }

  void MountS3mount(const std::string& extra_options = "") {
    ProcessResult r = fixture_.Mount(extra_options);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_TRUE(IsMounted(fixture_.mountpoint())) << "s3mount returned 0 but nothing is mounted";
  }

  // Writes kTree under `root` with plain POSIX calls (the same for both writers).
  static void WriteTree(const std::string& root) {
    const auto p = [&](const std::string& rel) { return root + "/" + rel; };
    ASSERT_TRUE(WriteFile(p("plain.txt"), "hello from the writer\n"));
    ASSERT_TRUE(WriteFile(p("empty.txt"), ""));
    ASSERT_TRUE(WriteFile(p("big.bin"), s3core::testing::PatternBytes(300 * 1024, 7)));
    ASSERT_TRUE(WriteFile(p("private.txt"), "secret\n"));
    ASSERT_EQ(chmod(p("private.txt").c_str(), 0640), 0) << std::strerror(errno);
    ASSERT_TRUE(WriteFile(p("owned.txt"), "owned\n"));
    ASSERT_EQ(chown(p("owned.txt").c_str(), 1234, 5678), 0) << std::strerror(errno);
    ASSERT_TRUE(WriteFile(p("old.txt"), "old\n"));
    ASSERT_TRUE(SetMtime(p("old.txt"), kOldMtime)) << std::strerror(errno);
    ASSERT_EQ(mkdir(p("dir").c_str(), 0750), 0) << std::strerror(errno);
    ASSERT_EQ(chmod(p("dir").c_str(), 0750), 0) << std::strerror(errno);  // whatever the umask
    ASSERT_TRUE(SetMtime(p("dir"), kOtherMtime)) << std::strerror(errno);
    ASSERT_EQ(mkdir(p("n1").c_str(), 0755), 0);
    ASSERT_EQ(mkdir(p("n1/n2").c_str(), 0755), 0);
    ASSERT_EQ(mkdir(p("n1/n2/n3").c_str(), 0755), 0);
    ASSERT_TRUE(WriteFile(p("n1/n2/n3/deep.txt"), "deep\n"));
    ASSERT_EQ(symlink("plain.txt", p("link").c_str()), 0) << std::strerror(errno);
    ASSERT_EQ(symlink("../n1/n2", p("dir/dirlink").c_str()), 0) << std::strerror(errno);
  }

  // The values the writer set explicitly, checked on the reader's view.
  static void ExpectWrittenValues(const std::map<std::string, Entry>& view) {
    EXPECT_TRUE(S_ISREG(view.at("plain.txt").mode));
    EXPECT_EQ(view.at("plain.txt").data, "hello from the writer\n");
    EXPECT_EQ(view.at("empty.txt").size, 0);
    EXPECT_EQ(view.at("big.bin").data, s3core::testing::PatternBytes(300 * 1024, 7));
    EXPECT_EQ(view.at("private.txt").mode, static_cast<mode_t>(S_IFREG | 0640));
    EXPECT_EQ(view.at("owned.txt").uid, 1234u);
    EXPECT_EQ(view.at("owned.txt").gid, 5678u);
    EXPECT_EQ(view.at("old.txt").mtime, kOldMtime);
    EXPECT_EQ(view.at("dir").mode, static_cast<mode_t>(S_IFDIR | 0750));
    EXPECT_EQ(view.at("dir").mtime, kOtherMtime);
    for (const char* d : {"n1", "n1/n2", "n1/n2/n3"}) EXPECT_TRUE(S_ISDIR(view.at(d).mode)) << d;
    EXPECT_EQ(view.at("n1/n2/n3/deep.txt").data, "deep\n");
    EXPECT_EQ(view.at("link").mode, static_cast<mode_t>(S_IFLNK | 0777));
    EXPECT_EQ(view.at("link").data, "plain.txt");
    EXPECT_EQ(view.at("dir/dirlink").data, "../n1/n2");
  }

  // stat()s every name first (lookup: exact metadata by HEAD), then checks the listings.
  static std::map<std::string, Entry> View(const std::string& root) {
    std::map<std::string, Entry> view;
    for (const auto& name : kTree) view[name] = Inspect(root, name);
    return view;
  }

  static void ExpectListings(const std::string& root) {
    EXPECT_EQ(Names(root), (std::set<std::string>{"plain.txt", "empty.txt", "big.bin", "private.txt", "owned.txt",
                                                  "old.txt", "dir", "n1", "link"}));
    EXPECT_EQ(Names(root + "/dir"), std::set<std::string>{"dirlink"});
    EXPECT_EQ(Names(root + "/n1/n2"), std::set<std::string>{"n3"});
    EXPECT_EQ(Names(root + "/n1/n2/n3"), std::set<std::string>{"deep.txt"});
    EXPECT_EQ(ReadFile(root + "/dir/dirlink/n3/deep.txt"), "deep\n");  // through the symlink
  }

  // Every name under `root` by a recursive readdir (symlinks not followed), then lstat of each:
  // the order of `ls -lR`, where attributes may come from the listing.
  static std::map<std::string, Entry> WalkThenStat(const std::string& root) {
    std::vector<std::string> names;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      names.push_back(it->path().string().substr(root.size() + 1));
    }
    EXPECT_FALSE(ec) << ec.message();
    std::map<std::string, Entry> view;
    for (const auto& name : names) view[name] = Inspect(root, name);
    return view;
  }

  void CompareViews(const std::map<std::string, Entry>& writer, const std::map<std::string, Entry>& reader) {
    for (const auto& name : kTree) ExpectSame(name, writer.at(name), reader.at(name));
  }

  MountFixture fixture_;
  std::string s3fs_mountpoint_;
};

TEST_F(S3fsInteropTest, S3fsWritesS3mountReads) {
  MountS3fs();
  WriteTree(s3fs_mountpoint_);
  ASSERT_TRUE(UnmountS3fs());
  // The writer's own view, from a fresh s3fs mount (what s3fs itself makes of its objects).
  MountS3fs();
  const auto written = View(s3fs_mountpoint_);
  ASSERT_TRUE(UnmountS3fs());
  {
    SCOPED_TRACE("s3fs's own view");
    ExpectWrittenValues(written);
  }

  MountS3mount();
  const auto read = View(fixture_.mountpoint());
  SCOPED_TRACE("s3mount reading s3fs's objects");
  ExpectWrittenValues(read);
  CompareViews(written, read);
  ExpectListings(fixture_.mountpoint());
}

TEST_F(S3fsInteropTest, S3mountWritesS3fsReads) {
  MountS3mount();
  WriteTree(fixture_.mountpoint());
  ASSERT_TRUE(fixture_.Unmount());
  MountS3mount();
  const auto written = View(fixture_.mountpoint());
  ASSERT_TRUE(fixture_.Unmount());
  {
    SCOPED_TRACE("s3mount's own view");
    ExpectWrittenValues(written);
  }

  MountS3fs();
  const auto read = View(s3fs_mountpoint_);
  SCOPED_TRACE("s3fs reading s3mount's objects");
  ExpectWrittenValues(read);
  CompareViews(written, read);
  ExpectListings(s3fs_mountpoint_);
}

// `ls -lR` order (readdir first, then lstat of each entry): with readdir_head_objects, the
// attributes cached from the listing are the exact s3fs ones, also for large files.
TEST_F(S3fsInteropTest, ListingThenStatWithReaddirHeadObjects) {
  MountS3fs();
  WriteTree(s3fs_mountpoint_);
  ASSERT_TRUE(WriteFile(s3fs_mountpoint_ + "/big-private.bin", s3core::testing::PatternBytes(64 * 1024, 3)));
  ASSERT_EQ(chmod((s3fs_mountpoint_ + "/big-private.bin").c_str(), 0600), 0);
  ASSERT_EQ(chown((s3fs_mountpoint_ + "/big-private.bin").c_str(), 4321, 8765), 0);
  ASSERT_TRUE(UnmountS3fs());
  MountS3fs();
  std::map<std::string, Entry> written = View(s3fs_mountpoint_);
  written["big-private.bin"] = Inspect(s3fs_mountpoint_, "big-private.bin");
  ASSERT_TRUE(UnmountS3fs());

  MountS3mount("readdir_head_objects");
  std::map<std::string, Entry> read = WalkThenStat(fixture_.mountpoint());
  ASSERT_EQ(read.size(), written.size());
  for (const auto& [name, entry] : written) {
    ASSERT_TRUE(read.count(name)) << name;
    ExpectSame(name, entry, read.at(name));
  }
  ASSERT_TRUE(fixture_.Unmount());

  // Without the option only objects under 4095 bytes are HEADed (they may be symlinks): those
  // must still be exact; larger files and directories get listing defaults (documented).
  MountS3mount();
  read = WalkThenStat(fixture_.mountpoint());
  ASSERT_EQ(read.size(), written.size());
  for (const auto& [name, entry] : written) {
    ASSERT_TRUE(read.count(name)) << name;
    if (!S_ISDIR(entry.mode) && entry.size < 4095) ExpectSame(name + " (default readdir)", entry, read.at(name));
  }
}

// Renames and deletes by one side are what the other sees after a fresh mount.
TEST_F(S3fsInteropTest, RenamesAndDeletesCrossOver) {
  const std::string s3fs_root = s3fs_mountpoint_;
  const std::string ours = fixture_.mountpoint();
  MountS3fs();
  ASSERT_TRUE(WriteFile(s3fs_root + "/keep.txt", "keep\n"));
  ASSERT_TRUE(WriteFile(s3fs_root + "/mv-src.txt", "moving\n"));
  ASSERT_EQ(chmod((s3fs_root + "/mv-src.txt").c_str(), 0604), 0);
  ASSERT_TRUE(SetMtime(s3fs_root + "/mv-src.txt", kOldMtime));
  ASSERT_TRUE(WriteFile(s3fs_root + "/del.txt", "delete me\n"));
  ASSERT_EQ(mkdir((s3fs_root + "/mvdir").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((s3fs_root + "/mvdir/sub").c_str(), 0755), 0);
  ASSERT_TRUE(WriteFile(s3fs_root + "/mvdir/inner.txt", "inner\n"));
  ASSERT_TRUE(WriteFile(s3fs_root + "/mvdir/sub/x.txt", "x\n"));
  ASSERT_EQ(mkdir((s3fs_root + "/emptydir").c_str(), 0755), 0);
  ASSERT_TRUE(UnmountS3fs());

  // s3mount renames and deletes what s3fs wrote.
  MountS3mount();
  ASSERT_EQ(rename((ours + "/mv-src.txt").c_str(), (ours + "/mv-dst.txt").c_str()), 0) << std::strerror(errno);
  ASSERT_EQ(unlink((ours + "/del.txt").c_str()), 0) << std::strerror(errno);
  ASSERT_EQ(rename((ours + "/mvdir").c_str(), (ours + "/moved").c_str()), 0) << std::strerror(errno);
  ASSERT_EQ(rmdir((ours + "/emptydir").c_str()), 0) << std::strerror(errno);
  ASSERT_TRUE(fixture_.Unmount());

  MountS3fs();
  {
    SCOPED_TRACE("s3fs after s3mount's renames/deletes");
    EXPECT_EQ(Names(s3fs_root), (std::set<std::string>{"keep.txt", "mv-dst.txt", "moved"}));
    const Entry moved_file = Inspect(s3fs_root, "mv-dst.txt");
    EXPECT_EQ(moved_file.mode, static_cast<mode_t>(S_IFREG | 0604)) << Describe(moved_file);
    EXPECT_EQ(moved_file.mtime, kOldMtime) << Describe(moved_file);  // rename keeps the metadata
    EXPECT_EQ(moved_file.data, "moving\n");
    for (const char* gone : {"mv-src.txt", "del.txt", "mvdir", "emptydir"}) EXPECT_EQ(Inspect(s3fs_root, gone).error, ENOENT) << gone;
    EXPECT_TRUE(S_ISDIR(Inspect(s3fs_root, "moved").mode));
    EXPECT_TRUE(S_ISDIR(Inspect(s3fs_root, "moved/sub").mode));
    EXPECT_EQ(Names(s3fs_root + "/moved"), (std::set<std::string>{"inner.txt", "sub"}));
    EXPECT_EQ(ReadFile(s3fs_root + "/moved/inner.txt"), "inner\n");
    EXPECT_EQ(ReadFile(s3fs_root + "/moved/sub/x.txt"), "x\n");
  }
  // s3fs renames and deletes; s3mount must see it.
  ASSERT_EQ(rename((s3fs_root + "/keep.txt").c_str(), (s3fs_root + "/kept.txt").c_str()), 0) << std::strerror(errno);
  ASSERT_EQ(rename((s3fs_root + "/moved").c_str(), (s3fs_root + "/moved2").c_str()), 0) << std::strerror(errno);
  ASSERT_EQ(unlink((s3fs_root + "/mv-dst.txt").c_str()), 0) << std::strerror(errno);
  ASSERT_EQ(mkdir((s3fs_root + "/newdir").c_str(), 0755), 0) << std::strerror(errno);
  ASSERT_TRUE(UnmountS3fs());

  MountS3mount();
  SCOPED_TRACE("s3mount after s3fs's renames/deletes");
  for (const char* gone : {"keep.txt", "moved", "mv-dst.txt"}) EXPECT_EQ(Inspect(ours, gone).error, ENOENT) << gone;
  EXPECT_EQ(ReadFile(ours + "/kept.txt"), "keep\n");
  EXPECT_TRUE(S_ISDIR(Inspect(ours, "newdir").mode));
  EXPECT_TRUE(S_ISDIR(Inspect(ours, "moved2").mode));
  EXPECT_TRUE(S_ISDIR(Inspect(ours, "moved2/sub").mode));
  EXPECT_EQ(ReadFile(ours + "/moved2/inner.txt"), "inner\n");
  EXPECT_EQ(ReadFile(ours + "/moved2/sub/x.txt"), "x\n");
  EXPECT_EQ(Names(ours), (std::set<std::string>{"kept.txt", "moved2", "newdir"}));
  EXPECT_EQ(Names(ours + "/moved2"), (std::set<std::string>{"inner.txt", "sub"}));
}

}  // namespace
}  // namespace s3mount_it
