// Prometheus metrics of the CSI calls: s3csi_grpc_requests_total{method,code} and
// s3csi_grpc_request_duration_seconds{method}, recorded by a gRPC server interceptor so that
// every RPC is counted once, whatever the service. Labels hold the method and the status code
// name only: never a volume id, target path or secret.
#pragma once

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>

namespace s3csi {

class GrpcMetrics {
 public:
  explicit GrpcMetrics(prometheus::Registry& registry);
  // For grpc::ServerBuilder::experimental().SetInterceptorCreators().
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory();
  void Record(const char* method, grpc::StatusCode code, double seconds);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
};

}  // namespace s3csi
