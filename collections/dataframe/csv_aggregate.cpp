#include "collections/dataframe/csv_aggregate.hpp"

#include <absl/container/flat_hash_map.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>

#include "collections/core/text_file.hpp"
#include "collections/dataframe/column_builder.hpp"
#include "collections/dataframe/csv_tokenizer.hpp"
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/text_values.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using I64 = std::int64_t;
constexpr I64 kMorselRows = 16384;
std::size_t g_window_bytes = std::size_t{4} << 20;

enum class Func { sum, mean, count, size, min, max };

bool func_of(const std::string& f, Func& out) {
  if (f == "sum") out = Func::sum;
  else if (f == "mean") out = Func::mean;
  else if (f == "count") out = Func::count;
  else if (f == "size") out = Func::size;
  else if (f == "min") out = Func::min;
  else if (f == "max") out = Func::max;
  else return false;
  return true;
}

bool numeric(ColumnType t) { return t == ColumnType::int64 || t == ColumnType::float64; }

Schema frame_schema(const CsvSpec& spec) {
  Schema s;
  for (std::size_t i = 0; i < spec.use.size(); ++i)
    s.push_back({spec.file_names.at(static_cast<std::size_t>(spec.use[i])), spec.types.at(i)});
  return s;
}

// The file column of frame column `name`, or -1.
int file_column(const CsvSpec& spec, const std::string& name) {
  for (std::size_t i = 0; i < spec.use.size(); ++i)
    if (spec.file_names[static_cast<std::size_t>(spec.use[i])] == name) return static_cast<int>(spec.use[i]);
  return -1;
}

std::string state_name(std::size_t agg, std::size_t state) {
  return "__" + std::to_string(agg) + "_" + std::to_string(state);
}

// Distinct values of one key column, numbered densely in order of first sight.
struct KeyDict {
  absl::flat_hash_map<I64, std::int32_t> ints;
  absl::flat_hash_map<std::string_view, std::int32_t> strings;
  std::deque<std::string> owned;  // the string keys (a deque never moves them)
  std::vector<I64> int_of;        // per code, for non-string keys
  std::int32_t size = 0;

  // Fast paths in front of the maps (keys repeat: that is why we group):
  // integers near the first one seen index a dense table; strings of at most
  // 8 bytes, as one word, hit a direct-mapped cache.
  static constexpr std::uint64_t kDense = 65536;
  std::vector<std::int32_t> dense;
  I64 dense_base = 0;
  struct ShortSlot {
    std::uint64_t word = 0;
    std::uint32_t len = 0;
    std::int32_t code = -1;
  };
  std::vector<ShortSlot> short_cache = std::vector<ShortSlot>(1024);

  std::int32_t intern(I64 v) {
    if (dense.empty()) {
      dense.assign(kDense, -1);
      dense_base = v > std::numeric_limits<I64>::min() + 32768 ? v - 32768 : v;
    }
    const std::uint64_t off = static_cast<std::uint64_t>(v) - static_cast<std::uint64_t>(dense_base);
    if (off < kDense) {
      std::int32_t& c = dense[off];
      if (c < 0) c = intern_slow(v);
      return c;
    }
    return intern_slow(v);
  }
  std::int32_t intern_slow(I64 v) {
    auto [it, inserted] = ints.try_emplace(v, size);
    if (inserted) int_of.push_back(v), ++size;
    return it->second;
  }
  /// `overread`: the 8 bytes at s.data() are readable (a word load, masked).
  std::int32_t intern(std::string_view s, bool overread) {
    if (s.size() <= 8) {
      std::uint64_t w = 0;
      if (overread) {
        std::memcpy(&w, s.data(), 8);
        w &= s.size() == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * s.size())) - 1;
      } else {
        std::memcpy(&w, s.data(), s.size());
      }
      ShortSlot& e = short_cache[((w ^ s.size()) * 0x9E3779B97F4A7C15ull) >> 54];
      if (e.code >= 0 && e.word == w && e.len == s.size()) return e.code;
      std::int32_t code = intern_slow(s);
      e = {w, static_cast<std::uint32_t>(s.size()), code};
      return code;
    }
    return intern_slow(s);
  }
  std::int32_t intern_slow(std::string_view s) {
    if (auto it = strings.find(s); it != strings.end()) return it->second;
    owned.emplace_back(s);
    strings.emplace(std::string_view(owned.back()), size);
    return size++;
  }
};

