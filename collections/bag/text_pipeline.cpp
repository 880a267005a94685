#include "collections/bag/text_pipeline.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "collections/bag/bag_functions.hpp"
#include "collections/bag/frequency_table.hpp"
#include "collections/bag/json.hpp"
#include "collections/bag/json_simd.hpp"
#include "collections/bag/read_text.hpp"
#include "collections/bag/text_split.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {

std::shared_ptr<const TextPipeline> TextPipeline::then(Value step) const {
  auto p = std::make_shared<TextPipeline>(*this);
  p->steps.push_back(std::move(step));
  return p;
}

std::optional<Value> map_step(const std::string& name, const ValueList& extra) {
  if ((name == "json_loads" || name == "bag.json_loads") && extra.empty()) return ValueList{"json_loads"};
  if (name == "bag.str_lower" && extra.empty()) return ValueList{"lower"};
  if (name == "bag.str_upper" && extra.empty()) return ValueList{"upper"};
  if (name == "bag.str_strip" && extra.size() == 1 && extra[0].kind() == ValueKind::string)
    return ValueList{"strip", extra[0]};
  if (name == "bag.str_split" && extra.size() == 2 && extra[0].kind() == ValueKind::string &&
      extra[1].kind() == ValueKind::int64)
    return ValueList{"split", extra[0], extra[1]};
  return std::nullopt;
}

namespace {

namespace dom = simdjson::dom;

enum class Op { json_loads, pluck, split, split_flatten, flatten, lower, upper, strip };

struct Step {
  Op op;
  Value key;                  // pluck
  const Value* default_value = nullptr;
  std::string sep;            // split; strip's chars
  std::int64_t maxsplit = -1;
  std::string scratch;        // the text this step made last
};

// One element flowing through the steps: a view of text (a line, a word,
// a plucked string), a view of one line of JSON not parsed yet, or a Value.
struct Item {
  enum class Kind { text, json, boxed } kind;
  std::string_view text;
  bool in_block = false;  // text lies in the TextBlock (padded for simdjson)
  Value boxed;
};

Item text_item(std::string_view s, bool in_block = false) { return Item{Item::Kind::text, s, in_block, {}}; }
Item boxed_item(Value v) { return Item{Item::Kind::boxed, {}, false, std::move(v)}; }

std::vector<Step> compile(const ValueList& steps) {
  std::vector<Step> out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& s = steps[i].as_list();
    const std::string& name = s.at(0).as_string();
    Step st{};
    if (name == "json_loads") st.op = Op::json_loads;
    else if (name == "pluck") st.op = Op::pluck, st.key = s.at(1), st.default_value = s.size() == 3 ? &s[2] : nullptr;
    else if (name == "split") {
      st.op = Op::split, st.sep = s.at(1).as_string(), st.maxsplit = s.at(2).as_int();
      if (i + 1 < steps.size() && steps[i + 1].as_list().at(0).as_string() == "flatten") st.op = Op::split_flatten, ++i;
    } else if (name == "flatten") st.op = Op::flatten;
    else if (name == "lower") st.op = Op::lower;
    else if (name == "upper") st.op = Op::upper;
    else if (name == "strip") st.op = Op::strip, st.sep = s.at(1).as_string();
    else throw ValueError("bag: unknown text pipeline step " + steps[i].repr(100));
    out.push_back(std::move(st));
  }
  return out;
}

// Python's str.split(sep, maxsplit) with a non-empty separator.
template <class F>
void split_on(std::string_view s, std::string_view sep, std::int64_t maxsplit, F&& fn) {
  std::size_t i = 0;
  for (std::int64_t n = 0;; ++n) {
    std::size_t j = s.find(sep, i);
    if (j == std::string_view::npos || (maxsplit >= 0 && n == maxsplit)) return fn(s.substr(i));
    fn(s.substr(i, j - i));
    i = j + sep.size();
  }
}

template <class F>
void split(const Step& st, std::string_view s, F&& fn) {
  if (st.sep.empty()) for_each_word(s, st.maxsplit, fn);
  else split_on(s, st.sep, st.maxsplit, fn);
}

// The first index from i on that holds no space, tab or "\r" (JSON's
// whitespace within a line), or s.size().
std::size_t skip_blanks(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
  return i;
}

// A line as for_each_line gives it: without a last "\r".
std::string_view without_cr(std::string_view s) {
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

// a == b; keys of a record mostly differ in their first byte, which spares memcmp.
bool same_key(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || (a[0] == b[0] && std::memcmp(a.data(), b.data(), a.size()) == 0));
}

