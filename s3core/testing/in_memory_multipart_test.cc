// Multipart upload semantics of InMemoryObjectStore.
#include <gtest/gtest.h>

#include "s3core/testing/in_memory_object_store.h"
#include "s3core/testing/manual_clock.h"
#include "s3core/testing/s3_semantics.h"

namespace s3core::testing {
namespace {

using s3_semantics::Md5Hex;

class InMemoryMultipartTest : public ::testing::Test {
 protected:
  explicit InMemoryMultipartTest(uint64_t min_part_size = 4) : store_(Options(min_part_size)) {
    store_.CreateBucketDirect("bkt");
  }
  InMemoryObjectStoreOptions Options(uint64_t min_part_size) {
    InMemoryObjectStoreOptions options;
    options.min_part_size = min_part_size;
    options.clock = clock_.AsFunction();
    return options;
  }

  std::string Create(const std::string& key, WriteOptions options = {}) {
    auto id = store_.CreateMultipartUpload({"bkt", key, std::move(options)});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }
  Result<std::string> Part(const std::string& key, const std::string& id, int number, const std::string& data) {
    BufferSource body(data);
    return store_.UploadPart({"bkt", key, id, number, &body, {}});
  }
  Result<PutObjectResult> Complete(const std::string& key, const std::string& id, std::vector<CompletedPart> parts) {
    return store_.CompleteMultipartUpload({"bkt", key, id, std::move(parts)});
  }
  std::string Body(const std::string& key) {
    auto o = store_.GetDirect("bkt", key);
    return o ? o->data : "<missing>";
  }

  ManualClock clock_;
  InMemoryObjectStore store_;
};

TEST_F(InMemoryMultipartTest, UploadCompleteAndReadBack) {
  WriteOptions options;
  options.content_type = "video/mp4";
  options.metadata = {{"mode", "33188"}};
  const std::string id = Create("big", options);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(store_.PendingUploadCount("bkt"), 1u);
  EXPECT_FALSE(store_.GetDirect("bkt", "big").has_value());  // invisible until completed

  auto e1 = Part("big", id, 1, "aaaa");
  auto e2 = Part("big", id, 2, "bbbb");
  auto e3 = Part("big", id, 3, "c");
  ASSERT_TRUE(e1.ok() && e2.ok() && e3.ok());
  EXPECT_EQ(*e1, Md5Hex("aaaa"));
  clock_.Advance(std::chrono::seconds(3));
  auto done = Complete("big", id, {{1, *e1}, {2, "\"" + *e2 + "\""}, {3, *e3}});  // quoted ETags match too
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->etag, s3_semantics::MultipartEtag({Md5Hex("aaaa"), Md5Hex("bbbb"), Md5Hex("c")}));
  EXPECT_EQ(done->etag.substr(done->etag.size() - 2), "-3");

  auto info = store_.HeadObject({"bkt", "big", "", "", {}});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->size, 9u);
  EXPECT_EQ(info->etag, done->etag);
  EXPECT_EQ(info->content_type, "video/mp4");
  EXPECT_EQ(info->metadata.at("mode"), "33188");
  EXPECT_EQ(info->last_modified, clock_.Now());  // completion time, not creation
  EXPECT_EQ(Body("big"), "aaaabbbbc");
  EXPECT_EQ(store_.PendingUploadCount("bkt"), 0u);

  // The upload is gone: completing it again is NoSuchUpload (as AWS answers).
  auto again = Complete("big", id, {{1, *e1}});
  EXPECT_EQ(again.status().s3_code(), "NoSuchUpload");
  EXPECT_EQ(again.status().http_status(), 404);
}

TEST_F(InMemoryMultipartTest, SamePartNumberReplacesThePart) {
  const std::string id = Create("k");
  auto old_etag = Part("k", id, 1, "first");
  auto new_etag = Part("k", id, 1, "again");
  ASSERT_TRUE(old_etag.ok() && new_etag.ok());
  EXPECT_NE(*old_etag, *new_etag);
  auto stale = Complete("k", id, {{1, *old_etag}});
  EXPECT_EQ(stale.status().s3_code(), "InvalidPart");
  ASSERT_TRUE(Complete("k", id, {{1, *new_etag}}).ok());
  EXPECT_EQ(Body("k"), "again");
}

TEST_F(InMemoryMultipartTest, SubsetOfPartsWithGaps) {
  const std::string id = Create("k");
  auto e1 = Part("k", id, 1, "1111");
  auto e2 = Part("k", id, 2, "2222");
  auto e5 = Part("k", id, 5, "5555");
  ASSERT_TRUE(Complete("k", id, {{1, *e1}, {5, *e5}}).ok());
  EXPECT_EQ(Body("k"), "11115555");  // part 2 was left out and is dropped
  (void)e2;
}

