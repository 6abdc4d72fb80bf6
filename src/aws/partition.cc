#include "aws/partition.h"

#include <array>

namespace fossa::aws {
namespace {

struct Known {
  std::string_view prefix;  // of the region's name
  std::string_view dns_suffix;
};

// The partitions other than the commercial one ("aws": amazonaws.com), by their regions' prefix.
constexpr std::array<Known, 7> kPartitions{{
    {"cn-", "amazonaws.com.cn"},        // aws-cn
    {"us-gov-", "amazonaws.com"},       // aws-us-gov
    {"us-isob-", "sc2s.sgov.gov"},      // aws-iso-b
    {"us-isof-", "csp.hci.ic.gov"},     // aws-iso-f
    {"us-iso-", "c2s.ic.gov"},          // aws-iso
    {"eu-isoe-", "cloud.adc-e.uk"},     // aws-iso-e
    {"eusc-", "amazonaws.eu"},          // aws-eusc
}};

}  // namespace

std::string dns_suffix(std::string_view region) {
  for (const auto& known : kPartitions) {
    if (region.starts_with(known.prefix)) return std::string(known.dns_suffix);
  }
  return "amazonaws.com";
}

std::string default_endpoint(std::string_view host_prefix, std::string_view region) {
  return "https://" + std::string(host_prefix) + "." + std::string(region) + "." + dns_suffix(region);
}

}  // namespace fossa::aws
