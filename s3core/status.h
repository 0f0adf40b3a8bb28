// Status and Result<T>: the error type every fallible s3core call returns.
//
// A Status is either OK or carries an ErrorKind plus the cause as S3 reported it (error code,
// HTTP status, request id, message) or as the transport reported it (curl code). Higher layers
// map the kind once, in one place: the mounter to an errno, the CSI plugin to a gRPC code.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace s3core {

enum class ErrorKind {
  kOk = 0,
  kInvalidArgument,     // bad input from the caller (malformed URL, invalid bucket name, ...)
  kNotFound,            // NoSuchKey, NoSuchBucket, NoSuchUpload, 404
  kAccessDenied,        // 403 AccessDenied, SignatureDoesNotMatch, InvalidAccessKeyId
  kAlreadyExists,       // BucketAlreadyExists / BucketAlreadyOwnedByYou
  kPreconditionFailed,  // 412 (If-Match / If-None-Match), 304 Not Modified
  kConflict,            // 409 other than the above: BucketNotEmpty, OperationAborted
  kRangeNotSatisfiable, // 416
  kThrottled,           // 503 SlowDown, 429, Throttling*
  kTimeout,             // transport timeout or RequestTimeout
  kNetwork,             // connection refused/reset, DNS failure, TLS failure
  kServerError,         // 5xx other than throttling
  kUnexpectedResponse,  // the server answered something we cannot parse or did not expect
  kCredentials,         // no credentials found, or the provider failed
  kIo,                  // local I/O error (body source/sink, files)
  kCancelled,           // the caller asked us to stop
  kNotImplemented,
  kInternal,
};

const char* ErrorKindName(ErrorKind kind);

class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status Error(ErrorKind kind, std::string message);
  static Status InvalidArgument(std::string message) {
    return Error(ErrorKind::kInvalidArgument, std::move(message));
  }
  static Status NotFound(std::string message) { return Error(ErrorKind::kNotFound, std::move(message)); }
  static Status Io(std::string message) { return Error(ErrorKind::kIo, std::move(message)); }
  static Status Internal(std::string message) { return Error(ErrorKind::kInternal, std::move(message)); }
  static Status UnexpectedResponse(std::string message) {
    return Error(ErrorKind::kUnexpectedResponse, std::move(message));
  }
  // An error response from the S3 server. The kind is derived from the code and HTTP status.
  static Status FromS3(int http_status, std::string s3_code, std::string message, std::string request_id);
  // A transport failure (libcurl). `timeout` selects kTimeout over kNetwork.
  static Status Transport(bool timeout, int curl_code, std::string message);

  bool ok() const { return rep_ == nullptr; }
  ErrorKind kind() const { return rep_ ? rep_->kind : ErrorKind::kOk; }
  bool IsNotFound() const { return kind() == ErrorKind::kNotFound; }
  bool IsPreconditionFailed() const { return kind() == ErrorKind::kPreconditionFailed; }

  int http_status() const { return rep_ ? rep_->http_status : 0; }
  int curl_code() const { return rep_ ? rep_->curl_code : 0; }
  const std::string& s3_code() const { return rep_ ? rep_->s3_code : Empty(); }
  const std::string& message() const { return rep_ ? rep_->message : Empty(); }
  const std::string& request_id() const { return rep_ ? rep_->request_id : Empty(); }

  // Returns a copy with `context` prepended to the message ("HeadObject bucket/key: ...").
  Status WithContext(const std::string& context) const;

  // "NotFound: HeadObject b/k: NoSuchKey (HTTP 404, request id tx0001...)"
  std::string ToString() const;

  // Whether another attempt of the same idempotent request may succeed.
  bool IsRetryable() const;

 private:
  struct Rep {
    ErrorKind kind = ErrorKind::kOk;
    int http_status = 0;
    int curl_code = 0;
    std::string s3_code;
    std::string message;
    std::string request_id;
  };
  static const std::string& Empty();
  explicit Status(std::shared_ptr<const Rep> rep) : rep_(std::move(rep)) {}

  std::shared_ptr<const Rep> rep_;  // null means OK; immutable, so copies share it
};

// Maps an S3 error code and HTTP status to a kind. Exposed for tests.
ErrorKind ClassifyS3Error(int http_status, const std::string& s3_code);

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}     // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace s3core

// Early-return helpers, in the style of absl's RETURN_IF_ERROR / ASSIGN_OR_RETURN.
#define S3_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::s3core::Status s3_status_ = (expr);     \
    if (!s3_status_.ok()) return s3_status_;  \
  } while (0)

#define S3_CONCAT_INNER_(a, b) a##b
#define S3_CONCAT_(a, b) S3_CONCAT_INNER_(a, b)
#define S3_ASSIGN_OR_RETURN(lhs, expr) S3_ASSIGN_OR_RETURN_IMPL_(S3_CONCAT_(s3_result_, __LINE__), lhs, expr)
#define S3_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