// The separators and line ends of a text, 64 bytes at a time as a bit mask
// (SSE2, x86-64's baseline; a byte loop elsewhere): a field's end is one
// count-trailing-zeros away instead of a compare and a branch per byte. Only
// for text without quotes (quoted fields need the full tokenizer).
class DelimiterScanner {
 public:
  DelimiterScanner(const char* p, const char* end, char sep) : end_(end), sep_(sep) { seek(p); }

  /// The first separator or '\n' at or after the last seek / past the last one returned; `end` if none.
  const char* next() noexcept {
    while (mask_ == 0) {
      block_ += 64;
      if (block_ >= end_) return end_;
      mask_ = load(block_);
    }
    const char* d = block_ + __builtin_ctzll(mask_);
    mask_ &= mask_ - 1;
    return d;
  }
  /// Forgets the delimiters before `p`.
  void seek(const char* p) noexcept {
    block_ = p;  // unaligned loads: never before the text
    mask_ = block_ < end_ ? load(block_) : 0;
  }

 private:
  std::uint64_t load(const char* b) const noexcept {
    if (end_ - b >= 64) return mask64(b);
    alignas(64) char pad[64] = {};  // never read past the text
    std::memcpy(pad, b, static_cast<std::size_t>(end_ - b));
    return mask64(pad) & ((std::uint64_t{1} << (end_ - b)) - 1);
  }
  std::uint64_t mask64(const char* b) const noexcept {
#if defined(__SSE2__)
    const __m128i s = _mm_set1_epi8(sep_), nl = _mm_set1_epi8('\n');
    std::uint64_t m = 0;
    for (int k = 0; k < 4; ++k) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 16 * k));
      auto bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, s), _mm_cmpeq_epi8(v, nl))));
      m |= static_cast<std::uint64_t>(bits & 0xFFFFu) << (16 * k);
    }
    return m;
#else
    std::uint64_t m = 0;
    for (int k = 0; k < 64; ++k) m |= static_cast<std::uint64_t>(b[k] == sep_ || b[k] == '\n') << k;
    return m;
#endif
  }

  const char* block_ = nullptr;
  const char* end_;
  std::uint64_t mask_ = 0;
  char sep_;
};

// One file column the queries read, and its values in the current morsel.
struct Col {
  std::string name;
  ColumnType type = ColumnType::int64;
  int dict = -1;         // a group key: interned into dicts_[dict]
  bool strings = false;  // a string column a mask reads: its text is kept
  bool in_mask = false;
  std::vector<double> f;  // float64
  std::vector<I64> i;     // int64, timestamp, bool (0/1)
  std::vector<std::uint8_t> valid;
  std::vector<std::int32_t> code;  // key code, -1 for null
  std::string chars;
  std::vector<I64> offsets;
  bool any_null = false;
};

// Rows grouped one way: a mask and a key (shared by queries that agree on both).
struct Grouping {
  Value mask;
  int key = -1;  // index into cols_, -1: one group
  std::vector<std::int32_t> remap;  // key code -> group, -1: not seen yet
  std::vector<std::int32_t> codes;  // per group: its key code
  std::int32_t ngroups = 0;
  std::vector<std::int32_t> gid;    // per morsel row: its group, -1: none
  std::vector<std::uint8_t> keep;
};

struct AggState {
  Func func = Func::size;
  int col = -1;  // index into cols_
  ColumnType in = ColumnType::int64;
  std::vector<double> fsum, fbest;
  std::vector<I64> isum, count, ibest;
  std::vector<std::uint8_t> has;

  void grow(std::size_t n) {
    switch (func) {
      case Func::sum:
        if (in == ColumnType::float64) fsum.resize(n, 0.0);
        else isum.resize(n, 0);
        break;
      case Func::mean: fsum.resize(n, 0.0), count.resize(n, 0); break;
      case Func::count:
      case Func::size: count.resize(n, 0); break;
      case Func::min:
      case Func::max:
        has.resize(n, 0);
        if (in == ColumnType::float64) fbest.resize(n, 0.0);
        else ibest.resize(n, 0);
        break;
    }
  }
};

struct QueryState {
  const AggQuery* query = nullptr;
  int grouping = 0;
  std::vector<AggState> aggs;
};

