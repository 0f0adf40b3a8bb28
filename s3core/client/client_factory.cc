#include "s3core/client/client_factory.h"

#include "s3core/http/curl_http_client.h"

namespace s3core {

Result<S3ClientBundle> MakeS3Client(S3Settings settings) {
  S3ClientConfig config;
  if (settings.region.empty()) {
    const Environment& env = settings.credentials.env;
    for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      if (auto value = env.Get(name); value && !value->empty()) {
        settings.region = *value;
        break;
      }
    }
    if (settings.region.empty()) settings.region = "us-east-1";
  }
  config.region = settings.region;
  if (settings.endpoint.empty()) {
    config.endpoint = Endpoint::ForAwsRegion(settings.region);
  } else {
    S3_ASSIGN_OR_RETURN(config.endpoint, Endpoint::Parse(settings.endpoint));
  }
  config.addressing = settings.addressing;
  config.retry = settings.retry;
  config.sign_payload = settings.sign_payload;
  config.request_options.requester_pays = settings.requester_pays;
  config.logger = settings.logger;
  config.observer = settings.observer;

  auto http = std::make_shared<CurlHttpClient>(settings.http);
  // Instance metadata answers in milliseconds when present; off EC2 it must not stall start-up.
  HttpClientOptions imds_options = settings.http;
  imds_options.connect_timeout = std::chrono::milliseconds(1000);
  imds_options.request_timeout = std::chrono::milliseconds(3000);
  settings.credentials.http = http;
  settings.credentials.imds_http = std::make_shared<CurlHttpClient>(imds_options);
  auto credentials = std::make_shared<DefaultCredentialsChain>(std::move(settings.credentials));
  auto client = std::make_shared<S3Client>(std::move(config), http, credentials);
  return S3ClientBundle{std::move(client), std::move(credentials)};
}

}  // namespace s3core
