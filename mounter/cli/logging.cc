#include "mounter/cli/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>
#include <syslog.h>

namespace mounter::cli {
namespace {

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return spdlog::level::trace;
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarn: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
    case LogLevel::kOff: return spdlog::level::off;
  }
  return spdlog::level::info;
}

}  // namespace

std::shared_ptr<spdlog::logger> MakeLogger(const MountOptions& options, bool daemon) {
  spdlog::sink_ptr sink;
  if (!daemon) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else if (!options.log_file.empty()) {
    try {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.log_file);
    } catch (const spdlog::spdlog_ex&) {
      sink = nullptr;  // unwritable: fall back to syslog rather than fail the mount
    }
  }
  if (!sink) sink = std::make_shared<spdlog::sinks::syslog_sink_mt>("s3mount", LOG_PID, LOG_DAEMON, false);
  auto logger = std::make_shared<spdlog::logger>("s3mount", sink);
  if (daemon && options.log_file.empty()) {
    logger->set_pattern("%v");  // syslog adds time, host and pid
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %L [%t] %v");
  }
  logger->set_level(ToSpdlog(options.log_level));
  logger->flush_on(spdlog::level::warn);
  return logger;
}

}  // namespace mounter::cli
