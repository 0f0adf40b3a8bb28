// The one place an s3core::Status becomes a gRPC status (shared STYLE.md §3).
#pragma once

#include <grpcpp/support/status.h>

#include "s3core/status.h"

namespace s3csi {

grpc::StatusCode ToGrpcCode(s3core::ErrorKind kind);
grpc::Status ToGrpc(const s3core::Status& status);

}  // namespace s3csi
