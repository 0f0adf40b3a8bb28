// Test harness for s3mount integration tests: runs the built s3mount binary (S3MOUNT_PATH)
// against the RGW test server on a fresh bucket, with credentials in a 0600 passwd file (never on
// the command line or in the environment), and unmounts with a bounded timeout.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "s3core/client/s3_client.h"
#include "s3core/testing/rgw_env.h"

namespace s3mount_it {

struct ProcessResult {
  int exit_code = -1;  // -1: killed (timeout) or signalled
  bool timed_out = false;
  std::string output;  // stdout and stderr together
  std::chrono::milliseconds elapsed{0};
};

// Runs `program args...`, collecting its output, killing it after `timeout`.
ProcessResult RunProcess(const std::string& program, const std::vector<std::string>& args,
                         std::chrono::seconds timeout);

// Starts `program args...` in the background with output to `log_path`; returns its pid.
pid_t StartProcess(const std::string& program, const std::vector<std::string>& args, const std::string& log_path);
// Waits for `pid` up to `timeout`; returns its exit code, or nullopt on timeout.
std::optional<int> WaitProcess(pid_t pid, std::chrono::seconds timeout);

bool IsMounted(const std::string& path);
// Waits until `path` is (or is no longer) a mount point.
bool WaitMounted(const std::string& path, bool mounted, std::chrono::seconds timeout);

std::string ReadFile(const std::string& path);
bool WriteFile(const std::string& path, const std::string& data);

class MountFixture {
 public:
  // Returns false (and says why in `reason`) when no server is configured.
  bool SetUp(std::string& reason);
  void TearDown();

  // bucket, mountpoint, and -o with the server's url, region, path style and the passwd file.
  std::vector<std::string> MountArgs(const std::string& extra_options = "") const;
  // Mounts in daemon mode (returns once live); the result of the s3mount process.
  ProcessResult Mount(const std::string& extra_options = "");
  // fusermount3 -u, bounded in time.
  bool Unmount();

  std::string PutObject(const std::string& key, const std::string& data);  // "" or an error
  std::optional<std::string> GetObject(const std::string& key);

  const std::string& bucket() const { return bucket_; }
  const std::string& mountpoint() const { return mountpoint_; }
  const std::string& passwd_file() const { return passwd_file_; }
  const std::string& work_dir() const { return work_dir_; }
  const s3core::testing::RgwEnv& env() const { return *env_; }
  std::string Path(const std::string& relative) const { return mountpoint_ + "/" + relative; }

 private:
  std::optional<s3core::testing::RgwEnv> env_;
  std::shared_ptr<s3core::S3Client> client_;
  std::string bucket_;
  std::string work_dir_;
  std::string mountpoint_;
  std::string passwd_file_;
};

}  // namespace s3mount_it
