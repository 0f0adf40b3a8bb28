// The raw-throughput workloads of s3core_bench, run through the ObjectStore interface.
//
// Object data is a fixed 1 MiB pseudo-random block repeated, so the byte at any offset is known
// without keeping the object around: uploads send slices of one shared buffer (memory stays
// bounded by one part, whatever the object size), and downloads can check what they got.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_measure.h"
#include "s3core/object_store.h"

namespace s3bench {

struct WorkloadConfig {
  std::string bucket;
  std::string prefix = "bench/";  // every key the benchmark writes starts with this
  uint64_t size = uint64_t{1} << 30;       // large object size
  uint64_t part_size = uint64_t{8} << 20;  // multipart part size and GET range size
  int threads = 8;                         // parallel requests for the large workloads
  int small_ops = 2000;                    // requests per small workload
  uint64_t small_size = 4096;
  std::vector<int> small_threads{1, 16};
  // Which small workloads run, in this order (get and head need the objects put wrote).
  std::vector<std::string> small_kinds{"put", "get", "head"};
  // Every Nth range of get-large is copied into a buffer and compared with the expected bytes
  // (the others go to a DiscardSink); 0 = none.
  int verify_every = 8;
  // put-single uploads this file (pread) if set, else the pattern from memory.
  std::string file;
  std::vector<int> server_pids;  // for the server CPU column
};

// The key of the large object written by put-large (and read by get-large/get-single).
std::string LargeKey(const WorkloadConfig& config);

// Multipart upload of `size` bytes in `part_size` parts, `threads` parts in flight.
s3core::Result<BenchResult> RunPutLarge(s3core::ObjectStore& store, const WorkloadConfig& config);
// One PutObject of `size` bytes (one stream).
s3core::Result<BenchResult> RunPutSingle(s3core::ObjectStore& store, const WorkloadConfig& config);
// Parallel ranged GETs (`part_size` each, `threads` in flight) of the put-large object.
s3core::Result<BenchResult> RunGetLarge(s3core::ObjectStore& store, const WorkloadConfig& config);
// One GET of the whole put-large object (one stream).
s3core::Result<BenchResult> RunGetSingle(s3core::ObjectStore& store, const WorkloadConfig& config);
// For each thread count: `small_ops` PUTs, then as many GETs, then HEADs of `small_size` objects
// (the kinds in `small_kinds`).
s3core::Result<std::vector<BenchResult>> RunSmall(s3core::ObjectStore& store, const WorkloadConfig& config);

// Creates the bucket if it does not exist.
s3core::Status CreateBucketIfMissing(s3core::ObjectStore& store, const std::string& bucket);
// Deletes every object and pending upload of the bucket, then the bucket.
s3core::Status DeleteBucketAndContents(s3core::ObjectStore& store, const std::string& bucket);

}  // namespace s3bench
