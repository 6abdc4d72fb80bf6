// BrokerProcess: a private RabbitMQ (Debian's rabbitmq-server) on loopback, with its own data
// directory, free ports and its own epmd — for the tests and `fossa cluster up`. It never touches
// a system broker. RabbitMQ runs as the `rabbitmq` user, so the data directory is made theirs.
//
// The destructor stops the broker and its epmd and removes the directory (unless kept). One owner
// thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "process/child_process.h"

namespace fossa {

// A TCP port on 127.0.0.1 that was free a moment ago.
int find_free_port();

class BrokerProcess {
 public:
  struct Options {
    // Where the broker keeps its data and logs; empty: a fresh directory under /tmp.
    std::string directory;
    bool keep_directory = false;
    // RabbitMQ's consumer_timeout: how long a delivery may stay unacknowledged.
    std::chrono::milliseconds consumer_timeout = std::chrono::hours(24);
    std::chrono::seconds start_timeout{60};
  };

  // Starts the broker and returns once it accepts AMQP connections.
  static ayeaye::Result<std::unique_ptr<BrokerProcess>> start(const Options& options);

  ~BrokerProcess();
  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;

  int amqp_port() const { return amqp_port_; }
  // amqp://guest:guest@127.0.0.1:<port>/ (guest may connect: the broker listens on loopback only).
  std::string amqp_url() const;
  const std::string& directory() const { return directory_; }
  pid_t pid() const { return server_ ? server_->pid() : -1; }
  pid_t epmd_pid() const { return epmd_ ? epmd_->pid() : -1; }

  // A client connection as the broker sees it.
  struct ClientConnection {
    std::string name;         // "127.0.0.1:<client port> -> 127.0.0.1:<amqp port>": one TCP connection
    std::string client_name;  // the connection_name the client gave ("fossa node <ident>"), or ""
    int heartbeat_seconds = 0;  // as negotiated; 0: none
  };
  // The broker's client connections, from `rabbitmqctl list_connections` run against this broker
  // (its node name, epmd port and cookie). Takes seconds: rabbitmqctl starts an Erlang VM.
  ayeaye::Result<std::vector<ClientConnection>> connections() const;

  // Has the broker write the log of its metadata store (Mnesia: queues, exchanges, users) to disk
  // now, for a test that then crashes it on purpose. Needed because RabbitMQ 3.10 may answer a
  // queue declaration before the record that makes it durable is written: the declaration changes
  // a ram table and a disc table in one transaction, so Mnesia commits it in two log records, and
  // the second ("committed") reaches the log through another process (mnesia_recover), sometimes
  // after RabbitMQ's own sync of the log; it then waits in disk_log's write cache for up to 2 s.
  // Killed inside that window, the restarted broker presumes the declaration aborted: the queue
  // is gone, with the persistent messages it had confirmed.
  // Takes seconds: rabbitmqctl starts an Erlang VM.
  ayeaye::Result<bool> sync_metadata() const;

  // Stops the broker (as a crash would: SIGKILL) or gracefully; restart() starts it again on the
  // same port and data directory. For tests of broker loss.
  void kill();
  ayeaye::Result<bool> restart();

 private:
  BrokerProcess() = default;
  ayeaye::Result<bool> launch();
  std::vector<std::string> environment() const;
  // Runs `rabbitmqctl <arguments>` against this broker (its node name, epmd port and cookie) and
  // returns what it printed. Takes seconds: rabbitmqctl starts an Erlang VM.
  ayeaye::Result<std::string> run_rabbitmqctl(const std::vector<std::string>& arguments) const;

  Options options_;
  std::string directory_;
  int amqp_port_ = 0;
  int dist_port_ = 0;
  int epmd_port_ = 0;
  std::string node_name_;
  std::optional<ChildProcess> epmd_;
  std::optional<ChildProcess> server_;
};

}  // namespace fossa
