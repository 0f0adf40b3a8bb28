// s3core_bench: raw throughput of the s3core S3 client against a real server.
//
//   s3core_bench --bucket b --workload all                  # setup, then every workload
//   s3core_bench --bucket b --workload get-large --threads 16
//
// Keys come from S3_TEST_ACCESS_KEY / S3_TEST_SECRET_KEY (else the default credentials chain),
// the endpoint from --endpoint or S3_TEST_ENDPOINT. Each result is printed as one
// "RESULT tool=s3core workload=..." line as soon as it is measured (bench/run_s3core_bench.sh
// collects them beside curl's and awscli's), and as a table at the end. Nothing here asserts a
// timing: a failed request fails the run, a slow one only shows in the figures.
// GCC 12 flags a "potential null pointer dereference" inside libstdc++ as inlined into CLI11's
// string splitting (a false positive); the project's -Wnull-dereference stays on for our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "bench/bench_measure.h"
#include "bench/s3core_workloads.h"
#include "s3core/client/client_factory.h"

namespace {

std::string EnvOr(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

struct Options {
  std::string endpoint = EnvOr("S3_TEST_ENDPOINT", "http://127.0.0.1:7480");
  std::string region = EnvOr("S3_TEST_REGION", "us-east-1");
  std::string tool = "s3core";
  std::vector<std::string> workloads{"all"};
  uint64_t size_mib = 1024;
  uint64_t part_mib = 8;
  int max_retries = 4;
  s3bench::WorkloadConfig config;
};

s3core::Result<std::shared_ptr<s3core::S3Client>> MakeClient(const Options& options) {
  s3core::S3Settings settings;
  settings.endpoint = options.endpoint;
  settings.region = options.region;
  settings.addressing = s3core::AddressingStyle::kPath;
  settings.credentials.access_key_id = EnvOr("S3_TEST_ACCESS_KEY", "");
  settings.credentials.secret_access_key = EnvOr("S3_TEST_SECRET_KEY", "");
  settings.retry.max_attempts = options.max_retries + 1;
  // Enough kept-alive connections for every thread of every workload.
  int threads = options.config.threads;
  for (int t : options.config.small_threads) threads = std::max(threads, t);
  settings.http.max_connections = std::max(settings.http.max_connections, threads);
  // Retries are logged, so that a figure that includes some is not mistaken for a clean one.
  settings.logger = std::make_shared<spdlog::logger>("s3core", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  settings.logger->set_level(spdlog::level::info);
  S3_ASSIGN_OR_RETURN(s3core::S3ClientBundle bundle, s3core::MakeS3Client(std::move(settings)));
  return bundle.client;
}

// Runs one named workload, appending its results.
s3core::Status RunWorkload(const std::string& name, s3core::ObjectStore& store, const Options& options,
                           std::vector<s3bench::BenchResult>& results) {
  const s3bench::WorkloadConfig& config = options.config;
  auto report = [&](const s3bench::BenchResult& result) {
    std::cout << s3bench::ResultLine(options.tool, result) << std::endl;
    results.push_back(result);
  };
  auto single = [&](s3core::Result<s3bench::BenchResult> result) -> s3core::Status {
    if (!result.ok()) return result.status();
    report(*result);
    return s3core::Status();
  };
  if (name == "setup") return s3bench::CreateBucketIfMissing(store, config.bucket);
  if (name == "cleanup") return s3bench::DeleteBucketAndContents(store, config.bucket);
  if (name == "put-large") return single(s3bench::RunPutLarge(store, config));
  if (name == "put-single") return single(s3bench::RunPutSingle(store, config));
  if (name == "get-large") return single(s3bench::RunGetLarge(store, config));
  if (name == "get-single") return single(s3bench::RunGetSingle(store, config));
  if (name == "small") {
    S3_ASSIGN_OR_RETURN(std::vector<s3bench::BenchResult> small, s3bench::RunSmall(store, config));
    for (const auto& result : small) report(result);
    return s3core::Status();
  }
  return s3core::Status::InvalidArgument("unknown workload " + name);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  s3bench::WorkloadConfig& config = options.config;
  config.bucket = "s3core-bench";

  CLI::App app{"s3core raw-throughput benchmark against an S3 server"};
  app.add_option("--endpoint", options.endpoint, "S3 endpoint URL (default: $S3_TEST_ENDPOINT)");
  app.add_option("--region", options.region, "signing region (default: $S3_TEST_REGION or us-east-1)");
  app.add_option("--bucket", config.bucket, "bucket to use (setup creates it)")->capture_default_str();
  app.add_option("--prefix", config.prefix, "key prefix of every object written")->capture_default_str();
  app.add_option("--workload,-w", options.workloads,
                 "workloads, in order: setup put-large get-large get-single put-single small cleanup; "
                 "all = setup put-large get-large get-single put-single small")
      ->capture_default_str();
  app.add_option("--size-mib", options.size_mib, "large object size, MiB")->capture_default_str();
  app.add_option("--part-mib", options.part_mib, "multipart part and GET range size, MiB (>= 5)")
      ->capture_default_str();
  app.add_option("--threads,-t", config.threads, "parallel requests for put-large/get-large")->capture_default_str();
  app.add_option("--small-ops", config.small_ops, "requests per small workload and thread count")
      ->capture_default_str();
  app.add_option("--small-threads", config.small_threads, "thread counts for the small workloads")
      ->capture_default_str();
  app.add_option("--small-kinds", config.small_kinds, "small workloads to run: put get head")
      ->capture_default_str();
  app.add_option("--small-size", config.small_size, "small object size, bytes")->capture_default_str();
  app.add_option("--verify-every", config.verify_every, "check the content of every Nth get-large range (0 = none)")
      ->capture_default_str();
  app.add_option("--file", config.file, "put-single uploads this file instead of bytes from memory");
  app.add_option("--server-pid", config.server_pids, "server process ids whose CPU time is reported");
  app.add_option("--max-retries", options.max_retries, "retries per request (logged when used)")
      ->capture_default_str();
  app.add_option("--tool", options.tool, "tool name in RESULT lines")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  if (options.part_mib < 5 || options.size_mib == 0 || config.threads < 1) {
    std::cerr << "need --part-mib >= 5, --size-mib >= 1 and --threads >= 1\n";
    return 2;
  }
  config.size = options.size_mib << 20;
  config.part_size = options.part_mib << 20;
  if (options.workloads.size() == 1 && options.workloads[0] == "all") {
    options.workloads = {"setup", "put-large", "get-large", "get-single", "put-single", "small"};
  }

  auto client = MakeClient(options);
  if (!client.ok()) {
    std::cerr << "s3core_bench: " << client.status().ToString() << "\n";
    return 1;
  }
  std::vector<s3bench::BenchResult> results;
  for (const std::string& workload : options.workloads) {
    s3core::Status status = RunWorkload(workload, **client, options, results);
    if (!status.ok()) {
      std::cerr << "s3core_bench: " << workload << " failed: " << status.ToString() << "\n";
      return 1;
    }
  }
  if (!results.empty()) std::cerr << "\n" << s3bench::ResultTable(results);
  return 0;
}
