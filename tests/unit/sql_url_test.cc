// SQL dataset URLs: what reaches libpq and SQLite, and that the password never shows.
#include <gtest/gtest.h>

#include "sql_session.h"
#include "sql_url.h"

namespace {

using Keywords = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST(SqlUrl, PostgresqlPartsBecomeLibpqKeywordsAndParametersPassThrough) {
  auto url = ayeaye::parse_sql_url("postgresql://ada:pw@db.example.com:6432/sales?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem");
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(url.value().engine, ayeaye::SqlUrl::Engine::kPostgresql);
  EXPECT_EQ(url.value().keywords, (Keywords{{"user", "ada"}, {"password", "pw"}, {"host", "db.example.com"}, {"port", "6432"},
                                            {"dbname", "sales"}, {"sslmode", "verify-full"}, {"sslrootcert", "/etc/ca.pem"}}));
  EXPECT_EQ(url.value().display, "postgresql://ada:***@db.example.com:6432/sales?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem");
}

TEST(SqlUrl, APasswordIsTakenAsWrittenWhateverItsCharacters) {
  auto url = ayeaye::parse_sql_url("postgres://ada:p@ss:w/rd%41@[::1]:5432/db");
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(url.value().keywords, (Keywords{{"user", "ada"}, {"password", "p@ss:w/rd%41"}, {"host", "::1"}, {"port", "5432"},
                                            {"dbname", "db"}}));
  EXPECT_EQ(url.value().display, "postgres://ada:***@[::1]:5432/db");
  EXPECT_EQ(url.value().scrub("FATAL: p@ss:w/rd%41 refused"), "FATAL: *** refused");
}

TEST(SqlUrl, NoUserNoPasswordNoHostLeavesThemToLibpq) {
  auto url = ayeaye::parse_sql_url("postgresql:///analytics");
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(url.value().keywords, (Keywords{{"dbname", "analytics"}}));
  EXPECT_EQ(url.value().display, "postgresql:///analytics");
}

TEST(SqlUrl, ErrorsNameTheUrlWithoutItsPassword) {
  auto bad_port = ayeaye::parse_sql_url("postgresql://ada:hunter2@host:99999/db");
  ASSERT_FALSE(bad_port);
  EXPECT_EQ(bad_port.error(), "dataset URL 'postgresql://ada:***@host:99999/db': the port '99999' is not a number from 1 to 65535");
  auto bad_parameter = ayeaye::parse_sql_url("postgresql://ada:hunter2@host/db?sslmode");
  ASSERT_FALSE(bad_parameter);
  EXPECT_EQ(bad_parameter.error().find("hunter2"), std::string::npos) << bad_parameter.error();
  EXPECT_NE(bad_parameter.error().find("'sslmode' is not keyword=value"), std::string::npos) << bad_parameter.error();
  auto engine = ayeaye::parse_sql_url("mysql://ada:hunter2@host/db");
  ASSERT_FALSE(engine);
  EXPECT_EQ(engine.error(), "dataset URL 'mysql://ada:***@host/db': unknown SQL engine 'mysql' (postgresql or sqlite)");
  auto password_parameter = ayeaye::parse_sql_url("postgresql://ada@host/db?password=hunter2");
  ASSERT_FALSE(password_parameter);
  EXPECT_EQ(password_parameter.error().find("hunter2"), std::string::npos) << password_parameter.error();
}

TEST(SqlUrl, SqlitePathsFollowSqlalchemyRelativeAfterThreeSlashesAbsoluteAfterFour) {
  auto relative = ayeaye::parse_sql_url("sqlite:///data/x.db");
  ASSERT_TRUE(relative) << relative.error();
  EXPECT_EQ(relative.value().engine, ayeaye::SqlUrl::Engine::kSqlite);
  EXPECT_EQ(relative.value().path, "data/x.db");
  auto absolute = ayeaye::parse_sql_url("sqlite:////data/x.db");
  ASSERT_TRUE(absolute) << absolute.error();
  EXPECT_EQ(absolute.value().path, "/data/x.db");
  auto two_slashes = ayeaye::parse_sql_url("sqlite://x.db");
  ASSERT_FALSE(two_slashes);
  EXPECT_NE(two_slashes.error().find("sqlite:////absolute/file.db"), std::string::npos) << two_slashes.error();
}

TEST(SqlStatements, IdentifiersAreQuotedAndUpsertsUpdateTheColumnsThatAreNotKeys) {
  EXPECT_EQ(ayeaye::quoted_identifier("public.my \"table\""), "\"public\".\"my \"\"table\"\"\"");
  const ayeaye::SqlTable plain{.name = "t", .columns = {"a", "b.c"}};
  EXPECT_EQ(ayeaye::insert_statement(plain, "VALUES (?, ?)"), "INSERT INTO \"t\" (\"a\", \"b.c\") VALUES (?, ?)");
  const ayeaye::SqlTable upsert{.name = "t", .columns = {"k", "v", "w"}, .on_conflict = {"k"}};
  EXPECT_EQ(ayeaye::insert_statement(upsert, "VALUES (?, ?, ?)"),
            "INSERT INTO \"t\" (\"k\", \"v\", \"w\") VALUES (?, ?, ?) ON CONFLICT (\"k\") DO UPDATE SET \"v\" = excluded.\"v\", "
            "\"w\" = excluded.\"w\"");
  const ayeaye::SqlTable keys_only{.name = "t", .columns = {"k"}, .on_conflict = {"k"}};
  EXPECT_EQ(ayeaye::insert_statement(keys_only, "VALUES (?)"), "INSERT INTO \"t\" (\"k\") VALUES (?) ON CONFLICT (\"k\") DO NOTHING");
}
