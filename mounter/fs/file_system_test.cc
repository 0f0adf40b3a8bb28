#include <linux/fs.h>
#include <sys/xattr.h>

#include "mounter/fs/fs_test_util.h"

namespace mounter::testing {
namespace {

TEST_F(FsTest, CreateMakesTheObjectAtOnceWithS3fsMetadata) {
  auto& fs = Fs();
  auto created = fs.Create(kRootIno, "new", 0640, O_WRONLY | O_CREAT, user_);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(Object("new"), "");  // exists before any write or close
  EXPECT_EQ(Meta("new", "mode"), std::to_string(S_IFREG | 0640));
  EXPECT_EQ(Meta("new", "uid"), "1000");
  EXPECT_EQ(created->entry.attr.st_mode, S_IFREG | 0640);
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, 0, "hello").ok());
  EXPECT_EQ(Object("new"), "");  // not uploaded before flush
  ASSERT_TRUE(fs.Flush(created->entry.ino, created->fh).ok());
  EXPECT_EQ(Object("new"), "hello");
  EXPECT_EQ(Meta("new", "mode"), std::to_string(S_IFREG | 0640));
  ASSERT_TRUE(fs.Release(created->entry.ino, created->fh).ok());
  EXPECT_EQ(ReadAll(created->entry.ino), "hello");
}

TEST_F(FsTest, CreateExclusiveOfExistingFails) {
  auto& fs = Fs();
  WriteFile(kRootIno, "f", "x");
  EXPECT_EQ(Errno(fs.Create(kRootIno, "f", 0644, O_CREAT | O_EXCL | O_WRONLY, user_)), EEXIST);
}

TEST_F(FsTest, LooksUpS3fsAndForeignObjects) {
  memory_->PutDirect(kBucket, "s3fs-file", "abc", {{"mode", std::to_string(S_IFREG | 0600)}, {"uid", "7"}});
  memory_->PutDirect(kBucket, "marked/", "", {{"mode", std::to_string(S_IFDIR | 0750)}}, "application/x-directory");
  memory_->PutDirect(kBucket, "implicit/child", "x");
  memory_->PutDirect(kBucket, "old_$folder$", "");
  memory_->PutDirect(kBucket, "foreign", "12");
  auto& fs = Fs();
  auto file = fs.Lookup(kRootIno, "s3fs-file", user_);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->attr.st_mode, S_IFREG | 0600);
  EXPECT_EQ(file->attr.st_uid, 7u);
  EXPECT_EQ(file->attr.st_size, 3);
  auto marked = fs.Lookup(kRootIno, "marked", user_);
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(marked->attr.st_mode, S_IFDIR | 0750);
  auto implicit = fs.Lookup(kRootIno, "implicit", user_);
  ASSERT_TRUE(implicit.ok());
  EXPECT_EQ(implicit->attr.st_mode, S_IFDIR | 0755);  // never d---------
  auto old = fs.Lookup(kRootIno, "old", user_);
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(S_ISDIR(old->attr.st_mode));
  auto foreign = fs.Lookup(kRootIno, "foreign", user_);
  ASSERT_TRUE(foreign.ok());
  EXPECT_EQ(foreign->attr.st_mode, S_IFREG | 0644);
  EXPECT_EQ(foreign->attr.st_uid, 1000u);
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, "missing", user_)), ENOENT);
}

TEST_F(FsTest, LookupCostsFewRequestsAndCachesNegatives) {
  memory_->PutDirect(kBucket, "f", "x");
  FsConfig config = TestConfig();
  config.compat_dir_folder_suffix = false;
  auto& fs = Fs(config);
  memory_->ResetCounters();
  ASSERT_TRUE(fs.Lookup(kRootIno, "f", user_).ok());
  EXPECT_EQ(memory_->TotalRequestCount(), 1u);  // one HEAD for a file
  ASSERT_TRUE(fs.Lookup(kRootIno, "f", user_).ok());
  EXPECT_EQ(memory_->TotalRequestCount(), 1u);  // cached
  memory_->ResetCounters();
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, "nope", user_)), ENOENT);
  EXPECT_EQ(memory_->TotalRequestCount(), 2u);  // HEAD + LIST max-keys 1
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, "nope", user_)), ENOENT);
  EXPECT_EQ(memory_->TotalRequestCount(), 2u);  // negative entry
}

