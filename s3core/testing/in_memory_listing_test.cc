// ListObjectsV2 semantics of InMemoryObjectStore: order, prefix, delimiter, paging.
#include <gtest/gtest.h>

#include "s3core/testing/in_memory_object_store.h"
#include "s3core/testing/s3_semantics.h"

namespace s3core::testing {
namespace {

struct Listing {
  std::vector<std::string> keys, prefixes;
  int pages = 0;
};

class InMemoryListingTest : public ::testing::Test {
 protected:
  void Add(std::initializer_list<const char*> keys) {
    for (const char* key : keys) store_.PutDirect("bkt", key, "x");
  }
  ListObjectsResult Page(ListObjectsRequest req) {
    req.bucket = "bkt";
    auto page = store_.ListObjects(req);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? *page : ListObjectsResult{};
  }
  // Follows continuation tokens to the end.
  Listing All(ListObjectsRequest req) {
    Listing out;
    for (;;) {
      ListObjectsResult page = Page(req);
      ++out.pages;
      EXPECT_LE(static_cast<int>(page.objects.size() + page.common_prefixes.size()), req.max_keys);
      for (const auto& o : page.objects) out.keys.push_back(o.key);
      for (const auto& p : page.common_prefixes) out.prefixes.push_back(p);
      if (!page.is_truncated) break;
      EXPECT_FALSE(page.next_continuation_token.empty());
      req.continuation_token = page.next_continuation_token;
      if (out.pages > 1000) break;
    }
    return out;
  }
  static ListObjectsRequest Req(std::string prefix, std::string delimiter, int max_keys = 1000) {
    ListObjectsRequest req;
    req.prefix = std::move(prefix);
    req.delimiter = std::move(delimiter);
    req.max_keys = max_keys;
    return req;
  }

