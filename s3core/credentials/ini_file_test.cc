#include "s3core/credentials/ini_file.h"

#include <gtest/gtest.h>

namespace s3core::credentials_internal {
namespace {

TEST(IniFileTest, ParsesSectionsKeysAndComments) {
  IniFile file = ParseIni(
      "# leading comment\n"
      "; another\n"
      "[default]\n"
      "aws_access_key_id = AKID\n"
      "  aws_secret_access_key=SECRET  \n"
      "\n"
      "[ profile dev ]\n"
      "Region: eu-west-1\n"
      "output = json ; inline comment\n"
      "url = http://host/#fragment\n");
  ASSERT_EQ(file.size(), 2u);
  EXPECT_EQ(file["default"]["aws_access_key_id"], "AKID");
  EXPECT_EQ(file["default"]["aws_secret_access_key"], "SECRET");
  EXPECT_EQ(file["profile dev"]["region"], "eu-west-1");
  EXPECT_EQ(file["profile dev"]["output"], "json");
  EXPECT_EQ(file["profile dev"]["url"], "http://host/#fragment");
}

TEST(IniFileTest, ToleratesCrlfBomAndJunk) {
  IniFile file = ParseIni(
      "\xEF\xBB\xBF"
      "orphan = before any section\r\n"
      "[a]\r\n"
      "key = value\r\n"
      "this line is junk\r\n"
      "[broken\r\n"
      "lost = yes\r\n"
      "[b]\r\n"
      "key = other");
  EXPECT_EQ(file["a"]["key"], "value");
  EXPECT_EQ(file["a"].count("lost"), 0u);
  EXPECT_EQ(file["b"]["key"], "other");
  EXPECT_EQ(file.count("broken"), 0u);
}

TEST(IniFileTest, NestedSubsectionsDoNotLeak) {
  IniFile file = ParseIni(
      "[default]\n"
      "s3 =\n"
      "  max_concurrent_requests = 20\n"
      "  addressing_style = path\n"
      "region = us-east-1\n");
  EXPECT_EQ(file["default"]["region"], "us-east-1");
  EXPECT_EQ(file["default"].count("max_concurrent_requests"), 0u);
  EXPECT_EQ(file["default"]["s3"], "");
}

TEST(IniFileTest, LaterDuplicateKeysWin) {
  IniFile file = ParseIni("[x]\nk = 1\nk = 2\n[x]\nj = 3\n");
  EXPECT_EQ(file["x"]["k"], "2");
  EXPECT_EQ(file["x"]["j"], "3");
}

}  // namespace
}  // namespace s3core::credentials_internal
