#include "process/outbound_queue.h"

namespace fossa {

bool OutboundQueue::push(std::string line, Kind kind) {
  if (line.empty()) return true;
  if (kind == Kind::kDroppable) {
    if (droppable_lines_ >= limits_.droppable_lines || droppable_bytes_ + line.size() > limits_.droppable_bytes) {
      ++dropped_;
      return false;
    }
    ++droppable_lines_;
    droppable_bytes_ += line.size();
  }
  lines_.push_back({std::move(line), kind});
  return true;
}

std::vector<std::string_view> OutboundQueue::pending(std::size_t max_pieces) const {
  std::vector<std::string_view> pieces;
  for (const auto& line : lines_) {
    if (pieces.size() >= max_pieces) break;
    std::string_view text = line.text;
    if (pieces.empty()) text.remove_prefix(written_);
    pieces.push_back(text);
  }
  return pieces;
}

void OutboundQueue::consume(std::size_t bytes) {
  while (bytes > 0 && !lines_.empty()) {
    Line& front = lines_.front();
    const std::size_t left = front.text.size() - written_;
    if (bytes < left) {
      written_ += bytes;
      return;
    }
    bytes -= left;
    if (front.kind == Kind::kDroppable) {
      --droppable_lines_;
      droppable_bytes_ -= front.text.size();
    }
    lines_.pop_front();
    written_ = 0;
  }
}

void OutboundQueue::clear() {
  lines_.clear();
  written_ = 0;
  droppable_lines_ = 0;
  droppable_bytes_ = 0;
}

}  // namespace fossa
