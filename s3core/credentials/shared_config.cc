#include "s3core/credentials/shared_config.h"

#include "s3core/credentials/file_reader.h"

namespace s3core {

namespace {

std::string ExpandHome(const Environment& env, std::string path) {
  if (path == "~") return env.home_dir;
  if (path.rfind("~/", 0) == 0) return env.home_dir + path.substr(1);
  return path;
}

std::string InHome(const Environment& env, const char* relative) {
  if (env.home_dir.empty()) return "";
  return env.home_dir + "/" + relative;
}

// A missing file is an empty one; an unreadable one is an error.
Result<credentials_internal::IniFile> LoadIni(const std::string& path) {
  if (path.empty()) return credentials_internal::IniFile{};
  auto contents = credentials_internal::ReadSmallFile(path);
  if (!contents.ok()) {
    if (contents.status().IsNotFound()) return credentials_internal::IniFile{};
    return contents.status();
  }
  return credentials_internal::ParseIni(contents->data);
}

}  // namespace

std::string ResolveProfileName(const Environment& env, const std::string& explicit_profile) {
  if (!explicit_profile.empty()) return explicit_profile;
  return env.Get("AWS_PROFILE").value_or("default");
}

std::string SharedCredentialsFilePath(const Environment& env) {
  if (auto path = env.Get("AWS_SHARED_CREDENTIALS_FILE")) return ExpandHome(env, *path);
  return InHome(env, ".aws/credentials");
}

std::string SharedConfigFilePath(const Environment& env) {
  if (auto path = env.Get("AWS_CONFIG_FILE")) return ExpandHome(env, *path);
  return InHome(env, ".aws/config");
}

namespace credentials_internal {

Result<SharedProfile> LoadSharedProfile(const Environment& env, const std::string& profile_name) {
  const std::string credentials_path = SharedCredentialsFilePath(env);
  const std::string config_path = SharedConfigFilePath(env);
  S3_ASSIGN_OR_RETURN(IniFile credentials_file, LoadIni(credentials_path));
  S3_ASSIGN_OR_RETURN(IniFile config_file, LoadIni(config_path));

  SharedProfile profile;
  profile.name = profile_name;
  profile.files = (credentials_path.empty() ? "<no home>/.aws/credentials" : credentials_path) + " and " +
                  (config_path.empty() ? "<no home>/.aws/config" : config_path);
  auto overlay = [&profile](const IniFile& file, const std::string& section) {
    auto it = file.find(section);
    if (it == file.end()) return;
    profile.found = true;
    for (const auto& [key, value] : it->second) profile.keys[key] = value;
  };
  if (profile_name == "default") overlay(config_file, "default");
  overlay(config_file, "profile " + profile_name);
  overlay(credentials_file, profile_name);
  return profile;
}

}  // namespace credentials_internal

std::optional<std::string> ProfileRegion(const Environment& env, const std::string& profile) {
  auto loaded = credentials_internal::LoadSharedProfile(env, ResolveProfileName(env, profile));
  if (!loaded.ok()) return std::nullopt;
  auto it = loaded->keys.find("region");
  if (it == loaded->keys.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

}  // namespace s3core
