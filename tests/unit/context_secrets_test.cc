#include "node/context_secrets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "node/node_config.h"

using fossa::node::ContextSecrets;
using ::testing::HasSubstr;

namespace {

const std::string kPassword = "pa:ss@wo/rd%";

ContextSecrets secrets_of(const std::map<std::string, std::string>& environment) {
  auto secrets = ContextSecrets::from_environment(environment);
  EXPECT_TRUE(secrets) << secrets.error();
  return secrets ? std::move(secrets).value() : ContextSecrets();
}

}  // namespace

TEST(ContextSecrets, EachFossaSecretVariableIsAContextKeyAsWrittenAndNothingElseIs) {
  const auto secrets = secrets_of({{"FOSSA_SECRET_db_password", kPassword},
                                   {"FOSSA_SECRET_API_KEY", "k"},
                                   {"FOSSA_HTTP_PORT", "2345"},
                                   {"MY_FOSSA_SECRET_x", "y"}});
  EXPECT_EQ(secrets.keys(), (std::vector<std::string>{"API_KEY", "db_password"}));
}

TEST(ContextSecrets, ABadKeyOrAnEmptyValueIsRefusedNamingTheVariableNeverTheValue) {
  auto dotted = ContextSecrets::from_environment({{"FOSSA_SECRET_db.password", kPassword}});
  ASSERT_FALSE(dotted);
  EXPECT_EQ(dotted.error(),
            "FOSSA_SECRET_db.password: the context key after FOSSA_SECRET_ must be letters, digits and underscores, got "
            "'db.password'");
  auto bare = ContextSecrets::from_environment({{"FOSSA_SECRET_", kPassword}});
  ASSERT_FALSE(bare);
  EXPECT_THAT(bare.error(), HasSubstr("got ''"));
  EXPECT_THAT(bare.error(), ::testing::Not(HasSubstr(kPassword)));
  auto empty = ContextSecrets::from_environment({{"FOSSA_SECRET_db_password", ""}});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error(), "FOSSA_SECRET_db_password is empty: a context secret needs a value");
}

TEST(ContextSecrets, AddedValuesAreSecretSoShownAsStarsAndRedactedButTheModelGetsThem) {
  const auto secrets = secrets_of({{"FOSSA_SECRET_db_password", kPassword}});
  ayeaye::ResolverContext context;
  context.set("db_host", "db.internal");
  EXPECT_EQ(secrets.add_to(context), std::vector<std::string>{"db_password"});
  EXPECT_TRUE(context.is_secret("db_password"));
  EXPECT_EQ(context.display_json(), (ayeaye::Json{{"db_host", "db.internal"}, {"db_password", "***"}}));
  EXPECT_EQ(context.to_json()["db_password"], kPassword) << "what the task's process gets";
  EXPECT_EQ(context.resolve("postgresql://u:{db_password}@{db_host}/x"), "postgresql://u:" + kPassword + "@db.internal/x");
  EXPECT_EQ(context.redact("cannot connect with " + kPassword), "cannot connect with ***");
}

TEST(ContextSecrets, TheNodesValueIsTheOnlyOneForItsKey) {
  const auto secrets = secrets_of({{"FOSSA_SECRET_db_password", kPassword}, {"FOSSA_SECRET_db_user", "fossa"}});
  ayeaye::ResolverContext context;
  context.set("db_host", "db.internal");
  EXPECT_EQ(secrets.key_given_in(context), std::nullopt);
  context.set("db_user", "someone else");
  EXPECT_EQ(secrets.key_given_in(context), "db_user") << "a task that gives it is refused";
  EXPECT_EQ(secrets.add_to(context), (std::vector<std::string>{"db_password", "db_user"}));
  EXPECT_EQ(context.get("db_user"), "fossa");
  EXPECT_TRUE(context.is_secret("db_user"));
}

TEST(ContextSecrets, RemovingTakesOutOnlyTheAddedKeysThatStillHoldTheNodesValue) {
  const auto secrets = secrets_of({{"FOSSA_SECRET_db_password", kPassword}, {"FOSSA_SECRET_db_user", "fossa"}});
  ayeaye::ResolverContext context;
  context.set("token", "t", /*secret=*/true);
  context.set("db_host", "db.internal");
  context.set("db_password", kPassword);  // the task's own, the same text as the node's: not added
  const auto added = secrets.add_to(context);
  ayeaye::ResolverContext subtask = context;
  secrets.remove_from(subtask, {"db_user"});
  EXPECT_EQ(subtask.to_json(), (ayeaye::Json{{"db_host", "db.internal"}, {"db_password", kPassword}, {"token", "t"}}));
  EXPECT_EQ(subtask.secret_keys(), (std::vector<std::string>{"db_password", "token"}));
  secrets.remove_from(subtask, added);
  EXPECT_EQ(subtask.to_json(), (ayeaye::Json{{"db_host", "db.internal"}, {"token", "t"}}));
  EXPECT_EQ(subtask.secret_keys(), std::vector<std::string>{"token"});

  ayeaye::ResolverContext changed = context;
  changed.set("db_user", "someone else");  // the model set it for its subtask: kept
  secrets.remove_from(changed, added);
  EXPECT_EQ(changed.get("db_user"), "someone else");
}

TEST(ContextSecrets, TheNodesConfigurationReadsThemAndRefusesABadOne) {
  auto config = fossa::node::resolve_node_config({}, {{"FOSSA_SECRET_db_password", kPassword}});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->context_secrets.keys(), std::vector<std::string>{"db_password"});
  auto refused = fossa::node::resolve_node_config({}, {{"FOSSA_SECRET_db-password", kPassword}});
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error(), HasSubstr("FOSSA_SECRET_db-password: the context key"));
  EXPECT_THAT(refused.error(), ::testing::Not(HasSubstr(kPassword)));
}

TEST(ContextSecrets, ForgettingThemRemovesEveryFossaSecretVariableFromTheEnvironment) {
  ::setenv("FOSSA_SECRET_unit_test_a", "a", 1);
  ::setenv("FOSSA_SECRET_unit_test_b", "b", 1);
  ::setenv("FOSSA_UNIT_TEST_PLAIN", "kept", 1);
  const auto found = fossa::node::context_secret_variables();
  EXPECT_EQ(found.at("FOSSA_SECRET_unit_test_a"), "a");
  EXPECT_EQ(fossa::node::node_environment().at("FOSSA_SECRET_unit_test_b"), "b");
  fossa::node::forget_context_secret_variables();
  EXPECT_EQ(std::getenv("FOSSA_SECRET_unit_test_a"), nullptr);
  EXPECT_EQ(std::getenv("FOSSA_SECRET_unit_test_b"), nullptr);
  EXPECT_STREQ(std::getenv("FOSSA_UNIT_TEST_PLAIN"), "kept");
  ::unsetenv("FOSSA_UNIT_TEST_PLAIN");
}
