#include "csi/e2e/plugin_harness.h"

#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace s3csi_it {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool ChildProcess::Start(const std::string& program, const std::vector<std::string>& args,
                         const std::vector<std::string>& env, const std::string& log_path) {
  std::vector<std::string> argv_storage{program};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv, envp;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = env;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log < 0) return false;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(log);
  return pid_ > 0;
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::optional<int> ChildProcess::Terminate(std::chrono::seconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a child's exit
  }
  Kill();
  return std::nullopt;
}

namespace {

// Polls connect(2) until something listens on `path` (a socket left by a killed process refuses).
bool WaitForUnixSocket(const std::string& path, std::chrono::seconds timeout) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const bool accepted = connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (accepted) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling for the listener
  }
  return false;
}

}  // namespace

bool PluginHarness::SetUp(std::string& reason) {
  env_ = s3core::testing::RgwFromEnv();
  if (!env_) {
    reason = "S3_TEST_ENDPOINT not set (start tests/rgw/start.sh)";
    return false;
  }
  s3_ = s3core::testing::MakeClient(*env_);
  work_dir_ = (fs::temp_directory_path() / ("s3csi-it-" + std::to_string(getpid()) + "-" +
                                            std::to_string(Clock::now().time_since_epoch().count())))
                  .string();
  kubelet_dir_ = work_dir_ + "/kubelet";
  fs::create_directories(kubelet_dir_ + "/pods");
  plugin_socket_ = work_dir_ + "/csi/csi.sock";
  mounterd_socket_ = work_dir_ + "/run/mounterd.sock";
  fs::create_directories(work_dir_ + "/run");
  const char* s3mount = std::getenv("S3CSI_IT_S3MOUNT");
  if (s3mount == nullptr) s3mount = S3MOUNT_PATH;
  if (!mounterd_.Start(S3CSI_MOUNTERD_PATH, {"--socket", mounterd_socket_, "--s3mount", s3mount},
                       {"PATH=/usr/bin:/bin", "HOME=" + work_dir_}, work_dir_ + "/mounterd.log")) {
    reason = "cannot start s3csi-mounterd";
    return false;
  }
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (!fs::exists(mounterd_socket_) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling for the socket file
  }
  if (!fs::exists(mounterd_socket_)) {
    reason = "s3csi-mounterd did not create its socket";
    return false;
  }
  if (!StartPlugin()) {
    reason = "s3csi did not start: " + plugin_log();
    return false;
  }
  return true;
}

bool PluginHarness::StartPlugin() {
  // A clean environment: no AWS_* variables, no credential files, no instance metadata, so that
  // a request without secrets really has no credentials.
  const std::vector<std::string> env = {"PATH=/usr/bin:/bin", "HOME=" + work_dir_, "AWS_EC2_METADATA_DISABLED=true"};
  if (!plugin_.Start(S3CSI_PATH,
                     {"--mode", "all", "--endpoint", "unix://" + plugin_socket_, "--node-id", "it-node",
                      "--mounterd-socket", mounterd_socket_, "--kubelet-dir", kubelet_dir_, "--s3-endpoint",
                      env_->endpoint, "--s3-region", env_->region, "--log-level", "debug"},
                     env, work_dir_ + "/s3csi.log")) {
    return false;
  }
  // The channel is made once the socket accepts connections: a channel whose first attempts
  // fail backs off for seconds before it tries again.
  if (!WaitForUnixSocket(plugin_socket_, std::chrono::seconds(30))) return false;
  channel_ = grpc::CreateChannel("unix://" + plugin_socket_, grpc::InsecureChannelCredentials());
  identity_ = csi::v1::Identity::NewStub(channel_);
  controller_ = csi::v1::Controller::NewStub(channel_);
  node_ = csi::v1::Node::NewStub(channel_);
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    csi::v1::GetPluginInfoResponse info;
    if (Call(*identity_, &csi::v1::Identity::Stub::GetPluginInfo, csi::v1::GetPluginInfoRequest(), &info,
             std::chrono::seconds(2))
            .ok()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling until the server answers
  }
  return false;
}

void PluginHarness::TearDown() {
  // Unmount whatever a failed test left, then stop the processes.
  std::error_code ec;
  if (!kubelet_dir_.empty() && fs::exists(kubelet_dir_)) {
    for (const auto& entry : fs::recursive_directory_iterator(kubelet_dir_, fs::directory_options::skip_permission_denied, ec)) {
      if (entry.path().filename() == "mount") {
        umount2(entry.path().c_str(), MNT_DETACH);  // fails harmlessly when nothing is mounted
      }
    }
  }
  plugin_.Kill();
  mounterd_.Terminate(std::chrono::seconds(20));
  for (const auto& bucket : buckets_) s3core::testing::DeleteBucketRecursively(*s3_, bucket);
  // S3CSI_IT_KEEP=1 keeps the logs (s3csi.log, mounterd.log) for a look after a failure.
  if (!work_dir_.empty() && std::getenv("S3CSI_IT_KEEP") == nullptr) fs::remove_all(work_dir_, ec);
}

std::map<std::string, std::string> PluginHarness::Secrets() const {
  return {{"accessKeyID", env_->access_key}, {"secretAccessKey", env_->secret_key}, {"endpoint", env_->endpoint}};
}

std::string PluginHarness::plugin_log() const { return ReadFile(work_dir_ + "/s3csi.log"); }

std::string PluginHarness::TargetPath(const std::string& pod, const std::string& pv) const {
  const std::string dir = kubelet_dir_ + "/pods/" + pod + "/volumes/kubernetes.io~csi/" + pv;
  fs::create_directories(dir);  // kubelet makes the parent; the plugin makes "mount"
  return dir + "/mount";
}

std::string PluginHarness::MakeBucket(const std::string& prefix) {
  std::string bucket = s3core::testing::UniqueBucketName(prefix);
  if (s3_->CreateBucket(bucket).ok()) buckets_.push_back(bucket);
  return bucket;
}

void PluginHarness::ForgetBucket(const std::string& bucket) { buckets_.push_back(bucket); }

bool PluginHarness::BucketExists(const std::string& bucket) { return s3_->HeadBucket(bucket).ok(); }

std::vector<std::string> PluginHarness::Keys(const std::string& bucket, const std::string& prefix) {
  s3core::ListObjectsRequest list;
  list.bucket = bucket;
  list.prefix = prefix;
  std::vector<std::string> keys;
  auto page = s3_->ListObjects(list);
  if (page.ok()) {
    for (const auto& object : page->objects) keys.push_back(object.key);
  }
  return keys;
}

csi::v1::VolumeCapability MountCapability(csi::v1::VolumeCapability::AccessMode::Mode mode) {
  csi::v1::VolumeCapability capability;
  capability.mutable_mount();
  capability.mutable_access_mode()->set_mode(mode);
  return capability;
}

csi::v1::CreateVolumeRequest CreateRequest(const std::string& name, const std::map<std::string, std::string>& params,
                                           const std::map<std::string, std::string>& secrets) {
  csi::v1::CreateVolumeRequest request;
  request.set_name(name);
  *request.add_volume_capabilities() = MountCapability();
  request.mutable_capacity_range()->set_required_bytes(int64_t{1} << 30);
  request.mutable_parameters()->insert(params.begin(), params.end());
  request.mutable_secrets()->insert(secrets.begin(), secrets.end());
  return request;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

bool WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  out.close();
  return out.good();
}

}  // namespace s3csi_it