// A window buffer per thread, reused by every block that thread reads.
struct Window {
  std::unique_ptr<char[]> data;
  std::size_t capacity = 0;
  void reserve(std::size_t n, std::size_t keep) {
    if (n <= capacity) return;
    std::unique_ptr<char[]> bigger(new char[n]);
    if (keep) std::memcpy(bigger.get(), data.get(), keep);
    data = std::move(bigger);
    capacity = n;
  }
};
thread_local Window tls_window;

class FusedReader {
 public:
  FusedReader(const CsvSource& source, const CsvSpec& spec, const std::vector<AggQuery>& queries)
      : source_(source), spec_(spec), na_(spec.na_values), plan_(spec.file_names.size(), -1) {
    auto need = [&](const std::string& name) -> int {
      int fc = file_column(spec, name);
      if (fc < 0) throw KeyError("read_csv: the fused aggregation reads column '" + name + "', which is not read");
      if (plan_[static_cast<std::size_t>(fc)] < 0) {
        plan_[static_cast<std::size_t>(fc)] = static_cast<int>(cols_.size());
        Col c;
        c.name = name;
        for (std::size_t i = 0; i < spec.use.size(); ++i)
          if (spec.use[i] == fc) c.type = spec.types[i];
        cols_.push_back(std::move(c));
      }
      return plan_[static_cast<std::size_t>(fc)];
    };
    const Schema schema = frame_schema(spec);
    for (const auto& q : queries) {
      if (!csv_aggregate_supports(spec, q))
        throw ValueError("read_csv: internal error: a fused aggregation the kernel does not support");
      int key = -1;
      if (!q.keys.empty()) {
        key = need(q.keys[0]);
        if (cols_[static_cast<std::size_t>(key)].dict < 0) {
          cols_[static_cast<std::size_t>(key)].dict = static_cast<int>(dicts_.size());
          dicts_.emplace_back();
        }
      }
      if (!q.mask.is_none()) {
        std::vector<std::string> refs;
        expr::referenced_columns(q.mask, refs);
        for (const auto& r : refs) {
          auto& c = cols_[static_cast<std::size_t>(need(r))];
          c.in_mask = true;
          if (c.type == ColumnType::string) c.strings = true;
          any_mask_ = true;
        }
      }
      int g = 0;
      for (; g < static_cast<int>(groupings_.size()); ++g)
        if (groupings_[static_cast<std::size_t>(g)].key == key && groupings_[static_cast<std::size_t>(g)].mask == q.mask) break;
      if (g == static_cast<int>(groupings_.size())) {
        Grouping gr;
        gr.mask = q.mask;
        gr.key = key;
        if (key < 0) gr.ngroups = 1, gr.codes.push_back(-1);  // one group, present even without rows
        gr.gid.resize(kMorselRows);
        gr.keep.resize(kMorselRows, 1);
        groupings_.push_back(std::move(gr));
      }
      QueryState qs;
      qs.query = &q;
      qs.grouping = g;
      for (const auto& a : q.aggs) {
        AggState s;
        func_of(a.func, s.func);
        if (s.func != Func::size) {
          s.col = need(expr::column_name(a.input));
          s.in = cols_[static_cast<std::size_t>(s.col)].type;
        }
        s.grow(static_cast<std::size_t>(groupings_[static_cast<std::size_t>(g)].ngroups));
        qs.aggs.push_back(std::move(s));
      }
      queries_.push_back(std::move(qs));
    }
    for (auto& c : cols_) {
      c.valid.resize(kMorselRows);
      if (c.type == ColumnType::float64) c.f.resize(kMorselRows);
      else if (c.type != ColumnType::string) c.i.resize(kMorselRows);
      if (c.dict >= 0) c.code.resize(kMorselRows);
      if (c.strings) c.offsets.assign(kMorselRows + 1, 0);
    }
  }

  std::vector<Table> run() {
    if (source_.text) {
      ctx_ = source_.context;
      const char* base = source_.text->data();
      const std::size_t n = source_.text->size();
      std::size_t at = 0;
      if (ctx_.has_header) {
        csv::check_header(std::string_view(base, n), spec_, source_.path);
        if (!skip_header(base, n, true, at)) at = n;
      }
      parse_rows(base, at, n, true);
    } else {
      read_file();
    }
    consume_morsel();
    std::vector<Table> out;
    for (auto& q : queries_) out.push_back(partial(q));
    return out;
  }

