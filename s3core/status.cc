#include "s3core/status.h"

#include <string_view>

namespace s3core {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk: return "OK";
    case ErrorKind::kInvalidArgument: return "InvalidArgument";
    case ErrorKind::kNotFound: return "NotFound";
    case ErrorKind::kAccessDenied: return "AccessDenied";
    case ErrorKind::kAlreadyExists: return "AlreadyExists";
    case ErrorKind::kPreconditionFailed: return "PreconditionFailed";
    case ErrorKind::kConflict: return "Conflict";
    case ErrorKind::kRangeNotSatisfiable: return "RangeNotSatisfiable";
    case ErrorKind::kThrottled: return "Throttled";
    case ErrorKind::kTimeout: return "Timeout";
    case ErrorKind::kNetwork: return "Network";
    case ErrorKind::kServerError: return "ServerError";
    case ErrorKind::kUnexpectedResponse: return "UnexpectedResponse";
    case ErrorKind::kCredentials: return "Credentials";
    case ErrorKind::kIo: return "Io";
    case ErrorKind::kCancelled: return "Cancelled";
    case ErrorKind::kNotImplemented: return "NotImplemented";
    case ErrorKind::kInternal: return "Internal";
  }
  return "Unknown";
}

const std::string& Status::Empty() {
  static const std::string kEmpty;
  return kEmpty;
}

Status Status::Error(ErrorKind kind, std::string message) {
  if (kind == ErrorKind::kOk) kind = ErrorKind::kInternal;  // an error is never OK
  auto rep = std::make_shared<Rep>();
  rep->kind = kind;
  rep->message = std::move(message);
  return Status(std::move(rep));
}

ErrorKind ClassifyS3Error(int http_status, const std::string& code) {
  static constexpr std::pair<std::string_view, ErrorKind> kByCode[] = {
      {"NoSuchKey", ErrorKind::kNotFound},
      {"NoSuchBucket", ErrorKind::kNotFound},
      {"NoSuchUpload", ErrorKind::kNotFound},
      {"NoSuchVersion", ErrorKind::kNotFound},
      {"AccessDenied", ErrorKind::kAccessDenied},
      {"AllAccessDisabled", ErrorKind::kAccessDenied},
      {"InvalidAccessKeyId", ErrorKind::kAccessDenied},
      {"SignatureDoesNotMatch", ErrorKind::kAccessDenied},
      {"ExpiredToken", ErrorKind::kAccessDenied},
      {"InvalidToken", ErrorKind::kAccessDenied},
      {"RequestTimeTooSkewed", ErrorKind::kAccessDenied},
      {"BucketAlreadyExists", ErrorKind::kAlreadyExists},
      {"BucketAlreadyOwnedByYou", ErrorKind::kAlreadyExists},
      {"PreconditionFailed", ErrorKind::kPreconditionFailed},
      {"BucketNotEmpty", ErrorKind::kConflict},
      {"OperationAborted", ErrorKind::kConflict},
      {"InvalidRange", ErrorKind::kRangeNotSatisfiable},
      {"SlowDown", ErrorKind::kThrottled},
      {"Throttling", ErrorKind::kThrottled},
      {"ThrottlingException", ErrorKind::kThrottled},
      {"RequestLimitExceeded", ErrorKind::kThrottled},
      {"TooManyRequests", ErrorKind::kThrottled},
      {"RequestTimeout", ErrorKind::kTimeout},
      {"InternalError", ErrorKind::kServerError},
      {"ServiceUnavailable", ErrorKind::kServerError},
      {"NotImplemented", ErrorKind::kNotImplemented},
  };
  for (const auto& [name, kind] : kByCode) {
    if (code == name) return kind;
  }
  if (http_status == 404) return ErrorKind::kNotFound;
  if (http_status == 401 || http_status == 403) return ErrorKind::kAccessDenied;
  if (http_status == 304 || http_status == 412) return ErrorKind::kPreconditionFailed;
  if (http_status == 409) return ErrorKind::kConflict;
  if (http_status == 416) return ErrorKind::kRangeNotSatisfiable;
  if (http_status == 429 || http_status == 503) return ErrorKind::kThrottled;
  if (http_status == 408) return ErrorKind::kTimeout;
  if (http_status == 501) return ErrorKind::kNotImplemented;
  if (http_status >= 500) return ErrorKind::kServerError;
  if (http_status >= 400) return ErrorKind::kInvalidArgument;
  return ErrorKind::kUnexpectedResponse;
}

Status Status::FromS3(int http_status, std::string s3_code, std::string message, std::string request_id) {
  auto rep = std::make_shared<Rep>();
  rep->kind = ClassifyS3Error(http_status, s3_code);
  rep->http_status = http_status;
  rep->s3_code = std::move(s3_code);
  rep->message = std::move(message);
  rep->request_id = std::move(request_id);
  return Status(std::move(rep));
}

Status Status::Transport(bool timeout, int curl_code, std::string message) {
  auto rep = std::make_shared<Rep>();
  rep->kind = timeout ? ErrorKind::kTimeout : ErrorKind::kNetwork;
  rep->curl_code = curl_code;
  rep->message = std::move(message);
  return Status(std::move(rep));
}

Status Status::WithContext(const std::string& context) const {
  if (ok() || context.empty()) return *this;
  auto rep = std::make_shared<Rep>(*rep_);
  rep->message = rep->message.empty() ? context : context + ": " + rep->message;
  return Status(std::move(rep));
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = ErrorKindName(rep_->kind);
  if (!rep_->message.empty()) out += ": " + rep_->message;
  if (!rep_->s3_code.empty()) out += (rep_->message.empty() ? ": " : " ") + std::string("[") + rep_->s3_code + "]";
  if (rep_->http_status != 0 || !rep_->request_id.empty()) {
    out += " (";
    if (rep_->http_status != 0) out += "HTTP " + std::to_string(rep_->http_status);
    if (!rep_->request_id.empty()) {
      if (rep_->http_status != 0) out += ", ";
      out += "request id " + rep_->request_id;
    }
    out += ")";
  }
  if (rep_->curl_code != 0) out += " (curl " + std::to_string(rep_->curl_code) + ")";
  return out;
}

bool Status::IsRetryable() const {
  // TLS set-up failures (certificate not trusted, CA bundle unreadable, client certificate
  // problem) are configuration errors: another try would fail the same way, only later.
  // Numbers are libcurl's CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE and
  // CURLE_SSL_CERTPROBLEM (s3core_base does not include curl.h).
  if (kind() == ErrorKind::kNetwork && (curl_code() == 60 || curl_code() == 77 || curl_code() == 58)) return false;
  switch (kind()) {
    case ErrorKind::kThrottled:
    case ErrorKind::kTimeout:
    case ErrorKind::kNetwork:
    case ErrorKind::kServerError:
      return true;
    default:
      return false;
  }
}

}  // namespace s3core
