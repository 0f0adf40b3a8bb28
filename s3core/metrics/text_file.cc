#include "s3core/metrics/text_file.h"

#include <fcntl.h>
#include <prometheus/text_serializer.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

namespace s3core::metrics {

std::string SerializeText(const Collectables& collectables) {
  std::vector<prometheus::MetricFamily> families;
  for (const auto& weak : collectables) {
    if (auto collectable = weak.lock()) {
      auto collected = collectable->Collect();
      families.insert(families.end(), std::make_move_iterator(collected.begin()),
                      std::make_move_iterator(collected.end()));
    }
  }
  return SerializeFamilies(families);
}

std::string SerializeFamilies(const std::vector<prometheus::MetricFamily>& families) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  auto fail = [&](const std::string& what) {
    const Status status = Status::Io(what + " " + tmp + ": " + std::strerror(errno));
    unlink(tmp.c_str());
    return status;
  };
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Io("cannot create " + tmp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      return fail("cannot write");
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0) return fail("cannot write");
  if (rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename to " + path + ":");
  return Status::Ok();
}

PeriodicTextFile::PeriodicTextFile(std::string path, Collectables collectables, std::chrono::milliseconds interval)
    : path_(std::move(path)), collectables_(std::move(collectables)), interval_(interval) {}

PeriodicTextFile::~PeriodicTextFile() { Stop(); }

Status PeriodicTextFile::WriteNow() { return WriteFileAtomically(path_, SerializeText(collectables_)); }

void PeriodicTextFile::Start() {
  std::lock_guard lock(mu_);
  if (!thread_.joinable() && !stopping_) thread_ = std::thread([this] { Loop(); });
}

void PeriodicTextFile::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  (void)WriteNow();  // the final values; a failure here has nobody left to tell
}

void PeriodicTextFile::Loop() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    (void)WriteNow();  // a transient failure (disk full) is retried at the next interval
    lock.lock();
  }
}

}  // namespace s3core::metrics
