#include "mounter/fs/buffer_pool.h"

namespace mounter {

BufferPool::Buffer& BufferPool::Buffer::operator=(Buffer&& other) noexcept {
  if (this != &other) {
    Return();
    pool_ = other.pool_;
    data_ = std::move(other.data_);
    size_ = other.size_;
    other.pool_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

void BufferPool::Buffer::Return() {
  if (pool_ != nullptr && data_ != nullptr) pool_->Give(std::move(data_), size_);
  data_.reset();
  pool_ = nullptr;
}

BufferPool::Buffer BufferPool::Take(size_t size) {
  {
    std::lock_guard lock(mu_);
    auto it = idle_.find(size);
    if (it != idle_.end() && !it->second.empty()) {
      std::unique_ptr<char[]> data = std::move(it->second.back());
      it->second.pop_back();
      idle_bytes_ -= size;
      return Buffer(this, std::move(data), size);
    }
  }
  return Buffer(this, std::unique_ptr<char[]>(new char[size]), size);  // uninitialised on purpose
}

void BufferPool::Give(std::unique_ptr<char[]> data, size_t size) {
  std::lock_guard lock(mu_);
  if (idle_bytes_ + size > max_idle_bytes_) return;  // freed here, back to the kernel
  idle_[size].push_back(std::move(data));
  idle_bytes_ += size;
}

uint64_t BufferPool::idle_bytes() const {
  std::lock_guard lock(mu_);
  return idle_bytes_;
}

}  // namespace mounter
