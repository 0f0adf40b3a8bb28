// TaskPool: a fixed set of threads running queued tasks (read-ahead fetches, part uploads).
//
// One pool per file system bounds the requests in flight for background work, whatever the
// number of open files. Tasks must not wait on other tasks of the same pool (they would hold a
// thread each); callers wait on the results instead.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mounter {

class TaskPool {
 public:
  explicit TaskPool(int threads);
  ~TaskPool();  // runs what is queued, then joins
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  void Submit(std::function<void()> task);
  int threads() const { return static_cast<int>(threads_.size()); }
  // Tasks queued or running now (metrics).
  size_t pending() const;

 private:
  void Work();

  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace mounter
