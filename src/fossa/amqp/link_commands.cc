#include "amqp/link_commands.h"

namespace fossa::amqp {

void LinkCommands::count_in(const LinkCommand& command) {
  if (!command.is_log_reply()) return;
  ++log_replies_;
  log_reply_bytes_ += command.message.body.size();
}

bool LinkCommands::push(LinkCommand command) {
  if (command.is_log_reply() && (log_replies_ >= limits_.log_replies ||
                                 log_reply_bytes_ + command.message.body.size() > limits_.log_reply_bytes)) {
    ++dropped_;
    return false;
  }
  count_in(command);
  commands_.push_back(std::move(command));
  return true;
}

void LinkCommands::push_front(LinkCommand command) {
  count_in(command);
  commands_.push_front(std::move(command));
}

std::optional<LinkCommand> LinkCommands::pop() {
  if (commands_.empty()) return std::nullopt;
  LinkCommand command = std::move(commands_.front());
  commands_.pop_front();
  if (command.is_log_reply()) {
    --log_replies_;
    log_reply_bytes_ -= command.message.body.size();
  }
  return command;
}

}  // namespace fossa::amqp