TEST_F(FsTest, LsLongOfALargeDirectoryIssuesNoHeadPerEntry) {
  // Objects of 4 KiB and more cannot be s3fs symlinks: their listing data is enough.
  const std::string data(4096, 'd');
  for (int i = 0; i < 1000; ++i) memory_->PutDirect(kBucket, "big/f" + std::to_string(i), data);
  auto& fs = Fs();
  auto dir = fs.Lookup(kRootIno, "big", user_);
  ASSERT_TRUE(dir.ok());
  memory_->ResetCounters();
  auto fh = fs.OpenDir(dir->ino, user_);
  ASSERT_TRUE(fh.ok());
  size_t seen = 0;
  off_t offset = 0;
  for (;;) {
    auto entries = fs.ReadDir(dir->ino, *fh, offset, 100);
    ASSERT_TRUE(entries.ok());
    if (entries->empty()) break;
    for (const auto& e : *entries) {
      ++seen;
      offset = e.next_offset;
      if (e.name == "." || e.name == "..") continue;
      EXPECT_EQ(e.entry.attr.st_size, 4096);
      // What `ls -l` does next without readdirplus: lookup + getattr of every entry.
      ASSERT_TRUE(fs.Lookup(dir->ino, e.name, user_).ok());
      ASSERT_TRUE(fs.GetAttr(e.entry.ino).ok());
    }
  }
  EXPECT_EQ(seen, 1002u);
  ASSERT_TRUE(fs.ReleaseDir(dir->ino, *fh).ok());
  EXPECT_EQ(memory_->RequestCount("HeadObject"), 0u);
  EXPECT_EQ(memory_->RequestCount("ListObjects"), 1u);
}

TEST_F(FsTest, ListingShowsSymlinksWrittenElsewhereAsSymlinks) {
  // An s3fs symlink is a small object whose mode says S_IFLNK: the listing alone cannot tell it
  // from a file, so small objects are HEADed (in parallel) and larger ones are not.
  memory_->PutDirect(kBucket, "l/link", "target/file", {{"mode", std::to_string(S_IFLNK | 0777)}});
  memory_->PutDirect(kBucket, "l/small", "tiny");
  memory_->PutDirect(kBucket, "l/large", std::string(8192, 'x'));
  auto& fs = Fs();
  auto dir = fs.Lookup(kRootIno, "l", user_);
  ASSERT_TRUE(dir.ok());
  memory_->ResetCounters();
  auto fh = fs.OpenDir(dir->ino, user_);
  ASSERT_TRUE(fh.ok());
  auto entries = fs.ReadDir(dir->ino, *fh, 0, 100);
  ASSERT_TRUE(entries.ok());
  int checked = 0;
  for (const auto& e : *entries) {
    if (e.name == "link") {
      EXPECT_TRUE(S_ISLNK(e.entry.attr.st_mode)) << std::oct << e.entry.attr.st_mode;
      ++checked;
    }
    if (e.name == "small" || e.name == "large") {
      EXPECT_TRUE(S_ISREG(e.entry.attr.st_mode)) << e.name;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3);
  EXPECT_EQ(memory_->RequestCount("HeadObject"), 2u);  // link and small, not large
  ASSERT_TRUE(fs.ReleaseDir(dir->ino, *fh).ok());
  auto target = fs.Readlink(fs.Lookup(dir->ino, "link", user_)->ino);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(*target, "target/file");
}

TEST_F(FsTest, ReadDirHeadObjectsGivesExactModes) {
  memory_->PutDirect(kBucket, "d/f", "x", {{"mode", std::to_string(S_IFREG | 0600)}});
  FsConfig config = TestConfig();
  config.readdir_head_objects = true;
  auto& fs = Fs(config);
  auto dir = fs.Lookup(kRootIno, "d", user_);
  ASSERT_TRUE(dir.ok());
  auto fh = fs.OpenDir(dir->ino, user_);
  ASSERT_TRUE(fh.ok());
  auto entries = fs.ReadDir(dir->ino, *fh, 0, 10);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[2].entry.attr.st_mode, S_IFREG | 0600);
}

