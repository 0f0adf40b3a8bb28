#include "mounter/fs/range_set.h"

#include <algorithm>

namespace mounter {

void RangeSet::Add(uint64_t begin, uint64_t end) {
  if (begin >= end) return;
  // Merge with every span that overlaps or touches [begin, end).
  auto it = spans_.upper_bound(begin);
  if (it != spans_.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= begin) it = prev;
  }
  while (it != spans_.end() && it->first <= end) {
    begin = std::min(begin, it->first);
    end = std::max(end, it->second);
    it = spans_.erase(it);
  }
  spans_.emplace(begin, end);
}

void RangeSet::ClipTo(uint64_t size) {
  auto it = spans_.lower_bound(size);
  spans_.erase(it, spans_.end());
  if (!spans_.empty()) {
    auto last = std::prev(spans_.end());
    if (last->second > size) last->second = size;
  }
}

bool RangeSet::Contains(uint64_t begin, uint64_t end) const {
  if (begin >= end) return true;
  auto it = spans_.upper_bound(begin);
  if (it == spans_.begin()) return false;
  --it;
  return it->first <= begin && it->second >= end;
}

bool RangeSet::Intersects(uint64_t begin, uint64_t end) const {
  if (begin >= end) return false;
  auto it = spans_.lower_bound(end);  // first span starting at or after end: not intersecting
  if (it == spans_.begin()) return false;
  --it;
  return it->second > begin;
}

std::vector<ByteSpan> RangeSet::Missing(uint64_t begin, uint64_t end) const {
  std::vector<ByteSpan> out;
  if (begin >= end) return out;
  auto it = spans_.upper_bound(begin);
  if (it != spans_.begin()) --it;
  uint64_t cursor = begin;
  for (; it != spans_.end() && it->first < end; ++it) {
    if (it->second <= cursor) continue;
    if (it->first > cursor) out.push_back({cursor, it->first});
    cursor = std::max(cursor, it->second);
    if (cursor >= end) break;
  }
  if (cursor < end) out.push_back({cursor, end});
  return out;
}

uint64_t RangeSet::bytes() const {
  uint64_t total = 0;
  for (const auto& [b, e] : spans_) total += e - b;
  return total;
}

std::vector<ByteSpan> RangeSet::spans() const {
  std::vector<ByteSpan> out;
  out.reserve(spans_.size());
  for (const auto& [b, e] : spans_) out.push_back({b, e});
  return out;
}

}  // namespace mounter
