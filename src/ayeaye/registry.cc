#include "ayeaye/registry.h"

namespace ayeaye {

const ModelMethod* ModelClass::find_method(std::string_view method_name) const {
  for (const auto& method : methods) {
    if (method.name == method_name) return &method;
  }
  return nullptr;
}

ModelRegistry& ModelRegistry::instance() {
  static ModelRegistry registry;
  return registry;
}

void ModelRegistry::add_class(ModelClass model_class) {
  const std::string name = model_class.name;
  if (classes_.count(name) != 0) {
    problems_.push_back("model '" + name + "' is registered twice");
    return;
  }
  classes_.emplace(name, std::move(model_class));
}

const ModelClass* ModelRegistry::find(std::string_view name) const {
  auto it = classes_.find(name);
  return it == classes_.end() ? nullptr : &it->second;
}

std::vector<std::string> ModelRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, model_class] : classes_) out.push_back(name);
  return out;
}

namespace {
std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out.empty() ? "(none)" : out;
}
}  // namespace

std::unique_ptr<Model> ModelRegistry::create(std::string_view name, const Json& construction_kwargs,
                                             const ResolverContext& context) const {
  const ModelClass* model_class = find(name);
  if (model_class == nullptr) {
    throw Error("unknown model '" + std::string(name) + "'; registered models: " + join(names()));
  }
  ResolverContext::Scope scope(context);
  auto model = model_class->make(construction_kwargs);
  model->set_class_name(model_class->name);
  model->set_context(context);
  return model;
}

Json ModelRegistry::invoke(Model& model, std::string_view method_name, const Json& kwargs) const {
  const ModelClass* model_class = find(model.class_name());
  if (method_name == "go") {
    if (!kwargs.is_null() && !kwargs.empty()) {
      throw KwargsError(model.class_name() + ".go() takes no kwargs, got " + kwargs.dump());
    }
    if (!model.go()) throw Error(model.class_name() + ": " + model.failed_check() + " failed");
    return Json(nullptr);
  }
  const ModelMethod* method = model_class != nullptr ? model_class->find_method(method_name) : nullptr;
  if (method == nullptr) {
    std::vector<std::string> known{"go"};
    if (model_class != nullptr) {
      for (const auto& m : model_class->methods) known.push_back(m.name);
    }
    throw KwargsError(model.class_name() + " has no method '" + std::string(method_name) +
                      "' that can run as a task; its methods: " + join(known));
  }
  return method->invoke(model, kwargs);
}

namespace detail {

std::vector<std::string> split_names(std::string_view names) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) out.push_back(current);
    current.clear();
  };
  for (char c : names) {
    if (c == ',') flush();
    else if (c != ' ' && c != '\t' && c != '\n') current += c;
  }
  flush();
  return out;
}

void check_kwargs(const std::string& where, const std::vector<std::string>& parameters,
                  const Json& kwargs) {
  if (!kwargs.is_object() && !kwargs.is_null()) {
    throw KwargsError(where + ": kwargs must be a JSON object, got " + std::string(kwargs.type_name()));
  }
  std::vector<std::string> missing;
  for (const auto& name : parameters) {
    if (kwargs.is_null() || !kwargs.contains(name)) missing.push_back("'" + name + "'");
  }
  if (!missing.empty()) {
    throw KwargsError(where + " is missing kwarg" + (missing.size() > 1 ? "s " : " ") + join(missing));
  }
  if (kwargs.is_null()) return;
  for (const auto& [key, value] : kwargs.items()) {
    bool known = false;
    for (const auto& name : parameters) known = known || name == key;
    if (!known) {
      throw KwargsError(where + " got an unexpected kwarg '" + key + "'; it takes (" +
                        join(parameters) + ")");
    }
  }
}

void check_kind(const std::string& where, const std::string& name, const Json& value,
                bool want_integer, bool want_number, bool want_bool, bool want_string) {
  const char* wanted = nullptr;
  bool ok = true;
  if (want_integer) {
    wanted = "an integer";
    ok = value.is_number_integer() ||
         (value.is_number_float() && value.get<double>() == static_cast<double>(static_cast<long long>(value.get<double>())));
  } else if (want_number) {
    wanted = "a number";
    ok = value.is_number();
  } else if (want_bool) {
    wanted = "a boolean";
    ok = value.is_boolean();
  } else if (want_string) {
    wanted = "a string";
    ok = value.is_string();
  }
  if (!ok) {
    throw KwargsError(where + ": kwarg '" + name + "' must be " + wanted + ", got " +
                      std::string(value.type_name()) + " " + value.dump());
  }
}

}  // namespace detail
}  // namespace ayeaye