 private:
  // Reads the block in windows: parses the whole rows of each, carries the
  // last (cut) row over to the next.
  void read_file() {
    const std::string& path = source_.path;
    auto file = open_text_file(path, "read_csv");
    const I64 size = text_file_size(file.get(), path, "read_csv");
    const I64 begin = line_start_at(file.get(), path, source_.begin, size, "read_csv");
    const I64 end = source_.end < 0 ? size : line_start_at(file.get(), path, source_.end, size, "read_csv");
    ctx_ = BlockContext{path, begin, spec_.header && begin == 0, false};
    const int fd = fileno(file.get());
    Window& w = tls_window;
    std::size_t cap = g_window_bytes;  // bytes to fill; doubled for a row that does not fit
    w.reserve(cap, 0);
    std::size_t len = 0;  // bytes in the window
    I64 file_pos = begin;
    I64 window_offset = begin;  // file offset of the window's first byte
    bool header_pending = ctx_.has_header;
    while (true) {
      while (len < cap && file_pos < end) {
        auto want = static_cast<std::size_t>(std::min<I64>(static_cast<I64>(cap - len), end - file_pos));
        ssize_t n = ::pread(fd, w.data.get() + len, want, static_cast<off_t>(file_pos));
        if (n <= 0) throw ValueError("read_csv: short read from '" + path + "' at byte " + std::to_string(file_pos));
        len += static_cast<std::size_t>(n);
        file_pos += n;
      }
      const bool last = file_pos >= end;
      const char* base = w.data.get();
      std::size_t limit = len;
      if (!last) {  // up to the window's last line end
        const void* nl = ::memrchr(base, '\n', len);
        if (!nl) {
          w.reserve(cap *= 2, len);
          continue;
        }
        limit = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
      }
      ctx_.offset = window_offset;
      std::size_t at = 0;
      if (header_pending) {
        if (!skip_header(base, limit, last, at)) {  // the header goes on past the window
          w.reserve(cap *= 2, len);
          continue;
        }
        csv::check_header(std::string_view(base, limit), spec_, path);
        header_pending = false;
      }
      std::size_t done = parse_rows(base, at, limit, last);
      if (last) return;
      if (done == 0) {  // one row longer than the window
        w.reserve(cap *= 2, len);
        continue;
      }
      std::memmove(w.data.get(), base + done, len - done);
      len -= done;
      window_offset += static_cast<I64>(done);
    }
  }

  // Moves `at` past blank lines and the header row; false when the header
  // row does not end inside [0, n) and more text follows.
  bool skip_header(const char* base, std::size_t n, bool last, std::size_t& at) {
    const char* p = base + at;
    const char* end = base + n;
    csv::skip_blank_lines(p, end);
    if (p >= end) {  // only blank lines so far: the header is further on, unless the file ends here
      if (!last) return false;
      at = n;
      return true;
    }
    while (true) {
      try {
        if (csv::next_field(p, end, spec_.sep, scratch_, base).end_of_row) break;
      } catch (const csv::UnterminatedQuote& u) {
        if (!last) return false;
        throw ValueError("read_csv: file '" + ctx_.path + "': the header's quoted field at byte " +
                         std::to_string(u.start) + " is never closed");
      }
    }
    at = static_cast<std::size_t>(p - base);
    return true;
  }

  // Parses the rows of [at, n); returns where the unparsed text starts (n,
  // or the start of a row cut by the window's end when more text follows).
  std::size_t parse_rows(const char* base, std::size_t at, std::size_t n, bool last) {
    if (spec_.sep != '\0' && !std::memchr(base + at, '"', n - at)) return parse_unquoted_rows(base, at, n);
    const char* p = base + at;
    const char* end = base + n;
    while (true) {
      csv::skip_blank_lines(p, end);
      if (p >= end) break;
      const char* row_start = p;
      try {
        parse_row(p, end, base, n);
      } catch (const csv::UnterminatedQuote& u) {
        if (!last) return static_cast<std::size_t>(row_start - base);
        csv::throw_unterminated(std::string_view(base, n), u.start, ctx_);
      }
      if (++rows_ == kMorselRows) consume_morsel();
    }
    return n;
  }

