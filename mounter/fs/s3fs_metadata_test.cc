#include "mounter/fs/s3fs_metadata.h"

#include <gtest/gtest.h>

namespace mounter {
namespace {

AttributeDefaults Defaults() {
  AttributeDefaults d;
  d.uid = 1000;
  d.gid = 100;
  d.umask = 0022;
  return d;
}

s3core::ObjectInfo Object(std::string key, s3core::UserMetadata metadata = {}, std::string content_type = "") {
  s3core::ObjectInfo info;
  info.key = std::move(key);
  info.size = 42;
  info.last_modified = s3core::TimePoint(std::chrono::seconds(1'600'000'000));
  info.metadata = std::move(metadata);
  info.content_type = std::move(content_type);
  return info;
}

TEST(S3fsTimeTest, ParsesSecondsAndNanoseconds) {
  struct Case {
    const char* text;
    bool ok;
    long long sec;
    long nsec;
  };
  const Case cases[] = {
      {"1700000000", true, 1700000000, 0},  {"1700000000.123456789", true, 1700000000, 123456789},
      {"1700000000.5", true, 1700000000, 500000000}, {"-5", true, -5, 0},
      {"", false, 0, 0}, {"abc", false, 0, 0}, {"12.", false, 0, 0}, {"12.1234567890", false, 0, 0},
      {"12x", false, 0, 0},
  };
  for (const auto& c : cases) {
    auto t = ParseS3fsTime(c.text);
    ASSERT_EQ(t.has_value(), c.ok) << c.text;
    if (c.ok) {
      EXPECT_EQ(t->tv_sec, c.sec) << c.text;
      EXPECT_EQ(t->tv_nsec, c.nsec) << c.text;
    }
  }
}

TEST(S3fsTimeTest, FormatsLikeS3fsAndRoundTrips) {
  EXPECT_EQ(FormatS3fsTime({1700000000, 0}), "1700000000");
  EXPECT_EQ(FormatS3fsTime({1700000000, 42}), "1700000000.000000042");
  auto t = ParseS3fsTime(FormatS3fsTime({123, 456789}));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->tv_sec, 123);
  EXPECT_EQ(t->tv_nsec, 456789);
}

TEST(S3fsAttributesTest, ReadsS3fsMetadata) {
  auto attrs = AttributesFromObject(
      Object("f", {{"mode", "33152"}, {"uid", "7"}, {"gid", "8"}, {"mtime", "1700000000.25"}, {"ctime", "1700000001"}}),
      Defaults());
  EXPECT_EQ(attrs.mode, S_IFREG | 0600);
  EXPECT_EQ(attrs.uid, 7u);
  EXPECT_EQ(attrs.gid, 8u);
  EXPECT_EQ(attrs.size, 42u);
  EXPECT_EQ(attrs.mtime.tv_sec, 1700000000);
  EXPECT_EQ(attrs.mtime.tv_nsec, 250000000);
  EXPECT_EQ(attrs.ctime.tv_sec, 1700000001);
  EXPECT_EQ(attrs.atime.tv_sec, 1700000000);  // no atime stored: mtime
}

TEST(S3fsAttributesTest, DefaultsForObjectsWithoutMetadata) {
  struct Case {
    s3core::ObjectInfo object;
    mode_t mode;
  };
  const Case cases[] = {
      {Object("file"), S_IFREG | 0644},
      {Object("dir/"), S_IFDIR | 0755},
      {Object("olddir", {}, "application/x-directory"), S_IFDIR | 0755},
      {Object("bad", {{"mode", "garbage"}}), S_IFREG | 0644},
      {Object("notype", {{"mode", "420"}}), S_IFREG | 0644},           // perms only: the object's type
      {Object("dir2/", {{"mode", "33188"}}), S_IFDIR | 0644},          // a marker stays a directory
      {Object("olds3fsdir", {{"mode", "16877"}}), S_IFDIR | 0755},     // old s3fs "dir" object
      {Object("link", {{"mode", "41471"}}), S_IFLNK | 0777},
      {Object("fifo", {{"mode", std::to_string(S_IFIFO | 0640)}}), S_IFIFO | 0640},
  };
  for (const auto& c : cases) {
    auto attrs = AttributesFromObject(c.object, Defaults());
    EXPECT_EQ(attrs.mode, c.mode) << c.object.key;
    EXPECT_EQ(attrs.uid, 1000u) << c.object.key;
    EXPECT_EQ(attrs.mtime.tv_sec, 1'600'000'000) << c.object.key;
  }
  EXPECT_EQ(AttributesFromObject(Object("dir/"), Defaults()).size, 0u);
}

TEST(S3fsAttributesTest, DirectoryDefaultsNeverHaveNoPermissions) {
  AttributeDefaults d = Defaults();
  d.umask = 0;
  EXPECT_EQ(ImplicitDirectoryAttributes(d, {}).mode, S_IFDIR | 0777);
  d.umask = 0077;
  EXPECT_EQ(ImplicitDirectoryAttributes(d, {}).mode, S_IFDIR | 0700);
}

TEST(S3fsAttributesTest, OverrideOwnerWinsOverMetadata) {
  AttributeDefaults d = Defaults();
  d.override_owner = true;
  auto attrs = AttributesFromObject(Object("f", {{"uid", "7"}, {"gid", "8"}}), d);
  EXPECT_EQ(attrs.uid, 1000u);
  EXPECT_EQ(attrs.gid, 100u);
}

TEST(S3fsAttributesTest, EncodeThenDecodeRoundTripsAndKeepsOtherMetadata) {
  NodeAttributes attrs;
  attrs.mode = S_IFREG | 0640;
  attrs.uid = 12;
  attrs.gid = 34;
  attrs.mtime = {1700000000, 5};
  attrs.ctime = {1700000001, 0};
  attrs.atime = {1700000002, 0};
  s3core::UserMetadata metadata{{"xattr", "keep"}, {"other", "x"}};
  EncodeAttributes(attrs, &metadata);
  EXPECT_EQ(metadata["mode"], "33184");
  EXPECT_EQ(metadata["uid"], "12");
  EXPECT_EQ(metadata["mtime"], "1700000000.000000005");
  EXPECT_EQ(metadata["xattr"], "keep");
  EXPECT_EQ(metadata["other"], "x");
  auto back = AttributesFromObject(Object("f", metadata), Defaults());
  EXPECT_EQ(back.mode, attrs.mode);
  EXPECT_EQ(back.uid, 12u);
  EXPECT_EQ(back.gid, 34u);
  EXPECT_EQ(back.mtime.tv_nsec, 5);
  EXPECT_EQ(back.atime.tv_sec, 1700000002);
}

TEST(S3fsXattrTest, Base64) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"test", "dGVzdA=="}, {std::string("\0\xff", 2), "AP8="}};
  for (const auto& [raw, encoded] : cases) {
    EXPECT_EQ(Base64Encode(raw), encoded);
    EXPECT_EQ(Base64Decode(encoded), raw);
  }
  EXPECT_FALSE(Base64Decode("Zm9v!"));
  EXPECT_FALSE(Base64Decode("Zg==Zg"));
}

TEST(S3fsXattrTest, ReadsS3fsHeader) {
  // What s3fs writes for user.test=test: urlEncode({"user.test":"dGVzdA=="}).
  auto xattrs = DecodeXattrs("%7B%22user.test%22%3A%22dGVzdA%3D%3D%22%7D");
  ASSERT_TRUE(xattrs);
  ASSERT_EQ(xattrs->size(), 1u);
  EXPECT_EQ(xattrs->at("user.test"), "test");
  EXPECT_FALSE(DecodeXattrs("%7Bnot json"));
  EXPECT_FALSE(DecodeXattrs("%7B%22a%22%3A%22%21%21%22%7D"));  // value not base64
  EXPECT_TRUE(DecodeXattrs("")->empty());
}

TEST(S3fsXattrTest, RoundTripsBinaryValues) {
  XattrMap in{{"user.a", std::string("\0bin\xff", 5)}, {"user.empty", ""}, {"user.b c", "x+y/z"}};
  std::string header = EncodeXattrs(in);
  EXPECT_EQ(header.find_first_of("{}\" "), std::string::npos) << header;  // header-safe
  auto out = DecodeXattrs(header);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, in);
  EXPECT_EQ(EncodeXattrs({}), "");
}

TEST(S3fsXattrTest, UrlEncoding) {
  EXPECT_EQ(UrlEncode("a b/{}"), "a%20b%2F%7B%7D");
  EXPECT_EQ(UrlDecode("a%20b%2f%7B%7D"), "a b/{}");
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("a+b"), "a+b");
}

}  // namespace
}  // namespace mounter
