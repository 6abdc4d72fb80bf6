#include "fossa/base/json_input.h"

#include <string>
#include <utility>
#include <vector>

namespace fossa {
namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] "; a reader needs the rest.
std::string without_exception_tag(const char* what) {
  std::string message(what);
  if (message.rfind("[json.exception.", 0) == 0) {
    if (const auto end = message.find("] "); end != std::string::npos) message.erase(0, end + 2);
  }
  return message;
}

// Builds the document from nlohmann's SAX events (Json::sax_parse), in one pass: each value goes
// straight into the container open around it, so the work is linear in the input. (nlohmann's
// parser with a callback looks through the parent container again after each one it closes,
// which makes `[{},{},…]` quadratic: 100 s for 1 MiB.) It also knows where it stands, so the
// nesting limit and a number out of range are refused naming the path.
class JsonBuilder {
 public:
  explicit JsonBuilder(int max_depth) : max_depth_(max_depth) {}

  // The SAX interface (nlohmann::json_sax<Json>, by name: sax_parse takes any type with these).
  bool null() { return place(nullptr); }
  bool boolean(bool value) { return place(value); }
  bool number_integer(Json::number_integer_t value) { return place(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return place(value); }
  bool number_float(Json::number_float_t value, const Json::string_t& /*text*/) { return place(value); }
  bool string(Json::string_t& value) { return place(std::move(value)); }
  bool binary(Json::binary_t& value) { return place(std::move(value)); }
  bool start_object(std::size_t /*elements*/) { return open(Json::value_t::object); }
  bool start_array(std::size_t /*elements*/) { return open(Json::value_t::array); }
  bool key(Json::string_t& key) {
    open_.back().key = key;
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/, const Json::exception& e) {
    // 406: a number beyond a double ("1e999"), the parser's one error of a value rather than of syntax.
    error_ = without_exception_tag(e.what());
    if (e.id == 406) error_ += " at " + path();
    return false;
  }

  Json& document() { return root_; }
  const std::string& error() const { return error_; }

 private:
  // An open array or object: where it is, and for an object the key whose value is being read.
  struct Open {
    Json* json;
    std::string key;
  };

  // Puts a value where the parser stands: the document itself, the next element of the open
  // array, or the open object's current key. Returns where it went.
  template <typename Value>
  Json* put(Value&& value) {
    if (open_.empty()) {
      root_ = Json(std::forward<Value>(value));
      return &root_;
    }
    Open& parent = open_.back();
    if (parent.json->is_array()) {
      parent.json->emplace_back(std::forward<Value>(value));
      return &parent.json->back();
    }
    Json& slot = (*parent.json)[parent.key];
    slot = Json(std::forward<Value>(value));
    return &slot;
  }

  template <typename Value>
  bool place(Value&& value) {
    put(std::forward<Value>(value));
    return true;
  }

  bool open(Json::value_t type) {
    // This container would be level open_.size() + 1.
    if (static_cast<int>(open_.size()) >= max_depth_) {
      error_ = "nesting deeper than " + std::to_string(max_depth_) + " levels at " + path();
      return false;
    }
    open_.push_back({put(type), {}});
    return true;
  }

  bool close() {
    open_.pop_back();
    return true;
  }

  // "method_kwargs.rows[3]": the value being read; "the top level" outside every container. An
  // array's index is that of the element being read: its last element when that is an open
  // container (not the innermost), else the next one.
  std::string path() const {
    std::string out;
    for (std::size_t i = 0; i < open_.size(); ++i) {
      const Open& frame = open_[i];
      if (frame.json->is_array()) {
        const std::size_t size = frame.json->size();
        out += "[" + std::to_string(i + 1 < open_.size() ? size - 1 : size) + "]";
      } else {
        out += (out.empty() ? "" : ".") + frame.key;
      }
    }
    return out.empty() ? "the top level" : out;
  }

  int max_depth_;
  Json root_;
  std::vector<Open> open_;
  std::string error_;
};

}  // namespace

Result<Json> parse_json(std::string_view text, int max_depth) {
  JsonBuilder builder(max_depth);
  try {
    if (Json::sax_parse(text, &builder)) return std::move(builder.document());
  } catch (const Json::exception& e) {
    // The parser reports through parse_error(); a value beyond what a container holds would throw.
    return Result<Json>::fail(without_exception_tag(e.what()));
  }
  return Result<Json>::fail(builder.error().empty() ? "the JSON parser stopped without saying why" : builder.error());
}

Json parse_json_or_null(std::string_view text) {
  auto json = parse_json(text);
  return json ? std::move(json).value() : Json();
}

}  // namespace fossa
