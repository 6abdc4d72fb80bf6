// Which AWS partition a region belongs to, and so the DNS suffix of its endpoints: amazonaws.com
// for the commercial regions and GovCloud (us-gov-*), amazonaws.com.cn for China (cn-*), and the
// suffixes of the European Sovereign Cloud and the isolated partitions. From the partitions AWS
// publishes (the regions' patterns of botocore's data/partitions.json).
#pragma once

#include <string>
#include <string_view>

namespace fossa::aws {

// The DNS suffix of `region`'s partition: "amazonaws.com", "amazonaws.com.cn", ...; a region of no
// known partition's shape is taken for one of the commercial partition ("amazonaws.com").
std::string dns_suffix(std::string_view region);

// https://<host prefix>.<region>.<the partition's suffix>: a service's endpoint there.
std::string default_endpoint(std::string_view host_prefix, std::string_view region);

}  // namespace fossa::aws
