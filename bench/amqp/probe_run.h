// What both AMQP probes share: their command line ([round trips] [window]), their private broker,
// and the line they print ("round_trips_per_s p50_ms p99_ms").
#pragma once

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cluster/broker_process.h"

namespace bench {

struct ProbeRun {
  std::size_t count = 20000;
  std::size_t window = 50;
  std::unique_ptr<fossa::BrokerProcess> broker;
};

// Reads the arguments and starts the broker; nullopt (having said why) when it cannot.
inline std::optional<ProbeRun> start_probe(int argc, char** argv) {
  ProbeRun run;
  if (argc > 1) run.count = std::stoul(argv[1]);
  if (argc > 2) run.window = std::stoul(argv[2]);
  auto broker = fossa::BrokerProcess::start({});
  if (!broker) {
    std::fprintf(stderr, "%s\n", broker.error().c_str());
    return std::nullopt;
  }
  run.broker = std::move(broker).value();
  return run;
}

inline void print_result(std::size_t count, double seconds, std::vector<double> round_trip_ms) {
  std::sort(round_trip_ms.begin(), round_trip_ms.end());
  std::printf("%.0f %.2f %.2f\n", static_cast<double>(count) / seconds, round_trip_ms[round_trip_ms.size() / 2],
              round_trip_ms[round_trip_ms.size() * 99 / 100]);
}

}  // namespace bench
