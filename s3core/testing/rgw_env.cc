#include "s3core/testing/rgw_env.h"

#include <cstdlib>
#include <random>

#include "s3core/http/curl_http_client.h"

namespace s3core::testing {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::optional<RgwEnv> RgwFromEnv() {
  RgwEnv env{Env("S3_TEST_ENDPOINT"), Env("S3_TEST_ACCESS_KEY"), Env("S3_TEST_SECRET_KEY"), Env("S3_TEST_REGION")};
  if (env.endpoint.empty() || env.access_key.empty() || env.secret_key.empty()) return std::nullopt;
  if (env.region.empty()) env.region = "us-east-1";
  return env;
}

bool RgwRequired() { return Env("S3_TEST_REQUIRED") == "1"; }

std::shared_ptr<S3Client> MakeClientWithKeys(const RgwEnv& env, const std::string& access_key,
                                             const std::string& secret_key, S3ClientConfig config) {
  auto endpoint = Endpoint::Parse(env.endpoint);
  if (!endpoint.ok()) std::abort();
  config.endpoint = *endpoint;
  config.region = env.region;
  if (config.addressing == AddressingStyle::kAuto) config.addressing = AddressingStyle::kPath;
  HttpClientOptions http_options;
  http_options.connect_timeout = std::chrono::milliseconds(2000);
  auto http = std::make_shared<CurlHttpClient>(http_options);
  auto credentials =
      std::make_shared<StaticCredentialsProvider>(Credentials{access_key, secret_key, "", std::nullopt, "test"});
  return std::make_shared<S3Client>(std::move(config), std::move(http), std::move(credentials));
}

std::shared_ptr<S3Client> MakeClient(const RgwEnv& env, S3ClientConfig config) {
  return MakeClientWithKeys(env, env.access_key, env.secret_key, std::move(config));
}

std::string UniqueBucketName(const std::string& prefix) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string name = prefix + "-";
  for (int i = 0; i < 12; ++i) name += kHex[rd() % 16];
  return name;
}

std::string PatternBytes(size_t n, unsigned seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (auto& c : s) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

void DeleteBucketRecursively(ObjectStore& store, const std::string& bucket) {
  ListObjectsRequest list;
  list.bucket = bucket;
  for (int round = 0; round < 1000; ++round) {
    auto page = store.ListObjects(list);
    if (!page.ok() || page->objects.empty()) break;
    std::vector<std::string> keys;
    for (const auto& o : page->objects) keys.push_back(o.key);
    (void)store.DeleteObjects(bucket, keys);
  }
  ListMultipartUploadsRequest uploads;
  uploads.bucket = bucket;
  if (auto pending = store.ListMultipartUploads(uploads); pending.ok()) {
    for (const auto& u : pending->uploads) (void)store.AbortMultipartUpload(bucket, u.key, u.upload_id);
  }
  (void)store.DeleteBucket(bucket);
}

}  // namespace s3core::testing
