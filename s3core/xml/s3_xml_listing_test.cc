// Listing parser tests: ListBuckets and ListObjectsV2 documents from the Amazon S3 API
// reference and as Ceph RGW 16 writes them (one line, &quot; around ETags, <Owner>/<Type>
// extras), plus malformed, truncated, hostile and url-encoded inputs.
#include "s3core/xml/s3_xml.h"

#include <gtest/gtest.h>

#include <chrono>

#include "s3core/xml/xml_test_util.h"

namespace s3core {
namespace {

using xml_test::ExpectUnexpected;
using xml_test::Iso;
using namespace std::chrono_literals;

// ---- ListBuckets ----

TEST(ParseListBucketsTest, AwsExample) {
  Result<std::vector<BucketInfo>> b = ParseListBuckets(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Buckets>
    <Bucket><CreationDate>2019-12-11T23:32:47+00:00</CreationDate><Name>amzn-s3-demo-bucket</Name></Bucket>
    <Bucket><CreationDate>2019-11-10T23:32:13+00:00</CreationDate><Name>amzn-s3-demo-bucket1</Name></Bucket>
  </Buckets>
  <Owner><DisplayName>Account+Name</DisplayName><ID>AIDACKCEVSQ6C2EXAMPLE</ID></Owner>
</ListAllMyBucketsResult>)");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].name, "amzn-s3-demo-bucket");
  EXPECT_EQ((*b)[0].creation_date, Iso("2019-12-11T23:32:47Z"));
  EXPECT_EQ((*b)[1].name, "amzn-s3-demo-bucket1");
}

TEST(ParseListBucketsTest, RgwStyleAndEmpty) {
  Result<std::vector<BucketInfo>> b = ParseListBuckets(
      R"(<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
      R"(<Owner><ID>tester</ID><DisplayName>Tester</DisplayName></Owner><Buckets><Bucket><Name>csi-vol-1</Name>)"
      R"(<CreationDate>2024-03-04T05:06:07.891Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>)");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].creation_date, Iso("2024-03-04T05:06:07.891Z"));

  b = ParseListBuckets("<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->empty());
  b = ParseListBuckets("<ListAllMyBucketsResult/>");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->empty());
}

TEST(ParseListBucketsTest, Malformed) {
  ExpectUnexpected(ParseListBuckets("<ListAllMyBucketsResult><Buckets><Bucket/></Buckets></ListAllMyBucketsResult>"),
                   "<Bucket> has no <Name>");
  ExpectUnexpected(ParseListBuckets("<ListAllMyBucketsResult><Buckets><Bucket><Name>b</Name><CreationDate>yesterday"
                                    "</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>"),
                   "<CreationDate>");
  ExpectUnexpected(ParseListBuckets("<ListBucketResult/>"), "expected root element <ListAllMyBucketsResult>");
}

// ---- ListObjectsV2 ----

constexpr const char* kAwsListV2 = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Name>amzn-s3-demo-bucket</Name>
    <Prefix/>
    <KeyCount>205</KeyCount>
    <MaxKeys>1000</MaxKeys>
    <IsTruncated>false</IsTruncated>
    <Contents>
        <Key>my-image.jpg</Key>
        <LastModified>2009-10-12T17:50:30.000Z</LastModified>
        <ETag>"fba9dede5f27731c9771645a39863328"</ETag>
        <Size>434234</Size>
        <StorageClass>STANDARD</StorageClass>
    </Contents>
    <Contents>
        <Key>photos/2006/February/sample.jpg</Key>
        <LastModified>2011-02-26T01:56:20.123Z</LastModified>
        <ETag>"bf1d737a4d46a19f3bced6905cc8b902-2"</ETag>
        <Size>142863</Size>
        <StorageClass>STANDARD_IA</StorageClass>
    </Contents>
</ListBucketResult>)";

TEST(ParseListObjectsV2Test, AwsExample) {
  Result<ListObjectsResult> r = ParseListObjectsV2(kAwsListV2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->is_truncated);
  EXPECT_TRUE(r->next_continuation_token.empty());
  EXPECT_TRUE(r->common_prefixes.empty());
  ASSERT_EQ(r->objects.size(), 2u);
  EXPECT_EQ(r->objects[0].key, "my-image.jpg");
  EXPECT_EQ(r->objects[0].size, 434234u);
  EXPECT_EQ(r->objects[0].etag, "fba9dede5f27731c9771645a39863328");
  EXPECT_EQ(r->objects[0].last_modified, Iso("2009-10-12T17:50:30Z"));
  EXPECT_EQ(r->objects[0].storage_class, "STANDARD");
  EXPECT_EQ(r->objects[1].key, "photos/2006/February/sample.jpg");
  EXPECT_EQ(r->objects[1].etag, "bf1d737a4d46a19f3bced6905cc8b902-2");
  EXPECT_EQ(r->objects[1].last_modified - Iso("2011-02-26T01:56:20Z"), 123ms);
  EXPECT_EQ(r->objects[1].storage_class, "STANDARD_IA");
}

