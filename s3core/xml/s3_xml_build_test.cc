// Request builder tests. Round trips go through pugixml directly, an independent reader, so
// that escaping is checked against a real XML parser and not against our own parsers.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include <string>
#include <vector>

#include "s3core/xml/s3_xml.h"

namespace s3core {
namespace {

constexpr const char* kDecl = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr const char* kNs = R"( xmlns="http://s3.amazonaws.com/doc/2006-03-01/")";

// The <Key> values of a <Delete> body, as a conforming parser reads them.
std::vector<std::string> KeysOf(const std::string& body) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_string(body.c_str(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  EXPECT_TRUE(parsed) << parsed.description() << " in " << body;
  std::vector<std::string> keys;
  for (pugi::xml_node object : doc.child("Delete").children("Object")) {
    keys.emplace_back(object.child("Key").child_value());
  }
  return keys;
}

TEST(BuildCompleteMultipartUploadTest, ExactBodyWithQuotedETags) {
  const std::string body = BuildCompleteMultipartUpload({{1, "a54357aff0632cce46d942af68356b38"},
                                                         {2, "\"0c78aef83f66abc1fa1e8477f296d394\""},
                                                         {10000, "acbd18db4cc2f85cedef654fccc4a4d8-3"}});
  EXPECT_EQ(body, std::string(kDecl) + "<CompleteMultipartUpload" + kNs + ">" +
                      "<Part><PartNumber>1</PartNumber><ETag>\"a54357aff0632cce46d942af68356b38\"</ETag></Part>"
                      "<Part><PartNumber>2</PartNumber><ETag>\"0c78aef83f66abc1fa1e8477f296d394\"</ETag></Part>"
                      "<Part><PartNumber>10000</PartNumber><ETag>\"acbd18db4cc2f85cedef654fccc4a4d8-3\"</ETag></Part>"
                      "</CompleteMultipartUpload>");
}

TEST(BuildCompleteMultipartUploadTest, ParsesBackWithStandardParser) {
  const std::string body = BuildCompleteMultipartUpload({{1, "e&t<ag"}, {2, ""}});
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(body.c_str()));
  std::vector<std::string> etags;
  for (pugi::xml_node part : doc.child("CompleteMultipartUpload").children("Part")) {
    etags.emplace_back(part.child("ETag").child_value());
  }
  EXPECT_EQ(etags, (std::vector<std::string>{"\"e&t<ag\"", "\"\""}));
}

TEST(BuildDeleteObjectsTest, ExactBody) {
  Result<std::string> body = BuildDeleteObjects({"a.txt", "dir/b&c"}, /*quiet=*/true);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, std::string(kDecl) + "<Delete" + kNs + "><Quiet>true</Quiet>" +
                       "<Object><Key>a.txt</Key></Object><Object><Key>dir/b&amp;c</Key></Object></Delete>");
  body = BuildDeleteObjects({"x"}, /*quiet=*/false);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->find("Quiet"), std::string::npos);
}

TEST(BuildDeleteObjectsTest, EscapingRoundTripsAwkwardKeys) {
  const std::vector<std::string> keys = {
      "a&b",           "<tag>",        "quote\"s'apos", "]]>",   "&amp; literally",  "&#38;",
      " leading and trailing ", "   ", "tab\there",     "line\nbreak", "cr\rlf\r\n", "%2F+plus",
      "\xc3\xbcnic\xc3\xb6" "de/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e/\xf0\x9f\x98\x80", "\x7f" "del",
  };
  Result<std::string> body = BuildDeleteObjects(keys, /*quiet=*/false);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(KeysOf(*body), keys);
  // Line breaks travel as references, never raw, so no parser can normalise them.
  EXPECT_EQ(body->find('\r'), std::string::npos);
  EXPECT_EQ(body->find('\n'), std::string::npos);
}

TEST(BuildDeleteObjectsTest, KeysXmlCannotCarryAreRejected) {
  for (const std::string& bad : {std::string("ctl\x01"), std::string("nul\0x", 5), std::string("esc\x1b[0m"),
                                 std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
                                 std::string("\xe2\x82"), std::string("\xef\xbf\xbe"), std::string("\xf4\x90\x80\x80")}) {
    Result<std::string> body = BuildDeleteObjects({"fine", bad}, /*quiet=*/true);
    ASSERT_FALSE(body.ok());
    EXPECT_EQ(body.status().kind(), ErrorKind::kInvalidArgument);
  }
}

TEST(BuildDeleteObjectsTest, CountLimits) {
  EXPECT_EQ(BuildDeleteObjects({}, true).status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(BuildDeleteObjects({""}, true).status().kind(), ErrorKind::kInvalidArgument);
  std::vector<std::string> keys(1000, "k");
  EXPECT_TRUE(BuildDeleteObjects(keys, true).ok());
  keys.push_back("one too many");
  EXPECT_EQ(BuildDeleteObjects(keys, true).status().kind(), ErrorKind::kInvalidArgument);
}

TEST(BuildCreateBucketConfigurationTest, RegionOrNothing) {
  EXPECT_EQ(BuildCreateBucketConfiguration(""), "");
  EXPECT_EQ(BuildCreateBucketConfiguration("us-east-1"), "");
  EXPECT_EQ(BuildCreateBucketConfiguration("eu-west-1"),
            std::string(kDecl) + "<CreateBucketConfiguration" + kNs +
                "><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>");
}

TEST(XmlEscapeTest, Entities) {
  EXPECT_EQ(XmlEscape("plain/text-1.txt"), "plain/text-1.txt");
  EXPECT_EQ(XmlEscape("&<>\"'\t\n\r"), "&amp;&lt;&gt;&quot;&apos;&#9;&#10;&#13;");
  EXPECT_EQ(XmlEscape("\xe6\x97\xa5"), "\xe6\x97\xa5");
}

TEST(IsXmlRepresentableTest, Utf8AndControlCharacters) {
  EXPECT_TRUE(IsXmlRepresentable(""));
  EXPECT_TRUE(IsXmlRepresentable("ascii \t\r\n"));
  EXPECT_TRUE(IsXmlRepresentable("\xc2\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));  // up to U+10FFFF
  EXPECT_FALSE(IsXmlRepresentable(std::string("\0", 1)));
  EXPECT_FALSE(IsXmlRepresentable("\x1f"));
  EXPECT_FALSE(IsXmlRepresentable("\x80"));              // lone continuation byte
  EXPECT_FALSE(IsXmlRepresentable("\xc2"));              // truncated sequence
  EXPECT_FALSE(IsXmlRepresentable("\xe0\x80\xaf"));      // overlong '/'
  EXPECT_FALSE(IsXmlRepresentable("\xed\xbf\xbf"));      // surrogate
  EXPECT_FALSE(IsXmlRepresentable("\xef\xbf\xbf"));      // U+FFFF
  EXPECT_FALSE(IsXmlRepresentable("\xf8\x88\x80\x80\x80"));
}

}  // namespace
}  // namespace s3core
