// The registry of model classes, by name, with the methods that may run as subtasks.
//
// One line registers a model and names each subtask method once, with its parameters in order:
//
//   AYEAYE_REGISTER_MODEL(PartitionedExampleEtl, AYEAYE_SUBTASK(crypto_challenge, ch, count));
//
// A subtask method takes ordinary C++ parameters (int, double, bool, std::string, Json, or any
// type nlohmann::json converts) and returns anything convertible to JSON, or void. The registry
// turns a subtask's JSON kwargs into those parameters and says exactly what is wrong when it
// can't: a missing, unexpected or mistyped kwarg, or an unknown model or method. Naming fewer or
// more parameters than the method takes is a compile error. Subtask methods must be public.
//
// Registration happens during static initialisation; the registry is read-only afterwards, so
// lookups need no lock.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/json.h"
#include "ayeaye/model.h"
#include "ayeaye/partitioned_model.h"

namespace ayeaye {

struct ModelMethod {
  std::string name;
  std::vector<std::string> parameters;
  // Calls the method on `model` with `kwargs`; throws KwargsError for bad kwargs.
  std::function<Json(Model& model, const Json& kwargs)> invoke;
};

struct ModelClass {
  std::string name;
  bool partitioned = false;
  // Creates an instance; throws KwargsError when `construction_kwargs` don't fit the constructor.
  std::function<std::unique_ptr<Model>(const Json& construction_kwargs)> make;
  std::vector<ModelMethod> methods;

  const ModelMethod* find_method(std::string_view method_name) const;
};

class ModelRegistry {
 public:
  static ModelRegistry& instance();

  // Used by AYEAYE_REGISTER_MODEL. Returns true so it can initialise a static.
  template <class M, class... Binders>
  bool add(const char* name, Binders... binders);

  const ModelClass* find(std::string_view name) const;
  std::vector<std::string> names() const;
  // Registration mistakes found at start-up (a name registered twice); empty when all is well.
  const std::vector<std::string>& problems() const { return problems_; }

  // A new instance of model `name`, constructed while `context` is current. Throws Error for an
  // unknown name (listing the known ones) and KwargsError for construction kwargs that don't fit.
  std::unique_ptr<Model> create(std::string_view name, const Json& construction_kwargs,
                                const ResolverContext& context) const;
  // Calls `method_name` of `model` (created by this registry) with `kwargs`. "go" runs the whole
  // model. Throws KwargsError for an unknown method or bad kwargs.
  Json invoke(Model& model, std::string_view method_name, const Json& kwargs) const;

 private:
  void add_class(ModelClass model_class);

  std::map<std::string, ModelClass, std::less<>> classes_;
  std::vector<std::string> problems_;
};

namespace detail {

// The number of comma-separated names in "ch, count" (0 for an empty string), at compile time.
constexpr std::size_t count_names(const char* names) {
  bool any = false;
  std::size_t commas = 0;
  for (const char* p = names; *p != '\0'; ++p) {
    if (*p == ',') ++commas;
    else if (*p != ' ' && *p != '\t' && *p != '\n') any = true;
  }
  return any ? commas + 1 : 0;
}

std::vector<std::string> split_names(std::string_view names);

// Checks that `kwargs` is an object holding exactly `parameters`; throws KwargsError otherwise.
void check_kwargs(const std::string& where, const std::vector<std::string>& parameters,
                  const Json& kwargs);

// Throws KwargsError unless `value` is of the JSON kind that T is made from.
void check_kind(const std::string& where, const std::string& name, const Json& value,
                bool want_integer, bool want_number, bool want_bool, bool want_string);

template <class T>
T kwarg_as(const std::string& where, const std::string& name, const Json& value) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, Json>) {
    return value;
  } else {
    constexpr bool is_bool = std::is_same_v<U, bool>;
    constexpr bool is_integer = std::is_integral_v<U> && !is_bool;
    constexpr bool is_number = std::is_floating_point_v<U>;
    constexpr bool is_string = std::is_same_v<U, std::string> || std::is_same_v<U, std::string_view>;
    static_assert(!std::is_same_v<U, std::string_view>,
                  "take a subtask kwarg as std::string, not std::string_view");
    check_kind(where, name, value, is_integer, is_number, is_bool, is_string);
    try {
      return value.template get<U>();
    } catch (const nlohmann::json::exception& e) {
      throw KwargsError(where + ": kwarg '" + name + "' has the wrong shape: " + e.what());
    }
  }
}

