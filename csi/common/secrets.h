// The CSI `secrets` maps (provisioner and node-publish secrets) as s3csi reads them. Keys, as in
// the yandex k8s-csi-s3 driver: accessKeyID, secretAccessKey, sessionToken (optional), endpoint
// (optional URL), region (optional). Other keys are ignored. Never logged.
#pragma once

#include <map>
#include <string>

#include "s3core/status.h"

namespace s3csi {

struct S3Access {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string endpoint;
  std::string region;

  bool has_keys() const { return !access_key_id.empty(); }
};

// kInvalidArgument for half a key pair, a token without keys, or a malformed endpoint/region.
s3core::Result<S3Access> ParseSecrets(const std::map<std::string, std::string>& secrets);

}  // namespace s3csi
