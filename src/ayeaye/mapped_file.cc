#include "mapped_file.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <mutex>

namespace ayeaye {
namespace {

// The mappings the guard watches: a fixed table of atomics, so the signal handler reads it without
// a lock or an allocation. A slot is free while its base is null.
struct Slot {
  std::atomic<char*> base{nullptr};
  std::atomic<std::size_t> span{0};
  std::atomic<bool> cut_short{false};
};
constexpr std::size_t kSlots = 64;
constexpr std::size_t kPopulateBytes = std::size_t{1} << 30;
Slot slots[kSlots];
std::mutex slots_mutex;  // taking and giving back slots (the handler only reads)
struct sigaction previous_sigbus;

void pass_on(int signal, siginfo_t* info, void* context) {
  const struct sigaction& previous = previous_sigbus;
  if ((previous.sa_flags & SA_SIGINFO) != 0 && previous.sa_sigaction != nullptr) {
    previous.sa_sigaction(signal, info, context);
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler != nullptr) {
    previous.sa_handler(signal);
  } else {
    // The default: returning re-runs the faulting access, which faults again and ends the process.
    ::signal(signal, SIG_DFL);
  }
}

void on_sigbus(int signal, siginfo_t* info, void* context) {
  char* const address = static_cast<char*>(info->si_addr);
  for (Slot& slot : slots) {
    char* const base = slot.base.load(std::memory_order_acquire);
    if (base == nullptr || address < base || address >= base + slot.span.load(std::memory_order_relaxed)) continue;
    // A page of the file that is no longer there: zeros in its place (mmap is a plain system call,
    // safe here), and the reader learns the file was cut short.
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    void* const start = reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(address) & ~(page - 1));
    slot.cut_short.store(true, std::memory_order_release);
    if (::mmap(start, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) return;
    break;
  }
  pass_on(signal, info, context);
}

// Puts the guard in front of whatever SIGBUS handler is there now (again, if someone replaced it
// since), keeping that one to pass other faults on to. Under slots_mutex.
void install_guard() {
  struct sigaction current {};
  ::sigaction(SIGBUS, nullptr, &current);
  if ((current.sa_flags & SA_SIGINFO) != 0 && current.sa_sigaction == on_sigbus) return;
  struct sigaction guard {};
  guard.sa_sigaction = on_sigbus;
  guard.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&guard.sa_mask);
  ::sigaction(SIGBUS, &guard, &previous_sigbus);
}

}  // namespace

std::unique_ptr<MappedFile> MappedFile::map(int fd, std::size_t padding) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size <= 0) return nullptr;
  const auto size = static_cast<std::size_t>(info.st_size);
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t span = (size + padding + page - 1) / page * page;
  // Zeros for the whole span first, then the file over its start: the padding past the file's
  // last page is readable zeros, not a fault.
  void* const area = ::mmap(nullptr, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (area == MAP_FAILED) return nullptr;
  // Pages read in up front (one fault-free pass) for files of a usual size; a huge one is paged in
  // as it is read, so as not to hold all of it at once.
  const int populate = size <= kPopulateBytes ? MAP_POPULATE : 0;
  if (::mmap(area, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | populate, fd, 0) == MAP_FAILED) {
    ::munmap(area, span);
    return nullptr;
  }
  ::madvise(area, size, MADV_SEQUENTIAL);
  char* const base = static_cast<char*>(area);
  std::lock_guard lock(slots_mutex);
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (slots[i].base.load(std::memory_order_relaxed) != nullptr) continue;
    install_guard();
    slots[i].cut_short.store(false, std::memory_order_relaxed);
    slots[i].span.store(span, std::memory_order_relaxed);
    slots[i].base.store(base, std::memory_order_release);
    return std::unique_ptr<MappedFile>(new MappedFile(base, size, span, i));
  }
  ::munmap(area, span);  // every slot in use: this file is read() instead
  return nullptr;
}

MappedFile::~MappedFile() {
  {
    std::lock_guard lock(slots_mutex);
    slots[slot_].base.store(nullptr, std::memory_order_release);
  }
  ::munmap(base_, span_);
}

const std::atomic<bool>& MappedFile::cut_short() const { return slots[slot_].cut_short; }

}  // namespace ayeaye
