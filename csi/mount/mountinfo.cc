#include "csi/mount/mountinfo.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace s3csi {

namespace {

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

std::vector<std::string_view> SplitSpaces(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    if (end > pos) fields.push_back(line.substr(pos, end - pos));
    pos = end + 1;
  }
  return fields;
}

bool ParseInt(std::string_view text, int& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

std::string UnescapeMountInfoField(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3])) {
      const int value = (field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0');
      out.push_back(static_cast<char>(value));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

s3core::Result<std::vector<MountInfoEntry>> ParseMountInfo(std::string_view text) {
  std::vector<MountInfoEntry> entries;
  size_t line_number = 0;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    ++line_number;
    if (line.empty()) continue;
    auto bad = [&](const char* why) {
      return s3core::Status::UnexpectedResponse("mountinfo line " + std::to_string(line_number) + ": " + why);
    };
    const std::vector<std::string_view> fields = SplitSpaces(line);
    // id parent major:minor root mount_point options [optional...] - fstype source super_options
    size_t separator = 6;
    while (separator < fields.size() && fields[separator] != "-") ++separator;
    if (separator + 2 >= fields.size()) {
      return bad("too few fields");
    }
    MountInfoEntry entry;
    if (!ParseInt(fields[0], entry.mount_id) || !ParseInt(fields[1], entry.parent_id)) return bad("bad mount id");
    entry.root = UnescapeMountInfoField(fields[3]);
    entry.mount_point = UnescapeMountInfoField(fields[4]);
    entry.mount_options = std::string(fields[5]);
    entry.fs_type = UnescapeMountInfoField(fields[separator + 1]);
    entry.source = UnescapeMountInfoField(fields[separator + 2]);
    if (separator + 3 < fields.size()) entry.super_options = std::string(fields[separator + 3]);
    entries.push_back(std::move(entry));
  }
  return entries;
}

s3core::Result<std::vector<MountInfoEntry>> ReadMountInfo(const std::string& path) {
  std::ifstream in(path);
  if (!in) return s3core::Status::Io("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseMountInfo(buffer.str());
}

}  // namespace s3csi