TEST_F(InMemoryMultipartTest, CompleteChecksPartsAndOrder) {
  const std::string id = Create("k");
  auto e1 = Part("k", id, 1, "1111");
  auto e2 = Part("k", id, 2, "2222");

  auto missing = Complete("k", id, {{1, *e1}, {3, *e2}});
  EXPECT_EQ(missing.status().s3_code(), "InvalidPart");
  EXPECT_EQ(missing.status().http_status(), 400);
  EXPECT_EQ(missing.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(Complete("k", id, {{1, *e1}, {2, "0123"}}).status().s3_code(), "InvalidPart");
  auto order = Complete("k", id, {{2, *e2}, {1, *e1}});
  EXPECT_EQ(order.status().s3_code(), "InvalidPartOrder");
  EXPECT_EQ(order.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(Complete("k", id, {{1, *e1}, {1, *e1}}).status().s3_code(), "InvalidPartOrder");
  EXPECT_EQ(Complete("k", id, {}).status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(Complete("k", id, {{0, *e1}}).status().kind(), ErrorKind::kInvalidArgument);

  // Failed completions leave the upload usable.
  EXPECT_EQ(store_.PendingUploadCount("bkt"), 1u);
  ASSERT_TRUE(Complete("k", id, {{1, *e1}, {2, *e2}}).ok());
}

class DefaultPartSizeTest : public InMemoryMultipartTest {
 protected:
  DefaultPartSizeTest() : InMemoryMultipartTest(InMemoryObjectStoreOptions{}.min_part_size) {}
};

TEST_F(DefaultPartSizeTest, PartsButTheLastMustBeFiveMiB) {
  EXPECT_EQ(InMemoryObjectStoreOptions{}.min_part_size, 5u << 20);
  const std::string id = Create("k");
  auto small1 = Part("k", id, 1, "small");
  auto small2 = Part("k", id, 2, "tail");
  auto too_small = Complete("k", id, {{1, *small1}, {2, *small2}});
  EXPECT_EQ(too_small.status().s3_code(), "EntityTooSmall");
  EXPECT_EQ(too_small.status().http_status(), 400);

  const std::string five_mib(5u << 20, 'f');
  auto big = Part("k", id, 1, five_mib);
  ASSERT_TRUE(Complete("k", id, {{1, *big}, {2, *small2}}).ok());  // only the last is small
  EXPECT_EQ(store_.HeadObject({"bkt", "k", "", "", {}})->size, five_mib.size() + 4);

  const std::string single = Create("single");  // one small part is also the last part
  auto only = Part("single", single, 1, "x");
  EXPECT_TRUE(Complete("single", single, {{1, *only}}).ok());
}

TEST_F(InMemoryMultipartTest, UnknownAndAbortedUploads) {
  BufferSource body("x");
  auto part = store_.UploadPart({"bkt", "k", "no-such-upload", 1, &body, {}});
  EXPECT_EQ(part.status().s3_code(), "NoSuchUpload");
  EXPECT_TRUE(part.status().IsNotFound());
  EXPECT_EQ(store_.AbortMultipartUpload("bkt", "k", "no-such-upload").s3_code(), "NoSuchUpload");
  EXPECT_EQ(Complete("k", "no-such-upload", {{1, "x"}}).status().s3_code(), "NoSuchUpload");

  const std::string id = Create("k");
  // The id belongs to "k": used with another key it is unknown.
  EXPECT_EQ(Part("other", id, 1, "x").status().s3_code(), "NoSuchUpload");
  auto e1 = Part("k", id, 1, "x");
  ASSERT_TRUE(e1.ok());
  ASSERT_TRUE(store_.AbortMultipartUpload("bkt", "k", id).ok());
  EXPECT_EQ(store_.PendingUploadCount("bkt"), 0u);
  EXPECT_EQ(Part("k", id, 2, "y").status().s3_code(), "NoSuchUpload");
  EXPECT_EQ(Complete("k", id, {{1, *e1}}).status().s3_code(), "NoSuchUpload");
  EXPECT_FALSE(store_.GetDirect("bkt", "k").has_value());
  EXPECT_EQ(store_.AbortMultipartUpload("bkt", "k", id).s3_code(), "NoSuchUpload");

  EXPECT_EQ(store_.CreateMultipartUpload({"no-such-bucket", "k", {}}).status().s3_code(), "NoSuchBucket");
}

TEST_F(InMemoryMultipartTest, LocalArgumentChecks) {
  const std::string id = Create("k");
  EXPECT_EQ(Part("k", id, 0, "x").status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(Part("k", id, 10001, "x").status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(store_.UploadPart({"bkt", "k", id, 1, nullptr, {}}).status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(Part("k", "", 1, "x").status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_TRUE(Part("k", id, 10000, "x").ok());
}

TEST_F(InMemoryMultipartTest, UploadPartCopyWithRanges) {
  store_.PutDirect("bkt", "source", "0123456789");
  const std::string id = Create("k");
  UploadPartCopyRequest copy;
  copy.bucket = "bkt";
  copy.key = "k";
  copy.upload_id = id;
  copy.part_number = 1;
  copy.source_bucket = "bkt";
  copy.source_key = "source";
  copy.source_range = ByteRange{2, 4};
  auto e1 = store_.UploadPartCopy(copy);
  ASSERT_TRUE(e1.ok()) << e1.status().ToString();
  EXPECT_EQ(*e1, Md5Hex("2345"));

  copy.part_number = 2;
  copy.source_range.reset();  // the whole source
  auto e2 = store_.UploadPartCopy(copy);
  ASSERT_TRUE(e2.ok());
  EXPECT_EQ(*e2, Md5Hex("0123456789"));

  // Unlike a GET, a copy range must lie inside the source.
  for (ByteRange bad : {ByteRange{5, 10}, ByteRange{10, 1}, ByteRange{100, 1}}) {
    copy.source_range = bad;
    auto out = store_.UploadPartCopy(copy);
    EXPECT_EQ(out.status().kind(), ErrorKind::kRangeNotSatisfiable) << bad.offset;
    EXPECT_EQ(out.status().s3_code(), "InvalidRange");
  }
  copy.source_range = ByteRange{0, std::nullopt};
  EXPECT_EQ(store_.UploadPartCopy(copy).status().kind(), ErrorKind::kInvalidArgument);
  copy.source_range = ByteRange{0, 0};
  EXPECT_EQ(store_.UploadPartCopy(copy).status().kind(), ErrorKind::kInvalidArgument);

  copy.source_range = ByteRange{0, 1};
  copy.source_if_match = "\"stale\"";
  EXPECT_TRUE(store_.UploadPartCopy(copy).status().IsPreconditionFailed());
  copy.source_if_match.clear();
  copy.source_key = "missing";
  EXPECT_EQ(store_.UploadPartCopy(copy).status().s3_code(), "NoSuchKey");
  copy.source_key = "source";
  copy.upload_id = "no-such-upload";
  EXPECT_EQ(store_.UploadPartCopy(copy).status().s3_code(), "NoSuchUpload");

  ASSERT_TRUE(Complete("k", id, {{1, *e1}, {2, *e2}}).ok());
  EXPECT_EQ(Body("k"), "23450123456789");
}

TEST_F(InMemoryMultipartTest, ListMultipartUploadsOrderPrefixAndPaging) {
  const std::string b1 = Create("b");
  clock_.Advance(std::chrono::seconds(1));
  const std::string a1 = Create("a");
  const std::string b2 = Create("b");
  const std::string other = Create("x/y");

  ListMultipartUploadsRequest req;
  req.bucket = "bkt";
  auto all = store_.ListMultipartUploads(req);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->uploads.size(), 4u);
  // By key, then by initiation.
  EXPECT_EQ(all->uploads[0].upload_id, a1);
  EXPECT_EQ(all->uploads[1].upload_id, b1);
  EXPECT_EQ(all->uploads[2].upload_id, b2);
  EXPECT_EQ(all->uploads[3].upload_id, other);
  EXPECT_EQ(all->uploads[1].key, "b");
  EXPECT_EQ(all->uploads[0].initiated, clock_.Now());
  EXPECT_FALSE(all->is_truncated);

  req.prefix = "x/";
  auto prefixed = store_.ListMultipartUploads(req);
  ASSERT_EQ(prefixed->uploads.size(), 1u);
  EXPECT_EQ(prefixed->uploads[0].key, "x/y");

  req.prefix.clear();
  req.max_uploads = 2;
  std::vector<std::string> ids;
  for (int page = 0; page < 10; ++page) {
    auto p = store_.ListMultipartUploads(req);
    ASSERT_TRUE(p.ok());
    for (const auto& u : p->uploads) ids.push_back(u.upload_id);
    if (!p->is_truncated) break;
    req.key_marker = p->next_key_marker;
    req.upload_id_marker = p->next_upload_id_marker;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{a1, b1, b2, other}));

  // A key marker without an upload id marker skips every upload of that key.
  req.max_uploads = 1000;
  req.key_marker = "b";
  req.upload_id_marker.clear();
  auto after_b = store_.ListMultipartUploads(req);
  ASSERT_EQ(after_b->uploads.size(), 1u);
  EXPECT_EQ(after_b->uploads[0].upload_id, other);

  req.max_uploads = 0;
  EXPECT_EQ(store_.ListMultipartUploads(req).status().kind(), ErrorKind::kInvalidArgument);
  req.max_uploads = 10;
  req.bucket = "no-such-bucket";
  EXPECT_EQ(store_.ListMultipartUploads(req).status().s3_code(), "NoSuchBucket");
}

}  // namespace
}  // namespace s3core::testing
