// Helpers shared by the s3core_xml parser tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "s3core/status.h"
#include "s3core/xml/time_format.h"

namespace s3core::xml_test {

inline TimePoint Iso(const char* text) { return ParseIso8601(text).value(); }

// Asserts a kUnexpectedResponse whose message contains `fragment`.
template <typename T>
void ExpectUnexpected(const Result<T>& result, const std::string& fragment) {
  ASSERT_FALSE(result.ok()) << "expected an error mentioning '" << fragment << "'";
  EXPECT_EQ(result.status().kind(), ErrorKind::kUnexpectedResponse) << result.status().ToString();
  EXPECT_NE(result.status().message().find(fragment), std::string::npos) << result.status().ToString();
}

}  // namespace s3core::xml_test