  // parse_rows for text without a quote: the same fields and rows as
  // csv::next_field splits (a field ends at the separator or '\n', a '\r'
  // before its end dropped), found by DelimiterScanner.
  std::size_t parse_unquoted_rows(const char* base, std::size_t at, std::size_t n) {
    const char* p = base + at;
    const char* end = base + n;
    const std::size_t ncols = plan_.size();
    const int* plan = plan_.data();
    DelimiterScanner scan(p, end, spec_.sep);
    while (true) {
      if (p < end && (*p == '\n' || *p == '\r')) {  // blank lines, as csv::skip_blank_lines
        const char* q = p;
        csv::skip_blank_lines(q, end);
        if (q != p) p = q, scan.seek(p);
      }
      if (p >= end) break;
      const char* row_start = p;
      const I64 r = rows_;
      for (auto& c : cols_)
        if (c.strings) c.chars.resize(static_cast<std::size_t>(c.offsets[static_cast<std::size_t>(r)]));
      std::size_t j = 0;
      while (true) {
        const char* d = scan.next();
        const char* e = d;
        if (e > p && e[-1] == '\r') --e;
        const bool end_of_row = d >= end || *d == '\n';
        if (j >= ncols) {
          std::size_t count = j + 1;
          for (bool eor = end_of_row; !eor; ++count) {
            d = scan.next();
            eor = d >= end || *d == '\n';
          }
          csv::throw_field_count(std::string_view(base, n), static_cast<std::size_t>(row_start - base), ctx_, ncols,
                                 count);
        }
        if (int k = plan[j]; k >= 0)
          store(cols_[static_cast<std::size_t>(k)], r, std::string_view(p, static_cast<std::size_t>(e - p)), p, base, n);
        p = d < end ? d + 1 : end;
        ++j;
        if (end_of_row) break;
      }
      for (; j < ncols; ++j)  // a short row: the missing fields are null
        if (int k = plan[j]; k >= 0) store_null(cols_[static_cast<std::size_t>(k)], r);
      if (++rows_ == kMorselRows) consume_morsel();
    }
    return n;
  }

  void parse_row(const char*& p, const char* end, const char* base, std::size_t n) {
    const std::size_t ncols = plan_.size();
    const I64 r = rows_;
    for (auto& c : cols_)
      if (c.strings) c.chars.resize(static_cast<std::size_t>(c.offsets[static_cast<std::size_t>(r)]));
    const char* row_start = p;
    std::size_t j = 0;
    while (true) {
      const char* field_start = p;
      csv::Field f = csv::next_field(p, end, spec_.sep, scratch_, base);
      if (j >= ncols) {
        std::size_t count = j + 1;
        while (!f.end_of_row) f = csv::next_field(p, end, spec_.sep, scratch_, base), ++count;
        csv::throw_field_count(std::string_view(base, n), static_cast<std::size_t>(row_start - base), ctx_, ncols,
                               count);
      }
      if (int k = plan_[j]; k >= 0) store(cols_[static_cast<std::size_t>(k)], r, f.value, field_start, base, n);
      ++j;
      if (f.end_of_row) break;
    }
    for (; j < ncols; ++j)  // a short row: the missing fields are null
      if (int k = plan_[j]; k >= 0) store_null(cols_[static_cast<std::size_t>(k)], r);
  }

  void store_null(Col& c, I64 r) {
    auto i = static_cast<std::size_t>(r);
    c.valid[i] = 0;
    c.any_null = true;
    if (c.type == ColumnType::float64) c.f[i] = 0.0;
    else if (c.type != ColumnType::string) c.i[i] = 0;
    if (c.dict >= 0) c.code[i] = -1;
    if (c.strings) c.offsets[i + 1] = static_cast<I64>(c.chars.size());
  }

  // Whether `v` lies in the text [base, base + n) (not in the scratch string of an unquoted field).
  static bool in_text(std::string_view v, const char* base, std::size_t n) noexcept {
    return v.data() >= base && v.data() <= base + n;
  }

