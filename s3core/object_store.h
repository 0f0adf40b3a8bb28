// ObjectStore: the seam under the file system (see shared STYLE.md §2).
//
// S3Client implements it against a real server; tests implement it in memory or wrap a real one
// to inject faults. Every method is safe to call from many threads at once and returns a Status
// that keeps the S3 cause.
#pragma once

#include <string>
#include <vector>

#include "s3core/model.h"

namespace s3core {

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Buckets.
  virtual Status HeadBucket(const std::string& bucket) = 0;
  virtual Status CreateBucket(const std::string& bucket) = 0;
  virtual Status DeleteBucket(const std::string& bucket) = 0;
  virtual Result<std::vector<BucketInfo>> ListBuckets() = 0;

  // Objects.
  virtual Result<ObjectInfo> HeadObject(const HeadObjectRequest& request) = 0;
  // Streams the (ranged) body into `sink`; returns the object's metadata. A range past the end
  // returns kRangeNotSatisfiable.
  virtual Result<ObjectInfo> GetObject(const GetObjectRequest& request, BodySink& sink) = 0;
  virtual Result<PutObjectResult> PutObject(const PutObjectRequest& request) = 0;
  // Deleting a key that does not exist succeeds, as in S3.
  virtual Status DeleteObject(const std::string& bucket, const std::string& key) = 0;
  // Up to 1000 keys per call.
  virtual Result<DeleteObjectsResult> DeleteObjects(const std::string& bucket,
                                                    const std::vector<std::string>& keys) = 0;
  virtual Result<ListObjectsResult> ListObjects(const ListObjectsRequest& request) = 0;
  virtual Result<PutObjectResult> CopyObject(const CopyObjectRequest& request) = 0;

  // Multipart uploads.
  virtual Result<std::string> CreateMultipartUpload(const CreateMultipartUploadRequest& request) = 0;
  // Returns the part's ETag.
  virtual Result<std::string> UploadPart(const UploadPartRequest& request) = 0;
  virtual Result<std::string> UploadPartCopy(const UploadPartCopyRequest& request) = 0;
  virtual Result<PutObjectResult> CompleteMultipartUpload(const CompleteMultipartUploadRequest& request) = 0;
  virtual Status AbortMultipartUpload(const std::string& bucket, const std::string& key,
                                      const std::string& upload_id) = 0;
  virtual Result<ListMultipartUploadsResult> ListMultipartUploads(const ListMultipartUploadsRequest& request) = 0;
};

}  // namespace s3core
