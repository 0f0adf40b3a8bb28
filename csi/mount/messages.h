// The messages of the plugin <-> s3csi-mounterd protocol (JSON inside framing.h's frames).
//
//   plugin -> mounterd  {"op":"start", "spec":{...}, "fingerprint":..., "target":...}  + the /dev/fuse fd
//   mounterd -> plugin  {"ok":true} | {"ok":false, "kind":"AccessDenied", "message":"..."}
//   plugin -> mounterd  {"op":"list"}
//   mounterd -> plugin  {"ok":true, "mounts":[{"volume_id":..., "fingerprint":..., "target":..., "pid":N}]}
//
// One request per connection. The spec carries the secrets: the socket is 0600 and the peer is
// checked (SO_PEERCRED), and no side ever logs a request as a whole.
#pragma once

#include <string>
#include <vector>

#include "csi/mount/publisher.h"
#include "s3core/status.h"

namespace s3csi {

struct StartRequest {
  MountSpec spec;
  std::string fingerprint;
  std::string target;  // for mounterd's logs only: mounterd never touches the path
};

struct ServedMount {
  std::string volume_id;
  std::string fingerprint;
  std::string target;
  int pid = 0;
};

struct Request {
  enum class Op { kStart, kList };
  Op op = Op::kStart;
  StartRequest start;  // for kStart
};

struct Response {
  s3core::Status status;
  std::vector<ServedMount> mounts;  // for kList
};

std::string EncodeRequest(const Request& request);
s3core::Result<Request> DecodeRequest(const std::string& payload);
std::string EncodeResponse(const Response& response);
s3core::Result<Response> DecodeResponse(const std::string& payload);

// The reverse of s3core::ErrorKindName (kInternal for unknown names).
s3core::ErrorKind ErrorKindFromName(const std::string& name);

}  // namespace s3csi