  // As BlockParser::append: the typed value, else an NA string gives a null, else an error.
  void store(Col& c, I64 r, std::string_view v, const char* at, const char* base, std::size_t n) {
    auto i = static_cast<std::size_t>(r);
    bool ok = false;
    switch (c.type) {
      case ColumnType::float64: {
        double x;
        if (parse_float64_in(v.data(), v.data() + v.size(), in_text(v, base, n) ? base + n : v.data() + v.size(), x)) {
          if (x != x) return store_null(c, r);  // "nan" and "NaN": NA, as pandas
          c.f[i] = x;
          ok = true;
        }
        break;
      }
      case ColumnType::int64: ok = parse_int64(v, c.i[i]); break;
      case ColumnType::timestamp: ok = parse_timestamp(v, c.i[i]); break;
      case ColumnType::boolean: {
        bool b;
        if ((ok = parse_bool(v, b))) c.i[i] = b ? 1 : 0;
        break;
      }
      case ColumnType::string: {
        if (na_.contains(v)) return store_null(c, r);
        c.valid[i] = 1;
        if (c.dict >= 0)
          c.code[i] = dicts_[static_cast<std::size_t>(c.dict)].intern(v, in_text(v, base, n) && v.data() + 8 <= base + n);
        if (c.strings) {
          c.chars.append(v);
          c.offsets[i + 1] = static_cast<I64>(c.chars.size());
        }
        return;
      }
    }
    if (!ok) {
      if (na_.contains(v)) return store_null(c, r);
      csv::throw_bad_value(std::string_view(base, n), static_cast<std::size_t>(at - base), ctx_, c.name, c.type, v);
    }
    c.valid[i] = 1;
    if (c.dict >= 0) c.code[i] = dicts_[static_cast<std::size_t>(c.dict)].intern(c.i[i]);
  }

  // The morsel's rows of the columns masks read, as a Table.
  Table mask_table(I64 n) const {
    std::vector<Column> cols;
    for (const auto& c : cols_) {
      if (!c.in_mask) continue;
      Column col;
      col.name = c.name;
      col.type = c.type;
      col.length = n;
      auto un = static_cast<std::size_t>(n);
      switch (c.type) {
        case ColumnType::float64: col.data = std::make_shared<Buffer>(c.f.data(), un * sizeof(double)); break;
        case ColumnType::int64:
        case ColumnType::timestamp: col.data = std::make_shared<Buffer>(c.i.data(), un * sizeof(I64)); break;
        case ColumnType::boolean: {
          auto b = make_buffer(un);
          auto* d = b->mutable_as<std::uint8_t>().data();
          for (std::size_t k = 0; k < un; ++k) d[k] = static_cast<std::uint8_t>(c.i[k]);
          col.data = std::move(b);
          break;
        }
        case ColumnType::string:
          col.data = std::make_shared<Buffer>(c.chars.data(), c.chars.size());
          col.offsets = std::make_shared<Buffer>(c.offsets.data(), (un + 1) * sizeof(I64));
          break;
      }
      if (c.any_null) {
        auto v = make_buffer((un + 7) / 8);
        auto* d = v->mutable_as<std::uint8_t>().data();
        std::memset(d, 0, (un + 7) / 8);
        for (std::size_t k = 0; k < un; ++k) d[k >> 3] |= static_cast<std::uint8_t>(c.valid[k] << (k & 7));
        col.validity = std::move(v);
      }
      cols.push_back(std::move(col));
    }
    return Table(std::move(cols));
  }

  void consume_morsel() {
    const I64 n = rows_;
    if (n == 0) return;
    Table masked;
    if (any_mask_) masked = mask_table(n);
    for (auto& g : groupings_) {
      if (!g.mask.is_none()) {
        Column m = expr::evaluate(g.mask, masked, "mask");
        if (m.type != ColumnType::boolean) throw TypeError("groupby: the filter is not a bool expression");
        const auto* d = m.data->as<std::uint8_t>().data();
        for (I64 r = 0; r < n; ++r) g.keep[static_cast<std::size_t>(r)] = d[r] && m.is_valid(r);
      }
      const std::uint8_t* keep = g.keep.data();
      std::int32_t* gid = g.gid.data();
      if (g.key < 0) {
        for (I64 r = 0; r < n; ++r) gid[r] = keep[r] ? 0 : -1;
        continue;
      }
      const Col& k = cols_[static_cast<std::size_t>(g.key)];
      g.remap.resize(static_cast<std::size_t>(dicts_[static_cast<std::size_t>(k.dict)].size), -1);
      const std::int32_t* code = k.code.data();
      std::int32_t* remap = g.remap.data();
      for (I64 r = 0; r < n; ++r) {
        const std::int32_t c = code[r];
        if (c < 0 || !keep[r]) {
          gid[r] = -1;
          continue;
        }
        if (remap[c] < 0) remap[c] = g.ngroups++, g.codes.push_back(c);
        gid[r] = remap[c];
      }
    }
    for (auto& q : queries_) {
      const Grouping& g = groupings_[static_cast<std::size_t>(q.grouping)];
      for (auto& a : q.aggs) {
        a.grow(static_cast<std::size_t>(g.ngroups));
        update(a, g.gid.data(), n);
      }
    }
    rows_ = 0;
    for (auto& c : cols_) c.any_null = false;
  }

