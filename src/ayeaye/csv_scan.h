// Finding the bytes that matter in CSV text — the delimiter, '"', '\r' and '\n' — many bytes at a
// time: the parser takes a bit mask of them for 64 bytes at once and walks its set bits from one
// field boundary to the next; the writer copies a field out and learns on the way whether it needs
// quoting. And the quotes inside a quoted field, doubled (writing) and undoubled (reading). With
// SSE2 (every x86-64) 16 bytes a step; elsewhere 8 bytes a step (any()) or a byte at a time.
// Internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ayeaye {

class CsvScanner {
 public:
  // block_mask() looks at this many bytes at once; a buffer it scans needs as many readable bytes
  // after its data (their bits are never used).
  static constexpr std::size_t kBlockBytes = 64;
  static constexpr std::size_t kPadding = kBlockBytes;

  explicit CsvScanner(char delimiter) : specials_{delimiter, '"', '\r', '\n'} {
    for (char c : specials_) special_[static_cast<unsigned char>(c)] = true;
#if defined(__SSE2__)
    delimiter_ = _mm_set1_epi8(delimiter);
#endif
    for (std::size_t i = 0; i < 4; ++i) broadcasts_[i] = 0x0101010101010101 * static_cast<unsigned char>(specials_[i]);
  }

  bool special(char c) const { return special_[static_cast<unsigned char>(c)]; }

  // Does [p, p + size) hold a special byte? Reads only those bytes: a value of 4 bytes or more is
  // checked with overlapping whole-word loads (no byte-by-byte tail, no copy).
  bool any(const char* p, std::size_t size) const {
#if defined(__SSE2__)
    const char* const end = p + size;
    if (size >= 16) {
      for (; end - p > 16; p += 16) {
        if (match(load<__m128i>(p)) != 0) return true;
      }
      return match(load<__m128i>(end - 16)) != 0;
    }
    if (size >= 8) return match(_mm_set_epi64x(load<long long>(p), load<long long>(end - 8))) != 0;
    if (size >= 4) {
      const int head = load<int>(p), tail = load<int>(end - 4);
      return match(_mm_set_epi32(head, tail, head, tail)) != 0;
    }
    for (; p < end; ++p) {
      if (special(*p)) return true;
    }
    return false;
#else
    return any_portable(p, size);
#endif
  }

  // Copies [p, p + size) to `out` and says whether it held a special byte — one pass that loads
  // each byte once, for the writer's common case of a field that needs no quotes. When it returns
  // true, what it wrote at `out` may be partial (the caller writes the field quoted instead).
  bool copy_finding_any(const char* p, std::size_t size, char* out) const {
#if defined(__SSE2__)
    const char* const end = p + size;
    if (size >= 16) {
      for (; end - p > 16; p += 16, out += 16) {
        const __m128i chunk = load<__m128i>(p);
        if (match(chunk) != 0) return true;
        store(out, chunk);
      }
      // The last 16 bytes, overlapping what the loop copied.
      const __m128i tail = load<__m128i>(end - 16);
      store(out + (end - p) - 16, tail);
      return match(tail) != 0;
    }
    if (size >= 8) {
      const long long head = load<long long>(p), tail = load<long long>(end - 8);
      store(out, head);
      store(out + size - 8, tail);
      return match(_mm_set_epi64x(head, tail)) != 0;
    }
    if (size >= 4) {
      const int head = load<int>(p), tail = load<int>(end - 4);
      store(out, head);
      store(out + size - 4, tail);
      return match(_mm_set_epi32(head, tail, head, tail)) != 0;
    }
    bool found = false;
    for (std::size_t i = 0; i < size; ++i) {
      out[i] = p[i];
      found |= special(p[i]);
    }
    return found;
#else
    return copy_finding_any_portable(p, size, out);
#endif
  }

  // Copies [p, p + size) to `out` with every '"' doubled (the inside of a quoted field, as the
  // writer writes it); the end of what it wrote. `out` has room for 2 * size bytes.
  static char* copy_doubling_quotes(const char* p, std::size_t size, char* out) {
    const char* const end = p + size;
#if defined(__SSE2__)
    // A short field with no quote (the usual reason to quote is a delimiter): two overlapping
    // loads and stores, as copy_finding_any().
    if (size >= 8 && size < 16) {
      const long long head = load<long long>(p), tail = load<long long>(end - 8);
      if (quotes(_mm_set_epi64x(head, tail)) == 0) {
        store(out, head);
        store(out + size - 8, tail);
        return out + size;
      }
    } else if (size >= 4 && size < 8) {
      const int head = load<int>(p), tail = load<int>(end - 4);
      if (quotes(_mm_set_epi32(head, tail, head, tail)) == 0) {
        store(out, head);
        store(out + size - 4, tail);
        return out + size;
      }
    }
    // 16 bytes a step, up to and including the next quote.
    while (end - p >= 16) {
      const __m128i chunk = load<__m128i>(p);
      store(out, chunk);
      const unsigned found = quotes(chunk);
      const std::size_t run = found == 0 ? 16 : static_cast<std::size_t>(__builtin_ctz(found)) + 1;
      out += run;
      p += run;
      if (found != 0) *out++ = '"';
    }
#endif
    return copy_doubling_quotes_portable(p, static_cast<std::size_t>(end - p), out);
  }

