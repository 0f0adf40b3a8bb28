#include "csi/common/validation.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace s3csi {
namespace {

namespace fs = std::filesystem;

TEST(ValidationTest, CsiStrings) {
  EXPECT_TRUE(CheckCsiString("name", "pvc-1").ok());
  EXPECT_TRUE(CheckCsiString("name", "", false).ok());
  EXPECT_TRUE(CheckCsiString("name", "tab\tand space and \xc3\xa9").ok());
  EXPECT_FALSE(CheckCsiString("name", "").ok());
  EXPECT_TRUE(CheckCsiString("name", std::string(128, 'a')).ok());
  EXPECT_FALSE(CheckCsiString("name", std::string(129, 'a')).ok());
  EXPECT_FALSE(CheckCsiString("name", std::string("a\0b", 3)).ok());
  EXPECT_FALSE(CheckCsiString("name", "a\x7f").ok());
  EXPECT_FALSE(CheckCsiString("name", "a\xc2\x85").ok());  // U+0085
  EXPECT_FALSE(CheckCsiString("name", "a\x1b[31m").ok());
}

TEST(ValidationTest, CsiMaps) {
  google::protobuf::Map<std::string, std::string> map;
  map["k"] = std::string(4000, 'v');
  EXPECT_TRUE(CheckCsiMap("parameters", map).ok());
  map["k2"] = std::string(200, 'v');
  EXPECT_FALSE(CheckCsiMap("parameters", map).ok());
  google::protobuf::Map<std::string, std::string> empty_key;
  empty_key[""] = "v";
  EXPECT_FALSE(CheckCsiMap("parameters", empty_key).ok());
}

class TargetPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("s3csi-validation-" + std::to_string(getpid()));
    fs::create_directories(root_ / "kubelet" / "pods" / "uid1" / "volumes");
    fs::create_directories(root_ / "outside");
    fs::create_directory_symlink(root_ / "outside", root_ / "kubelet" / "pods" / "escape");
    kubelet_ = (root_ / "kubelet").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  std::string kubelet_;
};

TEST_F(TargetPathTest, AcceptsPathsInsideTheKubeletDir) {
  EXPECT_TRUE(CheckTargetPath("target_path", kubelet_ + "/pods/uid1/volumes/pv/mount", kubelet_).ok());
  EXPECT_TRUE(CheckTargetPath("target_path", kubelet_ + "/pods/uid2/volumes/x/mount", kubelet_).ok());
}

TEST_F(TargetPathTest, RejectsTraversalAndEscapes) {
  for (const std::string& path : {
           std::string(""), std::string("relative/mount"), kubelet_, kubelet_ + "/",
           kubelet_ + "/pods/../../etc", kubelet_ + "/pods/./uid1", kubelet_ + "//pods",
           kubelet_ + "/pods/uid1/", kubelet_ + "-other/pods", std::string("/etc/passwd"),
           kubelet_ + "/pods/escape/mount",  // through a symlink to outside
           kubelet_ + "/pods/escape",        // the symlink itself
           kubelet_ + "/pods/a\nb", kubelet_ + "/" + std::string(5000, 'a')}) {
    EXPECT_EQ(CheckTargetPath("target_path", path, kubelet_).kind(), s3core::ErrorKind::kInvalidArgument) << path;
  }
}

}  // namespace
}  // namespace s3csi
