// The on-bucket format of s3fs-fuse, read and written (pure functions, no I/O).
//
// s3fs keeps POSIX attributes in user metadata (names here are without "x-amz-meta-"):
//   mode   decimal st_mode including the type bits (S_IFREG|0644 = "33188")
//   uid    decimal, gid decimal
//   mtime, ctime, atime   decimal seconds, optionally ".nnnnnnnnn" nanoseconds
//   xattr  url-encoded JSON {"name":"base64(value)",...}
// Directories are "dir/" marker objects (content type application/x-directory), prefixes
// without a marker (implicit directories), old s3fs "dir" objects whose mode says S_IFDIR, or
// "dir_$folder$" objects written by old tools. Symlinks are objects whose body is the target and
// whose mode has S_IFLNK.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "s3core/model.h"

namespace mounter {

inline constexpr char kMetaMode[] = "mode";
inline constexpr char kMetaUid[] = "uid";
inline constexpr char kMetaGid[] = "gid";
inline constexpr char kMetaMtime[] = "mtime";
inline constexpr char kMetaCtime[] = "ctime";
inline constexpr char kMetaAtime[] = "atime";
inline constexpr char kMetaXattr[] = "xattr";
inline constexpr char kDirectoryContentType[] = "application/x-directory";
inline constexpr char kFolderSuffix[] = "_$folder$";

// POSIX attributes of one node, as stored on (or defaulted from) the bucket.
struct NodeAttributes {
  mode_t mode = 0;  // with the type bits
  uid_t uid = 0;
  gid_t gid = 0;
  uint64_t size = 0;
  struct timespec mtime {};
  struct timespec ctime {};
  struct timespec atime {};
};

// What objects without s3fs metadata (written by other tools) look like.
struct AttributeDefaults {
  uid_t uid = 0;
  gid_t gid = 0;
  mode_t umask = 0022;
  bool override_owner = false;  // uid/gid options win over stored metadata
};

struct timespec ToTimespec(s3core::TimePoint t);
s3core::TimePoint FromTimespec(const struct timespec& t);

// "1700000000" or "1700000000.123456789" (s3fs writes both forms). Nullopt if malformed.
std::optional<struct timespec> ParseS3fsTime(std::string_view text);
// Seconds, plus ".nnnnnnnnn" when the nanoseconds are not zero (s3fs's own format).
std::string FormatS3fsTime(const struct timespec& t);

// Whether the object at `key` (as returned by HEAD, with metadata) represents a directory:
// a "dir/" key, the directory content type, or a mode with S_IFDIR (old s3fs "dir" objects).
bool IsDirectoryObject(const s3core::ObjectInfo& info);

// Attributes of an object from its HEAD/GET result. Missing or malformed fields get defaults:
// files S_IFREG|(0666 & ~umask), directories S_IFDIR|(0777 & ~umask), owner from `defaults`,
// times from Last-Modified. A directory's permission bits never come out as 0 by default.
NodeAttributes AttributesFromObject(const s3core::ObjectInfo& info, const AttributeDefaults& defaults);
// Attributes of a file from a listing entry (no metadata: size and Last-Modified only).
NodeAttributes AttributesFromListing(const s3core::ObjectInfo& info, const AttributeDefaults& defaults);
// A directory that exists only as a prefix (no marker object, so nothing stored).
NodeAttributes ImplicitDirectoryAttributes(const AttributeDefaults& defaults, s3core::TimePoint mtime);

// Writes mode/uid/gid/mtime/ctime/atime into `metadata`, keeping its other entries (xattr, ...).
void EncodeAttributes(const NodeAttributes& attributes, s3core::UserMetadata* metadata);

using XattrMap = std::map<std::string, std::string>;
// Decodes s3fs's xattr header. Nullopt if it is not valid (url-encoded JSON of base64 values).
std::optional<XattrMap> DecodeXattrs(std::string_view header);
// Encodes in s3fs's format; an empty map encodes as "" (the caller drops the header).
std::string EncodeXattrs(const XattrMap& xattrs);

// Helpers of the xattr format, exposed for tests.
std::string Base64Encode(std::string_view data);
std::optional<std::string> Base64Decode(std::string_view text);
std::string UrlEncode(std::string_view text);
std::string UrlDecode(std::string_view text);

}  // namespace mounter
