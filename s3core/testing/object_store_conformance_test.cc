// The same checks against InMemoryObjectStore and against S3Client on the RGW test server: how
// we know the fake behaves like S3. Every expectation here holds for both; where RGW and AWS
// differ (and the fake follows AWS), the check is left out or accepts both, with a note.
//
// The RGW instance skips when S3_TEST_ENDPOINT is unset, and fails if S3_TEST_REQUIRED=1.
#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "s3core/client/s3_client.h"
#include "s3core/testing/in_memory_object_store.h"
#include "s3core/testing/rgw_env.h"
#include "s3core/testing/s3_semantics.h"

namespace s3core::testing {
namespace {

using s3_semantics::Md5Hex;
using Keys = std::vector<std::string>;

struct InMemoryBackend {
  static std::shared_ptr<ObjectStore> Open(std::string* /*skip_reason*/) {
    return std::make_shared<InMemoryObjectStore>();  // defaults, 5 MiB parts as on RGW
  }
};

struct RgwBackend {
  static std::shared_ptr<ObjectStore> Open(std::string* skip_reason) {
    auto env = RgwFromEnv();
    if (!env) {
      *skip_reason = "no RGW server: run eval \"$(tests/rgw/start.sh)\"";
      return nullptr;
    }
    return MakeClient(*env);
  }
};

template <typename Backend>
class ObjectStoreConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string skip_reason;
    store_ = Backend::Open(&skip_reason);
    if (!store_) {
      if (RgwRequired()) FAIL() << "S3_TEST_ENDPOINT is not set (S3_TEST_REQUIRED=1)";
      GTEST_SKIP() << skip_reason;
    }
    bucket_ = UniqueBucketName("s3core-conf");
    ASSERT_TRUE(store_->CreateBucket(bucket_).ok());
  }
  void TearDown() override {
    if (store_) DeleteBucketRecursively(*store_, bucket_);
  }

  Result<PutObjectResult> Put(const std::string& key, const std::string& data, WriteOptions options = {},
                              std::string if_match = "", std::string if_none_match = "") {
    BufferSource body(data);
    return store_->PutObject({bucket_, key, &body, std::move(options), std::move(if_match), std::move(if_none_match)});
  }
  Result<std::string> Get(const std::string& key, std::optional<ByteRange> range = std::nullopt,
                          std::string if_match = "", std::string if_none_match = "") {
    std::string out;
    StringSink sink(&out);
    S3_RETURN_IF_ERROR(
        store_->GetObject({bucket_, key, range, std::move(if_match), std::move(if_none_match), {}}, sink).status());
    return out;
  }
  Result<ObjectInfo> Head(const std::string& key, std::string if_match = "", std::string if_none_match = "") {
    return store_->HeadObject({bucket_, key, std::move(if_match), std::move(if_none_match), {}});
  }
  ListObjectsRequest ListReq(std::string prefix, std::string delimiter, int max_keys = 1000) {
    return ListObjectsRequest{bucket_, std::move(prefix), std::move(delimiter), max_keys, "", ""};
  }
  // Objects and common prefixes of every page, and the number of pages.
  std::tuple<Keys, Keys, int> ListAll(ListObjectsRequest req) {
    Keys keys, prefixes;
    int pages = 0;
    for (; pages < 100; ) {
      auto page = store_->ListObjects(req);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      ++pages;
      EXPECT_LE(static_cast<int>(page->objects.size() + page->common_prefixes.size()), req.max_keys);
      for (const auto& o : page->objects) keys.push_back(o.key);
      for (const auto& p : page->common_prefixes) prefixes.push_back(p);
      if (!page->is_truncated) break;
      req.continuation_token = page->next_continuation_token;
    }
    return {keys, prefixes, pages};
  }

  std::shared_ptr<ObjectStore> store_;
  std::string bucket_;
};

// An S3 error as the client reports it: the HTTP status, the S3 code ("" for bodiless answers
// to HEAD and 304) and the kind derived from them.
#define EXPECT_S3_ERROR(status_expr, http, code)                                   \
  do {                                                                             \
    const ::s3core::Status st_ = (status_expr);                                    \
    EXPECT_EQ(st_.http_status(), (http)) << st_.ToString();                        \
    EXPECT_EQ(st_.s3_code(), (code)) << st_.ToString();                            \
    EXPECT_EQ(st_.kind(), ::s3core::ClassifyS3Error((http), (code))) << st_.ToString(); \
  } while (0)

