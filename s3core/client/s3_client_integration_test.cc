// S3Client against the real RGW test server (tests/rgw/start.sh). Each test uses a fresh bucket.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "s3core/client/client_factory.h"
#include "s3core/client/s3_client.h"
#include "s3core/http/curl_http_client.h"
#include "s3core/testing/rgw_env.h"

namespace s3core {
namespace {

using testing::DeleteBucketRecursively;
using testing::MakeClient;
using testing::RgwEnv;
using testing::UniqueBucketName;

class RgwTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = testing::RgwFromEnv();
    if (!env_) {
      if (testing::RgwRequired()) FAIL() << "S3_TEST_ENDPOINT is not set (S3_TEST_REQUIRED=1)";
      GTEST_SKIP() << "no RGW server: run eval \"$(tests/rgw/start.sh)\"";
    }
    client_ = MakeClient(*env_);
    bucket_ = UniqueBucketName("s3core-it");
    ASSERT_TRUE(client_->CreateBucket(bucket_).ok());
  }
  void TearDown() override {
    if (client_) DeleteBucketRecursively(*client_, bucket_);
  }

  Status Put(const std::string& key, const std::string& data, WriteOptions options = {}) {
    BufferSource body(data);
    PutObjectRequest req{bucket_, key, &body, std::move(options), "", ""};
    return client_->PutObject(req).status();
  }
  Result<std::string> Get(const std::string& key, std::optional<ByteRange> range = std::nullopt) {
    std::string out;
    StringSink sink(&out);
    GetObjectRequest req;
    req.bucket = bucket_;
    req.key = key;
    req.range = range;
    S3_RETURN_IF_ERROR(client_->GetObject(req, sink).status());
    return out;
  }

  std::optional<RgwEnv> env_;
  std::shared_ptr<S3Client> client_;
  std::string bucket_;
};

TEST_F(RgwTest, BucketLifecycle) {
  EXPECT_TRUE(client_->HeadBucket(bucket_).ok());
  auto buckets = client_->ListBuckets();
  ASSERT_TRUE(buckets.ok()) << buckets.status().ToString();
  bool found = false;
  for (const auto& b : *buckets) found = found || b.name == bucket_;
  EXPECT_TRUE(found);

  ASSERT_TRUE(Put("x", "1").ok());
  Status not_empty = client_->DeleteBucket(bucket_);
  EXPECT_EQ(not_empty.kind(), ErrorKind::kConflict) << not_empty.ToString();
  EXPECT_EQ(not_empty.s3_code(), "BucketNotEmpty");
  ASSERT_TRUE(client_->DeleteObject(bucket_, "x").ok());
  ASSERT_TRUE(client_->DeleteBucket(bucket_).ok());
  Status gone = client_->HeadBucket(bucket_);
  EXPECT_TRUE(gone.IsNotFound()) << gone.ToString();
  Status missing = client_->DeleteBucket(bucket_);
  EXPECT_TRUE(missing.IsNotFound()) << missing.ToString();
  EXPECT_EQ(missing.s3_code(), "NoSuchBucket");
  EXPECT_FALSE(missing.request_id().empty());
}