TEST_F(FsTest, ReadDirPlusTakesLookupReferences) {
  auto& fs = Fs();
  WriteFile(kRootIno, "a", "1");
  auto fh = fs.OpenDir(kRootIno, user_);
  ASSERT_TRUE(fh.ok());
  auto entries = fs.ReadDir(kRootIno, *fh, 0, 10);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].name, ".");
  EXPECT_EQ((*entries)[1].name, "..");
  EXPECT_EQ((*entries)[2].name, "a");
  // From offset 3 on: nothing more.
  auto rest = fs.ReadDir(kRootIno, *fh, 3, 10);
  ASSERT_TRUE(rest.ok());
  EXPECT_TRUE(rest->empty());
}

TEST_F(FsTest, MkdirRmdir) {
  auto& fs = Fs();
  auto dir = fs.Mkdir(kRootIno, "d", 0750, user_);
  ASSERT_TRUE(dir.ok()) << dir.error().ToString();
  EXPECT_EQ(Object("d/"), "");
  EXPECT_EQ(memory_->GetDirect(kBucket, "d/")->content_type, "application/x-directory");
  EXPECT_EQ(Meta("d/", "mode"), std::to_string(S_IFDIR | 0750));
  EXPECT_EQ(Errno(fs.Mkdir(kRootIno, "d", 0750, user_)), EEXIST);
  WriteFile(dir->ino, "f", "x");
  EXPECT_EQ(Object("d/f"), "x");
  EXPECT_EQ(Errno(fs.Rmdir(kRootIno, "d", user_)), ENOTEMPTY);
  EXPECT_EQ(Errno(fs.Unlink(kRootIno, "d", user_)), EISDIR);
  ASSERT_TRUE(fs.Unlink(dir->ino, "f", user_).ok());
  EXPECT_FALSE(Object("d/f"));
  ASSERT_TRUE(fs.Rmdir(kRootIno, "d", user_).ok());
  EXPECT_FALSE(Object("d/"));
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, "d", user_)), ENOENT);
  EXPECT_EQ(Errno(fs.Rmdir(kRootIno, "d", user_)), ENOENT);
}

TEST_F(FsTest, RenameFileReplacesAndKeepsMetadata) {
  auto& fs = Fs();
  Ino a = WriteFile(kRootIno, "a", "AAA");
  WriteFile(kRootIno, "b", "B");
  ASSERT_TRUE(fs.Rename(kRootIno, "a", kRootIno, "b", 0, user_).ok());
  EXPECT_FALSE(Object("a"));
  EXPECT_EQ(Object("b"), "AAA");
  EXPECT_EQ(Meta("b", "mode"), std::to_string(S_IFREG | 0644));
  EXPECT_EQ(ReadAll(a), "AAA");  // the inode follows the rename
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, "a", user_)), ENOENT);
  WriteFile(kRootIno, "c", "C");
  EXPECT_EQ(Errno(fs.Rename(kRootIno, "c", kRootIno, "b", RENAME_NOREPLACE, user_)), EEXIST);
  EXPECT_EQ(Errno(fs.Rename(kRootIno, "c", kRootIno, "b", RENAME_EXCHANGE, user_)), EINVAL);
}

