// Harness for the CSI integration tests: plays Kubernetes against real processes. It starts
// s3csi-mounterd and `s3csi --mode all` on sockets in a temporary directory (with a temporary
// kubelet directory), talks to s3csi over gRPC as external-provisioner and kubelet would, and
// checks the results in the RGW test server with an s3core client.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "csi/proto/csi.grpc.pb.h"
#include "s3core/client/s3_client.h"
#include "s3core/testing/rgw_env.h"

namespace s3csi_it {

// A child process with its output in a log file; killed with SIGKILL when destroyed.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess() { Kill(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // `env` replaces the environment (credentials of the test never leak into the plugin).
  bool Start(const std::string& program, const std::vector<std::string>& args, const std::vector<std::string>& env,
             const std::string& log_path);
  void Kill();                                      // SIGKILL and reap
  std::optional<int> Terminate(std::chrono::seconds timeout);  // SIGTERM, exit code if it exits in time
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

class PluginHarness {
 public:
  // False with a reason when no RGW server is configured.
  bool SetUp(std::string& reason);
  void TearDown();

  // (Re)starts s3csi; waits until it answers GetPluginInfo.
  bool StartPlugin();
  void KillPlugin() { plugin_.Kill(); }
  std::optional<int> StopPlugin() { return plugin_.Terminate(std::chrono::seconds(20)); }

  csi::v1::Controller::Stub& controller() { return *controller_; }
  csi::v1::Node::Stub& node() { return *node_; }
  csi::v1::Identity::Stub& identity() { return *identity_; }

  // The provisioner / node-publish secrets for the test user.
  std::map<std::string, std::string> Secrets() const;
  s3core::S3Client& s3() { return *s3_; }
  const s3core::testing::RgwEnv& env() const { return *env_; }
  const std::string& kubelet_dir() const { return kubelet_dir_; }
  const std::string& work_dir() const { return work_dir_; }
  std::string plugin_log() const;
  // A kubelet-style target path for pod `pod` and volume `pv`.
  std::string TargetPath(const std::string& pod, const std::string& pv) const;

  // A new bucket that TearDown deletes with everything in it.
  std::string MakeBucket(const std::string& prefix);
  void ForgetBucket(const std::string& bucket);
  bool BucketExists(const std::string& bucket);
  std::vector<std::string> Keys(const std::string& bucket, const std::string& prefix);

 private:
  std::optional<s3core::testing::RgwEnv> env_;
  std::shared_ptr<s3core::S3Client> s3_;
  std::string work_dir_, kubelet_dir_, plugin_socket_, mounterd_socket_;
  ChildProcess mounterd_, plugin_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<csi::v1::Controller::Stub> controller_;
  std::unique_ptr<csi::v1::Node::Stub> node_;
  std::unique_ptr<csi::v1::Identity::Stub> identity_;
  std::vector<std::string> buckets_;
};

// Requests as the sidecars build them.
csi::v1::VolumeCapability MountCapability(csi::v1::VolumeCapability::AccessMode::Mode mode =
                                              csi::v1::VolumeCapability::AccessMode::MULTI_NODE_MULTI_WRITER);
csi::v1::CreateVolumeRequest CreateRequest(const std::string& name, const std::map<std::string, std::string>& params,
                                           const std::map<std::string, std::string>& secrets);

// A gRPC call with a deadline; returns the status.
template <typename Stub, typename Request, typename Response, typename Method>
grpc::Status Call(Stub& stub, Method method, const Request& request, Response* response,
                  std::chrono::seconds timeout = std::chrono::seconds(60)) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  return (stub.*method)(&context, request, response);
}

std::string ReadFile(const std::string& path);
bool WriteFile(const std::string& path, const std::string& data);

}  // namespace s3csi_it
