// InMemoryObjectStore: buckets, objects, conditions, ranges, copy, counters, direct access.
// Listing and multipart have their own test files.
#include "s3core/testing/in_memory_object_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "s3core/testing/manual_clock.h"
#include "s3core/testing/s3_semantics.h"

namespace s3core::testing {
namespace {

using std::chrono::seconds;

class InMemoryStoreTest : public ::testing::Test {
 protected:
  InMemoryStoreTest() : store_(Options()) { EXPECT_TRUE(store_.CreateBucket("bkt").ok()); }

  InMemoryObjectStoreOptions Options() {
    InMemoryObjectStoreOptions options;
    options.clock = clock_.AsFunction();
    return options;
  }

  Result<PutObjectResult> Put(const std::string& key, const std::string& data, WriteOptions options = {},
                              std::string if_match = "", std::string if_none_match = "") {
    BufferSource body(data);
    return store_.PutObject({"bkt", key, &body, std::move(options), std::move(if_match), std::move(if_none_match)});
  }

  Result<std::string> Get(const std::string& key, std::optional<ByteRange> range = std::nullopt,
                          std::string if_match = "", std::string if_none_match = "") {
    std::string out;
    StringSink sink(&out);
    GetObjectRequest req{"bkt", key, range, std::move(if_match), std::move(if_none_match), {}};
    S3_RETURN_IF_ERROR(store_.GetObject(req, sink).status());
    return out;
  }

