#include "csi/mount/target_path.h"

#include <gtest/gtest.h>

namespace s3csi {
namespace {

TEST(TargetPathTest, Normalizes) {
  auto p = NormalizeTargetPath("/var//lib/kubelet/x/");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, "/var/lib/kubelet/x");
}

TEST(TargetPathTest, RefusesTraversalAndRelativePaths) {
  EXPECT_FALSE(NormalizeTargetPath("relative/x").ok());
  EXPECT_FALSE(NormalizeTargetPath("").ok());
  EXPECT_FALSE(NormalizeTargetPath("/").ok());
  EXPECT_FALSE(NormalizeTargetPath("/var/lib/kubelet/../../etc").ok());
  EXPECT_FALSE(NormalizeTargetPath("/var/./x").ok());
  EXPECT_FALSE(NormalizeTargetPath(std::string("/var/x\0y", 8)).ok());
}

TEST(TargetPathTest, ResolvesParentOnly) {
  auto p = ResolveTargetPath("/tmp/does-not-exist-s3csi");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->substr(p->rfind('/')), "/does-not-exist-s3csi");
  EXPECT_TRUE(ResolveTargetPath("/no-such-dir-s3csi/x").status().IsNotFound());
}

}  // namespace
}  // namespace s3csi
