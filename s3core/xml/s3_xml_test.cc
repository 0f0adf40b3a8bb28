// Parser tests for copies, multipart uploads, DeleteObjects and GetBucketLocation.
#include "s3core/xml/s3_xml.h"

#include <gtest/gtest.h>

#include "s3core/xml/xml_test_util.h"

namespace s3core {
namespace {

using xml_test::ExpectUnexpected;
using xml_test::Iso;

// ---- CopyObject / UploadPartCopy ----

TEST(ParseCopyObjectResultTest, CopyObjectAndCopyPart) {
  Result<CopyResult> c = ParseCopyObjectResult(R"(<?xml version="1.0" encoding="UTF-8"?>
<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
   <LastModified>2009-10-28T22:32:00.000Z</LastModified>
   <ETag>"9b2cf535f27731c974343645a3985328"</ETag>
</CopyObjectResult>)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->etag, "9b2cf535f27731c974343645a3985328");
  EXPECT_EQ(c->last_modified, Iso("2009-10-28T22:32:00Z"));

  c = ParseCopyObjectResult(
      "<CopyPartResult><LastModified>2011-04-11T20:34:56.000Z</LastModified>"
      "<ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag></CopyPartResult>");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->etag, "9b2cf535f27731c974343645a3985328");
}

TEST(ParseCopyObjectResultTest, MissingETag) {
  ExpectUnexpected(ParseCopyObjectResult("<CopyObjectResult><LastModified>2009-10-28T22:32:00.000Z</LastModified>"
                                         "</CopyObjectResult>"),
                   "<CopyObjectResult> has no <ETag>");
  ExpectUnexpected(ParseCopyObjectResult("<CopyPartResult><ETag>\"\"</ETag></CopyPartResult>"), "empty <ETag>");
}

// ---- Multipart ----

TEST(ParseInitiateMultipartUploadTest, UploadId) {
  Result<std::string> id = ParseInitiateMultipartUpload(R"(<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>example-bucket</Bucket>
  <Key>example-object</Key>
  <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
</InitiateMultipartUploadResult>)");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");

  id = ParseInitiateMultipartUpload(
      "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
      "<UploadId>2~6tEW1Ydq3bCmO9lpwwXzTMBlKQQtAkD</UploadId></InitiateMultipartUploadResult>");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "2~6tEW1Ydq3bCmO9lpwwXzTMBlKQQtAkD");

  ExpectUnexpected(ParseInitiateMultipartUpload("<InitiateMultipartUploadResult/>"), "has no <UploadId>");
  ExpectUnexpected(ParseInitiateMultipartUpload("<InitiateMultipartUploadResult><UploadId/>"
                                                "</InitiateMultipartUploadResult>"),
                   "empty <UploadId>");
}

TEST(ParseCompleteMultipartUploadTest, AwsAndRgwForms) {
  Result<std::string> etag = ParseCompleteMultipartUpload(R"(<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Location>http://Example-Bucket.s3.region.amazonaws.com/Example-Object</Location>
  <Bucket>Example-Bucket</Bucket>
  <Key>Example-Object</Key>
  <ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag>
</CompleteMultipartUploadResult>)");
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  EXPECT_EQ(*etag, "3858f62230ac3c915f300c664312c11f-9");

  // RGW 16 may send an empty or no ETag: that is a success with an unknown ETag.
  etag = ParseCompleteMultipartUpload(
      "<CompleteMultipartUploadResult><Location>b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag></ETag>"
      "</CompleteMultipartUploadResult>");
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  EXPECT_EQ(*etag, "");
  etag = ParseCompleteMultipartUpload("<CompleteMultipartUploadResult><Key>k</Key></CompleteMultipartUploadResult>");
  ASSERT_TRUE(etag.ok());
  EXPECT_EQ(*etag, "");

  ExpectUnexpected(ParseCompleteMultipartUpload("<CompleteMultipartUploadResult>"), "not well-formed");
}

