#include "mounter/fs/data_cache_format.h"

#include <gtest/gtest.h>

namespace mounter::data_cache_format {
namespace {

BlockHeader Sample() {
  BlockHeader header;
  header.key = "dir/file.bin";
  header.etag = "\"9bb58f26192e4ba00f01e2e7b136bbd8\"";
  header.index = 7;
  header.block_size = 1 << 20;
  header.data_length = 12345;
  header.data_hash = DataHash("some data");
  return header;
}

TEST(DataCacheFormatTest, NamesAreFixedWidthAndShareAPrefixPerKey) {
  std::string name = BlockFileName("a/b", 255);
  EXPECT_TRUE(IsBlockFileName(name)) << name;
  EXPECT_EQ(name.size(), 49u);
  EXPECT_TRUE(name.starts_with(KeyNamePrefix("a/b")));
  EXPECT_TRUE(name.ends_with("-00000000000000ff"));
  EXPECT_EQ(BlockFileName("a/b", 255), name);  // stable
  EXPECT_NE(BlockFileName("a/c", 255), name);
  EXPECT_NE(BlockFileName("a/b", 256), name);
  EXPECT_FALSE(IsBlockFileName(".lock"));
  EXPECT_FALSE(IsBlockFileName("tmp-abcdef"));
  EXPECT_FALSE(IsBlockFileName(name + "x"));
  std::string upper = name;
  upper[0] = 'G';
  EXPECT_FALSE(IsBlockFileName(upper));
}

TEST(DataCacheFormatTest, HeaderRoundTrips) {
  BlockHeader header = Sample();
  std::string bytes = EncodeHeader(header);
  ASSERT_EQ(bytes.size(), header.header_size());
  std::optional<BlockHeader> decoded = DecodeHeader(bytes);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->key, header.key);
  EXPECT_EQ(decoded->etag, header.etag);
  EXPECT_EQ(decoded->index, header.index);
  EXPECT_EQ(decoded->block_size, header.block_size);
  EXPECT_EQ(decoded->data_length, header.data_length);
  EXPECT_EQ(decoded->data_hash, header.data_hash);
  EXPECT_EQ(decoded->file_size(), header.header_size() + header.data_length);
}

TEST(DataCacheFormatTest, EmptyEtagIsAllowed) {
  BlockHeader header = Sample();
  header.etag.clear();
  std::optional<BlockHeader> decoded = DecodeHeader(EncodeHeader(header));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->etag, "");
}

TEST(DataCacheFormatTest, AnyFlippedByteIsDetected) {
  std::string bytes = EncodeHeader(Sample());
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    EXPECT_FALSE(DecodeHeader(damaged).has_value()) << "byte " << i;
  }
}

TEST(DataCacheFormatTest, TruncatedOrForeignHeadersAreRejected) {
  std::string bytes = EncodeHeader(Sample());
  EXPECT_FALSE(DecodeHeader(bytes.substr(0, bytes.size() - 1)).has_value());
  EXPECT_FALSE(DecodeHeader(bytes.substr(0, 10)).has_value());
  EXPECT_FALSE(DecodeHeader("").has_value());
  EXPECT_FALSE(DecodeHeader(std::string(200, '\0')).has_value());
  EXPECT_FALSE(DecodeFixedHeader(std::string(kFixedHeaderSize, 'x')).has_value());
}

TEST(DataCacheFormatTest, DataLongerThanTheBlockIsRejected) {
  BlockHeader header = Sample();
  header.data_length = header.block_size + 1;
  EXPECT_FALSE(DecodeHeader(EncodeHeader(header)).has_value());
}

TEST(DataCacheFormatTest, DataHashDependsOnEveryByte) {
  std::string data(4096, 'a');
  uint64_t hash = DataHash(data);
  data[4095] = 'b';
  EXPECT_NE(DataHash(data), hash);
  EXPECT_NE(DataHash(""), DataHash(std::string(1, '\0')));
}

}  // namespace
}  // namespace mounter::data_cache_format
