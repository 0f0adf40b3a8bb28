// The AWS shared configuration files: ~/.aws/credentials and ~/.aws/config.
//
//   credentials file: AWS_SHARED_CREDENTIALS_FILE, else <home>/.aws/credentials; sections "[NAME]"
//   config file:      AWS_CONFIG_FILE, else <home>/.aws/config; sections "[profile NAME]", and
//                     "[default]" (or "[profile default]") for the default profile
//   profile name:     the explicit one, else AWS_PROFILE, else "default"
// A profile's keys are those of its config section overlaid by its credentials section (the
// credentials file wins, as in the AWS CLI). A leading "~/" in a path is the home directory.
#pragma once

#include <optional>
#include <string>

#include "s3core/credentials/environment.h"
#include "s3core/credentials/ini_file.h"
#include "s3core/status.h"

namespace s3core {

// explicit_profile, else AWS_PROFILE, else "default".
std::string ResolveProfileName(const Environment& env, const std::string& explicit_profile = "");

std::string SharedCredentialsFilePath(const Environment& env);
std::string SharedConfigFilePath(const Environment& env);

// The `region` key of a profile (config file, or credentials file over it; profile name resolved
// as above); nullopt if the profile or the key is absent, or a file cannot be read.
std::optional<std::string> ProfileRegion(const Environment& env, const std::string& profile = "");

namespace credentials_internal {

struct SharedProfile {
  std::string name;
  bool found = false;  // the profile has a section in either file
  IniSection keys;     // merged: config first, credentials file over it
  std::string files;   // "<credentials path> and <config path>", for error messages
};

// Reads both files; a missing file counts as empty. kIo if a file exists but cannot be read.
Result<SharedProfile> LoadSharedProfile(const Environment& env, const std::string& profile_name);

}  // namespace credentials_internal
}  // namespace s3core