class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, InMemoryBackend> ? "InMemory" : "Rgw";
  }
};
using Backends = ::testing::Types<InMemoryBackend, RgwBackend>;
TYPED_TEST_SUITE(ObjectStoreConformanceTest, Backends, BackendNames);

TYPED_TEST(ObjectStoreConformanceTest, Buckets) {
  auto& store = *this->store_;
  EXPECT_TRUE(store.HeadBucket(this->bucket_).ok());
  EXPECT_S3_ERROR(store.HeadBucket("s3core-conf-no-such-bucket"), 404, "");
  EXPECT_S3_ERROR(store.DeleteBucket("s3core-conf-no-such-bucket"), 404, "NoSuchBucket");
  // Re-creating one's own bucket: 200 on RGW and AWS us-east-1, 409 BucketAlreadyOwnedByYou
  // elsewhere on AWS (the fake's default). Either way it is not an error of another kind.
  Status again = store.CreateBucket(this->bucket_);
  EXPECT_TRUE(again.ok() || again.kind() == ErrorKind::kAlreadyExists) << again.ToString();
  auto buckets = store.ListBuckets();
  ASSERT_TRUE(buckets.ok());
  std::set<std::string> names;
  for (const auto& b : *buckets) names.insert(b.name);
  EXPECT_EQ(names.count(this->bucket_), 1u);

  ASSERT_TRUE(this->Put("x", "1").ok());
  EXPECT_S3_ERROR(store.DeleteBucket(this->bucket_), 409, "BucketNotEmpty");
  ASSERT_TRUE(store.DeleteObject(this->bucket_, "x").ok());
  // A pending multipart upload does not keep a bucket alive.
  ASSERT_TRUE(store.CreateMultipartUpload({this->bucket_, "pending", {}}).ok());
  ASSERT_TRUE(store.DeleteBucket(this->bucket_).ok());
  EXPECT_S3_ERROR(store.HeadBucket(this->bucket_), 404, "");
}

TYPED_TEST(ObjectStoreConformanceTest, PutGetHeadAndMetadata) {
  WriteOptions options;
  options.content_type = "text/plain";
  options.metadata = {{"mode", "33188"}, {"Uid", "1000"}};
  const std::string data = testing::PatternBytes(100'000, 1);
  auto put = this->Put("dir/file", data, options);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, Md5Hex(data));

  auto info = this->Head("dir/file");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->size, data.size());
  EXPECT_EQ(info->etag, Md5Hex(data));
  EXPECT_EQ(info->content_type, "text/plain");
  EXPECT_EQ(info->storage_class, "");  // not sent for STANDARD
  EXPECT_EQ(info->metadata, (UserMetadata{{"mode", "33188"}, {"uid", "1000"}}));
  EXPECT_EQ(*this->Get("dir/file"), data);

  ASSERT_TRUE(this->Put("plain", "x").ok());
  EXPECT_EQ(this->Head("plain")->content_type, "binary/octet-stream");
  ASSERT_TRUE(this->Put("plain", "overwritten").ok());
  EXPECT_EQ(*this->Get("plain"), "overwritten");
  EXPECT_EQ(this->Head("plain")->size, 11u);
}

TYPED_TEST(ObjectStoreConformanceTest, MissingObjects) {
  auto& store = *this->store_;
  EXPECT_S3_ERROR(this->Head("nope").status(), 404, "");
  EXPECT_S3_ERROR(this->Get("nope").status(), 404, "NoSuchKey");
  std::string out;
  StringSink sink(&out);
  EXPECT_S3_ERROR(store.GetObject({"s3core-conf-no-such-bucket", "k", std::nullopt, "", "", {}}, sink).status(), 404,
                  "NoSuchBucket");
  BufferSource body("x");
  EXPECT_S3_ERROR(store.PutObject({"s3core-conf-no-such-bucket", "k", &body, {}, "", ""}).status(), 404,
                  "NoSuchBucket");
  EXPECT_TRUE(store.DeleteObject(this->bucket_, "nope").ok());
  EXPECT_S3_ERROR(store.DeleteObject("s3core-conf-no-such-bucket", "k"), 404, "NoSuchBucket");

  ASSERT_TRUE(this->Put("a", "1").ok());
  auto deleted = store.DeleteObjects(this->bucket_, {"a", "never-existed"});
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(std::set<std::string>(deleted->deleted.begin(), deleted->deleted.end()),
            (std::set<std::string>{"a", "never-existed"}));
  EXPECT_TRUE(deleted->failed.empty());
  EXPECT_TRUE(this->Head("a").status().IsNotFound());
}

