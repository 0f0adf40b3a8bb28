// Request logging with secrets stripped: every field the CSI proto marks (csi_secret), in any
// message at any depth, is replaced by "***" (a map keeps its keys, so a log still shows which
// secrets were passed). LoggedCall wraps a service method: logs the redacted request, runs it,
// logs the outcome and the time it took.
#pragma once

#include <grpcpp/support/status.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include "google/protobuf/message.h"

namespace s3csi {

// One-line text of `message` with every csi_secret field redacted.
std::string RedactedText(const google::protobuf::Message& message);

template <typename Request, typename Fn>
grpc::Status LoggedCall(spdlog::logger& log, const char* method, const Request& request, Fn&& fn) {
  const auto start = std::chrono::steady_clock::now();
  log.info("{} request: {}", method, RedactedText(request));
  grpc::Status status = fn();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  if (status.ok()) {
    log.info("{} OK ({} ms)", method, ms);
  } else {
    log.warn("{} failed ({} ms): code {}: {}", method, ms, static_cast<int>(status.error_code()),
             status.error_message());
  }
  return status;
}

}  // namespace s3csi