TEST_F(RgwTest, PutGetHeadWithMetadata) {
  WriteOptions options;
  options.content_type = "text/plain";
  options.metadata = {{"mode", "33188"}, {"uid", "1000"}, {"mtime", "1700000000"}};
  const std::string data = testing::PatternBytes(100'000, 1);
  ASSERT_TRUE(Put("dir/file.txt", data, options).ok());

  auto info = client_->HeadObject({bucket_, "dir/file.txt", "", "", {}});
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->size, data.size());
  EXPECT_EQ(info->content_type, "text/plain");
  EXPECT_EQ(info->metadata.at("mode"), "33188");
  EXPECT_EQ(info->metadata.at("uid"), "1000");
  EXPECT_EQ(info->etag.size(), 32u);
  auto age = std::chrono::system_clock::now() - info->last_modified;
  EXPECT_LT(std::chrono::abs(age), std::chrono::minutes(10));

  auto body = Get("dir/file.txt");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, data);

  auto middle = Get("dir/file.txt", ByteRange{1000, 500});
  ASSERT_TRUE(middle.ok());
  EXPECT_EQ(*middle, data.substr(1000, 500));
  auto tail = Get("dir/file.txt", ByteRange{99'990, std::nullopt});
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(*tail, data.substr(99'990));
}

TEST_F(RgwTest, ErrorsMapToKinds) {
  auto missing = client_->HeadObject({bucket_, "nope", "", "", {}});
  EXPECT_TRUE(missing.status().IsNotFound());
  auto get_missing = Get("nope");
  EXPECT_TRUE(get_missing.status().IsNotFound());
  EXPECT_EQ(get_missing.status().s3_code(), "NoSuchKey");

  ASSERT_TRUE(Put("k", "0123456789").ok());
  auto past_end = Get("k", ByteRange{100, 10});
  EXPECT_EQ(past_end.status().kind(), ErrorKind::kRangeNotSatisfiable) << past_end.status().ToString();

  auto info = client_->HeadObject({bucket_, "k", "", "", {}});
  ASSERT_TRUE(info.ok());
  std::string out;
  StringSink sink(&out);
  GetObjectRequest wrong_etag{bucket_, "k", std::nullopt, "\"0000\"", "", {}};
  EXPECT_TRUE(client_->GetObject(wrong_etag, sink).status().IsPreconditionFailed());
  GetObjectRequest right_etag{bucket_, "k", std::nullopt, "\"" + info->etag + "\"", "", {}};
  EXPECT_TRUE(client_->GetObject(right_etag, sink).ok());
  EXPECT_EQ(out, "0123456789");
  GetObjectRequest not_modified{bucket_, "k", std::nullopt, "", "\"" + info->etag + "\"", {}};
  EXPECT_TRUE(client_->GetObject(not_modified, sink).status().IsPreconditionFailed());

  auto no_bucket = client_->HeadObject({"s3core-no-such-bucket-x", "k", "", "", {}});
  EXPECT_TRUE(no_bucket.status().IsNotFound());
}

TEST_F(RgwTest, KeysWithSpecialCharacters) {
  const std::vector<std::string> keys = {"a b", "plus+sign", "percent%20", "q?mark", "hash#tag", "amp&er",
                                         "unicode-\xc3\xa9\xe2\x82\xac", "dir/sub/./x", "tilde~", "eq=sign",
                                         "semi;colon", "quote\"s", "lt<gt>", "star*"};
  for (const auto& key : keys) {
    ASSERT_TRUE(Put(key, "v:" + key).ok()) << key;
  }
  for (const auto& key : keys) {
    auto body = Get(key);
    ASSERT_TRUE(body.ok()) << key << ": " << body.status().ToString();
    EXPECT_EQ(*body, "v:" + key);
  }
  ListObjectsRequest list{bucket_, "", "", 1000, "", ""};
  auto page = client_->ListObjects(list);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  std::set<std::string> listed;
  for (const auto& o : page->objects) listed.insert(o.key);
  EXPECT_EQ(listed, std::set<std::string>(keys.begin(), keys.end()));
  auto deleted = client_->DeleteObjects(bucket_, keys);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(deleted->deleted.size(), keys.size());
  EXPECT_TRUE(deleted->failed.empty());
}

TEST_F(RgwTest, ListingWithPrefixDelimiterAndPages) {
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(Put("dir/f" + std::to_string(100 + i), "x").ok());
  ASSERT_TRUE(Put("dir/sub/a", "x").ok());
  ASSERT_TRUE(Put("dir/sub2/b", "x").ok());
  ASSERT_TRUE(Put("other", "x").ok());

  ListObjectsRequest req{bucket_, "dir/", "/", 10, "", ""};
  std::vector<std::string> keys, prefixes;
  int pages = 0;
  for (;;) {
    auto page = client_->ListObjects(req);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ++pages;
    for (const auto& o : page->objects) {
      keys.push_back(o.key);
      EXPECT_EQ(o.size, 1u);
      EXPECT_FALSE(o.etag.empty());
    }
    for (const auto& p : page->common_prefixes) prefixes.push_back(p);
    if (!page->is_truncated) break;
    ASSERT_FALSE(page->next_continuation_token.empty());
    req.continuation_token = page->next_continuation_token;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(keys.size(), 25u);
  EXPECT_EQ(keys.front(), "dir/f100");
  EXPECT_EQ(prefixes, (std::vector<std::string>{"dir/sub/", "dir/sub2/"}));
  EXPECT_GE(pages, 3);
}

TEST_F(RgwTest, CopyWithCopyAndReplaceMetadata) {
  WriteOptions options;
  options.metadata = {{"mode", "33188"}};
  ASSERT_TRUE(Put("src", "content", options).ok());
  CopyObjectRequest copy;
  copy.source_bucket = bucket_;
  copy.source_key = "src";
  copy.bucket = bucket_;
  copy.key = "dst copy";
  auto copied = client_->CopyObject(copy);
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  EXPECT_FALSE(copied->etag.empty());
  auto info = client_->HeadObject({bucket_, "dst copy", "", "", {}});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->metadata.at("mode"), "33188");

  // Replacing the metadata of an object in place: how chmod works on S3.
  copy.key = "src";
  copy.directive = CopyObjectRequest::MetadataDirective::kReplace;
  copy.options.metadata = {{"mode", "33261"}};
  ASSERT_TRUE(client_->CopyObject(copy).ok());
  info = client_->HeadObject({bucket_, "src", "", "", {}});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->metadata.at("mode"), "33261");
  EXPECT_EQ(*Get("src"), "content");

  copy.source_key = "missing";
  EXPECT_TRUE(client_->CopyObject(copy).status().IsNotFound());
}

TEST_F(RgwTest, MultipartUploadWithPartCopy) {
  const std::string part1 = testing::PatternBytes(5 << 20, 2);
  const std::string source = testing::PatternBytes(3 << 20, 3);
  ASSERT_TRUE(Put("source", source).ok());

  auto upload_id = client_->CreateMultipartUpload({bucket_, "big", {}});
  ASSERT_TRUE(upload_id.ok()) << upload_id.status().ToString();
  ASSERT_FALSE(upload_id->empty());

  ListMultipartUploadsRequest list;
  list.bucket = bucket_;
  auto pending = client_->ListMultipartUploads(list);
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  ASSERT_EQ(pending->uploads.size(), 1u);
  EXPECT_EQ(pending->uploads[0].key, "big");
  EXPECT_EQ(pending->uploads[0].upload_id, *upload_id);

  BufferSource body1(part1);
  auto etag1 = client_->UploadPart({bucket_, "big", *upload_id, 1, &body1, {}});
  ASSERT_TRUE(etag1.ok()) << etag1.status().ToString();
  UploadPartCopyRequest copy;
  copy.bucket = bucket_;
  copy.key = "big";
  copy.upload_id = *upload_id;
  copy.part_number = 2;
  copy.source_bucket = bucket_;
  copy.source_key = "source";
  copy.source_range = ByteRange{1 << 20, 1 << 20};
  auto etag2 = client_->UploadPartCopy(copy);
  ASSERT_TRUE(etag2.ok()) << etag2.status().ToString();

  auto done = client_->CompleteMultipartUpload({bucket_, "big", *upload_id, {{1, *etag1}, {2, *etag2}}});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_NE(done->etag.find("-2"), std::string::npos) << done->etag;  // multipart ETag, from HEAD on RGW 16

  auto body = Get("big");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->size(), part1.size() + (1u << 20));
  EXPECT_TRUE(*body == part1 + source.substr(1 << 20, 1 << 20));

  pending = client_->ListMultipartUploads(list);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->uploads.empty());
}

