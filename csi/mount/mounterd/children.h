// The s3mount children of one mounterd: what each serves, its output, and how it ended.
//
// The server's main loop feeds it (output read from the children's pipes, exit statuses from
// waitpid); request threads wait on it (for a failed child's last words). Thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "csi/mount/messages.h"
#include "csi/mount/unique_fd.h"

namespace s3csi::mounterd {

class Children {
 public:
  struct Exit {
    int wait_status = 0;
    std::string last_output;  // the child's last lines (its error message on a failed start)
  };

  void Add(pid_t pid, ServedMount mount, UniqueFd output);
  // Descriptors of children whose output is still open (for the main loop's poll).
  std::vector<std::pair<pid_t, int>> OutputFds() const;
  // Reads what is available from a child's output; logs complete lines; closes on EOF.
  void ReadOutput(pid_t pid);
  // The child reported readiness: from now on nobody waits for its exit, which is only logged.
  void Started(pid_t pid);
  // Records an exit reported by waitpid, and logs it.
  void Exited(pid_t pid, int wait_status);
  // Waits until the child has exited and its output is drained (or the deadline passes).
  std::optional<Exit> WaitForExit(pid_t pid, std::chrono::steady_clock::time_point deadline);
  // Children that have not exited.
  std::vector<ServedMount> Running() const;

 private:
  struct Child {
    ServedMount mount;
    UniqueFd output;
    std::string partial_line;
    std::deque<std::string> last_lines;
    std::optional<int> wait_status;
    bool starting = true;  // a request thread will collect its exit (WaitForExit)
  };
  void ForgetIfDone(pid_t pid);  // requires mu_: drops an exited, drained child nobody waits for

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<pid_t, Child> children_;
};

std::string DescribeWaitStatus(int wait_status);

}  // namespace s3csi::mounterd
