#include "csi/common/grpc_status.h"

namespace s3csi {

using s3core::ErrorKind;

grpc::StatusCode ToGrpcCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk: return grpc::StatusCode::OK;
    case ErrorKind::kInvalidArgument: return grpc::StatusCode::INVALID_ARGUMENT;
    case ErrorKind::kNotFound: return grpc::StatusCode::NOT_FOUND;
    case ErrorKind::kAccessDenied: return grpc::StatusCode::PERMISSION_DENIED;
    case ErrorKind::kAlreadyExists: return grpc::StatusCode::ALREADY_EXISTS;
    case ErrorKind::kPreconditionFailed: return grpc::StatusCode::FAILED_PRECONDITION;
    // BucketNotEmpty, OperationAborted: another actor is changing the same thing; try later.
    case ErrorKind::kConflict: return grpc::StatusCode::ABORTED;
    case ErrorKind::kRangeNotSatisfiable: return grpc::StatusCode::OUT_OF_RANGE;
    // Transient: the CO retries UNAVAILABLE with backoff.
    case ErrorKind::kThrottled: return grpc::StatusCode::UNAVAILABLE;
    case ErrorKind::kNetwork: return grpc::StatusCode::UNAVAILABLE;
    case ErrorKind::kServerError: return grpc::StatusCode::UNAVAILABLE;
    case ErrorKind::kTimeout: return grpc::StatusCode::DEADLINE_EXCEEDED;
    case ErrorKind::kCredentials: return grpc::StatusCode::UNAUTHENTICATED;
    case ErrorKind::kCancelled: return grpc::StatusCode::CANCELLED;
    case ErrorKind::kNotImplemented: return grpc::StatusCode::UNIMPLEMENTED;
    case ErrorKind::kUnexpectedResponse:
    case ErrorKind::kIo:
    case ErrorKind::kInternal: return grpc::StatusCode::INTERNAL;
  }
  return grpc::StatusCode::INTERNAL;
}

grpc::Status ToGrpc(const s3core::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(ToGrpcCode(status.kind()), status.ToString());
}

}  // namespace s3csi