TEST(ParseListObjectsV2Test, RgwTruncatedWithPrefixesAndQuotEntities) {
  Result<ListObjectsResult> r = ParseListObjectsV2(
      R"(<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
      R"(<Name>b</Name><Prefix>dir/</Prefix><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>)"
      R"(<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>)"
      R"(<Contents><Key>dir/a</Key><LastModified>2024-01-02T03:04:05.678Z</LastModified>)"
      R"(<ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass>)"
      R"(<Owner><ID>tester</ID><DisplayName>Tester</DisplayName></Owner><Type>Normal</Type></Contents>)"
      R"(<CommonPrefixes><Prefix>dir/sub/</Prefix></CommonPrefixes><KeyCount>2</KeyCount></ListBucketResult>)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->is_truncated);
  EXPECT_EQ(r->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  ASSERT_EQ(r->objects.size(), 1u);
  EXPECT_EQ(r->objects[0].etag, "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(r->objects[0].size, 0u);
  ASSERT_EQ(r->common_prefixes.size(), 1u);
  EXPECT_EQ(r->common_prefixes[0], "dir/sub/");
}

TEST(ParseListObjectsV2Test, DoublyEscapedQuotesAreStripped) {
  Result<ListObjectsResult> r = ParseListObjectsV2(
      "<ListBucketResult><Contents><Key>k</Key><Size>1</Size><ETag>&amp;quot;abc&amp;quot;</ETag></Contents>"
      "</ListBucketResult>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->objects[0].etag, "abc");
}

TEST(ParseListObjectsV2Test, KeysKeepWhitespaceAndSpecialCharacters) {
  Result<ListObjectsResult> r = ParseListObjectsV2(
      "<ListBucketResult><Contents><Key>   </Key><Size>1</Size></Contents>"
      "<Contents><Key> a b </Key><Size>2</Size></Contents>"
      "<Contents><Key>x&amp;y&lt;z&gt;&quot;&apos;&#13;&#10;</Key><Size>3</Size></Contents>"
      "<Contents><Key><![CDATA[c<d]]></Key><Size>4</Size></Contents>"
      "<Contents><Key>\xc3\xbc/\xe6\x97\xa5/\xf0\x9f\x98\x80</Key><Size>5</Size></Contents>"
      "</ListBucketResult>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->objects.size(), 5u);
  EXPECT_EQ(r->objects[0].key, "   ");
  EXPECT_EQ(r->objects[1].key, " a b ");
  EXPECT_EQ(r->objects[2].key, "x&y<z>\"'\r\n");
  EXPECT_EQ(r->objects[3].key, "c<d");
  EXPECT_EQ(r->objects[4].key, "\xc3\xbc/\xe6\x97\xa5/\xf0\x9f\x98\x80");
}

TEST(ParseListObjectsV2Test, UrlEncodedKeysAndPrefixesAreDecoded) {
  Result<ListObjectsResult> r = ParseListObjectsV2(
      "<ListBucketResult><EncodingType>url</EncodingType><Prefix>a%2Fb</Prefix><IsTruncated>false</IsTruncated>"
      "<Contents><Key>dir/line%0Abreak+and%2Bplus%01ctl</Key><Size>7</Size></Contents>"
      "<Contents><Key>%C3%BCml%c3%a4ut</Key><Size>8</Size></Contents>"
      "<CommonPrefixes><Prefix>dir/with+space%2F</Prefix></CommonPrefixes></ListBucketResult>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->objects.size(), 2u);
  EXPECT_EQ(r->objects[0].key, "dir/line\nbreak and+plus\x01" "ctl");
  EXPECT_EQ(r->objects[1].key, "\xc3\xbcml\xc3\xa4ut");
  ASSERT_EQ(r->common_prefixes.size(), 1u);
  EXPECT_EQ(r->common_prefixes[0], "dir/with space/");
}

TEST(ParseListObjectsV2Test, PlainListingDoesNotDecode) {
  Result<ListObjectsResult> r =
      ParseListObjectsV2("<ListBucketResult><Contents><Key>100%+a%2F</Key><Size>1</Size></Contents></ListBucketResult>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->objects[0].key, "100%+a%2F");
}

TEST(ParseListObjectsV2Test, BadEncoding) {
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>100%</Key>"
                                      "<Size>1</Size></Contents></ListBucketResult>"),
                   "bad percent-encoding");
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult><EncodingType>url</EncodingType><CommonPrefixes><Prefix>%zz"
                                      "</Prefix></CommonPrefixes></ListBucketResult>"),
                   "bad percent-encoding");
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult><EncodingType>base64</EncodingType></ListBucketResult>"),
                   "unsupported <EncodingType>");
}

TEST(ParseListObjectsV2Test, SizeValidation) {
  const auto with_size = [](const std::string& size) {
    return ParseListObjectsV2("<ListBucketResult><Contents><Key>k</Key><Size>" + size +
                              "</Size></Contents></ListBucketResult>");
  };
  Result<ListObjectsResult> max = with_size("18446744073709551615");
  ASSERT_TRUE(max.ok()) << max.status().ToString();
  EXPECT_EQ(max->objects[0].size, UINT64_MAX);
  ASSERT_TRUE(with_size(" 42\n").ok());
  EXPECT_EQ(with_size(" 42\n")->objects[0].size, 42u);

  ExpectUnexpected(with_size("18446744073709551616"), "too large");
  ExpectUnexpected(with_size("99999999999999999999999999999999999999"), "too large");
  ExpectUnexpected(with_size("-1"), "'-1' is not an unsigned integer");
  ExpectUnexpected(with_size("+5"), "not an unsigned integer");
  ExpectUnexpected(with_size("1 2"), "not an unsigned integer");
  ExpectUnexpected(with_size("0x10"), "not an unsigned integer");
  ExpectUnexpected(with_size("1e3"), "not an unsigned integer");
  ExpectUnexpected(with_size(""), "not an unsigned integer");
  ExpectUnexpected(with_size("<n>1</n>"), "<Size> should hold text but contains <n>");
}

TEST(ParseListObjectsV2Test, MissingOrInvalidFields) {
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>"),
                   "<Contents> has no <Key>");
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>"),
                   "<Contents> has no <Size>");
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>"),
                   "'maybe' is not true or false");
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"),
                   "no <NextContinuationToken>");
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>"
                                      "2009-02-30T00:00:00.000Z</LastModified></Contents></ListBucketResult>"),
                   "day out of range");
}

