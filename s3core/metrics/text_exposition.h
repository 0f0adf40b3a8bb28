// Reading Prometheus' text exposition format (0.0.4) back into metric families, and merging the
// families of several processes into one exposition.
//
// s3csi-mounterd serves its s3mount children's metrics this way: each child writes its registry
// to a file (text_file.h), mounterd parses the files, adds a label naming the child's volume,
// and merges them into families that prometheus-cpp serializes again, so the output has one
// HELP and TYPE per family whatever the number of children.
#pragma once

#include <prometheus/metric_family.h>

#include <string_view>
#include <vector>

#include "s3core/status.h"

namespace s3core::metrics {

// Parses the text format as prometheus-cpp writes it: HELP/TYPE comments, samples with optional
// labels and timestamp; histogram and summary series (_bucket/_sum/_count, quantile) are folded
// back into one metric per label set. A malformed line is kInvalidArgument naming its number.
Result<std::vector<prometheus::MetricFamily>> ParseTextExposition(std::string_view text);

struct LabeledFamilies {
  std::vector<prometheus::ClientMetric::Label> labels;  // added to every metric of `families`
  std::vector<prometheus::MetricFamily> families;
};

// One family per name, in order of first appearance; the first source fixes help and type, and
// a later source's family of another type is left out. Added labels replace a metric's own
// label of the same name.
std::vector<prometheus::MetricFamily> MergeFamilies(const std::vector<LabeledFamilies>& sources);

}  // namespace s3core::metrics
