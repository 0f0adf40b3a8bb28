// Where the controller's S3 clients come from: the request's secrets (keys, endpoint, region)
// first, then the volume's own endpoint/region, then the controller-wide defaults (flags), and
// for credentials the default chain (environment, files, IMDS...) when the secrets carry none.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "csi/common/secrets.h"
#include "s3core/client/request_observer.h"
#include "s3core/object_store.h"

namespace s3csi {

struct S3Defaults {
  std::string endpoint;  // URL; "" = AWS for the region
  std::string region;
  std::chrono::milliseconds connect_timeout{5000};
  int max_attempts = 3;
  std::shared_ptr<s3core::RequestObserver> observer;  // S3 request metrics; may be null
};

// endpoint/region: the volume's (from StorageClass parameters); "" falls back as above.
using StoreFactory = std::function<s3core::Result<std::shared_ptr<s3core::ObjectStore>>(
    const S3Access& access, const std::string& endpoint, const std::string& region)>;

StoreFactory MakeS3StoreFactory(S3Defaults defaults);

}  // namespace s3csi
