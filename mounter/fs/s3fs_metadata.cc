#include "mounter/fs/s3fs_metadata.h"

#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>

namespace mounter {
namespace {

template <typename T>
std::optional<T> ParseDecimal(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

const std::string* Find(const s3core::UserMetadata& metadata, const char* name) {
  auto it = metadata.find(name);
  return it == metadata.end() ? nullptr : &it->second;
}

constexpr char kBase64Chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

struct timespec ToTimespec(s3core::TimePoint t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  struct timespec ts {};
  ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  if (ts.tv_nsec < 0) {
    ts.tv_nsec += 1'000'000'000;
    ts.tv_sec -= 1;
  }
  return ts;
}

s3core::TimePoint FromTimespec(const struct timespec& t) {
  auto d = std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
  return s3core::TimePoint(std::chrono::duration_cast<s3core::TimePoint::duration>(d));
}

std::optional<struct timespec> ParseS3fsTime(std::string_view text) {
  auto dot = text.find('.');
  auto seconds = ParseDecimal<long long>(text.substr(0, dot));
  if (!seconds) return std::nullopt;
  struct timespec ts {};
  ts.tv_sec = static_cast<time_t>(*seconds);
  if (dot != std::string_view::npos) {
    std::string_view frac = text.substr(dot + 1);
    if (frac.empty() || frac.size() > 9) return std::nullopt;
    auto digits = ParseDecimal<long>(frac);
    if (!digits || *digits < 0) return std::nullopt;
    long ns = *digits;
    for (size_t i = frac.size(); i < 9; ++i) ns *= 10;  // ".5" is half a second
    ts.tv_nsec = ns;
  }
  return ts;
}

std::string FormatS3fsTime(const struct timespec& t) {
  std::string out = std::to_string(static_cast<long long>(t.tv_sec));
  if (t.tv_nsec != 0) {
    std::string ns = std::to_string(t.tv_nsec);
    out += "." + std::string(9 - ns.size(), '0') + ns;
  }
  return out;
}

bool IsDirectoryObject(const s3core::ObjectInfo& info) {
  if (!info.key.empty() && info.key.back() == '/') return true;
  if (info.content_type == kDirectoryContentType) return true;
  if (const std::string* mode = Find(info.metadata, kMetaMode)) {
    auto value = ParseDecimal<unsigned long>(*mode);
    if (value && S_ISDIR(static_cast<mode_t>(*value))) return true;
  }
  return false;
}

NodeAttributes AttributesFromObject(const s3core::ObjectInfo& info, const AttributeDefaults& defaults) {
  const bool is_dir = IsDirectoryObject(info);
  NodeAttributes attrs;
  attrs.size = is_dir ? 0 : info.size;
  attrs.mode = is_dir ? (S_IFDIR | (0777 & ~defaults.umask)) : (S_IFREG | (0666 & ~defaults.umask));
  if (const std::string* mode = Find(info.metadata, kMetaMode)) {
    if (auto value = ParseDecimal<unsigned long>(*mode)) {
      auto stored = static_cast<mode_t>(*value);
      mode_t type = stored & S_IFMT;
      // The object's shape wins over a contradicting type: a "dir/" marker is a directory even
      // if a tool wrote a regular mode on it; a mode without type bits takes the object's type.
      if (is_dir) type = S_IFDIR;
      else if (type == 0 || type == S_IFDIR) type = S_IFREG;
      attrs.mode = type | (stored & 07777);
    }
  }
  attrs.uid = defaults.uid;
  attrs.gid = defaults.gid;
  if (!defaults.override_owner) {
    if (const std::string* uid = Find(info.metadata, kMetaUid)) {
      if (auto v = ParseDecimal<uint32_t>(*uid)) attrs.uid = *v;
    }
    if (const std::string* gid = Find(info.metadata, kMetaGid)) {
      if (auto v = ParseDecimal<uint32_t>(*gid)) attrs.gid = *v;
    }
  }
  attrs.mtime = ToTimespec(info.last_modified);
  if (const std::string* mtime = Find(info.metadata, kMetaMtime)) {
    if (auto t = ParseS3fsTime(*mtime)) attrs.mtime = *t;
  }
  attrs.ctime = attrs.mtime;
  if (const std::string* ctime = Find(info.metadata, kMetaCtime)) {
    if (auto t = ParseS3fsTime(*ctime)) attrs.ctime = *t;
  }
  attrs.atime = attrs.mtime;
  if (const std::string* atime = Find(info.metadata, kMetaAtime)) {
    if (auto t = ParseS3fsTime(*atime)) attrs.atime = *t;
  }
  return attrs;
}

NodeAttributes AttributesFromListing(const s3core::ObjectInfo& info, const AttributeDefaults& defaults) {
  NodeAttributes attrs;
  attrs.mode = S_IFREG | (0666 & ~defaults.umask);
  attrs.uid = defaults.uid;
  attrs.gid = defaults.gid;
  attrs.size = info.size;
  attrs.mtime = attrs.ctime = attrs.atime = ToTimespec(info.last_modified);
  return attrs;
}

NodeAttributes ImplicitDirectoryAttributes(const AttributeDefaults& defaults, s3core::TimePoint mtime) {
  NodeAttributes attrs;
  attrs.mode = S_IFDIR | (0777 & ~defaults.umask);
  attrs.uid = defaults.uid;
  attrs.gid = defaults.gid;
  attrs.mtime = attrs.ctime = attrs.atime = ToTimespec(mtime);
  return attrs;
}

void EncodeAttributes(const NodeAttributes& attributes, s3core::UserMetadata* metadata) {
  (*metadata)[kMetaMode] = std::to_string(attributes.mode);
  (*metadata)[kMetaUid] = std::to_string(attributes.uid);
  (*metadata)[kMetaGid] = std::to_string(attributes.gid);
  (*metadata)[kMetaMtime] = FormatS3fsTime(attributes.mtime);
  (*metadata)[kMetaCtime] = FormatS3fsTime(attributes.ctime);
  (*metadata)[kMetaAtime] = FormatS3fsTime(attributes.atime);
}

std::string Base64Encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint32_t{static_cast<unsigned char>(data[i])} << 16) |
                 (uint32_t{static_cast<unsigned char>(data[i + 1])} << 8) | static_cast<unsigned char>(data[i + 2]);
    out += kBase64Chars[(v >> 18) & 63];
    out += kBase64Chars[(v >> 12) & 63];
    out += kBase64Chars[(v >> 6) & 63];
    out += kBase64Chars[v & 63];
  }
  size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{static_cast<unsigned char>(data[i])} << 16;
    if (rest == 2) v |= uint32_t{static_cast<unsigned char>(data[i + 1])} << 8;
    out += kBase64Chars[(v >> 18) & 63];
    out += kBase64Chars[(v >> 12) & 63];
    out += rest == 2 ? kBase64Chars[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (padding > 2) return std::nullopt;
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '_' ||
        u == '.' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string UrlDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];  // '+' stays '+': base64 values use it and s3fs does not decode it as a space
  }
  return out;
}

std::optional<XattrMap> DecodeXattrs(std::string_view header) {
  if (header.empty()) return XattrMap{};
  auto json = nlohmann::json::parse(UrlDecode(header), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  XattrMap out;
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (!it.value().is_string()) return std::nullopt;
    auto value = Base64Decode(it.value().get<std::string>());
    if (!value) return std::nullopt;
    out[it.key()] = std::move(*value);
  }
  return out;
}

std::string EncodeXattrs(const XattrMap& xattrs) {
  if (xattrs.empty()) return "";
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [name, value] : xattrs) json[name] = Base64Encode(value);
  return UrlEncode(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace mounter