TEST_F(RgwTest, AbortedUploadIsGone) {
  auto upload_id = client_->CreateMultipartUpload({bucket_, "aborted", {}});
  ASSERT_TRUE(upload_id.ok());
  ASSERT_TRUE(client_->AbortMultipartUpload(bucket_, "aborted", *upload_id).ok());
  BufferSource body("x");
  auto part = client_->UploadPart({bucket_, "aborted", *upload_id, 1, &body, {}});
  EXPECT_TRUE(part.status().IsNotFound()) << part.status().ToString();
  EXPECT_TRUE(client_->HeadObject({bucket_, "aborted", "", "", {}}).status().IsNotFound());
  // A Complete of an aborted upload must not report success. (AWS answers NoSuchUpload; RGW 16
  // answers 500 "This multipart completion is already in progress".)
  auto complete = client_->CompleteMultipartUpload({bucket_, "aborted", *upload_id, {{1, "x"}}});
  EXPECT_FALSE(complete.ok());
  EXPECT_TRUE(client_->HeadObject({bucket_, "aborted", "", "", {}}).status().IsNotFound());
}

TEST_F(RgwTest, StreamsFromAndToFiles) {
  char path[] = "/tmp/s3core_it_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  unlink(path);
  const std::string data = testing::PatternBytes(3 << 20, 4);
  ASSERT_EQ(pwrite(fd, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  FileRangeSource source(fd, 1000, data.size() - 2000);
  ASSERT_TRUE(client_->PutObject({bucket_, "from-file", &source, {}, "", ""}).ok());

  FileSink sink(fd, 10);
  GetObjectRequest req{bucket_, "from-file", std::nullopt, "", "", {}};
  ASSERT_TRUE(client_->GetObject(req, sink).ok());
  EXPECT_EQ(sink.written(), data.size() - 2000);
  std::string back(data.size() - 2000, '\0');
  ASSERT_EQ(pread(fd, back.data(), back.size(), 10), static_cast<ssize_t>(back.size()));
  EXPECT_TRUE(back == data.substr(1000, data.size() - 2000));
  close(fd);
}

TEST_F(RgwTest, ConditionalCreateOnlyIfAbsent) {
  BufferSource body("first");
  PutObjectRequest create{bucket_, "once", &body, {}, "", "*"};
  auto first = client_->PutObject(create);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = client_->PutObject(create);
  // RGW 16 honours If-None-Match: * on PUT; a server that ignores it would overwrite.
  EXPECT_TRUE(second.status().IsPreconditionFailed()) << second.status().ToString();
}

TEST_F(RgwTest, WrongCredentialsAreAccessDenied) {
  auto bad = testing::MakeClientWithKeys(*env_, env_->access_key, "wrong-secret");
  Status s = bad->HeadBucket(bucket_);
  EXPECT_EQ(s.kind(), ErrorKind::kAccessDenied) << s.ToString();
  auto unknown = testing::MakeClientWithKeys(*env_, "NOSUCHKEY", "x");
  auto list = unknown->ListBuckets();
  EXPECT_EQ(list.status().kind(), ErrorKind::kAccessDenied) << list.status().ToString();
  EXPECT_EQ(list.status().s3_code(), "InvalidAccessKeyId");
  EXPECT_EQ(list.status().ToString().find("wrong-secret"), std::string::npos);
}

TEST_F(RgwTest, UnreachableEndpointFailsInBoundedTime) {
  RgwEnv dead = *env_;
  dead.endpoint = "http://127.0.0.1:9";  // discard port: nothing listens
  S3ClientConfig config;
  config.retry.max_attempts = 2;
  config.retry.base_delay = std::chrono::milliseconds(10);
  auto client = MakeClient(dead, config);
  const auto start = std::chrono::steady_clock::now();
  Status s = client->HeadBucket(bucket_);
  EXPECT_EQ(s.kind(), ErrorKind::kNetwork) << s.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(RgwTest, PresignedUrlWorksWithoutCredentials) {
  ASSERT_TRUE(Put("shared", "presigned body").ok());
  auto url = client_->PresignUrl("GET", bucket_, "shared", std::chrono::seconds(300));
  ASSERT_TRUE(url.ok());
  CurlHttpClient http(HttpClientOptions{});
  std::string out;
  StringSink sink(&out);
  auto response = http.Send({"GET", *url, {}, nullptr}, &sink);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(out, "presigned body");
}

TEST_F(RgwTest, SignedPayloadIsAccepted) {
  S3ClientConfig config;
  config.sign_payload = true;
  auto client = MakeClient(*env_, config);
  BufferSource body("signed");
  ASSERT_TRUE(client->PutObject({bucket_, "signed", &body, {}, "", ""}).ok());
  EXPECT_EQ(*Get("signed"), "signed");
}

TEST_F(RgwTest, ConcurrentRequestsShareThePool) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const std::string key = "t" + std::to_string(t) + "/" + std::to_string(i);
        const std::string data = testing::PatternBytes(4096, static_cast<unsigned>(t * 100 + i));
        if (!Put(key, data).ok()) ++failures;
        auto back = Get(key);
        if (!back.ok() || *back != data) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace s3core

namespace s3core {
namespace {

TEST_F(RgwTest, FactoryWithS3fsPasswdFile) {
  char dir[] = "/tmp/s3core_pw_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/passwd";
  const std::string line = bucket_ + ":" + env_->access_key + ":" + env_->secret_key + "\n";
  int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_EXCL, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, line.data(), line.size()), static_cast<ssize_t>(line.size()));
  close(fd);

  S3Settings settings;
  settings.endpoint = env_->endpoint;
  settings.region = env_->region;
  settings.addressing = AddressingStyle::kPath;
  settings.credentials.passwd_file = path;
  settings.credentials.bucket = bucket_;
  settings.credentials.env = Environment::Fake({}, dir);
  // A passwd file others can read is refused, as s3fs refuses it.
  auto loose = MakeS3Client(settings);
  ASSERT_TRUE(loose.ok());
  Status refused = loose->client->HeadBucket(bucket_);
  EXPECT_EQ(refused.kind(), ErrorKind::kCredentials) << refused.ToString();
  EXPECT_EQ(refused.ToString().find(env_->secret_key), std::string::npos);

  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  auto bundle = MakeS3Client(settings);
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  Status head = bundle->client->HeadBucket(bucket_);
  EXPECT_TRUE(head.ok()) << head.ToString();
  unlink(path.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace s3core

namespace s3core {
namespace {

TEST_F(RgwTest, VirtualHostStyleAddressing) {
  // *.localhost resolves to the loopback address (libnss-myhostname), and RGW's
  // "rgw dns name = localhost" makes it read the bucket from the Host header.
  RgwEnv vhost = *env_;
  vhost.endpoint = "http://localhost:" + env_->endpoint.substr(env_->endpoint.rfind(':') + 1);
  S3ClientConfig config;
  config.addressing = AddressingStyle::kVirtualHost;
  auto client = MakeClient(vhost, config);
  BufferSource body("virtual host");
  auto put = client->PutObject({bucket_, "vh key", &body, {}, "", ""});
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(*Get("vh key"), "virtual host");  // read back path-style
}

TEST_F(RgwTest, SseCustomerKeyRoundTrip) {
  WriteOptions options;
  options.sse.mode = ServerSideEncryption::Mode::kCustomerKey;
  options.sse.customer_key = std::string("0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(Put("secret", "encrypted body", options).ok());
  // Without the key the object cannot be read; with it, it can.
  EXPECT_FALSE(Get("secret").ok());
  std::string out;
  StringSink sink(&out);
  GetObjectRequest req{bucket_, "secret", std::nullopt, "", "", options.sse};
  ASSERT_TRUE(client_->GetObject(req, sink).ok());
  EXPECT_EQ(out, "encrypted body");
  auto head = client_->HeadObject({bucket_, "secret", "", "", options.sse});
  EXPECT_TRUE(head.ok()) << head.status().ToString();
}

TEST_F(RgwTest, SseKmsWithTestKey) {
  WriteOptions options;
  options.sse.mode = ServerSideEncryption::Mode::kKms;
  options.sse.kms_key_id = "s3csi-test-key";  // tests/rgw configures RGW's "testing" KMS backend
  ASSERT_TRUE(Put("kms", "kms body", options).ok());
  auto back = Get("kms");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, "kms body");
}

}  // namespace
}  // namespace s3core
