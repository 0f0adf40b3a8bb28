#include "s3core/credentials/ini_file.h"

#include "s3core/credentials/text_util.h"

namespace s3core::credentials_internal {

namespace {

// Cuts an inline comment: '#' or ';' preceded by whitespace.
std::string_view StripInlineComment(std::string_view value) {
  for (size_t i = 1; i < value.size(); ++i) {
    if ((value[i] == '#' || value[i] == ';') && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
      return value.substr(0, i);
    }
  }
  return value;
}

}  // namespace

IniFile ParseIni(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  IniFile file;
  IniSection* section = nullptr;
  bool in_subsection = false;  // after "key =" with an empty value: indented lines are nested
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view raw = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);

    std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const bool indented = raw[0] == ' ' || raw[0] == '\t';

    if (line[0] == '[') {
      size_t close = line.find(']');
      if (close == std::string_view::npos) {
        section = nullptr;  // a broken header: ignore its keys rather than mis-assign them
        continue;
      }
      section = &file[std::string(Trim(line.substr(1, close - 1)))];
      in_subsection = false;
      continue;
    }
    if (indented && in_subsection) continue;
    in_subsection = false;
    if (section == nullptr) continue;  // keys before any section header

    size_t sep = line.find_first_of("=:");
    if (sep == std::string_view::npos || sep == 0) continue;
    std::string key = ToLower(Trim(line.substr(0, sep)));
    std::string_view value = Trim(StripInlineComment(Trim(line.substr(sep + 1))));
    if (value.empty()) in_subsection = true;
    (*section)[key] = std::string(value);
  }
  return file;
}

}  // namespace s3core::credentials_internal
