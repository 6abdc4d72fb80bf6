// The URL of an SQL dataset, as Aye-Aye (SQLAlchemy) writes it:
//
//   postgresql://user:password@host:5432/database?sslmode=require&connect_timeout=5
//   sqlite:///relative/path.db     sqlite:////absolute/path.db     sqlite:///:memory:
//
// PostgreSQL's user and password are taken as written, without %-decoding, so a secret from the
// resolver context fills the template whatever characters it has (the user info ends at the last
// '@'). Every parameter after '?' goes to libpq as a connection keyword (its value %-decoded).
// Parsing is pure; errors and display() never contain the password. Internal.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ayeaye/error.h"

namespace ayeaye {

struct SqlUrl {
  enum class Engine { kPostgresql, kSqlite };
  Engine engine = Engine::kPostgresql;
  // PostgreSQL: libpq connection keywords and values (user, password, host, port, dbname and the
  // parameters after '?'), in that order.
  std::vector<std::pair<std::string, std::string>> keywords;
  std::string password;  // also among keywords; kept to scrub it from libpq's messages
  // SQLite: the file's path (":memory:" for a private in-memory database).
  std::string path;
  // The URL with the password replaced by "***": what errors and logs show.
  std::string display;

  std::string engine_name() const { return engine == Engine::kPostgresql ? "postgresql" : "sqlite"; }
  // `text` with every occurrence of the password replaced by "***".
  std::string scrub(std::string text) const;
};

// `url` is resolved (templates filled). An error names the URL with its password hidden.
Result<SqlUrl> parse_sql_url(const std::string& url);

// Is this a URL for an SQL dataset (postgresql://, postgres://, sqlite://)?
bool is_sql_url(const std::string& url);

}  // namespace ayeaye
