// TLS in CurlHttpClient: verification is on by default, and the CA bundle and verify_tls
// options reach libcurl. Uses a throwaway self-signed certificate made at test time.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "s3core/http/curl_http_client.h"
#include "s3core/http/testing/test_http_server.h"
#include "s3core/http/testing/tls_test_server.h"

namespace s3core {
namespace {

class TempDir {
 public:
  TempDir() {
    char path[] = "/tmp/s3core_tls_test_XXXXXX";
    if (::mkdtemp(path) != nullptr) path_ = path;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

HttpRequest Get(std::string url) {
  HttpRequest r;
  r.method = "GET";
  r.url = std::move(url);
  return r;
}

TEST(CurlHttpClientTlsTest, SelfSignedCertificateIsRejectedByDefault) {
  TempDir dir;
  testing::TlsTestServer server(dir.path());
  ASSERT_TRUE(server.ok());
  CurlHttpClient client;  // default options: verify on, system CA store
  auto resp = client.Send(Get(server.Url("/b/k")), nullptr);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kNetwork) << resp.status().ToString();
  EXPECT_EQ(resp.status().curl_code(), CURLE_PEER_FAILED_VERIFICATION) << resp.status().ToString();
}

TEST(CurlHttpClientTlsTest, CaBundleOptionTrustsTheCertificate) {
  TempDir dir;
  testing::TlsTestServer server(dir.path());
  ASSERT_TRUE(server.ok());
  HttpClientOptions options;
  options.ca_bundle = server.cert_path();
  CurlHttpClient client(options);
  auto resp = client.Send(Get(server.Url("/b/k")), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "ok");
}

TEST(CurlHttpClientTlsTest, VerifyOffAcceptsAnyCertificate) {
  TempDir dir;
  testing::TlsTestServer server(dir.path());
  ASSERT_TRUE(server.ok());
  HttpClientOptions options;
  options.verify_tls = false;
  CurlHttpClient client(options);
  for (int i = 0; i < 3; ++i) {  // new connections each time ("Connection: close")
    auto resp = client.Send(Get(server.Url("/")), nullptr);
    ASSERT_TRUE(resp.ok()) << resp.status().ToString();
    EXPECT_EQ(resp->body, "ok");
  }
  EXPECT_EQ(server.handshakes(), 3);
}

TEST(CurlHttpClientTlsTest, MissingCaBundleFails) {
  TempDir dir;
  testing::TlsTestServer server(dir.path());
  ASSERT_TRUE(server.ok());
  HttpClientOptions options;
  options.ca_bundle = dir.path() + "/no-such-bundle.pem";
  CurlHttpClient client(options);
  auto resp = client.Send(Get(server.Url("/")), nullptr);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kNetwork) << resp.status().ToString();
}

TEST(CurlHttpClientTlsTest, HttpsToPlainServerIsNetworkError) {
  testing::TestHttpServer server([](const testing::TestRequest&) { return testing::TestResponse::Ok(); });
  CurlHttpClient client;
  auto resp = client.Send(Get("https://127.0.0.1:" + std::to_string(server.port()) + "/"), nullptr);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kNetwork) << resp.status().ToString();
  EXPECT_EQ(server.request_count(), 0u);
}

}  // namespace
}  // namespace s3core
