// Builds an S3Client from user-facing settings: endpoint URL, region, TLS, retries and where
// credentials come from. The mounter's options and the CSI plugin's StorageClass parameters end
// up here.
#pragma once

#include <memory>
#include <string>

#include "s3core/client/s3_client.h"
#include "s3core/credentials/default_chain.h"

namespace s3core {

struct S3Settings {
  std::string endpoint;  // URL; empty = AWS for `region`
  std::string region;    // empty = AWS_REGION / AWS_DEFAULT_REGION, else us-east-1
  AddressingStyle addressing = AddressingStyle::kAuto;
  HttpClientOptions http;
  RetryOptions retry;
  bool sign_payload = false;
  bool requester_pays = false;
  // Where credentials come from (http clients are filled in by MakeS3Client).
  DefaultCredentialsChainOptions credentials;
  std::shared_ptr<spdlog::logger> logger;
  std::shared_ptr<RequestObserver> observer;  // metrics; may be null
};

struct S3ClientBundle {
  std::shared_ptr<S3Client> client;
  std::shared_ptr<CredentialsProvider> credentials;
};

// Validates the settings (a malformed endpoint is kInvalidArgument) and wires the pieces
// together. Does no network I/O: credentials are fetched on first use.
Result<S3ClientBundle> MakeS3Client(S3Settings settings);

}  // namespace s3core
