#include "csi/mount/mounterd/s3mount_command.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "csi/mount/mount_source.h"

namespace s3csi::mounterd {

namespace {

// Options the protocol sets itself, or that would point s3mount elsewhere than the request says.
// metrics_*: mounterd chooses where its children's metrics go (a user's port or path could
// collide with another mount's or write where it should not).
constexpr std::array<std::string_view, 14> kReservedOptions = {
    "passwd_file", "profile", "ready_fd", "logfile",      "bucket",    "url",          "endpoint",
    "region",      "debug",   "fsname",   "auto_unmount", "anonymous", "metrics_file", "metrics_address"};

std::string_view OptionName(std::string_view option) { return option.substr(0, option.find('=')); }

// With explicit secrets, every AWS* variable but the region goes: no other credential source
// (keys, profiles, web identity, container or instance roles) may be chosen instead.
bool IsKeptWithSecrets(const std::string& variable) {
  return variable.rfind("AWS", 0) != 0 || variable.rfind("AWS_REGION=", 0) == 0 ||
         variable.rfind("AWS_DEFAULT_REGION=", 0) == 0;
}

bool HasSecrets(const S3Secrets& s) { return !s.access_key_id.empty() || !s.secret_access_key.empty(); }

}  // namespace

s3core::Status ValidateStartRequest(const StartRequest& request) {
  using s3core::Status;
  S3_RETURN_IF_ERROR(ValidateMountSpec(request.spec));
  if (request.fingerprint != Fingerprint(request.spec)) {
    return Status::InvalidArgument("fingerprint does not match the spec");
  }
  for (const std::string& option : request.spec.options) {
    const std::string_view name = OptionName(option);
    if (std::find(kReservedOptions.begin(), kReservedOptions.end(), name) != kReservedOptions.end()) {
      return Status::InvalidArgument("s3mount option " + std::string(name) + " is set by s3csi and cannot be given");
    }
  }
  const S3Secrets& s = request.spec.secrets;
  if (HasSecrets(s) && (s.access_key_id.empty() || s.secret_access_key.empty())) {
    return Status::InvalidArgument("secrets need both accessKeyID and secretAccessKey");
  }
  for (const std::string* value : {&s.access_key_id, &s.secret_access_key, &s.session_token}) {
    if (value->find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument("a secret contains a line break");
    }
  }
  return Status::Ok();
}

S3mountCommand BuildS3mountCommand(const StartRequest& request, const std::string& s3mount_path,
                                   const std::vector<std::string>& environment, const std::string& metrics_file) {
  const MountSpec& spec = request.spec;
  S3mountCommand command;
  std::string bucket = spec.bucket;
  if (!spec.prefix.empty()) bucket += ":/" + spec.prefix.substr(0, spec.prefix.size() - 1);
  std::string options = "ready_fd=" + std::to_string(kChildReadyFd);
  if (!spec.endpoint.empty()) options += ",url=" + spec.endpoint;
  if (!spec.region.empty()) options += ",region=" + spec.region;
  if (spec.read_only) options += ",ro";
  if (!metrics_file.empty()) options += ",metrics_file=" + metrics_file;
  command.needs_credentials_fd = HasSecrets(spec.secrets);
  if (command.needs_credentials_fd) options += ",profile=" + std::string(kCredentialsProfile);
  for (const std::string& option : spec.options) options += "," + option;
  command.argv = {s3mount_path, bucket, "/dev/fd/" + std::to_string(kChildFuseFd), "-f", "-o", options};

  for (const std::string& variable : environment) {
    if (command.needs_credentials_fd && !IsKeptWithSecrets(variable)) continue;
    command.env.push_back(variable);
  }
  if (command.needs_credentials_fd) {
    command.env.push_back("AWS_SHARED_CREDENTIALS_FILE=/dev/fd/" + std::to_string(kChildCredentialsFd));
  }
  return command;
}

std::string CredentialsFileText(const S3Secrets& secrets) {
  std::string text = "[" + std::string(kCredentialsProfile) + "]\n";
  text += "aws_access_key_id = " + secrets.access_key_id + "\n";
  text += "aws_secret_access_key = " + secrets.secret_access_key + "\n";
  if (!secrets.session_token.empty()) text += "aws_session_token = " + secrets.session_token + "\n";
  return text;
}

}  // namespace s3csi::mounterd
