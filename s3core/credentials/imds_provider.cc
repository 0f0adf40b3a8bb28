#include "s3core/credentials/imds_provider.h"

#include "s3core/credentials/http_fetch.h"
#include "s3core/credentials/json_credentials.h"
#include "s3core/credentials/text_util.h"

namespace s3core {

namespace {

constexpr char kTokenHeader[] = "X-aws-ec2-metadata-token";
constexpr char kTokenTtlHeader[] = "X-aws-ec2-metadata-token-ttl-seconds";
constexpr char kCredentialsPath[] = "/latest/meta-data/iam/security-credentials/";

// IAM role names are [A-Za-z0-9+=,.@_-]{1,64}: anything else cannot go into the URL as is.
bool IsValidRoleName(const std::string& name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("+=,.@_-").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

}  // namespace

ImdsOptions ImdsOptions::FromEnvironment(const Environment& env) {
  ImdsOptions options;
  options.disabled = credentials_internal::EqualsIgnoreCase(env.Get("AWS_EC2_METADATA_DISABLED").value_or(""), "true");
  if (auto endpoint = env.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
    options.endpoint = *endpoint;
  } else if (credentials_internal::EqualsIgnoreCase(env.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").value_or(""),
                                                    "ipv6")) {
    options.endpoint = "http://[fd00:ec2::254]";
  }
  while (!options.endpoint.empty() && options.endpoint.back() == '/') options.endpoint.pop_back();
  return options;
}

ImdsCredentialsProvider::ImdsCredentialsProvider(ImdsOptions options, std::shared_ptr<HttpClient> http)
    : options_(std::move(options)), http_(std::move(http)) {}

Result<Credentials> ImdsCredentialsProvider::Get() {
  Result<Credentials> result = Fetch();
  if (!result.ok()) {
    return Status::Error(ErrorKind::kCredentials,
                         "instance metadata (" + options_.endpoint + "): " + result.status().message());
  }
  return result;
}

Result<Credentials> ImdsCredentialsProvider::Fetch() {
  if (options_.disabled) return Status::InvalidArgument("disabled by AWS_EC2_METADATA_DISABLED");
  if (!http_) return Status::InvalidArgument("no HTTP client to reach it");

  HttpRequest token_request;
  token_request.method = "PUT";
  token_request.url = options_.endpoint + "/latest/api/token";
  token_request.headers = {{kTokenTtlHeader, std::to_string(options_.token_ttl.count())}};
  auto token_response = credentials_internal::Fetch(*http_, token_request, 4096);
  if (!token_response.ok()) {
    return Status::Error(token_response.status().kind(), "token request: " + token_response.status().message());
  }
  std::string token;
  if (credentials_internal::IsSuccess(token_response->status)) {
    token = std::string(credentials_internal::Trim(token_response->body));
    if (token.empty() || token.find_first_of("\r\n") != std::string::npos) {
      return Status::UnexpectedResponse("token request answered an empty or malformed token");
    }
  } else if (token_response->status != 404 && token_response->status != 405) {
    return Status::Error(ErrorKind::kCredentials,
                         "token request answered HTTP " + std::to_string(token_response->status) +
                             (token_response->status == 403 ? " (IMDS disabled on this instance?)" : ""));
  }  // else: no IMDSv2 here; go on without a token (IMDSv1)

  S3_ASSIGN_OR_RETURN(std::string roles, GetMetadata(kCredentialsPath, token));
  std::string_view first = credentials_internal::Trim(roles);
  std::string role(credentials_internal::Trim(first.substr(0, first.find('\n'))));
  if (!IsValidRoleName(role)) return Status::UnexpectedResponse("no valid IAM role name in the metadata");

  S3_ASSIGN_OR_RETURN(std::string document, GetMetadata(kCredentialsPath + role, token));
  auto credentials = credentials_internal::ParseJsonCredentials(document, /*require_expiration=*/true);
  if (!credentials.ok()) return Status::Error(credentials.status().kind(), "role " + role + ": " + credentials.status().message());
  credentials->source = "imds";
  return credentials;
}

Result<std::string> ImdsCredentialsProvider::GetMetadata(const std::string& path, const std::string& token) {
  HttpRequest request;
  request.method = "GET";
  request.url = options_.endpoint + path;
  if (!token.empty()) request.headers = {{kTokenHeader, token}};
  auto response = credentials_internal::Fetch(*http_, request, 64 << 10);
  if (!response.ok()) return Status::Error(response.status().kind(), "GET " + path + ": " + response.status().message());
  if (!credentials_internal::IsSuccess(response->status)) {
    std::string text = "GET " + path + " answered HTTP " + std::to_string(response->status);
    if (response->status == 404 && path == kCredentialsPath) text += " (no IAM role attached to the instance)";
    return Status::Error(response->status == 404 ? ErrorKind::kNotFound : ErrorKind::kCredentials, text);
  }
  return std::move(response->body);
}

}  // namespace s3core