  // Calls f(group, row) for the rows in a group whose value in `c` is valid.
  template <class F>
  static void each_valid(const std::int32_t* gid, const Col& c, I64 n, F&& f) {
    if (!c.any_null) {
      for (I64 r = 0; r < n; ++r)
        if (gid[r] >= 0) f(gid[r], r);
    } else {
      for (I64 r = 0; r < n; ++r)
        if (gid[r] >= 0 && c.valid[static_cast<std::size_t>(r)]) f(gid[r], r);
    }
  }

  void update(AggState& a, const std::int32_t* gid, I64 n) {
    if (a.func == Func::size) {
      for (I64 r = 0; r < n; ++r)
        if (gid[r] >= 0) ++a.count[static_cast<std::size_t>(gid[r])];
      return;
    }
    const Col& c = cols_[static_cast<std::size_t>(a.col)];
    const bool fl = c.type == ColumnType::float64;
    const double* fv = c.f.data();
    const I64* iv = c.i.data();
    switch (a.func) {
      case Func::count: each_valid(gid, c, n, [&](std::int32_t g, I64) { ++a.count[static_cast<std::size_t>(g)]; }); break;
      case Func::sum:
        if (fl) each_valid(gid, c, n, [&](std::int32_t g, I64 r) { a.fsum[static_cast<std::size_t>(g)] += fv[r]; });
        else  // wrapping, as aggregate_chunk's (and numpy's) int64 sums
          each_valid(gid, c, n, [&](std::int32_t g, I64 r) {
            auto& acc = a.isum[static_cast<std::size_t>(g)];
            acc = static_cast<I64>(static_cast<std::uint64_t>(acc) + static_cast<std::uint64_t>(iv[r]));
          });
        break;
      case Func::mean:
        if (fl)
          each_valid(gid, c, n, [&](std::int32_t g, I64 r) {
            a.fsum[static_cast<std::size_t>(g)] += fv[r];
            ++a.count[static_cast<std::size_t>(g)];
          });
        else
          each_valid(gid, c, n, [&](std::int32_t g, I64 r) {
            a.fsum[static_cast<std::size_t>(g)] += static_cast<double>(iv[r]);
            ++a.count[static_cast<std::size_t>(g)];
          });
        break;
      case Func::min:
      case Func::max: {
        // As aggregate_chunk: the first value, replaced only by a strictly better one.
        const bool is_min = a.func == Func::min;
        if (fl)
          each_valid(gid, c, n, [&](std::int32_t g, I64 r) {
            auto k = static_cast<std::size_t>(g);
            double v = fv[r];
            if (!a.has[k] || (is_min ? v < a.fbest[k] : v > a.fbest[k])) a.fbest[k] = v, a.has[k] = 1;
          });
        else
          each_valid(gid, c, n, [&](std::int32_t g, I64 r) {
            auto k = static_cast<std::size_t>(g);
            I64 v = iv[r];
            if (!a.has[k] || (is_min ? v < a.ibest[k] : v > a.ibest[k])) a.ibest[k] = v, a.has[k] = 1;
          });
        break;
      }
      case Func::size: break;
    }
  }

