#include "csi/controller/store_factory.h"

#include "s3core/client/client_factory.h"

namespace s3csi {

StoreFactory MakeS3StoreFactory(S3Defaults defaults) {
  return [defaults](const S3Access& access, const std::string& endpoint,
                    const std::string& region) -> s3core::Result<std::shared_ptr<s3core::ObjectStore>> {
    s3core::S3Settings settings;
    settings.endpoint = !endpoint.empty() ? endpoint : !access.endpoint.empty() ? access.endpoint : defaults.endpoint;
    settings.region = !region.empty() ? region : !access.region.empty() ? access.region : defaults.region;
    settings.http.connect_timeout = defaults.connect_timeout;
    settings.retry.max_attempts = defaults.max_attempts;
    settings.observer = defaults.observer;
    if (access.has_keys()) {
      settings.credentials.access_key_id = access.access_key_id;
      settings.credentials.secret_access_key = access.secret_access_key;
      settings.credentials.session_token = access.session_token;
    }
    auto bundle = s3core::MakeS3Client(std::move(settings));
    if (!bundle.ok()) return bundle.status();
    return std::shared_ptr<s3core::ObjectStore>(bundle->client);
  };
}

}  // namespace s3csi
