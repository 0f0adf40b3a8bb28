// RangeSet: a set of byte ranges [begin, end) of a file, kept merged and sorted.
//
// An open file being changed locally tracks two of them: the bytes its staging file holds
// (present) and the bytes changed since the last upload (dirty). Flush copies the parts that
// are neither dirty nor needed server-side, and uploads only the rest.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace mounter {

struct ByteSpan {
  uint64_t begin = 0;
  uint64_t end = 0;  // exclusive
  uint64_t size() const { return end - begin; }
  friend bool operator==(const ByteSpan&, const ByteSpan&) = default;
};

class RangeSet {
 public:
  void Add(uint64_t begin, uint64_t end);
  // Drops everything at or beyond `size` (a truncation).
  void ClipTo(uint64_t size);
  void Clear() { spans_.clear(); }

  bool empty() const { return spans_.empty(); }
  // [begin, end) is entirely in the set (an empty range always is).
  bool Contains(uint64_t begin, uint64_t end) const;
  bool Intersects(uint64_t begin, uint64_t end) const;
  // The parts of [begin, end) that are not in the set, in order.
  std::vector<ByteSpan> Missing(uint64_t begin, uint64_t end) const;
  // Total bytes in the set.
  uint64_t bytes() const;
  std::vector<ByteSpan> spans() const;

 private:
  std::map<uint64_t, uint64_t> spans_;  // begin -> end, disjoint and not touching
};

}  // namespace mounter
