#include "ayeaye/resolver_context.h"

#include <gtest/gtest.h>

using ayeaye::ResolverContext;

TEST(ResolverContext, FillsTemplatesFromContextAndExtras) {
  ResolverContext context;
  context.set("output_datasets", "/tmp/out");
  EXPECT_EQ(context.resolve("csv://{output_datasets}/{subtask_id}_results.csv", {{"subtask_id", "a"}}),
            "csv:///tmp/out/a_results.csv");
}

TEST(ResolverContext, MissingKeyErrorNamesTheKey) {
  ResolverContext context;
  try {
    context.resolve("csv://{output_datasets}/x.csv");
    FAIL() << "expected MissingContextKey";
  } catch (const ayeaye::MissingContextKey& e) {
    EXPECT_EQ(e.key(), "output_datasets");
    EXPECT_NE(std::string(e.what()).find("'output_datasets'"), std::string::npos);
  }
}

TEST(ResolverContext, DoubledBracesAreLiteral) {
  ResolverContext context;
  EXPECT_EQ(context.resolve("{{not a key}}"), "{not a key}");
}

TEST(ResolverContext, UnclosedBraceIsAnError) {
  ResolverContext context;
  EXPECT_THROW(context.resolve("csv://{oops"), ayeaye::Error);
}

TEST(ResolverContext, SecretsAreNeverShown) {
  ResolverContext context;
  context.set("user", "alice");
  context.set("password", "hunter2", /*secret=*/true);
  EXPECT_EQ(context.display_json()["password"], "***");
  EXPECT_EQ(context.display_json()["user"], "alice");
  EXPECT_EQ(context.to_json()["password"], "hunter2");
  EXPECT_EQ(context.redact("login alice:hunter2 ok"), "login alice:*** ok");
  EXPECT_EQ(context.secret_keys(), std::vector<std::string>{"password"});
}

TEST(ResolverContext, IntegersAreValidated) {
  ResolverContext context;
  context.set("complexity", "5");
  context.set("bad", "five");
  EXPECT_EQ(context.require_int("complexity"), 5);
  EXPECT_EQ(context.get_int_or("absent", 4), 4);
  EXPECT_THROW(context.require_int("bad"), ayeaye::Error);
  EXPECT_THROW(context.require_int("absent"), ayeaye::MissingContextKey);
}

TEST(ResolverContext, FromJsonRejectsNonStringValues) {
  auto bad = ResolverContext::from_json(ayeaye::Json{{"k", ayeaye::Json::array()}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("resolver_context['k'] must be a string"), std::string::npos);
  auto not_object = ResolverContext::from_json(ayeaye::Json("text"));
  EXPECT_FALSE(not_object.ok());
}

TEST(ResolverContext, FromJsonMarksSecrets) {
  auto context = ResolverContext::from_json(ayeaye::Json{{"token", "abc"}}, {"token"});
  ASSERT_TRUE(context.ok());
  EXPECT_TRUE(context->is_secret("token"));
  EXPECT_FALSE(ResolverContext::from_json(ayeaye::Json{{"token", "abc"}}, {"other"}).ok());
}

TEST(ResolverContext, ScopeMakesAContextCurrentAndNests) {
  ResolverContext outer;
  outer.set("k", "outer");
  ResolverContext inner;
  inner.set("k", "inner");
  EXPECT_FALSE(ResolverContext::current().contains("k"));
  {
    ResolverContext::Scope a(outer);
    EXPECT_EQ(ResolverContext::current().get("k"), "outer");
    {
      ResolverContext::Scope b(inner);
      EXPECT_EQ(ResolverContext::current().get("k"), "inner");
    }
    EXPECT_EQ(ResolverContext::current().get("k"), "outer");
  }
  EXPECT_FALSE(ResolverContext::current().contains("k"));
}