TYPED_TEST(ObjectStoreConformanceTest, RangedReads) {
  ASSERT_TRUE(this->Put("ten", "0123456789").ok());
  EXPECT_EQ(*this->Get("ten", ByteRange{2, 3}), "234");
  EXPECT_EQ(*this->Get("ten", ByteRange{7, std::nullopt}), "789");
  EXPECT_EQ(*this->Get("ten", ByteRange{5, 100}), "56789");
  std::string out;
  StringSink sink(&out);
  auto info = this->store_->GetObject({this->bucket_, "ten", ByteRange{4, 2}, "", "", {}}, sink);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->size, 10u);
  EXPECT_EQ(info->etag, Md5Hex("0123456789"));
  EXPECT_S3_ERROR(this->Get("ten", ByteRange{10, 5}).status(), 416, "InvalidRange");

  ASSERT_TRUE(this->Put("empty", "").ok());
  EXPECT_EQ(*this->Get("empty"), "");
  EXPECT_S3_ERROR(this->Get("empty", ByteRange{0, std::nullopt}).status(), 416, "InvalidRange");
  EXPECT_S3_ERROR(this->Get("empty", ByteRange{0, 10}).status(), 416, "InvalidRange");
}

TYPED_TEST(ObjectStoreConformanceTest, ConditionalReadsAndWrites) {
  auto put = this->Put("k", "data");
  ASSERT_TRUE(put.ok());
  const std::string etag = put->etag;
  EXPECT_EQ(*this->Get("k", std::nullopt, "\"" + etag + "\""), "data");
  EXPECT_EQ(*this->Get("k", std::nullopt, etag), "data");
  EXPECT_S3_ERROR(this->Get("k", std::nullopt, "\"00000000\"").status(), 412, "PreconditionFailed");
  EXPECT_S3_ERROR(this->Get("k", std::nullopt, "", "\"" + etag + "\"").status(), 304, "");
  EXPECT_EQ(*this->Get("k", std::nullopt, "", "\"00000000\""), "data");
  EXPECT_S3_ERROR(this->Head("k", "\"00000000\"").status(), 412, "");
  EXPECT_S3_ERROR(this->Head("k", "", etag).status(), 304, "");
  // Not checked: If-Match: * and If-None-Match: * on reads (RGW 16 gets both wrong).

  EXPECT_S3_ERROR(this->Put("k", "new", {}, "", "*").status(), 412, "PreconditionFailed");
  EXPECT_S3_ERROR(this->Put("k", "new", {}, "\"00000000\"").status(), 412, "PreconditionFailed");
  EXPECT_EQ(*this->Get("k"), "data");
  // Unquoted: RGW 16 compares a PUT's If-Match literally, so a quoted ETag never matches there.
  ASSERT_TRUE(this->Put("k", "new", {}, etag).ok());
  EXPECT_EQ(*this->Get("k"), "new");
  EXPECT_TRUE(this->Put("fresh", "x", {}, "", "*").ok());
  EXPECT_TRUE(this->Put("absent", "x", {}, etag).status().IsPreconditionFailed());
}

