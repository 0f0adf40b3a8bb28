// s3csi-call: drives a CSI plugin over its unix socket the way Kubernetes does, for demos and
// debugging (like the csc tool of the CSI project, for the calls this driver implements).
//
//   s3csi-call --endpoint unix:///run/s3csi/csi.sock info
//   s3csi-call ... create NAME [--param k=v ...] [--secrets FILE]     prints the volume id
//   s3csi-call ... publish VOLUME_ID TARGET [--context k=v ...] [--ro] [--secrets FILE]
//   s3csi-call ... unpublish VOLUME_ID TARGET
//   s3csi-call ... delete VOLUME_ID [--secrets FILE]
//
// Secrets come from a file of key=value lines (accessKeyID, secretAccessKey, ...), which must
// not be readable by group or others, never from the command line.
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "csi/proto/csi.grpc.pb.h"

namespace {

using KeyValues = std::map<std::string, std::string>;

bool ParsePairs(const std::vector<std::string>& pairs, KeyValues& out, std::string& error) {
  for (const auto& pair : pairs) {
    auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      error = "expected key=value, got `" + pair + "'";
      return false;
    }
    out[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return true;
}

bool ReadSecrets(const std::string& path, KeyValues& out, std::string& error) {
  if (path.empty()) return true;
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    error = "secrets file " + path + " does not exist";
    return false;
  }
  if ((st.st_mode & 077) != 0) {
    error = "secrets file " + path + " is readable by others: chmod 600 it";
    return false;
  }
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> pairs;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') pairs.push_back(line);
  }
  return ParsePairs(pairs, out, error);
}

csi::v1::VolumeCapability MountCapability(bool read_only) {
  csi::v1::VolumeCapability capability;
  capability.mutable_mount();
  capability.mutable_access_mode()->set_mode(read_only ? csi::v1::VolumeCapability::AccessMode::MULTI_NODE_READER_ONLY
                                                       : csi::v1::VolumeCapability::AccessMode::MULTI_NODE_MULTI_WRITER);
  return capability;
}

int Report(const grpc::Status& status, const char* call) {
  if (status.ok()) return 0;
  std::fprintf(stderr, "s3csi-call: %s failed: %s (gRPC code %d)\n", call, status.error_message().c_str(),
               static_cast<int>(status.error_code()));
  return 1;
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return context;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"s3csi-call: call a CSI plugin as Kubernetes would"};
  std::string endpoint = "unix:///run/s3csi/csi.sock";
  std::string secrets_file;
  app.add_option("--endpoint", endpoint, "the plugin's gRPC endpoint (unix:///path)");
  app.require_subcommand(1);

  auto* info = app.add_subcommand("info", "GetPluginInfo and Probe");
  std::string name, volume_id, target;
  std::vector<std::string> params, context_pairs;
  bool read_only = false;
  uint64_t capacity = 1ULL << 30;
  auto* create = app.add_subcommand("create", "CreateVolume; prints the volume id and its context");
  create->add_option("name", name, "volume name (the PV name)")->required();
  create->add_option("--param", params, "StorageClass parameter key=value");
  create->add_option("--capacity", capacity, "requested bytes");
  create->add_option("--secrets", secrets_file, "file of key=value secret lines (mode 0600)");
  auto* publish = app.add_subcommand("publish", "NodePublishVolume");
  publish->add_option("volume_id", volume_id)->required();
  publish->add_option("target", target)->required();
  publish->add_option("--context", context_pairs, "volume context key=value (from create)");
  publish->add_flag("--ro", read_only, "read-only publish");
  publish->add_option("--secrets", secrets_file, "file of key=value secret lines (mode 0600)");
  auto* unpublish = app.add_subcommand("unpublish", "NodeUnpublishVolume");
  unpublish->add_option("volume_id", volume_id)->required();
  unpublish->add_option("target", target)->required();
  auto* remove = app.add_subcommand("delete", "DeleteVolume");
  remove->add_option("volume_id", volume_id)->required();
  remove->add_option("--secrets", secrets_file, "file of key=value secret lines (mode 0600)");
  CLI11_PARSE(app, argc, argv);

  KeyValues secrets, parameters, volume_context;
  std::string error;
  if (!ReadSecrets(secrets_file, secrets, error) || !ParsePairs(params, parameters, error) ||
      !ParsePairs(context_pairs, volume_context, error)) {
    std::fprintf(stderr, "s3csi-call: %s\n", error.c_str());
    return 2;
  }
  auto channel = grpc::CreateChannel(endpoint, grpc::InsecureChannelCredentials());

  if (info->parsed()) {
    auto identity = csi::v1::Identity::NewStub(channel);
    csi::v1::GetPluginInfoResponse plugin;
    if (int rc = Report(identity->GetPluginInfo(Context().get(), {}, &plugin), "GetPluginInfo")) return rc;
    csi::v1::ProbeResponse probe;
    if (int rc = Report(identity->Probe(Context().get(), {}, &probe), "Probe")) return rc;
    std::printf("%s %s ready=%s\n", plugin.name().c_str(), plugin.vendor_version().c_str(),
                probe.has_ready() && !probe.ready().value() ? "false" : "true");
    return 0;
  }
  if (create->parsed()) {
    auto controller = csi::v1::Controller::NewStub(channel);
    csi::v1::CreateVolumeRequest request;
    request.set_name(name);
    request.mutable_capacity_range()->set_required_bytes(static_cast<int64_t>(capacity));
    *request.add_volume_capabilities() = MountCapability(false);
    for (const auto& [k, v] : parameters) (*request.mutable_parameters())[k] = v;
    for (const auto& [k, v] : secrets) (*request.mutable_secrets())[k] = v;
    csi::v1::CreateVolumeResponse response;
    if (int rc = Report(controller->CreateVolume(Context().get(), request, &response), "CreateVolume")) return rc;
    std::printf("%s\n", response.volume().volume_id().c_str());
    for (const auto& [k, v] : response.volume().volume_context()) std::printf("context %s=%s\n", k.c_str(), v.c_str());
    return 0;
  }
  if (publish->parsed()) {
    auto node = csi::v1::Node::NewStub(channel);
    csi::v1::NodePublishVolumeRequest request;
    request.set_volume_id(volume_id);
    request.set_target_path(target);
    request.set_readonly(read_only);
    *request.mutable_volume_capability() = MountCapability(read_only);
    for (const auto& [k, v] : volume_context) (*request.mutable_volume_context())[k] = v;
    for (const auto& [k, v] : secrets) (*request.mutable_secrets())[k] = v;
    csi::v1::NodePublishVolumeResponse response;
    return Report(node->NodePublishVolume(Context().get(), request, &response), "NodePublishVolume");
  }
  if (unpublish->parsed()) {
    auto node = csi::v1::Node::NewStub(channel);
    csi::v1::NodeUnpublishVolumeRequest request;
    request.set_volume_id(volume_id);
    request.set_target_path(target);
    csi::v1::NodeUnpublishVolumeResponse response;
    return Report(node->NodeUnpublishVolume(Context().get(), request, &response), "NodeUnpublishVolume");
  }
  auto controller = csi::v1::Controller::NewStub(channel);
  csi::v1::DeleteVolumeRequest request;
  request.set_volume_id(volume_id);
  for (const auto& [k, v] : secrets) (*request.mutable_secrets())[k] = v;
  csi::v1::DeleteVolumeResponse response;
  return Report(controller->DeleteVolume(Context().get(), request, &response), "DeleteVolume");
}