  // The partial as aggregate_chunk's partial_from builds it.
  Table partial(const QueryState& q) const {
    const Grouping& g = groupings_[static_cast<std::size_t>(q.grouping)];
    const auto ng = static_cast<std::size_t>(g.ngroups);
    std::vector<Column> cols;
    if (g.key >= 0) {
      const Col& k = cols_[static_cast<std::size_t>(g.key)];
      const KeyDict& d = dicts_[static_cast<std::size_t>(k.dict)];
      ColumnBuilder b(q.query->keys[0], k.type);
      b.reserve(ng);
      for (auto code : g.codes) {
        auto c = static_cast<std::size_t>(code);
        switch (k.type) {
          case ColumnType::string: b.append_string(d.owned[c]); break;
          case ColumnType::boolean: b.append_bool(d.int_of[c] != 0); break;
          default: b.append_int(d.int_of[c]); break;
        }
      }
      cols.push_back(b.finish());
    }
    for (std::size_t ai = 0; ai < q.aggs.size(); ++ai) {
      const AggState& a = q.aggs[ai];
      auto ints = [&](const std::vector<I64>& v, std::size_t s) {
        cols.push_back(Column::from_int64(state_name(ai, s), std::vector<I64>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(ng))));
      };
      auto floats = [&](const std::vector<double>& v, std::size_t s) {
        cols.push_back(Column::from_float64(state_name(ai, s), std::vector<double>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(ng))));
      };
      switch (a.func) {
        case Func::sum:
          if (a.in == ColumnType::float64) floats(a.fsum, 0);
          else ints(a.isum, 0);
          break;
        case Func::mean: floats(a.fsum, 0), ints(a.count, 1); break;
        case Func::count:
        case Func::size: ints(a.count, 0); break;
        case Func::min:
        case Func::max: {  // as take(input, best rows): 0 in a null slot, zero-padded validity
          Column c = a.in == ColumnType::float64
                         ? Column::from_float64(state_name(ai, 0), std::vector<double>(a.fbest.begin(), a.fbest.begin() + static_cast<std::ptrdiff_t>(ng)))
                         : Column::from_int64(state_name(ai, 0), std::vector<I64>(a.ibest.begin(), a.ibest.begin() + static_cast<std::ptrdiff_t>(ng)));
          if (std::find(a.has.begin(), a.has.begin() + static_cast<std::ptrdiff_t>(ng), 0) != a.has.begin() + static_cast<std::ptrdiff_t>(ng)) {
            auto bits = make_buffer((ng + 7) / 8);
            auto* d = bits->mutable_as<std::uint8_t>().data();
            std::memset(d, 0, bits->size());
            for (std::size_t k = 0; k < ng; ++k) d[k >> 3] |= static_cast<std::uint8_t>((a.has[k] ? 1u : 0u) << (k & 7));
            c.validity = std::move(bits);
          }
          cols.push_back(std::move(c));
          break;
        }
      }
    }
    return Table(std::move(cols));
  }

  const CsvSource& source_;
  const CsvSpec& spec_;
  NaSet na_;
  BlockContext ctx_;
  std::vector<int> plan_;  // per file column: index into cols_, -1: only split
  std::vector<Col> cols_;
  std::vector<KeyDict> dicts_;
  std::vector<Grouping> groupings_;
  std::vector<QueryState> queries_;
  bool any_mask_ = false;
  I64 rows_ = 0;  // rows in the current morsel
  std::string scratch_;
};

}  // namespace

bool csv_aggregate_supports(const CsvSpec& spec, const AggQuery& q) {
  if (spec.use.size() != spec.types.size()) return false;
  const Schema schema = frame_schema(spec);
  auto type_of_col = [&](const std::string& name, ColumnType& t) {
    for (const auto& c : schema)
      if (c.name == name) return t = c.type, true;
    return false;
  };
  if (q.keys.size() > 1) return false;
  for (const auto& k : q.keys) {
    ColumnType t;
    if (!type_of_col(k, t) || t == ColumnType::float64) return false;
  }
  for (const auto& a : q.aggs) {
    Func f;
    if (!func_of(a.func, f)) return false;
    if (f == Func::size) {
      if (schema.empty()) return false;
      continue;
    }
    ColumnType t;
    std::string name = expr::column_name(a.input);
    if (name.empty() || !type_of_col(name, t)) return false;
    if (f != Func::count && !numeric(t)) return false;
  }
  if (!q.mask.is_none()) {
    try {
      std::vector<std::string> refs;  // a mask of literals only has no rows to broadcast over
      expr::referenced_columns(q.mask, refs);
      if (refs.empty()) return false;
      if (expr::result_type(q.mask, schema) != ColumnType::boolean) return false;
    } catch (const std::exception&) {
      return false;
    }
  }
  return true;
}

std::vector<Table> csv_aggregate(const CsvSource& source, const CsvSpec& spec, const std::vector<AggQuery>& queries) {
  return FusedReader(source, spec, queries).run();
}

void set_csv_aggregate_window(std::size_t bytes) { g_window_bytes = std::max<std::size_t>(bytes, 16); }

}  // namespace tessera::dataframe