TEST_F(FsTest, RenameDirectoryMovesEverythingUnderIt) {
  auto& fs = Fs();
  auto d = fs.Mkdir(kRootIno, "d", 0755, user_);
  ASSERT_TRUE(d.ok());
  Ino f = WriteFile(d->ino, "f", "F");
  auto sub = fs.Mkdir(d->ino, "sub", 0755, user_);
  ASSERT_TRUE(sub.ok());
  WriteFile(sub->ino, "g", "G");
  ASSERT_TRUE(fs.Rename(kRootIno, "d", kRootIno, "e", 0, user_).ok());
  EXPECT_EQ(memory_->KeysDirect(kBucket), (std::vector<std::string>{"e/", "e/f", "e/sub/", "e/sub/g"}));
  EXPECT_EQ(ReadAll(f), "F");
  EXPECT_TRUE(fs.Lookup(kRootIno, "e", user_).ok());
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, "d", user_)), ENOENT);
}

TEST_F(FsTest, RenameTypeMismatchesAndNonEmptyTargets) {
  auto& fs = Fs();
  auto d = fs.Mkdir(kRootIno, "d", 0755, user_);
  ASSERT_TRUE(d.ok());
  auto full = fs.Mkdir(kRootIno, "full", 0755, user_);
  ASSERT_TRUE(full.ok());
  WriteFile(full->ino, "x", "x");
  ASSERT_TRUE(fs.Mkdir(kRootIno, "empty", 0755, user_).ok());
  WriteFile(kRootIno, "f", "f");
  EXPECT_EQ(Errno(fs.Rename(kRootIno, "f", kRootIno, "d", 0, user_)), EISDIR);
  EXPECT_EQ(Errno(fs.Rename(kRootIno, "d", kRootIno, "f", 0, user_)), ENOTDIR);
  EXPECT_EQ(Errno(fs.Rename(kRootIno, "d", kRootIno, "full", 0, user_)), ENOTEMPTY);
  EXPECT_EQ(Errno(fs.Rename(kRootIno, "d", d->ino, "inside", 0, user_)), EINVAL);
  ASSERT_TRUE(fs.Rename(kRootIno, "d", kRootIno, "empty", 0, user_).ok());
  EXPECT_TRUE(Object("empty/"));
  EXPECT_FALSE(Object("d/"));
}

TEST_F(FsTest, LargeRenameUsesMultipartCopy) {
  FsConfig config = TestConfig();
  config.max_single_copy_size = 4096;
  config.multipart_size = 1024;
  auto& fs = Fs(config);
  std::string data(10000, 'z');
  data[9999] = 'E';
  WriteFile(kRootIno, "big", data);
  memory_->ResetCounters();
  ASSERT_TRUE(fs.Rename(kRootIno, "big", kRootIno, "moved", 0, user_).ok());
  EXPECT_EQ(Object("moved"), data);
  EXPECT_EQ(Meta("moved", "mode"), std::to_string(S_IFREG | 0644));
  EXPECT_GT(memory_->RequestCount("UploadPartCopy"), 1u);
  EXPECT_EQ(memory_->RequestCount("CopyObject"), 0u);
}

TEST_F(FsTest, LargeFilesUploadMultipartInParallel) {
  FsConfig config = TestConfig();
  config.multipart_size = 1024;
  Fs(config);
  std::string data;
  for (int i = 0; i < 5000; ++i) data += static_cast<char>('a' + i % 26);
  Ino ino = WriteFile(kRootIno, "mp", data);
  EXPECT_EQ(Object("mp"), data);
  EXPECT_EQ(memory_->RequestCount("UploadPart"), 5u);
  EXPECT_EQ(Meta("mp", "mode"), std::to_string(S_IFREG | 0644));
  EXPECT_EQ(ReadAll(ino), data);
}

TEST_F(FsTest, TruncateWithPendingWritesShrinks) {
  auto& fs = Fs();
  auto created = fs.Create(kRootIno, "t", 0644, O_RDWR | O_CREAT, user_);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, 0, "0123456789").ok());
  SetAttrRequest shrink;
  shrink.size = 4;
  auto entry = fs.SetAttr(created->entry.ino, shrink, user_);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->attr.st_size, 4);
  char buf[16];
  auto n = fs.Read(created->entry.ino, created->fh, 0, sizeof buf, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, *n), "0123");
  ASSERT_TRUE(fs.Release(created->entry.ino, created->fh).ok());
  EXPECT_EQ(Object("t"), "0123");
}

