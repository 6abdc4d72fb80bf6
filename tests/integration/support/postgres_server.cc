#include "support/postgres_server.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cluster/broker_process.h"  // find_free_port
#include "support/command.h"

namespace fossa::testing {
namespace {

constexpr const char* kRunuser = "/usr/sbin/runuser";
constexpr const char* kBin = "/usr/lib/postgresql/15/bin/";

// The last lines of a file, for an error message.
std::string tail_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

CommandResult as_postgres(const std::string& program, std::vector<std::string> args) {
  args.insert(args.begin(), {"-u", "postgres", "--", std::string(kBin) + program});
  return run_command(kRunuser, args);
}

}  // namespace

ayeaye::Result<std::unique_ptr<PostgresServer>> PostgresServer::start() {
  using R = ayeaye::Result<std::unique_ptr<PostgresServer>>;
  if (::access((std::string(kBin) + "pg_ctl").c_str(), X_OK) != 0) {
    return R::fail(std::string(kBin) + "pg_ctl is missing: install Debian's postgresql (scripts/install-deps.sh --test)");
  }
  const passwd* user = ::getpwnam("postgres");
  if (user == nullptr) return R::fail("there is no 'postgres' user: install Debian's postgresql");
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  std::string pattern = "/tmp/fossa-postgres-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return R::fail(std::string("mkdtemp: ") + std::strerror(errno));
  server->directory_ = pattern;
  const std::string& dir = server->directory_;
  if (::chown(dir.c_str(), user->pw_uid, user->pw_gid) != 0 || ::chmod(dir.c_str(), 0700) != 0) {
    return R::fail("cannot give " + dir + " to the postgres user: " + std::strerror(errno) + " (the tests run as root)");
  }
  auto initdb = as_postgres("initdb", {"-D", dir + "/data", "-U", "postgres", "-E", "UTF8", "--no-locale",
                                       "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"});
  if (initdb.exit_code != 0) return R::fail("initdb failed: " + initdb.out + initdb.err);
  server->port_ = fossa::find_free_port();
  auto started = as_postgres("pg_ctl", {"-D", dir + "/data", "-l", dir + "/server.log", "-w", "-t", "60", "-o",
                                        "-p " + std::to_string(server->port_) + " -k " + dir +
                                            " -c listen_addresses=127.0.0.1 -c fsync=off",
                                        "start"});
  if (started.exit_code != 0) {
    return R::fail("pg_ctl start failed: " + started.out + started.err + "\n" + tail_of(dir + "/server.log"));
  }
  server->running_ = true;
  auto role = server->psql(std::string("CREATE ROLE ") + kUser + " LOGIN SUPERUSER PASSWORD '" + kPassword + "'");
  if (!role) return R::fail(role.error());
  return server;
}

PostgresServer::~PostgresServer() {
  if (running_) as_postgres("pg_ctl", {"-D", directory_ + "/data", "-m", "fast", "-w", "stop"});
  std::error_code ignored;
  if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
}

std::string PostgresServer::url(const std::string& database) const {
  return std::string("postgresql://") + kUser + ":" + kPassword + "@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::url_with_password(const std::string& password) const {
  return std::string("postgresql://") + kUser + ":" + password + "@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

ayeaye::Result<std::string> PostgresServer::psql(const std::string& sql) const {
  auto result = as_postgres("psql", {"-h", directory_, "-p", std::to_string(port_), "-U", "postgres", "-d", "postgres",
                                     "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql});
  if (result.exit_code != 0) return ayeaye::Result<std::string>::fail("psql: " + result.err);
  return result.out;
}

}  // namespace fossa::testing
