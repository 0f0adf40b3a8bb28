// Helpers shared by the FileSystem unit tests: a FileSystem over an InMemoryObjectStore.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "mounter/fs/file_system.h"
#include "s3core/testing/fault_injecting_object_store.h"
#include "s3core/testing/in_memory_object_store.h"

namespace mounter::testing {

inline constexpr char kBucket[] = "test-bucket";

inline FsConfig TestConfig() {
  FsConfig config;
  config.bucket = kBucket;
  config.uid = 1000;
  config.gid = 1000;
  config.multipart_size = 5 << 20;
  return config;
}

class FsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    s3core::testing::InMemoryObjectStoreOptions options;
    options.min_part_size = 1024;
    memory_ = std::make_shared<s3core::testing::InMemoryObjectStore>(options);
    memory_->CreateBucketDirect(kBucket);
    faults_ = std::make_shared<s3core::testing::FaultInjectingObjectStore>(memory_);
  }
  FileSystem& Fs(FsConfig config = TestConfig()) {
    fs_ = std::make_unique<FileSystem>(std::move(config), faults_);
    return *fs_;
  }
  std::optional<std::string> Object(const std::string& key) {
    auto object = memory_->GetDirect(kBucket, key);
    if (!object) return std::nullopt;
    return object->data;
  }
  std::string Meta(const std::string& key, const std::string& name) {
    auto object = memory_->GetDirect(kBucket, key);
    if (!object) return "<no object>";
    auto it = object->metadata.find(name);
    return it == object->metadata.end() ? "<none>" : it->second;
  }
  // Creates `name` in `parent` with `data`, closes it; returns its inode.
  Ino WriteFile(Ino parent, const std::string& name, const std::string& data) {
    auto created = fs_->Create(parent, name, 0644, O_WRONLY | O_CREAT, user_);
    EXPECT_TRUE(created.ok()) << created.error().ToString();
    auto written = fs_->Write(created->entry.ino, created->fh, 0, data);
    EXPECT_TRUE(written.ok());
    auto flushed = fs_->Flush(created->entry.ino, created->fh);
    EXPECT_TRUE(flushed.ok()) << flushed.error().ToString();
    EXPECT_TRUE(fs_->Release(created->entry.ino, created->fh).ok());
    return created->entry.ino;
  }
  std::string ReadAll(Ino ino, size_t max = 1 << 20) {
    auto fh = fs_->Open(ino, O_RDONLY, user_);
    EXPECT_TRUE(fh.ok()) << fh.error().ToString();
    if (!fh.ok()) return "<open failed>";
    std::string buf(max, '\0');
    auto n = fs_->Read(ino, *fh, 0, max, buf.data());
    EXPECT_TRUE(fs_->Release(ino, *fh).ok());
    if (!n.ok()) return "<read failed: " + n.error().ToString() + ">";
    buf.resize(*n);
    return buf;
  }
  int Errno(const FsStatus& status) { return status.ok() ? 0 : status.error().errno_value(); }
  template <typename T>
  int Errno(const FsResult<T>& result) {
    return result.ok() ? 0 : result.error().errno_value();
  }

  Caller user_{1000, 1000, 1};
  Caller other_{2000, 2000, 2};
  Caller root_{0, 0, 3};
  std::shared_ptr<s3core::testing::InMemoryObjectStore> memory_;
  std::shared_ptr<s3core::testing::FaultInjectingObjectStore> faults_;
  std::unique_ptr<FileSystem> fs_;
};

}  // namespace mounter::testing
