#include "csi/mount/mountinfo.h"

#include <gtest/gtest.h>

namespace s3csi {
namespace {

TEST(MountInfoTest, ParsesFieldsAndOptionalFields) {
  const std::string text =
      "22 1 0:21 / /proc rw,nosuid shared:12 - proc proc rw\n"
      "541 29 0:52 / /var/lib/kubelet/pods/x/volumes/kubernetes.io~csi/pv/mount rw,nosuid,nodev shared:300 master:1 - "
      "fuse.s3mount s3csi:vol-1:0123456789abcdef rw,user_id=0,group_id=0,default_permissions,allow_other\n";
  auto entries = ParseMountInfo(text);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 2u);
  const MountInfoEntry& e = (*entries)[1];
  EXPECT_EQ(e.mount_id, 541);
  EXPECT_EQ(e.parent_id, 29);
  EXPECT_EQ(e.mount_point, "/var/lib/kubelet/pods/x/volumes/kubernetes.io~csi/pv/mount");
  EXPECT_EQ(e.fs_type, "fuse.s3mount");
  EXPECT_EQ(e.source, "s3csi:vol-1:0123456789abcdef");
  EXPECT_EQ(e.mount_options, "rw,nosuid,nodev");
  EXPECT_EQ(e.super_options, "rw,user_id=0,group_id=0,default_permissions,allow_other");
}

TEST(MountInfoTest, UnescapesOctal) {
  auto entries = ParseMountInfo("30 1 0:5 / /mnt/a\\040b\\011c\\012d\\134e rw - tmpfs my\\040src rw\n");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].mount_point, std::string("/mnt/a b\tc\nd\\e"));
  EXPECT_EQ((*entries)[0].source, "my src");
  EXPECT_EQ(UnescapeMountInfoField("trailing\\04"), "trailing\\04");  // incomplete: kept as is
  EXPECT_EQ(UnescapeMountInfoField("\\9ab"), "\\9ab");
}

TEST(MountInfoTest, RefusesMalformedLines) {
  EXPECT_FALSE(ParseMountInfo("30 1 0:5 / /mnt rw tmpfs src rw\n").ok());  // no separator
  EXPECT_FALSE(ParseMountInfo("x 1 0:5 / /mnt rw - tmpfs src rw\n").ok());
  EXPECT_FALSE(ParseMountInfo("30 1 0:5 / /mnt rw - tmpfs\n").ok());
  auto empty = ParseMountInfo("\n\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(MountInfoTest, ReadsOwnMountTable) {
  auto entries = ReadMountInfo();
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  bool has_root = false;
  for (const auto& e : *entries) has_root |= e.mount_point == "/";
  EXPECT_TRUE(has_root);
}

}  // namespace
}  // namespace s3csi