  ManualClock clock_;
  InMemoryObjectStore store_;
};

TEST(S3SemanticsTest, EtagsAreMd5AndMultipartForm) {
  EXPECT_EQ(s3_semantics::Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(s3_semantics::Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  // md5(md5("a") || md5("b")), computed independently with md5sum and xxd.
  EXPECT_EQ(s3_semantics::MultipartEtag({s3_semantics::Md5Hex("a"), s3_semantics::Md5Hex("b")}),
            "96e024ba2074fe77e8e965ba43a704be-2");
}

TEST(S3SemanticsTest, EtagListMatching) {
  EXPECT_TRUE(s3_semantics::EtagListMatches("*", "abc"));
  EXPECT_TRUE(s3_semantics::EtagListMatches("abc", "abc"));
  EXPECT_TRUE(s3_semantics::EtagListMatches("\"abc\"", "abc"));
  EXPECT_TRUE(s3_semantics::EtagListMatches("\"x\", \"abc\"", "abc"));
  EXPECT_FALSE(s3_semantics::EtagListMatches("\"abcd\"", "abc"));
  EXPECT_FALSE(s3_semantics::EtagListMatches("\"x\",\"y\"", "abc"));
}

TEST_F(InMemoryStoreTest, BucketLifecycle) {
  EXPECT_TRUE(store_.HeadBucket("bkt").ok());
  Status again = store_.CreateBucket("bkt");
  EXPECT_EQ(again.kind(), ErrorKind::kAlreadyExists);
  EXPECT_EQ(again.s3_code(), "BucketAlreadyOwnedByYou");
  EXPECT_EQ(again.http_status(), 409);

  ASSERT_TRUE(store_.CreateBucket("another").ok());
  auto buckets = store_.ListBuckets();
  ASSERT_TRUE(buckets.ok());
  ASSERT_EQ(buckets->size(), 2u);
  EXPECT_EQ((*buckets)[0].name, "another");
  EXPECT_EQ((*buckets)[1].name, "bkt");
  EXPECT_EQ((*buckets)[1].creation_date, clock_.Now());

  ASSERT_TRUE(Put("x", "1").ok());
  Status not_empty = store_.DeleteBucket("bkt");
  EXPECT_EQ(not_empty.kind(), ErrorKind::kConflict);
  EXPECT_EQ(not_empty.s3_code(), "BucketNotEmpty");
  EXPECT_EQ(not_empty.http_status(), 409);
  EXPECT_FALSE(not_empty.request_id().empty());
  ASSERT_TRUE(store_.DeleteObject("bkt", "x").ok());
  // A pending multipart upload does not keep the bucket (as on RGW).
  ASSERT_TRUE(store_.CreateMultipartUpload({"bkt", "pending", {}}).ok());
  ASSERT_TRUE(store_.DeleteBucket("bkt").ok());

  Status gone = store_.HeadBucket("bkt");
  EXPECT_TRUE(gone.IsNotFound());
  EXPECT_EQ(gone.http_status(), 404);
  EXPECT_EQ(gone.s3_code(), "");  // HEAD answers carry no body
  Status missing = store_.DeleteBucket("bkt");
  EXPECT_TRUE(missing.IsNotFound());
  EXPECT_EQ(missing.s3_code(), "NoSuchBucket");
  EXPECT_EQ(store_.PendingUploadCount("bkt"), 0u);
}

TEST_F(InMemoryStoreTest, RecreatingOwnBucketCanSucceedLikeRgw) {
  InMemoryObjectStoreOptions options;
  options.create_existing_bucket_succeeds = true;
  InMemoryObjectStore rgw_like(options);
  ASSERT_TRUE(rgw_like.CreateBucket("b1b").ok());
  EXPECT_TRUE(rgw_like.CreateBucket("b1b").ok());
}

TEST_F(InMemoryStoreTest, BucketNamesAreCheckedLikeTheClient) {
  for (const char* bad : {"ab", "UPPER", "-dash", "dot..dot", "under_score"}) {
    Status s = store_.CreateBucket(bad);
    EXPECT_EQ(s.kind(), ErrorKind::kInvalidArgument) << bad;
    EXPECT_EQ(s.http_status(), 0) << bad;  // local check, no request
  }
  EXPECT_EQ(store_.HeadObject({"bkt", "", "", "", {}}).status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(Put(std::string(1025, 'k'), "x").status().kind(), ErrorKind::kInvalidArgument);
}

TEST_F(InMemoryStoreTest, PutGetHeadKeepDataAndMetadata) {
  WriteOptions options;
  options.content_type = "text/plain";
  options.metadata = {{"Mode", "33188"}, {"uid", " 1000 "}};
  auto put = Put("dir/file", "hello world", options);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, s3_semantics::Md5Hex("hello world"));

  auto info = store_.HeadObject({"bkt", "dir/file", "", "", {}});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->key, "dir/file");
  EXPECT_EQ(info->size, 11u);
  EXPECT_EQ(info->etag, put->etag);
  EXPECT_EQ(info->content_type, "text/plain");
  EXPECT_EQ(info->storage_class, "");  // S3 sends no x-amz-storage-class for STANDARD
  EXPECT_EQ(info->last_modified, clock_.Now());
  // Header names come back lower-cased and values trimmed, as from an HTTP server.
  EXPECT_EQ(info->metadata, (UserMetadata{{"mode", "33188"}, {"uid", "1000"}}));
  EXPECT_EQ(*Get("dir/file"), "hello world");

  auto direct = store_.GetDirect("bkt", "dir/file");
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(direct->storage_class, "STANDARD");
  EXPECT_EQ(direct->data, "hello world");
}

TEST_F(InMemoryStoreTest, DefaultsAndOverwrite) {
  ASSERT_TRUE(Put("k", "one").ok());
  EXPECT_EQ(store_.HeadObject({"bkt", "k", "", "", {}})->content_type, "binary/octet-stream");
  clock_.Advance(seconds(10));
  ASSERT_TRUE(Put("k", "two!").ok());
  auto info = store_.HeadObject({"bkt", "k", "", "", {}});
  EXPECT_EQ(info->size, 4u);
  EXPECT_EQ(info->etag, s3_semantics::Md5Hex("two!"));
  EXPECT_EQ(info->last_modified, clock_.Now());
  EXPECT_EQ(*Get("k"), "two!");
}

TEST_F(InMemoryStoreTest, LastModifiedHasWholeSeconds) {
  clock_.Set(TimePoint(std::chrono::milliseconds(1'700'000'000'750)));
  ASSERT_TRUE(Put("k", "x").ok());
  EXPECT_EQ(store_.HeadObject({"bkt", "k", "", "", {}})->last_modified, TimePoint(seconds(1'700'000'000)));
}

TEST_F(InMemoryStoreTest, MissingObjectsAndBuckets) {
  auto head = store_.HeadObject({"bkt", "nope", "", "", {}});
  EXPECT_TRUE(head.status().IsNotFound());
  EXPECT_EQ(head.status().http_status(), 404);
  EXPECT_EQ(head.status().s3_code(), "");
  auto get = Get("nope");
  EXPECT_EQ(get.status().s3_code(), "NoSuchKey");
  EXPECT_EQ(get.status().http_status(), 404);
  EXPECT_NE(get.status().message().find("GetObject bkt/nope"), std::string::npos) << get.status().message();

  std::string out;
  StringSink sink(&out);
  auto no_bucket = store_.GetObject({"no-such-bucket", "k", std::nullopt, "", "", {}}, sink);
  EXPECT_EQ(no_bucket.status().s3_code(), "NoSuchBucket");
  BufferSource body("x");
  EXPECT_EQ(store_.PutObject({"no-such-bucket", "k", &body, {}, "", ""}).status().s3_code(), "NoSuchBucket");
  EXPECT_EQ(store_.DeleteObject("no-such-bucket", "k").s3_code(), "NoSuchBucket");
}

TEST_F(InMemoryStoreTest, RangedReads) {
  ASSERT_TRUE(Put("ten", "0123456789").ok());
  EXPECT_EQ(*Get("ten", ByteRange{2, 3}), "234");
  EXPECT_EQ(*Get("ten", ByteRange{7, std::nullopt}), "789");
  EXPECT_EQ(*Get("ten", ByteRange{5, 100}), "56789");  // cut at the end, as S3 does
  EXPECT_EQ(*Get("ten", ByteRange{9, 1}), "9");

  std::string out;
  StringSink sink(&out);
  auto ranged = store_.GetObject({"bkt", "ten", ByteRange{4, 2}, "", "", {}}, sink);
  ASSERT_TRUE(ranged.ok());
  EXPECT_EQ(ranged->size, 10u);  // the object's size, not the range's
  EXPECT_EQ(out, "45");

  auto past_end = Get("ten", ByteRange{10, 5});
  EXPECT_EQ(past_end.status().kind(), ErrorKind::kRangeNotSatisfiable);
  EXPECT_EQ(past_end.status().s3_code(), "InvalidRange");
  EXPECT_EQ(past_end.status().http_status(), 416);
  EXPECT_EQ(Get("ten", ByteRange{0, 0}).status().kind(), ErrorKind::kInvalidArgument);

  ASSERT_TRUE(Put("empty", "").ok());
  EXPECT_EQ(*Get("empty"), "");
  EXPECT_EQ(Get("empty", ByteRange{0, std::nullopt}).status().kind(), ErrorKind::kRangeNotSatisfiable);
  EXPECT_EQ(Get("empty", ByteRange{0, 10}).status().kind(), ErrorKind::kRangeNotSatisfiable);
}

TEST_F(InMemoryStoreTest, LargeBodiesStreamInChunks) {
  class CountingSink final : public BodySink {
   public:
    Status Write(const char*, size_t n) override { ++writes; bytes += n; return Status(); }
    void Reset() override {}
    int writes = 0;
    size_t bytes = 0;
  } sink;
  store_.PutDirect("bkt", "big", std::string(1 << 20, 'z'));
  ASSERT_TRUE(store_.GetObject({"bkt", "big", std::nullopt, "", "", {}}, sink).ok());
  EXPECT_EQ(sink.bytes, 1u << 20);
  EXPECT_GT(sink.writes, 1);

  std::string small(10, '\0');
  BufferSink too_small(small.data(), small.size());
  auto failed = store_.GetObject({"bkt", "big", std::nullopt, "", "", {}}, too_small);
  EXPECT_EQ(failed.status().kind(), ErrorKind::kIo);  // the sink's own error, as the client returns it
}

TEST_F(InMemoryStoreTest, ConditionalReads) {
  ASSERT_TRUE(Put("k", "data").ok());
  const std::string etag = s3_semantics::Md5Hex("data");
  EXPECT_EQ(*Get("k", std::nullopt, "\"" + etag + "\""), "data");
  EXPECT_EQ(*Get("k", std::nullopt, etag), "data");
  EXPECT_EQ(*Get("k", std::nullopt, "*"), "data");
  auto mismatch = Get("k", std::nullopt, "\"0000\"");
  EXPECT_TRUE(mismatch.status().IsPreconditionFailed());
  EXPECT_EQ(mismatch.status().http_status(), 412);
  EXPECT_EQ(mismatch.status().s3_code(), "PreconditionFailed");
  auto not_modified = Get("k", std::nullopt, "", "\"" + etag + "\"");
  EXPECT_TRUE(not_modified.status().IsPreconditionFailed());
  EXPECT_EQ(not_modified.status().http_status(), 304);
  EXPECT_EQ(*Get("k", std::nullopt, "", "\"other\""), "data");
  // Conditions come before the range.
  EXPECT_TRUE(Get("k", ByteRange{100, 1}, "\"0000\"").status().IsPreconditionFailed());

  auto head = store_.HeadObject({"bkt", "k", "\"0000\"", "", {}});
  EXPECT_EQ(head.status().http_status(), 412);
  EXPECT_EQ(head.status().s3_code(), "");
  head = store_.HeadObject({"bkt", "k", "", etag, {}});
  EXPECT_EQ(head.status().http_status(), 304);
  EXPECT_TRUE(store_.HeadObject({"bkt", "k", etag, "\"other\"", {}}).ok());
}

TEST_F(InMemoryStoreTest, ConditionalWrites) {
  auto first = Put("once", "first", {}, "", "*");
  ASSERT_TRUE(first.ok());
  auto second = Put("once", "second", {}, "", "*");
  EXPECT_TRUE(second.status().IsPreconditionFailed());
  EXPECT_EQ(second.status().http_status(), 412);
  EXPECT_EQ(*Get("once"), "first");

  EXPECT_TRUE(Put("once", "third", {}, "\"wrong\"").status().IsPreconditionFailed());
  EXPECT_EQ(*Get("once"), "first");
  auto swapped = Put("once", "third", {}, "\"" + first->etag + "\"");
  ASSERT_TRUE(swapped.ok());
  EXPECT_EQ(*Get("once"), "third");
  // Compare-and-swap on a missing key fails (412, as RGW answers).
  EXPECT_TRUE(Put("absent", "x", {}, first->etag).status().IsPreconditionFailed());
  EXPECT_FALSE(store_.GetDirect("bkt", "absent").has_value());
}

TEST_F(InMemoryStoreTest, BodiesAreReadLikeTheTransportReadsThem) {
  class FailingSource final : public BodySource {
   public:
    Result<size_t> Read(char*, size_t) override { return Status::Io("disk on fire"); }
    bool Rewind() override { return true; }
    uint64_t Size() const override { return 4; }
  } failing;
  auto put = store_.PutObject({"bkt", "k", &failing, {}, "", ""});
  EXPECT_EQ(put.status().kind(), ErrorKind::kIo);
  EXPECT_FALSE(store_.GetDirect("bkt", "k").has_value());

  BufferSource body("abcdef");
  char scratch[3];
  ASSERT_TRUE(body.Read(scratch, 3).ok());  // a partly consumed source is rewound first
  ASSERT_TRUE(store_.PutObject({"bkt", "k", &body, {}, "", ""}).ok());
  EXPECT_EQ(*Get("k"), "abcdef");
  ASSERT_TRUE(store_.PutObject({"bkt", "null-body", nullptr, {}, "", ""}).ok());
  EXPECT_EQ(store_.HeadObject({"bkt", "null-body", "", "", {}})->size, 0u);
}

TEST_F(InMemoryStoreTest, WriteOptionsAreCheckedLikeTheClient) {
  WriteOptions bad_name;
  bad_name.metadata = {{"bad name", "x"}};
  EXPECT_EQ(Put("k", "x", bad_name).status().kind(), ErrorKind::kInvalidArgument);
  WriteOptions bad_value;
  bad_value.metadata = {{"ok", "line\nbreak"}};
  EXPECT_EQ(Put("k", "x", bad_value).status().kind(), ErrorKind::kInvalidArgument);
  WriteOptions bad_class;
  bad_class.storage_class = "COLD_STORAGE";
  EXPECT_EQ(Put("k", "x", bad_class).status().s3_code(), "InvalidStorageClass");
  WriteOptions ia;
  ia.storage_class = "STANDARD_IA";
  ASSERT_TRUE(Put("ia", "x", ia).ok());
  EXPECT_EQ(store_.HeadObject({"bkt", "ia", "", "", {}})->storage_class, "STANDARD_IA");
}

TEST_F(InMemoryStoreTest, ArchivedObjectsCannotBeRead) {
  WriteOptions glacier;
  glacier.storage_class = "GLACIER";
  ASSERT_TRUE(Put("cold", "x", glacier).ok());
  EXPECT_TRUE(store_.HeadObject({"bkt", "cold", "", "", {}}).ok());
  auto get = Get("cold");
  EXPECT_EQ(get.status().s3_code(), "InvalidObjectState");
  EXPECT_EQ(get.status().http_status(), 403);
  CopyObjectRequest copy{"bkt", "cold", "bkt", "warm", CopyObjectRequest::MetadataDirective::kCopy, {}, "", {}};
  EXPECT_EQ(store_.CopyObject(copy).status().s3_code(), "InvalidObjectState");
}

TEST_F(InMemoryStoreTest, DeleteAndDeleteObjects) {
  ASSERT_TRUE(Put("a", "1").ok());
  ASSERT_TRUE(Put("b", "2").ok());
  ASSERT_TRUE(Put("c", "3").ok());
  EXPECT_TRUE(store_.DeleteObject("bkt", "a").ok());
  EXPECT_TRUE(store_.DeleteObject("bkt", "a").ok());  // missing keys delete fine
  auto result = store_.DeleteObjects("bkt", {"b", "missing", "c"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->deleted, (std::vector<std::string>{"b", "missing", "c"}));
  EXPECT_TRUE(result->failed.empty());
  EXPECT_TRUE(store_.KeysDirect("bkt").empty());

  EXPECT_TRUE(store_.DeleteObjects("bkt", {})->deleted.empty());
  EXPECT_EQ(store_.DeleteObjects("bkt", std::vector<std::string>(1001, "k")).status().kind(),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(store_.DeleteObjects("no-such-bucket", {"k"}).status().s3_code(), "NoSuchBucket");
}

TEST_F(InMemoryStoreTest, CopyWithCopyAndReplaceDirectives) {
  WriteOptions options;
  options.content_type = "text/plain";
  options.metadata = {{"mode", "33188"}};
  ASSERT_TRUE(Put("src", "content", options).ok());
  clock_.Advance(seconds(5));

  CopyObjectRequest copy{"bkt", "src", "bkt", "dst", CopyObjectRequest::MetadataDirective::kCopy, {}, "", {}};
  copy.options.metadata = {{"ignored", "with COPY"}};
  auto copied = store_.CopyObject(copy);
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  EXPECT_EQ(copied->etag, s3_semantics::Md5Hex("content"));
  auto info = store_.HeadObject({"bkt", "dst", "", "", {}});
  EXPECT_EQ(info->metadata, (UserMetadata{{"mode", "33188"}}));
  EXPECT_EQ(info->content_type, "text/plain");
  EXPECT_EQ(info->last_modified, clock_.Now());
  EXPECT_EQ(*Get("dst"), "content");

  // In place without changes is refused, as S3 does; with REPLACE it is how chmod works.
  copy.key = "src";
  auto illegal = store_.CopyObject(copy);
  EXPECT_EQ(illegal.status().s3_code(), "InvalidRequest");
  EXPECT_EQ(illegal.status().kind(), ErrorKind::kInvalidArgument);
  copy.directive = CopyObjectRequest::MetadataDirective::kReplace;
  copy.options.metadata = {{"mode", "33261"}};
  ASSERT_TRUE(store_.CopyObject(copy).ok());
  info = store_.HeadObject({"bkt", "src", "", "", {}});
  EXPECT_EQ(info->metadata, (UserMetadata{{"mode", "33261"}}));
  EXPECT_EQ(info->content_type, "binary/octet-stream");  // REPLACE without a type: the default
  EXPECT_EQ(*Get("src"), "content");
}

TEST_F(InMemoryStoreTest, CopyErrors) {
  ASSERT_TRUE(Put("src", "content").ok());
  CopyObjectRequest copy{"bkt", "missing", "bkt", "dst", CopyObjectRequest::MetadataDirective::kCopy, {}, "", {}};
  EXPECT_EQ(store_.CopyObject(copy).status().s3_code(), "NoSuchKey");
  copy.source_bucket = "no-such-bucket";
  EXPECT_EQ(store_.CopyObject(copy).status().s3_code(), "NoSuchBucket");
  copy.source_bucket = "bkt";
  copy.source_key = "src";
  copy.bucket = "no-such-bucket";
  EXPECT_EQ(store_.CopyObject(copy).status().s3_code(), "NoSuchBucket");
  copy.bucket = "bkt";
  copy.source_if_match = "\"stale\"";
  auto stale = store_.CopyObject(copy);
  EXPECT_TRUE(stale.status().IsPreconditionFailed());
  EXPECT_EQ(stale.status().http_status(), 412);
  EXPECT_FALSE(store_.GetDirect("bkt", "dst").has_value());
  copy.source_if_match = s3_semantics::Md5Hex("content");
  EXPECT_TRUE(store_.CopyObject(copy).ok());
}

TEST_F(InMemoryStoreTest, CountsRequestsByOperation) {
  store_.ResetCounters();
  ASSERT_TRUE(Put("a", "1").ok());
  ASSERT_TRUE(store_.HeadObject({"bkt", "a", "", "", {}}).ok());
  EXPECT_FALSE(store_.HeadObject({"bkt", "zzz", "", "", {}}).ok());  // failures count too
  ASSERT_TRUE(Get("a").ok());
  ASSERT_TRUE(store_.ListObjects({"bkt", "", "/", 1000, "", ""}).ok());
  EXPECT_EQ(store_.RequestCount(StoreOperation::kPutObject), 1u);
  EXPECT_EQ(store_.RequestCount("HeadObject"), 2u);
  EXPECT_EQ(store_.RequestCount("GetObject"), 1u);
  EXPECT_EQ(store_.RequestCount("ListObjects"), 1u);
  EXPECT_EQ(store_.RequestCount("DeleteObject"), 0u);
  EXPECT_EQ(store_.TotalRequestCount(), 5u);
  EXPECT_EQ(store_.RequestCounts(),
            (std::map<std::string, uint64_t>{{"GetObject", 1}, {"HeadObject", 2}, {"ListObjects", 1}, {"PutObject", 1}}));
  // Direct access is not a request.
  store_.PutDirect("bkt", "b", "2");
  (void)store_.GetDirect("bkt", "b");
  EXPECT_EQ(store_.TotalRequestCount(), 5u);
  store_.ResetCounters();
  EXPECT_EQ(store_.TotalRequestCount(), 0u);
}

TEST_F(InMemoryStoreTest, UnknownOperationNameIsATestBug) {
  EXPECT_DEATH((void)store_.RequestCount("HeadObjects"), "not an ObjectStore operation");
}

TEST_F(InMemoryStoreTest, DirectAccessSeesAndChangesState) {
  store_.PutDirect("fresh-bucket", "k", "v", {{"uid", "7"}});
  EXPECT_TRUE(store_.HeadBucket("fresh-bucket").ok());
  auto info = store_.HeadObject({"fresh-bucket", "k", "", "", {}});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->metadata.at("uid"), "7");
  EXPECT_EQ(info->etag, s3_semantics::Md5Hex("v"));

  StoredObject odd;
  odd.data = "payload";
  odd.etag = "0123456789abcdef0123456789abcdef-3";
  odd.last_modified = TimePoint(seconds(86400));
  odd.storage_class = "STANDARD";
  store_.SetDirect("bkt", "odd", odd);
  info = store_.HeadObject({"bkt", "odd", "", "", {}});
  EXPECT_EQ(info->etag, odd.etag);
  EXPECT_EQ(info->last_modified, odd.last_modified);
  EXPECT_EQ(info->size, 7u);

  EXPECT_EQ(store_.KeysDirect("bkt"), (std::vector<std::string>{"odd"}));
  EXPECT_TRUE(store_.DeleteDirect("bkt", "odd"));
  EXPECT_FALSE(store_.DeleteDirect("bkt", "odd"));
  EXPECT_TRUE(store_.HeadObject({"bkt", "odd", "", "", {}}).status().IsNotFound());
}

TEST_F(InMemoryStoreTest, ConcurrentWritersAndReaders) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string key = "t" + std::to_string(t) + "/" + std::to_string(i % 10);
        const std::string data = key + "#" + std::to_string(i);
        if (!Put(key, data).ok()) ++failures;
        auto back = Get(key);  // only this thread writes this key
        if (!back.ok() || *back != data) ++failures;
        if (!store_.ListObjects({"bkt", "t", "/", 1000, "", ""}).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_.KeysDirect("bkt").size(), 80u);
  EXPECT_EQ(store_.RequestCount(StoreOperation::kPutObject), 1600u);
}

}  // namespace
}  // namespace s3core::testing
