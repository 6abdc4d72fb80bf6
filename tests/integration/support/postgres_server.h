// PostgresServer: a private PostgreSQL (Debian's postgresql-15) for the SQL dataset tests, started
// as the broker is: a fresh data directory under /tmp owned by the `postgres` user, initdb and
// pg_ctl run as that user (through runuser: the tests run as root), listening on 127.0.0.1 at a
// free port, its socket in its own directory. Password authentication over TCP (scram-sha-256),
// so a wrong password is refused as it would be by a real server.
//
// The destructor stops the server (fast shutdown: open sessions are ended) and removes the
// directory, whatever the test's outcome. One owner thread.
#pragma once

#include <memory>
#include <string>

#include "ayeaye/error.h"

namespace fossa::testing {

class PostgresServer {
 public:
  static constexpr const char* kUser = "fossa_test";
  static constexpr const char* kPassword = "s3cret-Pa55:word@/";

  // Starts the server and returns once it accepts connections; the error says what failed, with
  // the end of the server's log.
  static ayeaye::Result<std::unique_ptr<PostgresServer>> start();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  // postgresql://fossa_test:<password>@127.0.0.1:<port>/<database> (the database: "postgres").
  std::string url(const std::string& database = "postgres") const;
  // The same with another password.
  std::string url_with_password(const std::string& password) const;
  // Runs SQL through psql as the superuser; the output, or an error with psql's message.
  ayeaye::Result<std::string> psql(const std::string& sql) const;

 private:
  PostgresServer() = default;
  std::string directory_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace fossa::testing