TEST_F(FsTest, TruncateOfAClosedFileIsImmediate) {
  auto& fs = Fs();
  Ino ino = WriteFile(kRootIno, "t", "abcdef");
  SetAttrRequest request;
  request.size = 2;
  ASSERT_TRUE(fs.SetAttr(ino, request, user_).ok());
  EXPECT_EQ(Object("t"), "ab");
  request.size = 4;
  ASSERT_TRUE(fs.SetAttr(ino, request, user_).ok());
  EXPECT_EQ(Object("t"), std::string("ab\0\0", 4));
}

TEST_F(FsTest, OpenTruncAppendAndPartialOverwrite) {
  auto& fs = Fs();
  Ino ino = WriteFile(kRootIno, "f", "hello world");
  auto fh = fs.Open(ino, O_WRONLY, user_);
  ASSERT_TRUE(fh.ok());
  ASSERT_TRUE(fs.Write(ino, *fh, 0, "J").ok());  // downloads the original first
  ASSERT_TRUE(fs.Release(ino, *fh).ok());
  EXPECT_EQ(Object("f"), "Jello world");
  fh = fs.Open(ino, O_WRONLY | O_APPEND, user_);
  ASSERT_TRUE(fh.ok());
  ASSERT_TRUE(fs.Write(ino, *fh, 0, "!").ok());  // O_APPEND: at the end whatever the offset
  ASSERT_TRUE(fs.Release(ino, *fh).ok());
  EXPECT_EQ(Object("f"), "Jello world!");
  memory_->ResetCounters();
  fh = fs.Open(ino, O_WRONLY | O_TRUNC, user_);
  ASSERT_TRUE(fh.ok());
  ASSERT_TRUE(fs.Write(ino, *fh, 0, "new").ok());
  ASSERT_TRUE(fs.Release(ino, *fh).ok());
  EXPECT_EQ(Object("f"), "new");
  EXPECT_EQ(memory_->RequestCount("GetObject"), 0u);  // O_TRUNC never downloads
}

TEST_F(FsTest, OpenUnlinkedFileStaysReadable) {
  auto& fs = Fs();
  Ino ino = WriteFile(kRootIno, "f", "still here");
  ASSERT_TRUE(fs.Lookup(kRootIno, "f", user_).ok());
  auto fh = fs.Open(ino, O_RDONLY, user_);
  ASSERT_TRUE(fh.ok());
  ASSERT_TRUE(fs.Unlink(kRootIno, "f", user_).ok());
  EXPECT_FALSE(Object("f"));
  char buf[32];
  auto n = fs.Read(ino, *fh, 0, sizeof buf, buf);
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(std::string(buf, *n), "still here");
  ASSERT_TRUE(fs.Release(ino, *fh).ok());
  EXPECT_FALSE(Object("f"));  // not resurrected by the close
}

TEST_F(FsTest, ChangedObjectNeverMixesVersions) {
  auto& fs = Fs();
  const std::string old_content(3 << 20, 'o');
  Ino ino = WriteFile(kRootIno, "f", old_content);
  auto fh = fs.Open(ino, O_RDONLY, user_);
  ASSERT_TRUE(fh.ok());
  char buf[4];
  ASSERT_TRUE(fs.Read(ino, *fh, 0, 4, buf).ok());
  memory_->PutDirect(kBucket, "f", std::string(3 << 20, 'N'));  // another writer
  // Bytes already fetched belong to the old version and may still be served; anything fetched
  // now (here: a seek past the read-ahead window) must fail rather than mix in the new version.
  auto n = fs.Read(ino, *fh, (5 << 20) / 2, 4, buf);
  EXPECT_EQ(Errno(n), EIO);
  ASSERT_TRUE(fs.Release(ino, *fh).ok());
}

