// A local file mapped into memory whole, read-only, for the CSV parser to read in place (no copy
// into a buffer, no read() per MiB): the file's bytes, then zeros up to at least `padding` bytes
// past its end (the parser's scanner reads whole 64-byte blocks).
//
// A mapped file that another process cuts short (truncates) while it is read would end the
// process with SIGBUS at the first page past its new end. A guard catches that: a SIGBUS inside a
// mapping of this class maps a page of zeros in place of the missing one, marks the mapping
// cut_short(), and the read goes on; the reader checks cut_short() and reports the file as
// changed, instead of the process dying. Other SIGBUS and SIGSEGV go to the handler that was there
// before (the worker's crash handler, or the default). Internal.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <span>

namespace ayeaye {

class MappedFile {
 public:
  // The file open at `fd` (not taken over), mapped; null when it cannot or should not be (not a
  // regular file, empty, the mapping refused, every guard slot in use): read() it instead.
  static std::unique_ptr<MappedFile> map(int fd, std::size_t padding);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // The file's bytes as they were when it was mapped (its size then).
  std::span<const char> bytes() const { return {base_, size_}; }
  // Set (by the guard) once a page of the mapping was found missing: the file was cut short and
  // bytes() now reads zeros where its lost pages were.
  const std::atomic<bool>& cut_short() const;

 private:
  MappedFile(char* base, std::size_t size, std::size_t span, std::size_t slot)
      : base_(base), size_(size), span_(span), slot_(slot) {}
  char* base_;
  std::size_t size_;
  std::size_t span_;  // what is mapped: size_ and the padding, in whole pages
  std::size_t slot_;  // this mapping's place in the guard's table
};

}  // namespace ayeaye
