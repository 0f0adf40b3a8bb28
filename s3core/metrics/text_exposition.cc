#include "s3core/metrics/text_exposition.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>

namespace s3core::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

bool ParseType(std::string_view text, MetricType& type) {
  static const std::pair<std::string_view, MetricType> kTypes[] = {
      {"counter", MetricType::Counter}, {"gauge", MetricType::Gauge},     {"histogram", MetricType::Histogram},
      {"summary", MetricType::Summary}, {"untyped", MetricType::Untyped}};
  for (const auto& [name, value] : kTypes) {
    if (name == text) {
      type = value;
      return true;
    }
  }
  return false;
}

bool IsNameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
}

std::string_view TakeName(std::string_view& rest) {
  size_t n = 0;
  while (n < rest.size() && IsNameChar(rest[n], n == 0)) ++n;
  std::string_view name = rest.substr(0, n);
  rest.remove_prefix(n);
  return name;
}

void SkipSpaces(std::string_view& rest) {
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
}

// {a="x",b="y\"z"} -> labels; false on a syntax error.
bool ParseLabels(std::string_view& rest, Labels& labels) {
  if (rest.empty() || rest.front() != '{') return true;
  rest.remove_prefix(1);
  for (;;) {
    SkipSpaces(rest);
    if (!rest.empty() && rest.front() == '}') {
      rest.remove_prefix(1);
      return true;
    }
    ClientMetric::Label label;
    label.name = std::string(TakeName(rest));
    if (label.name.empty() || rest.size() < 2 || rest[0] != '=' || rest[1] != '"') return false;
    rest.remove_prefix(2);
    for (;;) {
      if (rest.empty()) return false;
      const char c = rest.front();
      rest.remove_prefix(1);
      if (c == '"') break;
      if (c != '\\') {
        label.value.push_back(c);
        continue;
      }
      if (rest.empty()) return false;
      const char e = rest.front();
      rest.remove_prefix(1);
      label.value.push_back(e == 'n' ? '\n' : e);
    }
    labels.push_back(std::move(label));
    SkipSpaces(rest);
    if (!rest.empty() && rest.front() == ',') rest.remove_prefix(1);
  }
}

bool ParseNumber(std::string_view text, double& value) {
  const std::string s(text);
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      ++i;
      out.push_back(text[i] == 'n' ? '\n' : text[i]);
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Builds families while lines arrive: samples of one label set of one family are one metric.
class Builder {
 public:
  MetricFamily& Family(const std::string& name) {
    auto [it, inserted] = index_.try_emplace(name, families_.size());
    if (inserted) {
      families_.emplace_back();
      families_.back().name = name;
    }
    return families_[it->second];
  }
  bool Known(const std::string& name) const { return index_.count(name) != 0; }

  // The metric of `family` with these labels (created on first use).
  ClientMetric& Metric(MetricFamily& family, Labels labels) {
    Labels key = labels;  // the same set in any order; the metric keeps the order as written
    std::sort(key.begin(), key.end());
    auto& by_labels = metrics_[family.name];
    auto [it, inserted] = by_labels.try_emplace(std::move(key), family.metric.size());
    if (inserted) {
      family.metric.emplace_back();
      family.metric.back().label = std::move(labels);
    }
    return family.metric[it->second];
  }

  std::vector<MetricFamily> Take() { return std::move(families_); }

 private:
  std::vector<MetricFamily> families_;
  std::map<std::string, size_t> index_;
  std::map<std::string, std::map<Labels, size_t>> metrics_;
};

// Which family a sample named `name` belongs to, and its suffix (_bucket, _sum, _count or "").
std::pair<std::string, std::string_view> FamilyOf(const Builder& builder, const std::map<std::string, MetricType>& types,
                                                  const std::string& name) {
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (!EndsWith(name, suffix)) continue;
    const std::string base = name.substr(0, name.size() - suffix.size());
    auto it = types.find(base);
    if (it != types.end() && builder.Known(base) &&
        (it->second == MetricType::Histogram || (it->second == MetricType::Summary && suffix != "_bucket"))) {
      return {base, suffix};
    }
  }
  return {name, ""};
}

Labels Without(Labels labels, std::string_view name, std::string* value) {
  auto it = std::find_if(labels.begin(), labels.end(), [&](const auto& l) { return l.name == name; });
  if (it != labels.end()) {
    if (value != nullptr) *value = it->value;
    labels.erase(it);
  }
  return labels;
}