TEST_F(FsTest, ChmodChownUtimensStoreS3fsMetadata) {
  auto& fs = Fs();
  Ino ino = WriteFile(kRootIno, "f", "data");
  SetAttrRequest request;
  request.mode = 0600;
  request.mtime = timespec{1234567890, 5};
  auto entry = fs.SetAttr(ino, request, user_);
  ASSERT_TRUE(entry.ok()) << entry.error().ToString();
  EXPECT_EQ(entry->attr.st_mode, S_IFREG | 0600);
  EXPECT_EQ(Meta("f", "mode"), std::to_string(S_IFREG | 0600));
  EXPECT_EQ(Meta("f", "mtime"), "1234567890.000000005");
  EXPECT_EQ(Object("f"), "data");
  SetAttrRequest chown;
  chown.uid = 2000;
  EXPECT_EQ(Errno(fs.SetAttr(ino, chown, user_)), EPERM);
  ASSERT_TRUE(fs.SetAttr(ino, chown, root_).ok());
  EXPECT_EQ(Meta("f", "uid"), "2000");
}

TEST_F(FsTest, PermissionRulesForNonRoot) {
  auto& fs = Fs();
  Ino ino = WriteFile(kRootIno, "f", "x");
  SetAttrRequest chmod;
  chmod.mode = 0777;
  EXPECT_EQ(Errno(fs.SetAttr(ino, chmod, other_)), EPERM);
  SetAttrRequest chgrp;
  chgrp.gid = 2000;
  EXPECT_EQ(Errno(fs.SetAttr(ino, chgrp, other_)), EPERM);  // not the owner
  EXPECT_EQ(Errno(fs.SetAttr(ino, chgrp, user_)), EPERM);   // not the owner's group
  chgrp.gid = 1000;
  EXPECT_TRUE(fs.SetAttr(ino, chgrp, user_).ok());  // to their own group
}

TEST_F(FsTest, MetadataChangesOnADirtyFileWaitForTheUpload) {
  auto& fs = Fs();
  auto created = fs.Create(kRootIno, "f", 0644, O_WRONLY | O_CREAT, user_);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(fs.Write(created->entry.ino, created->fh, 0, "abc").ok());
  memory_->ResetCounters();
  SetAttrRequest chmod;
  chmod.mode = 0700;
  ASSERT_TRUE(fs.SetAttr(created->entry.ino, chmod, user_).ok());
  EXPECT_EQ(memory_->RequestCount("CopyObject"), 0u);
  ASSERT_TRUE(fs.Release(created->entry.ino, created->fh).ok());
  EXPECT_EQ(Meta("f", "mode"), std::to_string(S_IFREG | 0700));
  EXPECT_EQ(Object("f"), "abc");
}

TEST_F(FsTest, XattrsInS3fsFormat) {
  auto& fs = Fs();
  Ino ino = WriteFile(kRootIno, "f", "x");
  ASSERT_TRUE(fs.SetXattr(ino, "user.test", "test", 0, user_).ok());
  EXPECT_EQ(Meta("f", "xattr"), "%7B%22user.test%22%3A%22dGVzdA%3D%3D%22%7D");  // as s3fs writes it
  EXPECT_EQ(fs.GetXattr(ino, "user.test").value(), "test");
  EXPECT_EQ(Errno(fs.SetXattr(ino, "user.test", "v", XATTR_CREATE, user_)), EEXIST);
  EXPECT_EQ(Errno(fs.SetXattr(ino, "user.none", "v", XATTR_REPLACE, user_)), ENODATA);
  EXPECT_EQ(Errno(fs.SetXattr(ino, "security.selinux", "v", 0, user_)), ENOTSUP);
  EXPECT_EQ(Errno(fs.GetXattr(ino, "user.none")), ENODATA);
  EXPECT_EQ(fs.ListXattr(ino).value(), std::vector<std::string>{"user.test"});
  EXPECT_EQ(Meta("f", "mode"), std::to_string(S_IFREG | 0644));  // attributes kept
  ASSERT_TRUE(fs.RemoveXattr(ino, "user.test", user_).ok());
  EXPECT_EQ(Meta("f", "xattr"), "<none>");
  EXPECT_EQ(Errno(fs.RemoveXattr(ino, "user.test", user_)), ENODATA);
}

