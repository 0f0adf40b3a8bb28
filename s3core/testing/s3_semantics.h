// Pieces of S3 behaviour the test doubles share: ETags, conditional headers, byte ranges, and the
// checks the real client makes before it sends a request (so a fake rejects what S3Client rejects).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s3core/body.h"
#include "s3core/model.h"
#include "s3core/status.h"

namespace s3core::testing::s3_semantics {

// Lower-case hex MD5: the ETag of an object written by one PUT (without SSE-KMS/SSE-C).
std::string Md5Hex(std::string_view data);
// The ETag S3 gives a multipart object: hex MD5 of the concatenated binary MD5s of the parts,
// then "-<number of parts>". `part_etags` are the parts' hex MD5s, in order.
std::string MultipartEtag(const std::vector<std::string>& part_etags);

std::string StripQuotes(std::string_view etag);
// Whether an If-Match / If-None-Match value names `etag`: "*" names every existing object; else
// a comma-separated list of ETags, quoted or not (RFC 7232; S3 accepts both forms).
bool EtagListMatches(std::string_view header, std::string_view etag);

// The checks S3Client makes locally (kInvalidArgument without an HTTP status, as it returns).
Status ValidateBucketName(std::string_view bucket);
Status ValidateObjectKey(std::string_view key);
Status ValidatePartNumber(int part_number);
Status ValidateWriteOptions(const WriteOptions& options);

// Metadata as S3 returns it: header names are case-insensitive, so servers give them back
// lower-cased.
UserMetadata NormalizeMetadata(const UserMetadata& metadata);
// "STANDARD" when empty; nullopt for a name S3 does not know (400 InvalidStorageClass).
std::optional<std::string> EffectiveStorageClass(const std::string& requested);
// Objects in these classes must be restored before a GET (403 InvalidObjectState).
bool IsArchived(std::string_view storage_class);

// Reads a whole request body (nullptr = empty) as the transport would: rewinds first, and a
// source that yields fewer bytes than its Size() is an I/O error.
Result<std::string> ReadBody(BodySource* source);

struct ResolvedRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};
// The bytes a ranged read returns from an object of `size` bytes. A range that starts at or
// past the end (so every range of an empty object) is not satisfiable: nullopt, which S3
// answers with 416 InvalidRange. A range that runs past the end is cut at the end, as S3 does.
// Without a range: the whole object. (A zero-length range is the caller's bug, checked first.)
std::optional<ResolvedRange> ResolveRange(const std::optional<ByteRange>& range, uint64_t size);

// Streams `data` into `sink` in bounded chunks, as the transport would deliver it.
Status WriteToSink(std::string_view data, BodySink& sink);

}  // namespace s3core::testing::s3_semantics
