#include "s3core/credentials/web_identity_provider.h"

#include "s3core/body.h"
#include "s3core/credentials/file_reader.h"
#include "s3core/credentials/http_fetch.h"
#include "s3core/credentials/sts_response.h"
#include "s3core/credentials/text_util.h"

namespace s3core {

using credentials_internal::Trim;

namespace {

std::string RegionOf(const Environment& env, std::string region) {
  if (!region.empty()) return region;
  if (auto r = env.Get("AWS_REGION")) return *r;
  return env.Get("AWS_DEFAULT_REGION").value_or("");
}

}  // namespace

std::string StsEndpoint(const Environment& env, std::string region) {
  if (auto url = env.Get("AWS_ENDPOINT_URL_STS")) {
    std::string base = *url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
  }
  region = RegionOf(env, std::move(region));
  const bool china = region.rfind("cn-", 0) == 0;
  const bool regional = credentials_internal::EqualsIgnoreCase(
      env.Get("AWS_STS_REGIONAL_ENDPOINTS").value_or(""), "regional");
  if (!region.empty() && (regional || china)) {
    return "https://sts." + region + (china ? ".amazonaws.com.cn" : ".amazonaws.com");
  }
  return "https://sts.amazonaws.com";
}

std::optional<WebIdentityOptions> WebIdentityOptions::FromEnvironment(const Environment& env,
                                                                      std::string region) {
  auto token_file = env.Get("AWS_WEB_IDENTITY_TOKEN_FILE");
  if (!token_file) return std::nullopt;
  WebIdentityOptions options;
  options.token_file = *token_file;
  options.role_arn = env.Get("AWS_ROLE_ARN").value_or("");
  options.session_name = env.Get("AWS_ROLE_SESSION_NAME").value_or("");
  options.sts_endpoint = StsEndpoint(env, std::move(region));
  return options;
}

WebIdentityCredentialsProvider::WebIdentityCredentialsProvider(WebIdentityOptions options,
                                                               std::shared_ptr<HttpClient> http, Clock clock)
    : options_(std::move(options)), http_(std::move(http)), clock_(std::move(clock)) {}

Result<Credentials> WebIdentityCredentialsProvider::Get() {
  Result<Credentials> result = Fetch();
  if (!result.ok()) {
    return Status::Error(ErrorKind::kCredentials,
                         "web identity (role " + (options_.role_arn.empty() ? "<unset>" : options_.role_arn) +
                             "): " + result.status().message());
  }
  return result;
}

Result<Credentials> WebIdentityCredentialsProvider::Fetch() {
  if (options_.role_arn.empty()) {
    return Status::InvalidArgument("a web identity token file is configured but AWS_ROLE_ARN (role_arn) is not");
  }
  if (!http_) return Status::InvalidArgument("no HTTP client to reach STS");
  Result<credentials_internal::FileContents> file = credentials_internal::ReadSmallFile(options_.token_file, 64 << 10);
  if (!file.ok()) return Status::Io("token file: " + file.status().message());
  const std::string token(Trim(file->data));
  if (token.empty()) return Status::Io("token file " + options_.token_file + " is empty");

  std::string session_name = options_.session_name;
  if (session_name.empty()) {
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
    session_name = "s3core-" + std::to_string(millis);
  }
  using credentials_internal::PercentEncode;
  std::string form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" +
                     PercentEncode(options_.role_arn) + "&RoleSessionName=" + PercentEncode(session_name) +
                     "&WebIdentityToken=" + PercentEncode(token);
  if (options_.duration.count() > 0) form += "&DurationSeconds=" + std::to_string(options_.duration.count());

  BufferSource body(form);
  HttpRequest request;
  request.method = "POST";
  request.url = options_.sts_endpoint + "/";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                     {"Accept", "application/xml"}};
  request.body = &body;

  auto response = credentials_internal::Fetch(*http_, request);
  if (!response.ok()) return Status::Error(response.status().kind(), "STS " + request.url + ": " + response.status().message());
  if (!credentials_internal::IsSuccess(response->status)) {
    std::string text = "STS AssumeRoleWithWebIdentity failed (HTTP " + std::to_string(response->status) + ")";
    if (auto error = credentials_internal::ParseStsError(response->body)) {
      text = "STS AssumeRoleWithWebIdentity failed: " + error->code;
      if (!error->message.empty()) text += ": " + error->message.substr(0, 512);
      text += " (HTTP " + std::to_string(response->status);
      if (!error->request_id.empty()) text += ", request id " + error->request_id;
      text += ")";
    }
    // STS messages do not quote the token, but a compatible server might: never pass it on.
    return Status::Error(ErrorKind::kCredentials, credentials_internal::Scrub(std::move(text), token));
  }
  auto credentials = credentials_internal::ParseAssumeRoleWithWebIdentityResponse(response->body);
  if (!credentials.ok()) return credentials.status();
  credentials->source = options_.source;
  return credentials;
}

}  // namespace s3core