TEST(ParseListMultipartUploadsTest, AwsExample) {
  Result<ListMultipartUploadsResult> r = ParseListMultipartUploads(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>bucket</Bucket>
  <KeyMarker></KeyMarker>
  <UploadIdMarker></UploadIdMarker>
  <NextKeyMarker>my-movie.m2ts</NextKeyMarker>
  <NextUploadIdMarker>YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ</NextUploadIdMarker>
  <MaxUploads>3</MaxUploads>
  <IsTruncated>true</IsTruncated>
  <Upload>
    <Key>my-divisor</Key>
    <UploadId>XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw</UploadId>
    <Initiator><ID>arn:aws:iam::111122223333:user/user1-11111a31-17b5-4fb7-9df5-b111111f13de</ID><DisplayName>user1</DisplayName></Initiator>
    <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>OwnerDisplayName</DisplayName></Owner>
    <StorageClass>STANDARD</StorageClass>
    <Initiated>2010-11-10T20:48:33.000Z</Initiated>
  </Upload>
  <Upload>
    <Key>my-movie.m2ts</Key>
    <UploadId>VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
    <StorageClass>STANDARD</StorageClass>
    <Initiated>2010-11-10T20:48:33.000Z</Initiated>
  </Upload>
</ListMultipartUploadsResult>)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->is_truncated);
  EXPECT_EQ(r->next_key_marker, "my-movie.m2ts");
  EXPECT_EQ(r->next_upload_id_marker, "YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ");
  ASSERT_EQ(r->uploads.size(), 2u);
  EXPECT_EQ(r->uploads[0].key, "my-divisor");
  EXPECT_EQ(r->uploads[0].upload_id, "XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw");
  EXPECT_EQ(r->uploads[0].initiated, Iso("2010-11-10T20:48:33Z"));
  EXPECT_EQ(r->uploads[1].key, "my-movie.m2ts");
}

TEST(ParseListMultipartUploadsTest, UrlEncodedAndMalformed) {
  Result<ListMultipartUploadsResult> r = ParseListMultipartUploads(
      "<ListMultipartUploadsResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
      "<NextKeyMarker>a%20b</NextKeyMarker><Upload><Key>tab%09key</Key><UploadId>u1</UploadId></Upload>"
      "</ListMultipartUploadsResult>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->next_key_marker, "a b");
  ASSERT_EQ(r->uploads.size(), 1u);
  EXPECT_EQ(r->uploads[0].key, "tab\tkey");

  ExpectUnexpected(ParseListMultipartUploads("<ListMultipartUploadsResult><Upload><Key>k</Key></Upload>"
                                             "</ListMultipartUploadsResult>"),
                   "<Upload> has no <UploadId>");
  ExpectUnexpected(ParseListMultipartUploads("<ListMultipartUploadsResult><Upload><Key>k</Key><UploadId>u</UploadId>"
                                             "<Initiated>2010-11-10</Initiated></Upload></ListMultipartUploadsResult>"),
                   "<Initiated>");
}

// ---- DeleteObjects ----

TEST(ParseDeleteResultTest, DeletedAndErrors) {
  Result<DeleteObjectsResult> r = ParseDeleteResult(R"(<?xml version="1.0" encoding="UTF-8"?>
<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Deleted><Key>sample1.txt</Key></Deleted>
  <Deleted><Key>a &amp; b</Key><VersionId>v1</VersionId><DeleteMarker>true</DeleteMarker></Deleted>
  <Error><Key>sample2.txt</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>
</DeleteResult>)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->deleted.size(), 2u);
  EXPECT_EQ(r->deleted[0], "sample1.txt");
  EXPECT_EQ(r->deleted[1], "a & b");
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_EQ(r->failed[0].key, "sample2.txt");
  EXPECT_EQ(r->failed[0].code, "AccessDenied");
  EXPECT_EQ(r->failed[0].message, "Access Denied");
}

TEST(ParseDeleteResultTest, QuietModeEmptyAnswers) {
  for (const char* body : {"", "\n", "<DeleteResult/>",
                           R"(<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>)"}) {
    Result<DeleteObjectsResult> r = ParseDeleteResult(body);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->deleted.empty());
    EXPECT_TRUE(r->failed.empty());
  }
}

TEST(ParseDeleteResultTest, Malformed) {
  ExpectUnexpected(ParseDeleteResult("<DeleteResult><Error><Key>k</Key></Error></DeleteResult>"),
                   "<Error> has no <Code>");
  ExpectUnexpected(ParseDeleteResult("<DeleteResult><Deleted/></DeleteResult>"), "<Deleted> has no <Key>");
  Result<DeleteObjectsResult> whole = ParseDeleteResult("<Error><Code>AccessDenied</Code></Error>");
  EXPECT_EQ(whole.status().kind(), ErrorKind::kAccessDenied);
}

// ---- GetBucketLocation ----

TEST(ParseLocationConstraintTest, RegionsAndLegacyValues) {
  EXPECT_EQ(ParseLocationConstraint(R"(<?xml version="1.0" encoding="UTF-8"?>
<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">us-west-2</LocationConstraint>)")
                .value(),
            "us-west-2");
  EXPECT_EQ(ParseLocationConstraint(R"(<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>)").value(),
            "us-east-1");
  EXPECT_EQ(ParseLocationConstraint("<LocationConstraint>EU</LocationConstraint>").value(), "eu-west-1");
  EXPECT_EQ(ParseLocationConstraint("<LocationConstraint>default</LocationConstraint>").value(), "default");
  ExpectUnexpected(ParseLocationConstraint("<Location>x</Location>"), "expected root element <LocationConstraint>");
}

}  // namespace
}  // namespace s3core
