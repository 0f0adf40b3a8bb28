#include "s3core/credentials/container_provider.h"

#include "s3core/credentials/file_reader.h"
#include "s3core/credentials/http_fetch.h"
#include "s3core/credentials/json_credentials.h"
#include "s3core/credentials/text_util.h"

namespace s3core {

namespace credentials_internal {

bool IsAllowedContainerUrl(const std::string& url) {
  const std::string lower = ToLower(url);
  if (lower.rfind("https://", 0) == 0) return lower.size() > 8;
  if (lower.rfind("http://", 0) != 0) return false;
  std::string_view authority = std::string_view(lower).substr(7);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return false;  // no userinfo tricks
  std::string_view host;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(0, close + 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  if (host == "localhost" || host == "[::1]" || host == "169.254.170.2" || host == "169.254.170.23" ||
      host == "[fd00:ec2::23]") {
    return true;
  }
  // 127.0.0.0/8: four dotted decimal parts, the first one 127.
  if (host.rfind("127.", 0) != 0) return false;
  int parts = 1;
  for (char c : host) {
    if (c == '.') ++parts;
    else if (c < '0' || c > '9') return false;
  }
  return parts == 4;
}

}  // namespace credentials_internal

std::optional<ContainerOptions> ContainerOptions::FromEnvironment(const Environment& env) {
  ContainerOptions options;
  if (auto relative = env.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    options.relative_uri = *relative;
  } else if (auto full = env.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    options.full_uri = *full;
  } else {
    return std::nullopt;
  }
  options.authorization_token = env.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN").value_or("");
  options.authorization_token_file = env.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").value_or("");
  return options;
}

ContainerCredentialsProvider::ContainerCredentialsProvider(ContainerOptions options, std::shared_ptr<HttpClient> http)
    : options_(std::move(options)), http_(std::move(http)) {}

Result<Credentials> ContainerCredentialsProvider::Get() {
  Result<Credentials> result = Fetch();
  if (!result.ok()) return Status::Error(ErrorKind::kCredentials, "container credentials: " + result.status().message());
  return result;
}

Result<Credentials> ContainerCredentialsProvider::Fetch() {
  if (!http_) return Status::InvalidArgument("no HTTP client to reach the endpoint");
  // A relative URI hangs off the fixed ECS address, which is always allowed.
  std::string url;
  if (!options_.relative_uri.empty()) {
    url = options_.ecs_base_url + (options_.relative_uri.front() == '/' ? "" : "/") + options_.relative_uri;
  } else {
    url = options_.full_uri;
    if (url.empty()) return Status::InvalidArgument("no endpoint URI configured");
  }
  if (options_.relative_uri.empty() && !credentials_internal::IsAllowedContainerUrl(url)) {
    return Status::InvalidArgument("AWS_CONTAINER_CREDENTIALS_FULL_URI " + url +
                                   " must be https, or http to a loopback or the ECS/EKS link-local address");
  }

  std::string token = options_.authorization_token;
  if (!options_.authorization_token_file.empty()) {
    auto file = credentials_internal::ReadSmallFile(options_.authorization_token_file, 64 << 10);
    if (!file.ok()) return Status::Io("authorization token file: " + file.status().message());
    token = std::string(credentials_internal::Trim(file->data));
  }
  if (token.find_first_of("\r\n") != std::string::npos) {
    return Status::InvalidArgument("the authorization token contains a line break");
  }

  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.headers = {{"Accept", "application/json"}};
  if (!token.empty()) request.headers.emplace_back("Authorization", token);
  auto response = credentials_internal::Fetch(*http_, request);
  if (!response.ok()) return Status::Error(response.status().kind(), url + ": " + response.status().message());
  if (!credentials_internal::IsSuccess(response->status)) {
    std::string text = url + " answered HTTP " + std::to_string(response->status);
    std::string summary = credentials_internal::JsonErrorSummary(response->body);
    if (!summary.empty()) text += ": " + summary;
    return Status::Error(ErrorKind::kCredentials, credentials_internal::Scrub(std::move(text), token));
  }
  auto credentials = credentials_internal::ParseJsonCredentials(response->body, /*require_expiration=*/false);
  if (!credentials.ok()) return Status::Error(credentials.status().kind(), url + ": " + credentials.status().message());
  credentials->source = "container";
  return credentials;
}

}  // namespace s3core