TEST_F(FsTest, SymlinksAsS3fsStoresThem) {
  auto& fs = Fs();
  auto link = fs.Symlink("../target", kRootIno, "l", user_);
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(Object("l"), "../target");
  EXPECT_EQ(Meta("l", "mode"), std::to_string(S_IFLNK | 0777));
  EXPECT_EQ(link->attr.st_mode, S_IFLNK | 0777);
  EXPECT_EQ(fs.Readlink(link->ino).value(), "../target");
}

TEST_F(FsTest, MknodRegularAndFifoButNoDevices) {
  auto& fs = Fs();
  ASSERT_TRUE(fs.Mknod(kRootIno, "r", S_IFREG | 0600, user_).ok());
  EXPECT_EQ(Object("r"), "");
  auto fifo = fs.Mknod(kRootIno, "p", S_IFIFO | 0600, user_);
  ASSERT_TRUE(fifo.ok());
  EXPECT_TRUE(S_ISFIFO(fifo->attr.st_mode));
  EXPECT_EQ(Errno(fs.Mknod(kRootIno, "c", S_IFCHR | 0600, user_)), EPERM);
}

TEST_F(FsTest, PrefixMountsSeeOnlyTheirPrefix) {
  memory_->PutDirect(kBucket, "outside", "o");
  memory_->PutDirect(kBucket, "pre/fix/inside", "i");
  FsConfig config = TestConfig();
  config.prefix = "pre/fix/";
  auto& fs = Fs(config);
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, "outside", user_)), ENOENT);
  auto inside = fs.Lookup(kRootIno, "inside", user_);
  ASSERT_TRUE(inside.ok());
  WriteFile(kRootIno, "new", "n");
  EXPECT_EQ(Object("pre/fix/new"), "n");
}

TEST_F(FsTest, OtherWritersBecomeVisibleAfterTheTtl) {
  FsConfig config = TestConfig();
  config.stat_ttl = std::chrono::milliseconds(0);
  config.negative_ttl = std::chrono::milliseconds(0);
  config.dir_ttl = std::chrono::milliseconds(0);
  auto& fs = Fs(config);
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, "late", user_)), ENOENT);
  memory_->PutDirect(kBucket, "late", "x");
  EXPECT_TRUE(fs.Lookup(kRootIno, "late", user_).ok());
}

TEST_F(FsTest, ReadOnlyMountRefusesWrites) {
  memory_->PutDirect(kBucket, "f", "x");
  FsConfig config = TestConfig();
  config.read_only = true;
  auto& fs = Fs(config);
  auto f = fs.Lookup(kRootIno, "f", user_);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(Errno(fs.Open(f->ino, O_WRONLY, user_)), EROFS);
  EXPECT_EQ(Errno(fs.Mkdir(kRootIno, "d", 0755, user_)), EROFS);
  EXPECT_EQ(Errno(fs.Unlink(kRootIno, "f", user_)), EROFS);
  EXPECT_EQ(ReadAll(f->ino), "x");
}

TEST_F(FsTest, NamesTooLong) {
  auto& fs = Fs();
  EXPECT_EQ(Errno(fs.Lookup(kRootIno, std::string(256, 'a'), user_)), ENAMETOOLONG);
}

TEST_F(FsTest, InitChecksTheBucket) {
  EXPECT_TRUE(Fs().Init().ok());
  FsConfig config = TestConfig();
  config.bucket = "missing-bucket";
  auto status = Fs(config).Init();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().errno_value(), ENOENT);
  EXPECT_NE(status.error().ToString().find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace mounter::testing