TYPED_TEST(ObjectStoreConformanceTest, ListingOrderPrefixesAndPages) {
  for (const char* key : {"a", "B", "a+b", "a-b", "dir/f1", "dir/f2", "dir/sub/x", "dir/sub/y", "dir/sub2/z",
                          "dir0", "z", "\xc3\xa9t\xc3\xa9"}) {
    ASSERT_TRUE(this->Put(key, "x").ok()) << key;
  }
  auto [all, none, pages] = this->ListAll(this->ListReq("", ""));
  EXPECT_EQ(all, (Keys{"B", "a", "a+b", "a-b", "dir/f1", "dir/f2", "dir/sub/x", "dir/sub/y", "dir/sub2/z", "dir0",
                       "z", "\xc3\xa9t\xc3\xa9"}));
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(pages, 1);

  auto [root, root_prefixes, root_pages] = this->ListAll(this->ListReq("", "/"));
  EXPECT_EQ(root, (Keys{"B", "a", "a+b", "a-b", "dir0", "z", "\xc3\xa9t\xc3\xa9"}));
  EXPECT_EQ(root_prefixes, (Keys{"dir/"}));

  auto [dir, dir_prefixes, dir_pages] = this->ListAll(this->ListReq("dir/", "/"));
  EXPECT_EQ(dir, (Keys{"dir/f1", "dir/f2"}));
  EXPECT_EQ(dir_prefixes, (Keys{"dir/sub/", "dir/sub2/"}));

  // One entry per page: common prefixes count toward max-keys, and a page that ends on a
  // common prefix resumes after all of its keys.
  auto [paged, paged_prefixes, one_pages] = this->ListAll(this->ListReq("dir/", "/", 1));
  EXPECT_EQ(paged, (Keys{"dir/f1", "dir/f2"}));
  EXPECT_EQ(paged_prefixes, (Keys{"dir/sub/", "dir/sub2/"}));
  EXPECT_EQ(one_pages, 4);

  auto [two, two_prefixes, two_pages] = this->ListAll(this->ListReq("dir/", "/", 2));
  EXPECT_EQ(two_pages, 2);  // exactly full last page: not truncated

  auto first = this->store_->ListObjects(this->ListReq("", "", 3));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->is_truncated);
  ASSERT_EQ(first->objects.size(), 3u);
  EXPECT_EQ(first->objects[0].size, 1u);
  EXPECT_EQ(first->objects[0].etag, Md5Hex("x"));
  EXPECT_EQ(first->objects[0].storage_class, "STANDARD");

  ListObjectsRequest after = this->ListReq("dir/", "");
  after.start_after = "dir/f2";
  auto [rest, rest_prefixes, rest_pages] = this->ListAll(after);
  EXPECT_EQ(rest, (Keys{"dir/sub/x", "dir/sub/y", "dir/sub2/z"}));
  after.start_after = "dir/sub/x";  // inside a common prefix: it sorts before, so is not listed
  after.delimiter = "/";
  auto [inside, inside_prefixes, inside_pages] = this->ListAll(after);
  EXPECT_TRUE(inside.empty());
  EXPECT_EQ(inside_prefixes, (Keys{"dir/sub2/"}));
  after.delimiter.clear();
  after.start_after = "a";  // before the prefix
  EXPECT_EQ(std::get<0>(this->ListAll(after)).size(), 5u);
}

TYPED_TEST(ObjectStoreConformanceTest, CopyObject) {
  WriteOptions options;
  options.content_type = "text/plain";
  options.metadata = {{"mode", "33188"}};
  auto src = this->Put("src", "content", options);
  ASSERT_TRUE(src.ok());
  CopyObjectRequest copy{this->bucket_, "src", this->bucket_, "dst", CopyObjectRequest::MetadataDirective::kCopy,
                         {}, "", {}};
  auto copied = this->store_->CopyObject(copy);
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  EXPECT_EQ(copied->etag, src->etag);
  auto info = this->Head("dst");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->metadata, (UserMetadata{{"mode", "33188"}}));
  EXPECT_EQ(info->content_type, "text/plain");
  EXPECT_EQ(*this->Get("dst"), "content");

  copy.key = "src";
  EXPECT_S3_ERROR(this->store_->CopyObject(copy).status(), 400, "InvalidRequest");  // to itself, unchanged
  copy.directive = CopyObjectRequest::MetadataDirective::kReplace;
  copy.options.metadata = {{"mode", "33261"}};
  copy.options.content_type = "application/json";
  ASSERT_TRUE(this->store_->CopyObject(copy).ok());
  info = this->Head("src");
  EXPECT_EQ(info->metadata, (UserMetadata{{"mode", "33261"}}));
  EXPECT_EQ(info->content_type, "application/json");
  EXPECT_EQ(*this->Get("src"), "content");

  copy.source_key = "missing";
  EXPECT_S3_ERROR(this->store_->CopyObject(copy).status(), 404, "NoSuchKey");
  copy.source_key = "src";
  copy.bucket = "s3core-conf-no-such-bucket";
  EXPECT_S3_ERROR(this->store_->CopyObject(copy).status(), 404, "NoSuchBucket");
  // Not checked: x-amz-copy-source-if-match (RGW 16 ignores it; AWS and the fake honour it).
}

