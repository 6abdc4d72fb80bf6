#include "json_fields.h"

namespace ayeaye::json_fields {

std::string describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a number";
    default: return "a " + std::string(value.type_name());
  }
}

std::optional<std::string> string_field(const Json& object, const char* name, std::string& out,
                                        const std::string& where, bool required,
                                        const std::string& fallback) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) return "'" + std::string(name) + "' is a mandatory field";
    out = fallback;
    return std::nullopt;
  }
  if (!it->is_string()) {
    return where + " field '" + name + "' must be a string, got " + describe(*it);
  }
  out = it->get<std::string>();
  return std::nullopt;
}

std::optional<std::string> object_field(const Json& object, const char* name, Json& out,
                                        const std::string& where) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    out = Json::object();
    return std::nullopt;
  }
  if (!it->is_object()) {
    return where + " field '" + name + "' must be a JSON object, got " + describe(*it);
  }
  out = *it;
  return std::nullopt;
}

Json value_field(const Json& object, const char* name) {
  auto it = object.find(name);
  return it == object.end() ? Json(nullptr) : *it;
}

}  // namespace ayeaye::json_fields
