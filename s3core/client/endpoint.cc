#include "s3core/client/endpoint.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "s3core/auth/sigv4.h"

namespace s3core {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool IsIpv4Literal(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find('.', i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view part = s.substr(i, j - i);
    int value = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || part.size() > 3 || ec != std::errc() || p != part.data() + part.size() || value > 255)
      return false;
    ++parts;
    i = j + 1;
  }
  return parts == 4;
}

uint16_t DefaultPort(const std::string& scheme) { return scheme == "http" ? 80 : 443; }

}  // namespace

Result<Endpoint> Endpoint::Parse(std::string_view url) {
  const std::string original(url);
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("invalid endpoint URL '" + original + "': " + why);
  };
  if (url.empty()) return bad("empty");
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f) return bad("contains spaces or control characters");
  }
  Endpoint ep;
  if (auto pos = url.find("://"); pos != std::string_view::npos) {
    ep.scheme = Lower(url.substr(0, pos));
    url.remove_prefix(pos + 3);
    if (ep.scheme != "http" && ep.scheme != "https") return bad("scheme must be http or https");
  } else {
    ep.scheme = "https";
  }
  if (url.find_first_of("?#") != std::string_view::npos) return bad("query strings and fragments are not allowed");
  std::string_view authority = url;
  if (auto slash = url.find('/'); slash != std::string_view::npos) {
    authority = url.substr(0, slash);
    std::string_view path = url.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    ep.base_path = std::string(path);
  }
  if (authority.find('@') != std::string_view::npos) return bad("user info is not allowed (use credentials options)");
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    host = authority.substr(0, close + 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("garbage after IPv6 literal");
      port = rest.substr(1);
      if (port.empty()) return bad("empty port");
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return bad("empty port");
  }
  if (host.empty()) return bad("empty host");
  if (host.front() != '[') {
    for (unsigned char c : host) {
      if (!std::isalnum(c) && c != '-' && c != '.' && c != '_') return bad("invalid character in host name");
    }
  }
  ep.host = Lower(host);
  if (!port.empty()) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535)
      return bad("port must be a number from 1 to 65535");
    ep.port = static_cast<uint16_t>(value);
  }
  return ep;
}

Endpoint Endpoint::ForAwsRegion(const std::string& region) {
  Endpoint ep;
  ep.scheme = "https";
  ep.host = region.empty() ? "s3.amazonaws.com" : "s3." + region + ".amazonaws.com";
  return ep;
}

bool Endpoint::IsAws() const {
  static constexpr std::string_view kSuffix = ".amazonaws.com";
  return host.size() > kSuffix.size() && host.compare(host.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

std::string Endpoint::Authority() const {
  if (port == 0 || port == DefaultPort(scheme)) return host;
  return host + ":" + std::to_string(port);
}

std::string Endpoint::ToString() const { return scheme + "://" + Authority() + base_path; }

Status ValidateBucketName(std::string_view b) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("invalid bucket name '" + std::string(b) + "': " + why);
  };
  if (b.size() < 3 || b.size() > 63) return bad("must be 3 to 63 characters long");
  for (unsigned char c : b) {
    if (!(std::islower(c) || std::isdigit(c) || c == '.' || c == '-'))
      return bad("only lower-case letters, digits, '.' and '-' are allowed");
  }
  auto alnum = [](unsigned char c) { return std::islower(c) || std::isdigit(c); };
  if (!alnum(b.front()) || !alnum(b.back())) return bad("must start and end with a letter or digit");
  if (b.find("..") != std::string_view::npos) return bad("must not contain two adjacent periods");
  if (IsIpv4Literal(b)) return bad("must not be formatted as an IP address");
  if (b.substr(0, 4) == "xn--" || b.substr(0, 8) == "sthree-") return bad("reserved prefix");
  if (b.size() >= 8 && b.substr(b.size() - 8) == "-s3alias") return bad("reserved suffix");
  return Status();
}

Status ValidateObjectKey(std::string_view key) {
  if (key.empty()) return Status::InvalidArgument("object key is empty");
  if (key.size() > 1024) return Status::InvalidArgument("object key longer than 1024 bytes");
  return Status();
}

RequestTarget ResolveTarget(const Endpoint& endpoint, AddressingStyle style, std::string_view bucket,
                            std::string_view key) {
  bool virtual_host = false;
  if (!bucket.empty()) {
    switch (style) {
      case AddressingStyle::kPath: break;
      case AddressingStyle::kVirtualHost: virtual_host = true; break;
      case AddressingStyle::kAuto:
        // Dotted names break TLS wildcard certificates; non-AWS stores usually lack wildcard DNS.
        virtual_host = endpoint.IsAws() && bucket.find('.') == std::string_view::npos;
        break;
    }
  }
  RequestTarget t;
  t.host = virtual_host ? std::string(bucket) + "." + endpoint.Authority() : endpoint.Authority();
  t.url_prefix = endpoint.scheme + "://" + t.host;
  t.encoded_path = endpoint.base_path;
  if (!bucket.empty() && !virtual_host) t.encoded_path += "/" + UriEncode(bucket, true);
  t.encoded_path += "/";
  if (!key.empty()) t.encoded_path += UriEncode(key, false);
  return t;
}

std::string EncodeQuery(const std::vector<std::pair<std::string, std::string>>& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    out += out.empty() ? '?' : '&';
    out += UriEncode(name, true);
    if (!value.empty()) out += "=" + UriEncode(value, true);
  }
  return out;
}

}  // namespace s3core
