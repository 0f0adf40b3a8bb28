#include "mounter/fs/inode_table.h"

#include <gtest/gtest.h>

namespace mounter {
namespace {

TEST(InodeTableTest, StableNumbersWhileKnown) {
  InodeTable table;
  Ino a = table.LookupOrCreate(kRootIno, "a", true);
  ASSERT_NE(a, 0u);
  EXPECT_EQ(table.LookupOrCreate(kRootIno, "a", true), a);
  EXPECT_EQ(table.LookupCount(a), 2u);
  Ino b = table.LookupOrCreate(a, "b", false);
  EXPECT_EQ(table.PathOf(b), "a/b");
  EXPECT_EQ(table.PathOf(kRootIno), "");
  EXPECT_FALSE(table.Forget(a, 1));
  EXPECT_TRUE(table.Forget(a, 1));
  EXPECT_FALSE(table.Exists(a));
  EXPECT_FALSE(table.Find(kRootIno, "a"));
}

TEST(InodeTableTest, UnknownParentGivesZero) {
  InodeTable table;
  EXPECT_EQ(table.LookupOrCreate(999, "x", false), 0u);
}

TEST(InodeTableTest, TypeChangeIssuesANewNumber) {
  InodeTable table;
  Ino file = table.LookupOrCreate(kRootIno, "x", false);
  Ino dir = table.LookupOrCreate(kRootIno, "x", true);
  EXPECT_NE(file, dir);
  EXPECT_FALSE(table.PathOf(file));  // detached
  EXPECT_EQ(table.PathOf(dir), "x");
}

TEST(InodeTableTest, RenameOfADirectoryMovesDescendants) {
  InodeTable table;
  Ino d = table.LookupOrCreate(kRootIno, "d", true);
  Ino e = table.LookupOrCreate(d, "e", true);
  Ino f = table.LookupOrCreate(e, "f", false);
  Ino other = table.LookupOrCreate(kRootIno, "n", true);
  table.Move(kRootIno, "d", other, "renamed");
  EXPECT_EQ(table.PathOf(f), "n/renamed/e/f");
  EXPECT_EQ(table.Find(other, "renamed"), d);
  EXPECT_FALSE(table.Find(kRootIno, "d"));
}

TEST(InodeTableTest, RenameOverAnExistingTargetDetachesIt) {
  InodeTable table;
  Ino a = table.LookupOrCreate(kRootIno, "a", false);
  Ino b = table.LookupOrCreate(kRootIno, "b", false);
  table.Move(kRootIno, "a", kRootIno, "b");
  EXPECT_EQ(table.Find(kRootIno, "b"), a);
  EXPECT_FALSE(table.PathOf(b));
  EXPECT_TRUE(table.Exists(b));  // still referenced by the kernel
  EXPECT_TRUE(table.Forget(b, 1));
}

TEST(InodeTableTest, DetachedInodeLivesUntilForgotten) {
  InodeTable table;
  Ino a = table.LookupOrCreate(kRootIno, "a", false);
  table.Detach(kRootIno, "a");
  EXPECT_TRUE(table.Exists(a));
  EXPECT_FALSE(table.PathOf(a));
  Ino again = table.LookupOrCreate(kRootIno, "a", false);
  EXPECT_NE(again, a);
  EXPECT_TRUE(table.Forget(a, 5));
  EXPECT_EQ(table.Find(kRootIno, "a"), again);  // forgetting the old one leaves the new entry
}

TEST(InodeTableTest, RootIsNeverForgotten) {
  InodeTable table;
  EXPECT_FALSE(table.Forget(kRootIno, 100));
  EXPECT_TRUE(table.Exists(kRootIno));
}

}  // namespace
}  // namespace mounter