TEST(ParseListObjectsV2Test, NamespacePrefixedElements) {
  Result<ListObjectsResult> r = ParseListObjectsV2(
      R"(<s3:ListBucketResult xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:Contents><s3:Key>k</s3:Key>)"
      R"(<s3:Size>9</s3:Size></s3:Contents></s3:ListBucketResult>)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->objects.size(), 1u);
  EXPECT_EQ(r->objects[0].size, 9u);
}

TEST(ParseListObjectsV2Test, MalformedDocuments) {
  const std::string full = kAwsListV2;
  ExpectUnexpected(ParseListObjectsV2(""), "empty body");
  ExpectUnexpected(ParseListObjectsV2(" \n"), "empty body");
  ExpectUnexpected(ParseListObjectsV2(full.substr(0, full.size() / 2)), "not well-formed");
  ExpectUnexpected(ParseListObjectsV2(full.substr(0, full.size() - 3)), "not well-formed");
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult><Contents></ListBucketResult>"), "not well-formed");
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult/><ListBucketResult/>"), "more than one root element");
  ExpectUnexpected(ParseListObjectsV2("<?xml version=\"1.0\"?><!-- nothing -->"), "No document element");
  ExpectUnexpected(ParseListObjectsV2("<ListAllMyBucketsResult/>"),
                   "expected root element <ListBucketResult>, got <ListAllMyBucketsResult>");
  ExpectUnexpected(ParseListObjectsV2("{\"json\": true}"), "not well-formed");
  ExpectUnexpected(ParseListObjectsV2("<html><head><title>Gateway Timeout</title></head></html>"), "got <html>");
}

TEST(ParseListObjectsV2Test, DeepNestingIsAnErrorNotACrash) {
  constexpr int kDepth = 200000;
  std::string deep;
  for (int i = 0; i < kDepth; ++i) deep += "<a>";
  for (int i = 0; i < kDepth; ++i) deep += "</a>";
  ExpectUnexpected(ParseListObjectsV2(deep), "got <a>");
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult><Contents><Key>" + deep + "</Key><Size>1</Size></Contents>"
                                      "</ListBucketResult>"),
                   "<Key> should hold text");
  // Unclosed, as a truncated answer would be.
  ExpectUnexpected(ParseListObjectsV2("<ListBucketResult>" + deep.substr(0, deep.size() / 2)), "not well-formed");
}

TEST(ParseListObjectsV2Test, DtdEntitiesAreNotExpanded) {
  // The "billion laughs" shape: pugixml skips the DTD and leaves unknown entities as text.
  Result<ListObjectsResult> r = ParseListObjectsV2(
      R"(<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>)"
      R"(<ListBucketResult><Contents><Key>&b;</Key><Size>1</Size></Contents></ListBucketResult>)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->objects[0].key, "&b;");
}

}  // namespace
}  // namespace s3core