Status AddSample(Builder& builder, const std::map<std::string, MetricType>& types, const std::string& name,
                 Labels labels, double value, int64_t timestamp) {
  auto [family_name, suffix] = FamilyOf(builder, types, name);
  MetricFamily& family = builder.Family(family_name);
  if (auto it = types.find(family_name); it != types.end()) family.type = it->second;
  std::string bound;
  if (family.type == MetricType::Histogram && suffix == "_bucket") labels = Without(std::move(labels), "le", &bound);
  if (family.type == MetricType::Summary && suffix.empty()) labels = Without(std::move(labels), "quantile", &bound);
  ClientMetric& metric = builder.Metric(family, std::move(labels));
  metric.timestamp_ms = timestamp;
  const auto count = static_cast<uint64_t>(std::llround(std::max(0.0, value)));
  switch (family.type) {
    case MetricType::Counter: metric.counter.value = value; break;
    case MetricType::Gauge: metric.gauge.value = value; break;
    case MetricType::Untyped: metric.untyped.value = value; break;
    case MetricType::Histogram: {
      double upper = 0;
      if (suffix == "_sum") {
        metric.histogram.sample_sum = value;
      } else if (suffix == "_count") {
        metric.histogram.sample_count = count;
      } else if (suffix == "_bucket" && ParseNumber(bound, upper)) {
        metric.histogram.bucket.push_back({count, upper});
      } else {
        return Status::InvalidArgument("histogram sample " + name + " without a valid le");
      }
      break;
    }
    case MetricType::Summary: {
      double quantile = 0;
      if (suffix == "_sum") {
        metric.summary.sample_sum = value;
      } else if (suffix == "_count") {
        metric.summary.sample_count = count;
      } else if (ParseNumber(bound, quantile)) {
        metric.summary.quantile.push_back({quantile, value});
      } else {
        return Status::InvalidArgument("summary sample " + name + " without a valid quantile");
      }
      break;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<MetricFamily>> ParseTextExposition(std::string_view text) {
  Builder builder;
  std::map<std::string, MetricType> types;
  int line_number = 0;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++line_number;
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("metrics text line " + std::to_string(line_number) + ": " + why);
    };
    SkipSpaces(line);
    if (line.empty()) continue;
    if (line.front() == '#') {
      line.remove_prefix(1);
      SkipSpaces(line);
      const bool help = line.substr(0, 5) == "HELP ";
      const bool type = line.substr(0, 5) == "TYPE ";
      if (!help && !type) continue;  // another comment
      line.remove_prefix(5);
      SkipSpaces(line);
      const std::string name(TakeName(line));
      if (name.empty()) return bad("HELP/TYPE without a metric name");
      SkipSpaces(line);
      MetricFamily& family = builder.Family(name);
      if (help) {
        family.help = Unescape(line);
      } else if (!ParseType(line, family.type)) {
        return bad("unknown type " + std::string(line));
      } else {
        types[name] = family.type;
      }
      continue;
    }
    const std::string name(TakeName(line));
    if (name.empty()) return bad("no metric name");
    Labels labels;
    if (!ParseLabels(line, labels)) return bad("malformed labels");
    SkipSpaces(line);
    const size_t space = line.find_first_of(" \t");
    double value = 0;
    if (!ParseNumber(line.substr(0, space), value)) return bad("bad value");
    int64_t timestamp = 0;
    if (space != std::string_view::npos) {
      std::string_view rest = line.substr(space);
      SkipSpaces(rest);
      double ts = 0;
      if (!rest.empty() && !ParseNumber(rest, ts)) return bad("bad timestamp");
      timestamp = static_cast<int64_t>(ts);
    }
    Status added = AddSample(builder, types, name, std::move(labels), value, timestamp);
    if (!added.ok()) return bad(added.message());
  }
  return builder.Take();
}

std::vector<MetricFamily> MergeFamilies(const std::vector<LabeledFamilies>& sources) {
  std::vector<MetricFamily> merged;
  std::map<std::string, size_t> index;
  for (const LabeledFamilies& source : sources) {
    for (const MetricFamily& family : source.families) {
      auto [it, inserted] = index.try_emplace(family.name, merged.size());
      if (inserted) {
        merged.push_back(family);
        merged.back().metric.clear();
      }
      MetricFamily& into = merged[it->second];
      if (into.type != family.type) continue;  // disagreeing sources: keep the first one's
      for (ClientMetric metric : family.metric) {
        for (const auto& added : source.labels) {
          metric.label = Without(std::move(metric.label), added.name, nullptr);
          metric.label.push_back(added);
        }
        // One canonical order (by name), whatever order the sources wrote.
        std::sort(metric.label.begin(), metric.label.end(),
                  [](const auto& a, const auto& b) { return a.name < b.name; });
        into.metric.push_back(std::move(metric));
      }
    }
  }
  return merged;
}

}  // namespace s3core::metrics
