// Credentials from an s3fs password file, read the way s3fs-fuse reads it.
//
// Format, one entry a line:
//   ACCESSKEY:SECRET            the default key pair (at most one)
//   BUCKET:ACCESSKEY:SECRET     a key pair for one bucket; it wins over the default line
//   AWSAccessKeyId=ACCESSKEY    s3fs's key=value form; when both keys are present it wins
//   AWSSecretKey=SECRET           over every colon line
// Lines are trimmed; blank lines and lines starting with '#' are ignored. A line with a space or
// tab inside, or starting with '[' (an AWS credentials file given by mistake), is refused.
// A bucket line splits at the first and last ':', as s3fs does.
//
// Permissions, as s3fs checks them: no permission bits for others, no execute bit for the
// owner, and none for the group either, except that the system-wide file
// (<system_config_dir>/passwd-s3fs) may be group-readable (not group-writable). A file that
// fails is refused with its path, its mode and a chmod 600 hint.
//
// Where (s3fs's order): an explicit path (s3fs's passwd_file option; the chain also passes
// AWS_CREDENTIAL_FILE this way); with no path, $HOME/.passwd-s3fs and then
// <system_config_dir>/passwd-s3fs, the first that exists and holds an entry.
#pragma once

#include <optional>
#include <map>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <utility>
#include <vector>

#include "s3core/auth/credentials.h"
#include "s3core/credentials/environment.h"

namespace s3core {

class PasswdFileCredentialsProvider final : public CredentialsProvider {
 public:
  // `path` "" = the default locations. `bucket` picks a BUCKET:... line ("" = default line only).
  PasswdFileCredentialsProvider(Environment env, std::string path, std::string bucket);

  // source "passwd-file:<path>". The file is read on every call.
  Result<Credentials> Get() override;

  // An explicit path is always configured; otherwise, whether a default file exists.
  bool IsConfigured() const;

  // $HOME/.passwd-s3fs, <system_config_dir>/passwd-s3fs (each only if its directory is known).
  static std::vector<std::string> DefaultPaths(const Environment& env);

 private:
  // `has_entries` is set false only when the file was read, passed the checks and holds no
  // entry at all (the default search then goes on to the next file).
  Result<Credentials> ReadOne(const std::string& path, bool* has_entries) const;

  Environment env_;
  std::string path_;
  std::string bucket_;
};

namespace credentials_internal {

using KeyPair = std::pair<std::string, std::string>;  // access key id, secret

struct PasswdFileEntries {
  std::optional<KeyPair> key_value;        // AWSAccessKeyId= / AWSSecretKey=
  std::map<std::string, KeyPair> buckets;  // "" = the default line
  bool empty() const { return !key_value && buckets.empty(); }
};

// Errors name the path and line number, never the line's text (it holds a secret).
Result<PasswdFileEntries> ParsePasswdFile(std::string_view text, const std::string& path);

// OK or kCredentials, per the rules above.
Status CheckPasswdFileMode(const std::string& path, mode_t mode, bool system_file);

}  // namespace credentials_internal
}  // namespace s3core
