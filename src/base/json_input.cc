#include "fossa/base/json_input.h"

#include <string>
#include <vector>

namespace fossa {
namespace {

// Where the parser stands, kept from its events so that an error can name the field: one frame
// per open array or object, with the key being read or the count of elements already complete.
class PathTracker {
 public:
  explicit PathTracker(int max_depth) : max_depth_(max_depth) {}

  // nlohmann's parser callback. It does not recurse, so events arrive in document order.
  bool on_event(int depth, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        // `depth` counts the containers around this one; this one would be level depth + 1.
        if (depth + 1 > max_depth_) throw TooDeep{path()};
        frames_.push_back({event == Json::parse_event_t::array_start, {}, 0});
        break;
      case Json::parse_event_t::key:
        frames_.back().key = parsed.get<std::string>();
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        frames_.pop_back();
        element_done();
        break;
      case Json::parse_event_t::value:
        element_done();
        break;
    }
    return true;
  }

  // "method_kwargs.rows[3]"; "the top level" outside every container.
  std::string path() const {
    std::string out;
    for (const auto& frame : frames_) {
      if (frame.is_array) {
        out += "[" + std::to_string(frame.complete) + "]";
      } else {
        out += (out.empty() ? "" : ".") + frame.key;
      }
    }
    return out.empty() ? "the top level" : out;
  }

  struct TooDeep {
    std::string path;
  };

 private:
  void element_done() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().complete;
  }

  struct Frame {
    bool is_array = false;
    std::string key;         // objects: the key whose value is being read
    std::size_t complete = 0;  // arrays: elements already read, so the index of the next
  };
  int max_depth_;
  std::vector<Frame> frames_;
};

// nlohmann's messages start with "[json.exception.parse_error.101] "; a reader needs the rest.
std::string without_exception_tag(const char* what) {
  std::string message(what);
  if (message.rfind("[json.exception.", 0) == 0) {
    if (const auto end = message.find("] "); end != std::string::npos) message.erase(0, end + 2);
  }
  return message;
}

}  // namespace

Result<Json> parse_json(std::string_view text, int max_depth) {
  PathTracker tracker(max_depth);
  try {
    return Json::parse(
        text, [&](int depth, Json::parse_event_t event, Json& parsed) { return tracker.on_event(depth, event, parsed); });
  } catch (const PathTracker::TooDeep& e) {
    return Result<Json>::fail("nesting deeper than " + std::to_string(max_depth) + " levels at " + e.path);
  } catch (const Json::out_of_range& e) {
    // The parser's one out_of_range is a number beyond a double ("1e999").
    return Result<Json>::fail(without_exception_tag(e.what()) + " at " + tracker.path());
  } catch (const Json::exception& e) {
    return Result<Json>::fail(without_exception_tag(e.what()));
  }
}

Json parse_json_or_null(std::string_view text) {
  auto json = parse_json(text);
  return json ? std::move(json).value() : Json();
}

}  // namespace fossa