  // The inverse: the inside of a quoted field as read, where every '"' is the first of a pair, to
  // `out` as its text (each pair one quote); the end of what it wrote. 16 bytes a step, so [p, p +
  // size) needs 16 readable bytes after it (the parser's padded buffer) and `out` room for size + 16.
  static char* undouble_quotes(const char* p, std::size_t size, char* out) {
    const char* const end = p + size;
#if defined(__SSE2__)
    while (p < end) {
      const __m128i chunk = load<__m128i>(p);
      store(out, chunk);
      const std::size_t left = static_cast<std::size_t>(end - p);
      const unsigned found = quotes(chunk) & (left >= 16 ? 0xFFFFu : (1u << left) - 1);
      if (found == 0) {
        const std::size_t run = left >= 16 ? 16 : left;
        out += run;
        p += run;
      } else {
        const std::size_t run = static_cast<std::size_t>(__builtin_ctz(found)) + 1;  // through the first quote
        out += run;
        p += run + 1;  // past the pair's second quote
      }
    }
    return out;
#else
    return undouble_quotes_portable(p, size, out);
#endif
  }

  // Bit i set: p[i] is special, for i < 64 (reads exactly p[0..63]).
  std::uint64_t block_mask(const char* p) const {
#if defined(__SSE2__)
    const std::uint64_t m0 = match(load<__m128i>(p)), m1 = match(load<__m128i>(p + 16)), m2 = match(load<__m128i>(p + 32)),
                        m3 = match(load<__m128i>(p + 48));
    return m0 | (m1 << 16) | (m2 << 32) | (m3 << 48);
#else
    return block_mask_portable(p);
#endif
  }

  // Without SSE2: 8 bytes a step, and a byte table. Public so tests check them on any machine.
  bool any_portable(const char* p, std::size_t size) const {
    const char* const end = p + size;
    if (size >= 8) {
      for (; end - p > 8; p += 8) {
        if (any_in_word(load<std::uint64_t>(p))) return true;
      }
      return any_in_word(load<std::uint64_t>(end - 8));
    }
    for (; p < end; ++p) {
      if (special(*p)) return true;
    }
    return false;
  }
  bool copy_finding_any_portable(const char* p, std::size_t size, char* out) const {
    std::memcpy(out, p, size);
    return any_portable(p, size);
  }
  static char* copy_doubling_quotes_portable(const char* p, std::size_t size, char* out) {
    for (const char* const end = p + size; p < end; ++p) {
      *out++ = *p;
      if (*p == '"') *out++ = '"';
    }
    return out;
  }
  static char* undouble_quotes_portable(const char* p, std::size_t size, char* out) {
    for (const char* const end = p + size; p < end;) {
      const char c = *p++;
      *out++ = c;
      if (c == '"') ++p;
    }
    return out;
  }
  std::uint64_t block_mask_portable(const char* p) const {
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < kBlockBytes; ++i) mask |= static_cast<std::uint64_t>(special(p[i])) << i;
    return mask;
  }

 private:
  template <typename Word>
  static Word load(const char* p) {
    Word word;
    std::memcpy(&word, p, sizeof word);
    return word;
  }
  template <typename Word>
  static void store(char* out, Word word) {
    std::memcpy(out, &word, sizeof word);
  }
#if defined(__SSE2__)
  // Bit i set: byte i of `chunk` is special.
  unsigned match(__m128i chunk) const {
    const __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(chunk, delimiter_), _mm_cmpeq_epi8(chunk, _mm_set1_epi8('"'))),
        _mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(chunk, _mm_set1_epi8('\n'))));
    return static_cast<unsigned>(_mm_movemask_epi8(hits));
  }
  // Bit i set: byte i of `chunk` is '"'.
  static unsigned quotes(__m128i chunk) {
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('"'))));
  }
#endif
  // Whether any byte of `word` is special: a byte equal to c becomes zero after ^ c, and
  // (x - 0x01..) & ~x & 0x80.. is non-zero exactly when some byte of x is zero.
  bool any_in_word(std::uint64_t word) const {
    constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
    std::uint64_t found = 0;
    for (const std::uint64_t broadcast : broadcasts_) {
      const std::uint64_t x = word ^ broadcast;
      found |= (x - kOnes) & ~x & kHighs;
    }
    return found != 0;
  }

#if defined(__SSE2__)
  __m128i delimiter_;
#endif
  std::uint64_t broadcasts_[4];
  char specials_[4];
  bool special_[256] = {};
};

}  // namespace ayeaye
