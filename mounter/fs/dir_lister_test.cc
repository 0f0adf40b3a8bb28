#include "mounter/fs/dir_lister.h"

#include <gtest/gtest.h>

#include "s3core/testing/in_memory_object_store.h"

namespace mounter {
namespace {

using s3core::testing::InMemoryObjectStore;

TEST(DirListerTest, MergesFilesPrefixesMarkersAndFolderSuffix) {
  InMemoryObjectStore store;
  store.PutDirect("bkt", "p/", "");  // the listed directory's own marker
  store.PutDirect("bkt", "p/file", "12345");
  store.PutDirect("bkt", "p/implicit/x", "1");
  store.PutDirect("bkt", "p/marked/", "");
  store.PutDirect("bkt", "p/old_$folder$", "");
  store.PutDirect("bkt", "p/both", "file");
  store.PutDirect("bkt", "p/both/child", "1");
  store.PutDirect("bkt", "p/deep/a/b/c", "1");
  store.PutDirect("bkt", "other", "1");
  DirListerOptions options;
  options.bucket = "bkt";
  auto listing = ListDirectory(store, options, "p/");
  ASSERT_TRUE(listing.ok()) << listing.status().ToString();
  std::vector<std::string> names;
  for (const auto& e : *listing) names.push_back(e.name + (e.info.is_dir() ? "/" : ""));
  EXPECT_EQ(names, (std::vector<std::string>{"both/", "deep/", "file", "implicit/", "marked/", "old/"}));
  EXPECT_EQ((*listing)[2].info.attrs.size, 5u);
  EXPECT_TRUE((*listing)[2].info.from_listing);
  EXPECT_EQ(store.RequestCount("ListObjects"), 1u);
  EXPECT_EQ(store.RequestCount("HeadObject"), 0u);
}

TEST(DirListerTest, FolderSuffixCompatCanBeOff) {
  InMemoryObjectStore store;
  store.PutDirect("bkt", "old_$folder$", "");
  DirListerOptions options;
  options.bucket = "bkt";
  options.folder_suffix_compat = false;
  auto listing = ListDirectory(store, options, "");
  ASSERT_TRUE(listing.ok()) << listing.status().ToString();
  ASSERT_EQ(listing->size(), 1u);
  EXPECT_EQ((*listing)[0].name, "old_$folder$");
}

TEST(DirListerTest, PaginatesLargeDirectories) {
  InMemoryObjectStore store;
  for (int i = 0; i < 2500; ++i) store.PutDirect("bkt", "d/f" + std::to_string(i), "x");
  DirListerOptions options;
  options.bucket = "bkt";
  auto listing = ListDirectory(store, options, "d/");
  ASSERT_TRUE(listing.ok()) << listing.status().ToString();
  EXPECT_EQ(listing->size(), 2500u);
  EXPECT_EQ(store.RequestCount("ListObjects"), 3u);
}

TEST(DirListerTest, HeadEachFetchesS3fsAttributes) {
  InMemoryObjectStore store;
  store.PutDirect("bkt", "f", "x", {{"mode", std::to_string(S_IFREG | 0600)}, {"uid", "5"}});
  store.PutDirect("bkt", "d/", "", {{"mode", std::to_string(S_IFDIR | 0700)}});
  store.PutDirect("bkt", "i/x", "x");
  DirListerOptions options;
  options.bucket = "bkt";
  auto listing = ListDirectory(store, options, "");
  ASSERT_TRUE(listing.ok()) << listing.status().ToString();
  HeadEach(store, options, "", &*listing, 4);
  ASSERT_EQ(listing->size(), 3u);
  EXPECT_EQ((*listing)[0].info.attrs.mode, S_IFDIR | 0700);
  EXPECT_EQ((*listing)[0].info.object_key, "d/");
  EXPECT_EQ((*listing)[1].info.attrs.mode, S_IFREG | 0600);
  EXPECT_EQ((*listing)[1].info.attrs.uid, 5u);
  EXPECT_FALSE((*listing)[2].info.from_listing);  // implicit: HEAD of "i/" said 404
  EXPECT_EQ(store.RequestCount("HeadObject"), 3u);
}

}  // namespace
}  // namespace mounter