// doc[key] when doc is an object holding key; a repeated key: the last one wins.
bool find_last(dom::element doc, std::string_view key, dom::element& out) {
  dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) return false;
  bool have = false;
  for (dom::key_value_pair kv : obj)
    if (same_key(kv.key, key)) out = kv.value, have = true;
  return have;
}

// Runs the steps over items and counts what comes out.
class Runner {
 public:
  Runner(const ValueList& steps, const TextBlock& block, FrequencyTable& table)
      : steps_(compile(steps)), block_(block), table_(table) {}

  std::vector<Step>& steps() { return steps_; }

  /// The steps start with json_loads, pluck(a string key).
  bool plucks_json() const {
    return steps_.size() >= 2 && steps_[0].op == Op::json_loads && steps_[1].op == Op::pluck &&
           steps_[1].key.kind() == ValueKind::string;
  }

  /// Every line of `text` (the block) through the steps, as push(0, line)
  /// would, for plucks_json() steps: windows of lines are parsed as
  /// document streams, which spares simdjson's set-up and stage 1 per line.
  void push_json_lines(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t nl = text.find('\n', std::min(pos + kWindow, text.size()));
      std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
      std::string_view window = text.substr(pos, end - pos);
      for_each_line(window.substr(pluck_window(window)), [&](std::string_view line) { push(0, text_item(line, true)); });
      pos = end;
    }
  }

  void push(std::size_t i, Item&& item) {
    if (i == steps_.size()) return sink(std::move(item));
    Step& st = steps_[i];
    switch (st.op) {
      case Op::json_loads:
        if (item.kind == Item::Kind::text) return push(i + 1, Item{Item::Kind::json, item.text, item.in_block, {}});
        return push(i + 1, boxed_item(json_loads(box(std::move(item)).as_string())));
      case Op::pluck: {
        if (item.kind == Item::Kind::json && item.in_block && st.key.kind() == ValueKind::string) {
          Item out;
          if (fast_pluck(st, item.text, out)) return push(i + 1, std::move(out));
        }
        return push(i + 1, boxed_item(pluck_one(box(std::move(item)), st.key, st.default_value)));
      }
      case Op::split_flatten: {
        Value keep = box_if_needed(item);
        return split(st, view(item, keep), [&](std::string_view w) { push(i + 1, text_item(w)); });
      }
      case Op::split: {
        Value keep = box_if_needed(item);
        ValueList words;
        split(st, view(item, keep), [&](std::string_view w) { words.emplace_back(w); });
        return push(i + 1, boxed_item(Value(std::move(words))));
      }
      case Op::flatten: {
        Value x = box(std::move(item));
        if (x.kind() != ValueKind::list) throw TypeError("flatten: each element must be a list, got " + x.repr(200));
        for (const auto& y : x.as_list()) push(i + 1, boxed_item(y));
        return;
      }
      case Op::lower:
      case Op::upper: {
        Value keep = box_if_needed(item);
        st.scratch.assign(view(item, keep));
        const char from = st.op == Op::lower ? 'A' : 'a', to = st.op == Op::lower ? 'a' : 'A';
        for (auto& c : st.scratch)
          if (c >= from && c <= from + 25) c = static_cast<char>(c - from + to);
        return push(i + 1, text_item(st.scratch));
      }
      case Op::strip: {
        Value keep = box_if_needed(item);
        st.scratch.assign(python_strip(view(item, keep), st.sep));
        return push(i + 1, text_item(st.scratch));
      }
    }
  }

 private:
  void sink(Item&& item) {
    if (item.kind == Item::Kind::text) table_.add(item.text);
    else table_.add(box(std::move(item)));
  }

  // The element as a Value (what the unfused steps would have made).
  Value box(Item&& item) {
    switch (item.kind) {
      case Item::Kind::text: return Value(item.text);
      case Item::Kind::json:
        if (item.in_block)
          return json_simd::parse(json_simd::thread_parser(), item.text.data(), item.text.size(),
                                  block_.capacity_from(item.text.data()));
        return json_loads(item.text);
      case Item::Kind::boxed: return std::move(item.boxed);
    }
    return Value();
  }

  // A string step's input: text and JSON items are read in place, a boxed
  // Value must be a string (TypeError otherwise, as the unfused step).
  Value box_if_needed(Item& item) {
    if (item.kind == Item::Kind::text) return Value();
    Value v = box(std::move(item));
    (void)v.as_string();
    return v;
  }
  static std::string_view view(const Item& item, const Value& boxed) {
    return item.kind == Item::Kind::text ? item.text : std::string_view(boxed.as_string());
  }

  // json_loads(line)[key] with simdjson, in place. False when the line is
  // not an object holding the key, or simdjson refuses it: the caller then
  // takes the unfused way (json_loads, pluck), which gives the default, the
  // error, or the value nlohmann makes of it.
  bool fast_pluck(Step& st, std::string_view line, Item& out) {
    dom::element doc, found;
    if (!json_simd::parse_element(json_simd::thread_parser(), line.data(), line.size(),
                                  block_.capacity_from(line.data()), doc) ||
        !find_last(doc, st.key.as_string(), found))
      return false;
    out = plucked(found);
    if (out.kind == Item::Kind::text) {  // the steps after may parse with thread_parser() again
      st.scratch.assign(out.text);
      out.text = st.scratch;
    }
    return true;
  }

  // A window of whole lines (ending in "\n", or the block's last line)
  // through json_loads and pluck as one simdjson document stream. Returns
  // the bytes done: the stream stops at the first line that is not exactly
  // one object (blank, two documents, one spanning lines, anything simdjson
  // refuses), so that the caller takes the rest line by line.
  std::size_t pluck_window(std::string_view window) {
    dom::document_stream docs;
    // One batch (batch_size = the window): stage 1 runs once, and no stage-1 thread starts.
    if (json_simd::stream_parser().parse_many(window.data(), window.size(), window.size()).get(docs) !=
        simdjson::SUCCESS)
      return 0;
    const std::string& key = steps_[1].key.as_string();
    std::size_t pos = 0;  // where the current line starts
    for (auto it = docs.begin(); it != docs.end() && pos < window.size(); ++it) {
      std::size_t stop = std::min(window.find('\n', pos), window.size());  // where it ends
      std::size_t start = skip_blanks(window, pos);
      dom::element doc, found;
      if (start == stop || start != it.current_index() || window[start] != '{' || (*it).get(doc) != simdjson::SUCCESS)
        return pos;
      std::size_t end = start + it.source().size();  // after the object's "}"
      if (end > stop || skip_blanks(window, end) != stop) return pos;
      // A plucked string stays in stream_parser()'s memory, which no later step uses.
      if (find_last(doc, key, found)) push(2, plucked(found));
      else push(0, text_item(without_cr(window.substr(pos, stop - pos)), true));  // the default, or the error
      pos = std::min(stop + 1, window.size());
    }
    return pos;
  }

  // The element pluck makes of a JSON value: a string in place, else a Value.
  static Item plucked(dom::element value) {
    std::string_view s;
    if (value.get_string().get(s) == simdjson::SUCCESS) return text_item(s);
    return boxed_item(json_simd::to_value(value));
  }

  static constexpr std::size_t kWindow = 256 * 1024;  // bytes of lines per document stream

  std::vector<Step> steps_;
  const TextBlock& block_;
  FrequencyTable& table_;
};

