// How s3csi-mounterd runs s3mount for one mount: the command line, the environment, and the
// credentials file. Pure functions, so that "no secret in argv" is a unit test.
//
// Descriptors in the child: 3 = the /dev/fuse connection (mountpoint /dev/fd/3), 4 = the
// readiness pipe (ready_fd=4), 5 = the credentials (an AWS shared-credentials file in a memfd of
// mode 0600, named by AWS_SHARED_CREDENTIALS_FILE=/dev/fd/5 and selected with profile=s3csi;
// the only s3mount credential source that also carries a session token without argv, a
// visible environment value or a file on disk).
#pragma once

#include <string>
#include <vector>

#include "csi/mount/messages.h"
#include "s3core/status.h"

namespace s3csi::mounterd {

inline constexpr int kChildFuseFd = 3;
inline constexpr int kChildReadyFd = 4;
inline constexpr int kChildCredentialsFd = 5;
inline constexpr const char* kCredentialsProfile = "s3csi";

struct S3mountCommand {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // NAME=VALUE
  bool needs_credentials_fd = false;
};

// Refuses requests mounterd must not run (bad spec, options that would take over the
// descriptors or credentials this protocol sets).
s3core::Status ValidateStartRequest(const StartRequest& request);

// `environment` is mounterd's own (NAME=VALUE strings). With secrets, every AWS* variable but
// AWS_REGION/AWS_DEFAULT_REGION is dropped from the child's so that only the request's keys count.
// `metrics_file`: where the child writes its metrics (metrics_file=), "" for none.
S3mountCommand BuildS3mountCommand(const StartRequest& request, const std::string& s3mount_path,
                                   const std::vector<std::string>& environment,
                                   const std::string& metrics_file = "");

// The text of the credentials file (holds secrets: never log it).
std::string CredentialsFileText(const S3Secrets& secrets);

}  // namespace s3csi::mounterd
