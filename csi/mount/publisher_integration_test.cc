// Mount survival end to end: the real s3csi-mounterd and s3mount binaries, real FUSE mounts, the
// RGW test server. "The plugin" is a Publisher, in this process or (for the kill -9 test) in a
// helper process: this test binary started again with --gtest_filter on PluginProcess.Publish.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "csi/mount/messages.h"
#include "csi/mount/mounterd_client.h"
#include "csi/mount/publisher.h"
#include "s3core/metrics/test_scrape.h"
#include "s3core/testing/rgw_env.h"

extern char** environ;

namespace s3csi {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kHelperSocketVar = "S3CSI_TEST_HELPER_SOCKET";

// Polls `condition` until it holds or `timeout` passes.
template <typename F>
bool Eventually(F condition, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

pid_t Spawn(const std::vector<std::string>& args, int stdin_fd, int stdout_fd, const std::vector<std::string>& env) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdin_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  if (stdout_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 2);
  }
  std::vector<char*> argv, envp;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int err = posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return err == 0 ? pid : -1;
}

std::vector<std::string> OwnEnvironment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  return env;
}

std::optional<int> WaitExit(pid_t pid, std::chrono::milliseconds timeout) {
  std::optional<int> status;
  Eventually([&] {
    int s = 0;
    if (waitpid(pid, &s, WNOHANG) == pid) status = s;
    return status.has_value();
  }, timeout);
  return status;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool WriteAll(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  out.close();
  return out.good();
}

// What a kubelet-style health check sees: statfs always reaches the FUSE server.
int StatfsErrno(const std::string& path) {
  struct statfs st {};
  return statfs(path.c_str(), &st) == 0 ? 0 : errno;
}

int StatErrno(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? 0 : errno;
}

class PublisherIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = s3core::testing::RgwFromEnv();
    if (!env_) {
      if (s3core::testing::RgwRequired()) FAIL() << "S3_TEST_REQUIRED=1 but no RGW server configured";
      GTEST_SKIP() << "no RGW server (tests/rgw/start.sh)";
    }
    client_ = s3core::testing::MakeClient(*env_);
    bucket_ = s3core::testing::UniqueBucketName("csimount");
    ASSERT_TRUE(client_->CreateBucket(bucket_).ok());
    char dir[] = "/tmp/csi-mount-it-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    work_ = dir;
    socket_ = work_ + "/mounterd.sock";
    StartMounterd();
  }

  void TearDown() override {
    if (work_.empty()) return;
    Publisher cleanup(PublisherOptions());
    if (auto mounts = cleanup.List(); mounts.ok()) {
      for (const PublishedMount& m : *mounts) {
        if (m.target.rfind(work_, 0) == 0) {
          EXPECT_TRUE(cleanup.Unpublish(m.target).ok()) << m.target;
        }
      }
    }
    StopMounterd();
    if (client_) s3core::testing::DeleteBucketRecursively(*client_, bucket_);
    std::error_code ec;
    std::filesystem::remove_all(work_, ec);
  }

  void StartMounterd() {
    const int log = open((work_ + "/mounterd.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    ASSERT_GE(log, 0);
    metrics_port_ = s3core::metrics::testing::FreeLoopbackPort();
    mounterd_ = Spawn({S3CSI_MOUNTERD_PATH, "--socket", socket_, "--s3mount", S3MOUNT_PATH, "--start-timeout-ms",
                       "20000", "--log-level", "debug", "--metrics-address",
                       "127.0.0.1:" + std::to_string(metrics_port_), "--metrics-dir", work_ + "/metrics"},
                      -1, log, OwnEnvironment());
    close(log);
    ASSERT_GT(mounterd_, 0);
    ASSERT_TRUE(Eventually([&] { return access(socket_.c_str(), F_OK) == 0; })) << MounterdLog();
    struct stat st {};
    ASSERT_EQ(stat(socket_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }

  void StopMounterd() {
    if (mounterd_ <= 0) return;
    kill(mounterd_, SIGTERM);
    EXPECT_TRUE(WaitExit(mounterd_, 20s).has_value());
    mounterd_ = -1;
  }

  std::string MounterdLog() const { return ReadAll(work_ + "/mounterd.log"); }

  Publisher::Options PublisherOptions() const {
    Publisher::Options options;
    options.mounterd_socket = socket_;
    options.timeout = 30s;
    return options;
  }

  MountSpec Spec() const {
    MountSpec spec;
    spec.volume_id = "vol:" + bucket_;
    spec.bucket = bucket_;
    spec.endpoint = env_->endpoint;
    spec.region = env_->region;
    spec.options = {"use_path_request_style", "connect_timeout=5", "retries=2"};
    spec.secrets = {env_->access_key, env_->secret_key, ""};
    return spec;
  }

  // The pid of the s3mount serving `target`, as mounterd reports it.
  int S3mountPid(const std::string& target) {
    Request list;
    list.op = Request::Op::kList;
    auto response = CallMounterd(socket_, list, -1, Clock::now() + 10s);
    if (!response.ok()) return -1;
    for (const ServedMount& m : response->mounts) {
      if (m.target == target) return m.pid;
    }
    return -1;
  }

  std::optional<s3core::testing::RgwEnv> env_;
  std::shared_ptr<s3core::S3Client> client_;
  std::string bucket_, work_, socket_;
  pid_t mounterd_ = -1;
  int metrics_port_ = 0;
};

TEST_F(PublisherIntegrationTest, MounterdServesItsOwnAndItsChildrensMetrics) {
  Publisher publisher(PublisherOptions());
  const std::string target = work_ + "/measured";
  ASSERT_TRUE(publisher.Publish(target, Spec()).ok()) << MounterdLog();
  const int pid = S3mountPid(target);
  ASSERT_GT(pid, 0);
  // The child writes its file once it serves (HeadBucket done), then every 10 s.
  const std::string child_series = "s3_requests_total{operation=\"HeadBucket\",outcome=\"ok\",pid=\"" +
                                   std::to_string(pid) + "\",volume_id=\"" + Spec().volume_id + "\"} 1";
  std::string text;
  EXPECT_TRUE(Eventually([&] {
    auto scraped = s3core::metrics::testing::Scrape(metrics_port_);
    text = scraped.ok() ? *scraped : scraped.status().ToString();
    return text.find(child_series) != std::string::npos;
  })) << text;
  EXPECT_NE(text.find("mounterd_mounts_started_total 1"), std::string::npos) << text;
  EXPECT_NE(text.find("mounterd_children 1"), std::string::npos);
  EXPECT_NE(text.find("s3mount_memory_limit_bytes{pid=\"" + std::to_string(pid) + "\",volume_id="), std::string::npos);
  EXPECT_EQ(text.find(env_->secret_key), std::string::npos);
  EXPECT_EQ(text.find(env_->access_key), std::string::npos);

  // Unpublish: s3mount exits 0; its series go, its exit is counted.
  ASSERT_TRUE(publisher.Unpublish(target).ok());
  EXPECT_TRUE(Eventually([&] {
    auto scraped = s3core::metrics::testing::Scrape(metrics_port_);
    text = scraped.ok() ? *scraped : scraped.status().ToString();
    return text.find("mounterd_child_exits_total{reason=\"exit_0\"} 1") != std::string::npos;
  })) << text;
  EXPECT_EQ(text.find("volume_id="), std::string::npos) << text;
  EXPECT_NE(text.find("mounterd_children 0"), std::string::npos);
}

TEST_F(PublisherIntegrationTest, PublishServesAndIsIdempotent) {
  Publisher publisher(PublisherOptions());
  const std::string target = work_ + "/pods/a/mount";
  ASSERT_EQ(mkdir((work_ + "/pods").c_str(), 0750), 0);
  ASSERT_EQ(mkdir((work_ + "/pods/a").c_str(), 0750), 0);
  const auto started = Clock::now();
  ASSERT_TRUE(publisher.Publish(target, Spec()).ok()) << MounterdLog();
  std::cerr << "[ measure  ] Publish took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count() << " ms\n";

  auto inspected = publisher.Inspect(target);
  ASSERT_TRUE(inspected.ok());
  ASSERT_TRUE(inspected->has_value());
  EXPECT_EQ((*inspected)->volume_id, Spec().volume_id);
  EXPECT_FALSE((*inspected)->broken);

  ASSERT_TRUE(WriteAll(target + "/hello.txt", "hello from the plugin"));
  EXPECT_EQ(ReadAll(target + "/hello.txt"), "hello from the plugin");
  s3core::HeadObjectRequest head;
  head.bucket = bucket_;
  head.key = "hello.txt";
  auto object = client_->HeadObject(head);
  ASSERT_TRUE(object.ok()) << object.status().ToString();

  // Same spec again: nothing to do. Another spec at the same target: refused.
  EXPECT_TRUE(publisher.Publish(target, Spec()).ok());
  MountSpec other = Spec();
  other.read_only = true;
  EXPECT_EQ(publisher.Publish(target, other).kind(), s3core::ErrorKind::kAlreadyExists);
  // Secrets are not part of the identity: rotated keys republish fine.
  MountSpec rotated = Spec();
  rotated.secrets.session_token = "ignored";
  EXPECT_TRUE(publisher.Publish(target, rotated).ok());

  auto listed = publisher.List();
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(std::any_of(listed->begin(), listed->end(), [&](const PublishedMount& m) { return m.target == target; }));

  ASSERT_TRUE(publisher.Unpublish(target).ok());
  EXPECT_EQ(StatErrno(target), ENOENT);
  inspected = publisher.Inspect(target);
  ASSERT_TRUE(inspected.ok());
  EXPECT_FALSE(inspected->has_value());
  EXPECT_TRUE(publisher.Unpublish(target).ok());  // again: nothing to do
  EXPECT_TRUE(publisher.Unpublish(work_ + "/no/such/parent").ok());
}

TEST_F(PublisherIntegrationTest, MountSurvivesKilledPlugin) {
  const std::string target = work_ + "/survivor";
  // The plugin: this binary again, publishing in a process of its own, then waiting to be killed.
  int to_helper[2], from_helper[2];
  ASSERT_EQ(pipe2(to_helper, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(from_helper, O_CLOEXEC), 0);
  std::vector<std::string> env = OwnEnvironment();
  env.push_back(std::string(kHelperSocketVar) + "=" + socket_);
  const pid_t plugin = Spawn({"/proc/self/exe", "--gtest_filter=PluginProcess.Publish", "--gtest_also_run_disabled_tests"},
                             to_helper[0], from_helper[1], env);
  close(to_helper[0]);
  close(from_helper[1]);
  ASSERT_GT(plugin, 0);
  Request request;
  request.start.spec = Spec();
  request.start.target = target;
  const std::string line = EncodeRequest(request) + "\n";  // the spec (with secrets) over a pipe, not argv
  ASSERT_EQ(write(to_helper[1], line.data(), line.size()), static_cast<ssize_t>(line.size()));
  close(to_helper[1]);
  std::string said;
  char buffer[256];
  ssize_t n;
  while (said.find("PUBLISHED") == std::string::npos && (n = read(from_helper[0], buffer, sizeof(buffer))) > 0) {
    said.append(buffer, static_cast<size_t>(n));
  }
  close(from_helper[0]);
  ASSERT_NE(said.find("PUBLISHED"), std::string::npos) << said << MounterdLog();

  ASSERT_EQ(kill(plugin, SIGKILL), 0);
  auto status = WaitExit(plugin, 10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFSIGNALED(*status));

  // The mount keeps serving: the file the plugin wrote, and new ones.
  EXPECT_EQ(ReadAll(target + "/from-plugin.txt"), "written before kill -9");
  ASSERT_TRUE(WriteAll(target + "/after.txt", "after the plugin died"));
  EXPECT_EQ(ReadAll(target + "/after.txt"), "after the plugin died");

  // The restarted plugin: no state but the mount table and mounterd.
  Publisher restarted(PublisherOptions());
  auto inspected = restarted.Inspect(target);
  ASSERT_TRUE(inspected.ok());
  ASSERT_TRUE(inspected->has_value());
  EXPECT_EQ((*inspected)->volume_id, Spec().volume_id);
  EXPECT_FALSE((*inspected)->broken);
  EXPECT_TRUE(restarted.Publish(target, Spec()).ok());  // kubelet retrying the publish: already done
  const int s3mount = S3mountPid(target);
  ASSERT_GT(s3mount, 0);
  ASSERT_TRUE(restarted.Unpublish(target).ok());
  EXPECT_EQ(StatErrno(target), ENOENT);
  // s3mount flushes and exits once unmounted.
  EXPECT_TRUE(Eventually([&] { return kill(s3mount, 0) != 0; })) << MounterdLog();
  s3core::HeadObjectRequest head;
  head.bucket = bucket_;
  head.key = "after.txt";
  EXPECT_TRUE(client_->HeadObject(head).ok());
}

TEST_F(PublisherIntegrationTest, DeadMounterIsDetectedRemountedAndUnpublished) {
  Publisher publisher(PublisherOptions());
  const std::string target = work_ + "/fragile";
  ASSERT_TRUE(publisher.Publish(target, Spec()).ok()) << MounterdLog();
  ASSERT_TRUE(WriteAll(target + "/kept.txt", "kept in S3"));

  for (int round = 0; round < 2; ++round) {
    const int s3mount = S3mountPid(target);
    ASSERT_GT(s3mount, 0);
    ASSERT_EQ(kill(s3mount, SIGKILL), 0);
    ASSERT_TRUE(Eventually([&] { return StatfsErrno(target) == ENOTCONN; }))
        << "round " << round << " pid " << s3mount << " errno " << StatfsErrno(target) << "\n" << MounterdLog();
    auto inspected = publisher.Inspect(target);
    ASSERT_TRUE(inspected.ok());
    ASSERT_TRUE(inspected->has_value());
    EXPECT_TRUE((*inspected)->broken);
    if (round == 0) {
      // Publish over a broken mount: unmounted lazily and mounted afresh.
      ASSERT_TRUE(publisher.Publish(target, Spec()).ok()) << MounterdLog();
      inspected = publisher.Inspect(target);
      ASSERT_TRUE(inspected.ok() && inspected->has_value());
      EXPECT_FALSE((*inspected)->broken);
      EXPECT_EQ(ReadAll(target + "/kept.txt"), "kept in S3");
    }
  }
  ASSERT_TRUE(publisher.Unpublish(target).ok());
  EXPECT_EQ(StatErrno(target), ENOENT);
  auto inspected = publisher.Inspect(target);
  ASSERT_TRUE(inspected.ok());
  EXPECT_FALSE(inspected->has_value());
  EXPECT_NE(MounterdLog().find("killed by signal"), std::string::npos);
}

TEST_F(PublisherIntegrationTest, WrongSecretsFailCleanly) {
  Publisher publisher(PublisherOptions());
  const std::string target = work_ + "/denied";
  MountSpec spec = Spec();
  spec.secrets.secret_access_key = "not-the-secret-key-at-all";
  const s3core::Status status = publisher.Publish(target, spec);
  EXPECT_EQ(status.kind(), s3core::ErrorKind::kAccessDenied) << status.ToString();
  EXPECT_NE(status.message().find(bucket_), std::string::npos) << status.ToString();
  EXPECT_EQ(status.message().find("not-the-secret-key-at-all"), std::string::npos);
  EXPECT_EQ(MounterdLog().find("not-the-secret-key-at-all"), std::string::npos);
  auto inspected = publisher.Inspect(target);
  ASSERT_TRUE(inspected.ok());
  EXPECT_FALSE(inspected->has_value());
  EXPECT_EQ(StatErrno(target), ENOENT);  // the target we created is gone again
}

TEST_F(PublisherIntegrationTest, NoMounterdLeavesNoMount) {
  StopMounterd();
  Publisher publisher(PublisherOptions());
  const std::string target = work_ + "/orphan";
  const s3core::Status status = publisher.Publish(target, Spec());
  EXPECT_EQ(status.kind(), s3core::ErrorKind::kNetwork) << status.ToString();
  auto inspected = publisher.Inspect(target);
  ASSERT_TRUE(inspected.ok());
  EXPECT_FALSE(inspected->has_value());
  EXPECT_EQ(StatErrno(target), ENOENT);
}

// The helper "plugin" process of MountSurvivesKilledPlugin; skipped when run normally.
TEST(PluginProcess, Publish) {
  const char* socket = std::getenv(kHelperSocketVar);
  if (socket == nullptr) GTEST_SKIP() << "only run as the helper of MountSurvivesKilledPlugin";
  std::string line;
  std::getline(std::cin, line);
  auto request = DecodeRequest(line);
  ASSERT_TRUE(request.ok());
  Publisher::Options options;
  options.mounterd_socket = socket;
  Publisher publisher(options);
  const std::string& target = request->start.target;
  ASSERT_TRUE(publisher.Publish(target, request->start.spec).ok());
  ASSERT_TRUE(WriteAll(target + "/from-plugin.txt", "written before kill -9"));
  std::cout << "PUBLISHED" << std::endl;
  for (;;) pause();  // until kill -9
}

}  // namespace
}  // namespace s3csi