// (source, steps) -> the frequencies partial of the partition's elements.
Value text_frequencies_chunk(const FunctionResolver&, std::span<const Value> a) {
  if (a.size() != 2) throw TypeError("bag.text_frequencies_chunk: expected 2 arguments, got " + std::to_string(a.size()));
  TextBlock block = read_source(a[0]);
  FrequencyTable table;
  Runner runner(a[1].as_list(), block, table);
  auto& steps = runner.steps();
  // Splitting on whitespace first: the whole block at once (line ends are whitespace).
  if (!steps.empty() && steps[0].op == Op::split_flatten && steps[0].sep.empty() && steps[0].maxsplit < 0) {
    if (steps.size() == 1)  // the word count: every word straight into the table (the block is padded)
      table.add_words_padded(block.text());
    else
      for_each_word(block.text(), -1, [&](std::string_view w) { runner.push(1, text_item(w)); });
  } else if (runner.plucks_json()) {
    runner.push_json_lines(block.text());
  } else {
    for_each_line(block.text(), [&](std::string_view line) { runner.push(0, text_item(line, true)); });
  }
  return table.to_partial();
}

}  // namespace

std::vector<KernelEntry> text_pipeline_kernels() {
  return {{"bag.text_frequencies_chunk", text_frequencies_chunk,
           "(source, steps) -> frequencies partial of read_text(source) through the steps"}};
}

}  // namespace tessera::bag
