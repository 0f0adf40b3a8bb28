#include "s3core/credentials/environment.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <utility>
#include <vector>

namespace s3core {

Clock SystemClock() {
  return [] { return std::chrono::system_clock::now(); };
}

std::optional<std::string> Environment::Get(const std::string& name) const {
  if (!getenv) return std::nullopt;
  std::optional<std::string> value = getenv(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

namespace {

std::string ProcessHomeDir() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return home;
  // No $HOME (as under some init systems): ask the passwd database, re-entrantly.
  long size_hint = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(size_hint > 0 ? static_cast<size_t>(size_hint) : 16384);
  struct passwd pwd {};
  struct passwd* found = nullptr;
  if (getpwuid_r(getuid(), &pwd, buf.data(), buf.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr) {
    return found->pw_dir;
  }
  return "";
}

}  // namespace

Environment Environment::Process() {
  Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  env.home_dir = ProcessHomeDir();
  return env;
}

Environment Environment::Fake(std::map<std::string, std::string> variables, std::string home_dir) {
  Environment env;
  env.getenv = [vars = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  env.home_dir = std::move(home_dir);
  env.system_config_dir = "";  // a fake machine has no /etc unless the test gives one
  return env;
}

}  // namespace s3core