template <class M, class Fn, class R, class... Args, std::size_t... I>
ModelMethod make_method(const char* method_name, Fn fn, const char* names,
                        std::index_sequence<I...>) {
  ModelMethod method;
  method.name = method_name;
  method.parameters = split_names(names);
  method.invoke = [fn, parameters = method.parameters, name = method.name](
                      Model& model, const Json& kwargs) -> Json {
    const std::string where = model.class_name() + "." + name + "()";
    check_kwargs(where, parameters, kwargs);
    auto& self = dynamic_cast<M&>(model);
    if constexpr (std::is_void_v<R>) {
      (self.*fn)(kwarg_as<std::remove_cvref_t<Args>>(where, parameters[I], kwargs.at(parameters[I]))...);
      return Json(nullptr);
    } else {
      return Json((self.*fn)(kwarg_as<std::remove_cvref_t<Args>>(where, parameters[I], kwargs.at(parameters[I]))...));
    }
  };
  return method;
}

template <std::size_t N, class M, class R, class... Args>
ModelMethod bind_method(const char* method_name, R (M::*fn)(Args...), const char* names) {
  static_assert(N == sizeof...(Args),
                "AYEAYE_SUBTASK(method, ...) must name every parameter of the method, in order");
  return make_method<M, decltype(fn), R, Args...>(method_name, fn, names,
                                                  std::index_sequence_for<Args...>{});
}

template <std::size_t N, class M, class R, class... Args>
ModelMethod bind_method(const char* method_name, R (M::*fn)(Args...) const, const char* names) {
  static_assert(N == sizeof...(Args),
                "AYEAYE_SUBTASK(method, ...) must name every parameter of the method, in order");
  return make_method<M, decltype(fn), R, Args...>(method_name, fn, names,
                                                  std::index_sequence_for<Args...>{});
}

}  // namespace detail

template <class M, class... Binders>
bool ModelRegistry::add(const char* name, Binders... binders) {
  static_assert(std::is_base_of_v<Model, M>, "AYEAYE_REGISTER_MODEL needs a class derived from ayeaye::Model");
  ModelClass model_class;
  model_class.name = name;
  model_class.partitioned = std::is_base_of_v<PartitionedModel, M>;
  model_class.make = [class_name = std::string(name)](const Json& kwargs) -> std::unique_ptr<Model> {
    if constexpr (std::is_constructible_v<M, const Json&>) {
      return std::make_unique<M>(kwargs);
    } else {
      if (!kwargs.is_null() && !kwargs.empty()) {
        throw KwargsError(class_name + " takes no model_construction_kwargs, got " + kwargs.dump());
      }
      return std::make_unique<M>();
    }
  };
  (model_class.methods.push_back(binders(std::type_identity<M>{})), ...);
  add_class(std::move(model_class));
  return true;
}

}  // namespace ayeaye

#define AYEAYE_DETAIL_CONCAT_INNER(a, b) a##b
#define AYEAYE_DETAIL_CONCAT(a, b) AYEAYE_DETAIL_CONCAT_INNER(a, b)

// Names a subtask method and its parameters, in order: AYEAYE_SUBTASK(crypto_challenge, ch, count).
#define AYEAYE_SUBTASK(method, ...)                                                        \
  [](auto ayeaye_model_type) {                                                             \
    using AyeayeModel = typename decltype(ayeaye_model_type)::type;                        \
    return ::ayeaye::detail::bind_method<::ayeaye::detail::count_names(#__VA_ARGS__)>(     \
        #method, &AyeayeModel::method, #__VA_ARGS__);                                      \
  }

// Registers a model class under its own name, with its subtask methods.
#define AYEAYE_REGISTER_MODEL(Class, ...)                                                   \
  [[maybe_unused]] static const bool AYEAYE_DETAIL_CONCAT(ayeaye_registered_, __COUNTER__) = \
      ::ayeaye::ModelRegistry::instance().add<Class>(#Class __VA_OPT__(, ) __VA_ARGS__)
