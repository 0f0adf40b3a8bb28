// Test helpers for integration tests against the RGW test server (tests/rgw/start.sh).
//
// The server is described by S3_TEST_ENDPOINT, S3_TEST_ACCESS_KEY, S3_TEST_SECRET_KEY and
// S3_TEST_REGION. Without them the integration tests skip, unless S3_TEST_REQUIRED=1 (as in CI),
// where a missing server is a failure.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "s3core/client/s3_client.h"

namespace s3core::testing {

struct RgwEnv {
  std::string endpoint, access_key, secret_key, region;
};

// The server from the environment, or nullopt if not configured.
std::optional<RgwEnv> RgwFromEnv();
// Whether a missing server must fail the test (S3_TEST_REQUIRED=1).
bool RgwRequired();

// A client for the server with the given credentials (defaults: the test user's).
std::shared_ptr<S3Client> MakeClient(const RgwEnv& env, S3ClientConfig config = {});
std::shared_ptr<S3Client> MakeClientWithKeys(const RgwEnv& env, const std::string& access_key,
                                             const std::string& secret_key, S3ClientConfig config = {});

// A random bucket name with a readable prefix ("s3core-it-1a2b3c4d5e").
std::string UniqueBucketName(const std::string& prefix);

// `n` pseudo-random bytes, the same for the same seed (test data that is not all one byte).
std::string PatternBytes(size_t n, unsigned seed);

// Deletes every object, every pending multipart upload and the bucket. Best effort.
void DeleteBucketRecursively(ObjectStore& store, const std::string& bucket);

}  // namespace s3core::testing
