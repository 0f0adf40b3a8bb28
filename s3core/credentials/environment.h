// The process facts the credential providers read: environment variables, the home directory,
// where system-wide files live, and the clock.
//
// Providers never call ::getenv or the system clock themselves: they take an Environment, so a
// test can describe a whole machine (variables, a temporary home, a fake clock) without touching
// the real process environment, and so two chains with different settings can live side by side.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace s3core {

using Clock = std::function<std::chrono::system_clock::time_point()>;

// The real wall clock.
Clock SystemClock();

struct Environment {
  // Looks up an environment variable; nullopt when unset.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // The user's home directory ("" when unknown): ~/.aws/ and ~/.passwd-s3fs live there.
  std::string home_dir;
  // Where system-wide files live: s3fs reads <system_config_dir>/passwd-s3fs. "" = none.
  std::string system_config_dir = "/etc";
  Clock now = SystemClock();

  // A variable's value, with unset and empty treated alike (an exported but empty variable is
  // almost always a template left unfilled, and AWS SDKs ignore it too).
  std::optional<std::string> Get(const std::string& name) const;

  // The real process: ::getenv, $HOME (or the passwd database), /etc, the system clock.
  static Environment Process();
  // A fixed set of variables and a home directory, for tests and embedding; no system files.
  static Environment Fake(std::map<std::string, std::string> variables, std::string home_dir = "");
};

}  // namespace s3core