TYPED_TEST(ObjectStoreConformanceTest, MultipartUpload) {
  auto& store = *this->store_;
  const std::string& bucket = this->bucket_;
  const std::string part1 = testing::PatternBytes(5 << 20, 2);
  const std::string source = testing::PatternBytes(100'000, 3);
  ASSERT_TRUE(this->Put("source", source).ok());

  WriteOptions options;
  options.metadata = {{"mode", "33188"}};
  auto id = store.CreateMultipartUpload({bucket, "big", options});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ListMultipartUploadsRequest list;
  list.bucket = bucket;
  auto pending = store.ListMultipartUploads(list);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->uploads.size(), 1u);
  EXPECT_EQ(pending->uploads[0].key, "big");
  EXPECT_EQ(pending->uploads[0].upload_id, *id);

  BufferSource first_try("replaced by the second upload of part 1");
  ASSERT_TRUE(store.UploadPart({bucket, "big", *id, 1, &first_try, {}}).ok());
  BufferSource body1(part1);
  auto e1 = store.UploadPart({bucket, "big", *id, 1, &body1, {}});
  ASSERT_TRUE(e1.ok()) << e1.status().ToString();
  EXPECT_EQ(*e1, Md5Hex(part1));

  UploadPartCopyRequest copy;
  copy.bucket = bucket;
  copy.key = "big";
  copy.upload_id = *id;
  copy.part_number = 2;
  copy.source_bucket = bucket;
  copy.source_key = "source";
  copy.source_range = ByteRange{99'000, 2'000};  // runs past the end
  EXPECT_S3_ERROR(store.UploadPartCopy(copy).status(), 416, "InvalidRange");
  copy.source_range = ByteRange{1'000, 2'000};
  auto e2 = store.UploadPartCopy(copy);
  ASSERT_TRUE(e2.ok()) << e2.status().ToString();
  EXPECT_EQ(*e2, Md5Hex(source.substr(1'000, 2'000)));

  EXPECT_S3_ERROR(store.CompleteMultipartUpload({bucket, "big", *id, {{1, *e1}, {2, "00000000"}}}).status(), 400,
                  "InvalidPart");
  auto done = store.CompleteMultipartUpload({bucket, "big", *id, {{1, *e1}, {2, *e2}}});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->etag, s3_semantics::MultipartEtag({*e1, *e2}));
  auto info = this->Head("big");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->etag, done->etag);
  EXPECT_EQ(info->size, part1.size() + 2'000);
  EXPECT_EQ(info->metadata.at("mode"), "33188");
  auto back = this->Get("big");
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(*back == part1 + source.substr(1'000, 2'000));
  pending = store.ListMultipartUploads(list);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->uploads.empty());
}

TYPED_TEST(ObjectStoreConformanceTest, MultipartErrors) {
  auto& store = *this->store_;
  const std::string& bucket = this->bucket_;
  auto id = store.CreateMultipartUpload({bucket, "small", {}});
  ASSERT_TRUE(id.ok());
  BufferSource a("small part"), b("tail");
  auto e1 = store.UploadPart({bucket, "small", *id, 1, &a, {}});
  auto e2 = store.UploadPart({bucket, "small", *id, 2, &b, {}});
  ASSERT_TRUE(e1.ok() && e2.ok());
  EXPECT_S3_ERROR(store.CompleteMultipartUpload({bucket, "small", *id, {{1, *e1}, {2, *e2}}}).status(), 400,
                  "EntityTooSmall");

  BufferSource x("x");
  EXPECT_S3_ERROR(store.UploadPart({bucket, "small", "2~no-such-upload", 1, &x, {}}).status(), 404, "NoSuchUpload");
  EXPECT_S3_ERROR(store.UploadPart({bucket, "other-key", *id, 1, &x, {}}).status(), 404, "NoSuchUpload");
  EXPECT_S3_ERROR(store.AbortMultipartUpload(bucket, "small", "2~no-such-upload"), 404, "NoSuchUpload");

  ASSERT_TRUE(store.AbortMultipartUpload(bucket, "small", *id).ok());
  EXPECT_S3_ERROR(store.UploadPart({bucket, "small", *id, 3, &x, {}}).status(), 404, "NoSuchUpload");
  // Completing an aborted upload fails: NoSuchUpload on AWS and the fake, 500 on RGW 16.
  EXPECT_FALSE(store.CompleteMultipartUpload({bucket, "small", *id, {{1, *e1}}}).ok());
  EXPECT_TRUE(this->Head("small").status().IsNotFound());
  EXPECT_S3_ERROR(store.CreateMultipartUpload({"s3core-conf-no-such-bucket", "k", {}}).status(), 404,
                  "NoSuchBucket");
}

}  // namespace
}  // namespace s3core::testing
