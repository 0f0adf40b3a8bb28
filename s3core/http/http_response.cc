// The out-of-line members of the HttpResponse value type declared in http_client.h.
#include "s3core/http/http_client.h"

namespace s3core {

const std::string& HttpResponse::Header(const std::string& lower_name) const {
  static const std::string kEmpty;
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return kEmpty;
}

bool HttpResponse::HasHeader(const std::string& lower_name) const {
  for (const auto& header : headers) {
    if (header.first == lower_name) return true;
  }
  return false;
}

}  // namespace s3core