  InMemoryObjectStore store_;
};

using Keys = std::vector<std::string>;

TEST_F(InMemoryListingTest, KeysInByteOrder) {
  Add({"b", "a", "B", "a/b", "a-b", "a+b", "\xc3\xa9t\xc3\xa9", "z", "A"});
  // Bytes compare unsigned: upper case before lower case, UTF-8 after ASCII.
  EXPECT_EQ(All(Req("", "")).keys, (Keys{"A", "B", "a", "a+b", "a-b", "a/b", "b", "z", "\xc3\xa9t\xc3\xa9"}));
}

TEST_F(InMemoryListingTest, EntriesCarrySizeEtagTimeAndClassButNoMetadata) {
  store_.PutDirect("bkt", "k", "hello", {{"mode", "1"}}, "text/plain");
  ListObjectsResult page = Page(Req("", ""));
  ASSERT_EQ(page.objects.size(), 1u);
  const ObjectInfo& o = page.objects[0];
  EXPECT_EQ(o.key, "k");
  EXPECT_EQ(o.size, 5u);
  EXPECT_EQ(o.etag, s3_semantics::Md5Hex("hello"));
  EXPECT_EQ(o.storage_class, "STANDARD");
  EXPECT_EQ(o.last_modified, store_.GetDirect("bkt", "k")->last_modified);
  EXPECT_TRUE(o.metadata.empty());
  EXPECT_TRUE(o.content_type.empty());
}

TEST_F(InMemoryListingTest, PrefixAndDelimiterRollUpCommonPrefixes) {
  Add({"dir/a", "dir/b", "dir/sub/x", "dir/sub/y/z", "dir/sub2/q", "dir0", "dir", "other/x", "top"});
  Listing root = All(Req("", "/"));
  EXPECT_EQ(root.keys, (Keys{"dir", "dir0", "top"}));
  EXPECT_EQ(root.prefixes, (Keys{"dir/", "other/"}));

  Listing dir = All(Req("dir/", "/"));
  EXPECT_EQ(dir.keys, (Keys{"dir/a", "dir/b"}));
  EXPECT_EQ(dir.prefixes, (Keys{"dir/sub/", "dir/sub2/"}));

  // A prefix that is not a "directory" matches key beginnings.
  Listing partial = All(Req("dir", "/"));
  EXPECT_EQ(partial.keys, (Keys{"dir", "dir0"}));
  EXPECT_EQ(partial.prefixes, (Keys{"dir/"}));

  EXPECT_EQ(All(Req("dir/", "")).keys, (Keys{"dir/a", "dir/b", "dir/sub/x", "dir/sub/y/z", "dir/sub2/q"}));
  EXPECT_TRUE(All(Req("nothing/", "/")).keys.empty());
}

TEST_F(InMemoryListingTest, MultiCharacterDelimiter) {
  Add({"a--b--c", "a--d", "ab"});
  Listing l = All(Req("", "--"));
  EXPECT_EQ(l.keys, (Keys{"ab"}));
  EXPECT_EQ(l.prefixes, (Keys{"a--"}));
  l = All(Req("a--", "--"));
  EXPECT_EQ(l.keys, (Keys{"a--d"}));
  EXPECT_EQ(l.prefixes, (Keys{"a--b--"}));
}

TEST_F(InMemoryListingTest, PagesCountCommonPrefixesTowardMaxKeys) {
  Add({"a", "b/1", "b/2", "b/3", "c", "d/1", "e"});
  ListObjectsResult first = Page(Req("", "/", 2));
  EXPECT_EQ(first.objects.size(), 1u);  // "a"
  EXPECT_EQ(first.common_prefixes, (Keys{"b/"}));
  EXPECT_TRUE(first.is_truncated);

  ListObjectsRequest next = Req("", "/", 2);
  next.continuation_token = first.next_continuation_token;
  ListObjectsResult second = Page(next);
  // Resuming after a common prefix skips every key under it.
  ASSERT_EQ(second.objects.size(), 1u);
  EXPECT_EQ(second.objects[0].key, "c");
  EXPECT_EQ(second.common_prefixes, (Keys{"d/"}));
  EXPECT_TRUE(second.is_truncated);

  Listing all = All(Req("", "/", 1));
  EXPECT_EQ(all.keys, (Keys{"a", "c", "e"}));
  EXPECT_EQ(all.prefixes, (Keys{"b/", "d/"}));
  EXPECT_EQ(all.pages, 5);
}

TEST_F(InMemoryListingTest, NotTruncatedWhenTheLastPageIsExactlyFull) {
  Add({"a", "b", "c", "d"});
  ListObjectsResult page = Page(Req("", "", 4));
  EXPECT_EQ(page.objects.size(), 4u);
  EXPECT_FALSE(page.is_truncated);
  EXPECT_TRUE(page.next_continuation_token.empty());
  Listing paged = All(Req("", "", 2));
  EXPECT_EQ(paged.pages, 2);
  EXPECT_EQ(paged.keys, (Keys{"a", "b", "c", "d"}));
}

TEST_F(InMemoryListingTest, ManyKeysPageWithoutLossOrRepeats) {
  Keys expected;
  for (int i = 0; i < 2500; ++i) {
    const std::string key = "k" + std::to_string(i);
    store_.PutDirect("bkt", key, "");
    expected.push_back(key);
  }
  std::sort(expected.begin(), expected.end());
  Listing l = All(Req("", "", 1000));
  EXPECT_EQ(l.pages, 3);
  EXPECT_EQ(l.keys, expected);
}

TEST_F(InMemoryListingTest, StartAfter) {
  Add({"a", "b", "c", "dir/x", "dir/y"});
  ListObjectsRequest req = Req("", "");
  req.start_after = "b";
  EXPECT_EQ(All(req).keys, (Keys{"c", "dir/x", "dir/y"}));
  req.start_after = "bb";  // need not be a key
  EXPECT_EQ(All(req).keys, (Keys{"c", "dir/x", "dir/y"}));
  req.start_after = "0";  // before everything
  EXPECT_EQ(All(req).keys.size(), 5u);
  req.start_after = "zzz";
  EXPECT_TRUE(All(req).keys.empty());

  ListObjectsRequest in_prefix = Req("dir/", "");
  in_prefix.start_after = "a";  // before the prefix: the prefix wins
  EXPECT_EQ(All(in_prefix).keys, (Keys{"dir/x", "dir/y"}));
  in_prefix.start_after = "dir/x";
  EXPECT_EQ(All(in_prefix).keys, (Keys{"dir/y"}));

  // Once paging has begun the token, not start-after, says where to go on.
  ListObjectsRequest paged = Req("", "", 2);
  paged.start_after = "a";
  ListObjectsResult first = Page(paged);
  ASSERT_EQ(first.objects.size(), 2u);
  EXPECT_EQ(first.objects[0].key, "b");
  paged.continuation_token = first.next_continuation_token;
  ListObjectsResult second = Page(paged);
  ASSERT_EQ(second.objects.size(), 2u);
  EXPECT_EQ(second.objects[0].key, "dir/x");
}

TEST_F(InMemoryListingTest, StartAfterInsideACommonPrefix) {
  Add({"dir/sub/a", "dir/sub/b", "dir/z"});
  ListObjectsRequest req = Req("dir/", "/");
  req.start_after = "dir/sub/a";
  // "dir/sub/" sorts before the start-after, so it is not listed again (as on RGW).
  Listing l = All(req);
  EXPECT_EQ(l.keys, (Keys{"dir/z"}));
  EXPECT_TRUE(l.prefixes.empty());
  req.start_after = "dir/sua";
  l = All(req);
  EXPECT_EQ(l.prefixes, (Keys{"dir/sub/"}));
}

TEST_F(InMemoryListingTest, BadArguments) {
  Add({"a"});
  ListObjectsRequest req = Req("", "");
  req.bucket = "bkt";
  req.continuation_token = "not-a-token";
  auto bad_token = store_.ListObjects(req);
  EXPECT_EQ(bad_token.status().s3_code(), "InvalidArgument");
  EXPECT_EQ(bad_token.status().http_status(), 400);

  req.continuation_token.clear();
  req.max_keys = 0;
  EXPECT_EQ(store_.ListObjects(req).status().kind(), ErrorKind::kInvalidArgument);
  req.max_keys = 1001;
  EXPECT_EQ(store_.ListObjects(req).status().kind(), ErrorKind::kInvalidArgument);

  req.max_keys = 10;
  req.bucket = "no-such-bucket";
  EXPECT_EQ(store_.ListObjects(req).status().s3_code(), "NoSuchBucket");
}

TEST_F(InMemoryListingTest, ListingSeesChangesBetweenPages) {
  Add({"a", "b", "c"});
  ListObjectsResult first = Page(Req("", "", 2));
  ASSERT_TRUE(first.is_truncated);
  store_.PutDirect("bkt", "bb", "x");  // after the token: listed
  store_.PutDirect("bkt", "0", "x");   // before it: not
  ListObjectsRequest next = Req("", "", 2);
  next.continuation_token = first.next_continuation_token;
  ListObjectsResult second = Page(next);
  ASSERT_EQ(second.objects.size(), 2u);
  EXPECT_EQ(second.objects[0].key, "bb");
  EXPECT_EQ(second.objects[1].key, "c");
}

}  // namespace
}  // namespace s3core::testing
