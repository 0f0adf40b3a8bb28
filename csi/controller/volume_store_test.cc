#include "csi/controller/volume_store.h"

#include <gtest/gtest.h>

#include "s3core/body.h"
#include "s3core/testing/in_memory_object_store.h"

namespace s3csi {
namespace {

TEST(VolumeStoreTest, DeletesManyObjectsAndPendingUploads) {
  s3core::testing::InMemoryObjectStore store;
  ASSERT_TRUE(store.CreateBucket("bkt").ok());
  for (int i = 0; i < 1500; ++i) {
    s3core::BufferSource body("x");
    s3core::PutObjectRequest put;
    put.bucket = "bkt";
    put.key = "vol/" + std::to_string(i);
    put.body = &body;
    ASSERT_TRUE(store.PutObject(put).ok());
  }
  s3core::CreateMultipartUploadRequest upload;
  upload.bucket = "bkt";
  upload.key = "vol/big";
  ASSERT_TRUE(store.CreateMultipartUpload(upload).ok());

  VolumeStore volumes(store);
  ASSERT_TRUE(volumes.DeleteData("bkt", "vol/").ok());
  s3core::ListObjectsRequest list;
  list.bucket = "bkt";
  EXPECT_TRUE(store.ListObjects(list)->objects.empty());
  s3core::ListMultipartUploadsRequest uploads;
  uploads.bucket = "bkt";
  EXPECT_TRUE(store.ListMultipartUploads(uploads)->uploads.empty());
  EXPECT_TRUE(volumes.DeleteBucket("bkt").ok());
  EXPECT_TRUE(volumes.DeleteBucket("bkt").ok()) << "a missing bucket is fine";
  EXPECT_TRUE(volumes.DeleteData("bkt", "").ok()) << "a missing bucket is fine";
}

TEST(VolumeStoreTest, MarkersRoundTrip) {
  s3core::testing::InMemoryObjectStore store;
  VolumeStore volumes(store);
  ASSERT_TRUE(volumes.EnsureBucket("bkt").ok());
  ASSERT_TRUE(volumes.EnsureBucket("bkt").ok());
  EXPECT_FALSE(volumes.ReadMarker("bkt", "p/")->has_value());
  ASSERT_TRUE(volumes.WriteMarker("bkt", "p/", "text").ok());
  EXPECT_EQ(volumes.ReadMarker("bkt", "p/")->value(), "text");
  EXPECT_TRUE(volumes.CheckBucket("nope").IsNotFound());
}

}  // namespace
}  // namespace s3csi
