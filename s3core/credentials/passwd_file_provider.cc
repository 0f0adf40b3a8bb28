#include "s3core/credentials/passwd_file_provider.h"

#include <sys/stat.h>

#include <cstdio>

#include "s3core/credentials/file_reader.h"
#include "s3core/credentials/text_util.h"

namespace s3core {

namespace credentials_internal {

namespace {

constexpr std::string_view kKeyIdName = "AWSAccessKeyId";
constexpr std::string_view kSecretName = "AWSSecretKey";

Status Invalid(const std::string& path, size_t line_number, const std::string& what) {
  return Status::Error(ErrorKind::kCredentials,
                       "passwd file " + path + " line " + std::to_string(line_number) + ": " + what);
}

}  // namespace

Result<PasswdFileEntries> ParsePasswdFile(std::string_view text, const std::string& path) {
  PasswdFileEntries entries;
  std::optional<std::string> kv_id, kv_secret;
  size_t line_number = 0;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = Trim(text.substr(0, eol));
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    if (line.find_first_of(" \t") != std::string_view::npos) {
      return Invalid(path, line_number, "contains a space or tab (s3fs refuses these too)");
    }
    if (line[0] == '[') {
      return Invalid(path, line_number,
                     "starts with '[': this looks like an AWS credentials file, not an s3fs passwd file");
    }

    // key=value form. Only s3fs's two names are taken: any other "x=y" line is left to the
    // colon form below, since a secret of a non-AWS server may contain '='.
    size_t eq = line.find('=');
    if (eq != std::string_view::npos) {
      std::string_view key = line.substr(0, eq);
      std::string value(line.substr(eq + 1));
      if (key == kKeyIdName || key == kSecretName) {
        auto& slot = key == kKeyIdName ? kv_id : kv_secret;
        if (!slot) slot = std::move(value);  // s3fs keeps the first of duplicate keys
        continue;
      }
    }

    size_t first = line.find(':');
    if (first == std::string_view::npos) {
      return Invalid(path, line_number, "has no ':' (expected ACCESSKEY:SECRET or BUCKET:ACCESSKEY:SECRET)");
    }
    size_t last = line.rfind(':');
    std::string bucket;
    KeyPair pair;
    if (first != last) {
      bucket = std::string(line.substr(0, first));
      pair = {std::string(line.substr(first + 1, last - first - 1)), std::string(line.substr(last + 1))};
      if (bucket.empty()) return Invalid(path, line_number, "has an empty bucket name");
    } else {
      pair = {std::string(line.substr(0, first)), std::string(line.substr(first + 1))};
    }
    if (pair.first.empty() || pair.second.empty()) {
      return Invalid(path, line_number, "has an empty access key or secret");
    }
    if (!entries.buckets.emplace(bucket, std::move(pair)).second) {
      return Invalid(path, line_number,
                     bucket.empty() ? "a second default ACCESSKEY:SECRET line"
                                    : "a second line for bucket " + bucket);
    }
  }
  if (kv_id || kv_secret) {
    if (!kv_id || !kv_secret || kv_id->empty() || kv_secret->empty()) {
      return Status::Error(ErrorKind::kCredentials,
                           "passwd file " + path + ": AWSAccessKeyId and AWSSecretKey must both be set");
    }
    entries.key_value = KeyPair{std::move(*kv_id), std::move(*kv_secret)};
  }
  return entries;
}

Status CheckPasswdFileMode(const std::string& path, mode_t mode, bool system_file) {
  char octal[8];
  std::snprintf(octal, sizeof(octal), "%04o", static_cast<unsigned>(mode & 07777));
  auto refuse = [&](const std::string& why) {
    return Status::Error(ErrorKind::kCredentials, "passwd file " + path + " has mode " + octal + ": " + why +
                                                      " (fix it with: chmod 600 " + path + ")");
  };
  if ((mode & S_IRWXO) != 0) return refuse("others must have no access");
  if (system_file) {
    if ((mode & S_IWGRP) != 0) return refuse("the group must not be able to write it");
  } else if ((mode & S_IRWXG) != 0) {
    return refuse("the group must have no access");
  }
  if ((mode & (S_IXUSR | S_IXGRP)) != 0) return refuse("it must not be executable");
  return Status::Ok();
}

}  // namespace credentials_internal

PasswdFileCredentialsProvider::PasswdFileCredentialsProvider(Environment env, std::string path, std::string bucket)
    : env_(std::move(env)), path_(std::move(path)), bucket_(std::move(bucket)) {}

std::vector<std::string> PasswdFileCredentialsProvider::DefaultPaths(const Environment& env) {
  std::vector<std::string> paths;
  if (!env.home_dir.empty()) paths.push_back(env.home_dir + "/.passwd-s3fs");
  if (!env.system_config_dir.empty()) paths.push_back(env.system_config_dir + "/passwd-s3fs");
  return paths;
}

bool PasswdFileCredentialsProvider::IsConfigured() const {
  if (!path_.empty()) return true;
  for (const std::string& path : DefaultPaths(env_)) {
    if (credentials_internal::FileExists(path)) return true;
  }
  return false;
}

Result<Credentials> PasswdFileCredentialsProvider::Get() {
  if (!path_.empty()) {
    bool has_entries = false;
    return ReadOne(path_, &has_entries);
  }
  // Like s3fs: a home file whose lines are all commented out passes on to the system file.
  std::string tried;
  for (const std::string& path : DefaultPaths(env_)) {
    if (!credentials_internal::FileExists(path)) continue;
    bool has_entries = false;
    Result<Credentials> result = ReadOne(path, &has_entries);
    if (result.ok() || has_entries) return result;
    tried += (tried.empty() ? "" : ", ") + path;
  }
  return Status::Error(ErrorKind::kCredentials,
                       tried.empty() ? "no s3fs passwd file ($HOME/.passwd-s3fs, /etc/passwd-s3fs)"
                                     : "no entries in s3fs passwd files " + tried);
}

Result<Credentials> PasswdFileCredentialsProvider::ReadOne(const std::string& path, bool* has_entries) const {
  *has_entries = true;  // until the file is known to hold no entry, any error is final
  auto contents = credentials_internal::ReadSmallFile(path);
  if (!contents.ok()) {
    return Status::Error(ErrorKind::kCredentials, "passwd file: " + contents.status().message());
  }
  const bool system_file =
      !env_.system_config_dir.empty() && path == env_.system_config_dir + "/passwd-s3fs";
  S3_RETURN_IF_ERROR(credentials_internal::CheckPasswdFileMode(path, contents->mode, system_file));
  S3_ASSIGN_OR_RETURN(credentials_internal::PasswdFileEntries entries,
                      credentials_internal::ParsePasswdFile(contents->data, path));
  *has_entries = !entries.empty();

  const credentials_internal::KeyPair* pair = nullptr;
  if (entries.key_value) {
    pair = &*entries.key_value;
  } else if (auto it = entries.buckets.find(bucket_); !bucket_.empty() && it != entries.buckets.end()) {
    pair = &it->second;
  } else if (auto def = entries.buckets.find(""); def != entries.buckets.end()) {
    pair = &def->second;
  }
  if (pair == nullptr) {
    return Status::Error(ErrorKind::kCredentials,
                         "passwd file " + path + " has no line for bucket " + (bucket_.empty() ? "<none>" : bucket_) +
                             " and no default ACCESSKEY:SECRET line");
  }
  Credentials credentials;
  credentials.access_key_id = pair->first;
  credentials.secret_access_key = pair->second;
  credentials.source = "passwd-file:" + path;
  return credentials;
}

}  // namespace s3core
