#include "csi/mount/messages.h"

#include <nlohmann/json.hpp>

namespace s3csi {

namespace {

using nlohmann::json;
using s3core::Status;

// Typed field access without exceptions: a missing field reads as empty, a mistyped one fails.
class Reader {
 public:
  explicit Reader(const json& object) : object_(object) {}
  std::string String(const char* name) {
    auto it = object_.find(name);
    if (it == object_.end()) return {};
    if (!it->is_string()) return Fail(name), std::string();
    return it->get<std::string>();
  }
  bool Bool(const char* name) {
    auto it = object_.find(name);
    if (it == object_.end()) return false;
    if (!it->is_boolean()) return Fail(name), false;
    return it->get<bool>();
  }
  int Int(const char* name) {
    auto it = object_.find(name);
    if (it == object_.end()) return 0;
    if (!it->is_number_integer()) return Fail(name), 0;
    return it->get<int>();
  }
  std::vector<std::string> Strings(const char* name) {
    std::vector<std::string> out;
    auto it = object_.find(name);
    if (it == object_.end()) return out;
    if (!it->is_array()) return Fail(name), out;
    for (const json& item : *it) {
      if (!item.is_string()) return Fail(name), out;
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  const json* Object(const char* name) {
    auto it = object_.find(name);
    if (it == object_.end() || !it->is_object()) return Fail(name), nullptr;
    return &*it;
  }
  Status status() const {
    return bad_.empty() ? Status::Ok() : Status::InvalidArgument("mounterd message: field " + bad_ + " has the wrong type");
  }

 private:
  void Fail(const char* name) {
    if (bad_.empty()) bad_ = name;
  }
  const json& object_;
  std::string bad_;
};

s3core::Result<json> ParseObject(const std::string& payload) {
  json parsed = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return Status::InvalidArgument("mounterd message is not a JSON object");
  return parsed;
}

}  // namespace

s3core::ErrorKind ErrorKindFromName(const std::string& name) {
  for (int k = static_cast<int>(s3core::ErrorKind::kOk); k <= static_cast<int>(s3core::ErrorKind::kInternal); ++k) {
    const auto kind = static_cast<s3core::ErrorKind>(k);
    if (name == s3core::ErrorKindName(kind)) return kind;
  }
  return s3core::ErrorKind::kInternal;
}

std::string EncodeRequest(const Request& request) {
  if (request.op == Request::Op::kList) return json{{"op", "list"}}.dump();
  const MountSpec& spec = request.start.spec;
  json j = {{"op", "start"},
            {"fingerprint", request.start.fingerprint},
            {"target", request.start.target},
            {"spec",
             {{"volume_id", spec.volume_id},
              {"bucket", spec.bucket},
              {"prefix", spec.prefix},
              {"endpoint", spec.endpoint},
              {"region", spec.region},
              {"options", spec.options},
              {"read_only", spec.read_only},
              {"access_key_id", spec.secrets.access_key_id},
              {"secret_access_key", spec.secrets.secret_access_key},
              {"session_token", spec.secrets.session_token}}}};
  // Invalid UTF-8 is replaced rather than thrown on: validation happens on the other side.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

s3core::Result<Request> DecodeRequest(const std::string& payload) {
  S3_ASSIGN_OR_RETURN(json j, ParseObject(payload));
  Reader top(j);
  Request request;
  const std::string op = top.String("op");
  if (op == "list") {
    request.op = Request::Op::kList;
    return request;
  }
  if (op != "start") return Status::InvalidArgument("mounterd message: unknown op");
  request.start.fingerprint = top.String("fingerprint");
  request.start.target = top.String("target");
  const json* spec_json = top.Object("spec");
  S3_RETURN_IF_ERROR(top.status());
  Reader s(*spec_json);
  MountSpec& spec = request.start.spec;
  spec.volume_id = s.String("volume_id");
  spec.bucket = s.String("bucket");
  spec.prefix = s.String("prefix");
  spec.endpoint = s.String("endpoint");
  spec.region = s.String("region");
  spec.options = s.Strings("options");
  spec.read_only = s.Bool("read_only");
  spec.secrets.access_key_id = s.String("access_key_id");
  spec.secrets.secret_access_key = s.String("secret_access_key");
  spec.secrets.session_token = s.String("session_token");
  S3_RETURN_IF_ERROR(s.status());
  return request;
}

std::string EncodeResponse(const Response& response) {
  json j = {{"ok", response.status.ok()}};
  if (!response.status.ok()) {
    j["kind"] = s3core::ErrorKindName(response.status.kind());
    j["message"] = response.status.message();
  }
  if (!response.mounts.empty()) {
    json mounts = json::array();
    for (const ServedMount& m : response.mounts) {
      mounts.push_back({{"volume_id", m.volume_id}, {"fingerprint", m.fingerprint}, {"target", m.target}, {"pid", m.pid}});
    }
    j["mounts"] = std::move(mounts);
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

s3core::Result<Response> DecodeResponse(const std::string& payload) {
  S3_ASSIGN_OR_RETURN(json j, ParseObject(payload));
  Reader top(j);
  Response response;
  if (!top.Bool("ok")) {
    response.status = Status::Error(ErrorKindFromName(top.String("kind")), top.String("message"));
  }
  if (auto it = j.find("mounts"); it != j.end() && it->is_array()) {
    for (const json& item : *it) {
      if (!item.is_object()) continue;
      Reader m(item);
      response.mounts.push_back({m.String("volume_id"), m.String("fingerprint"), m.String("target"), m.Int("pid")});
    }
  }
  S3_RETURN_IF_ERROR(top.status());
  return response;
}

}  // namespace s3csi
