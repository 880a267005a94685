#include "collections/bag/text_pipeline.hpp"

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

// Runs the steps over items and counts what comes out.
class Runner {
 public:
  Runner(const ValueList& steps, const TextBlock& block, FrequencyTable& table)
      : steps_(compile(steps)), block_(block), table_(table) {}

  std::vector<Step>& steps() { return steps_; }

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
    dom::element doc;
    dom::object obj;
    if (!json_simd::parse_element(json_simd::thread_parser(), line.data(), line.size(),
                                  block_.capacity_from(line.data()), doc) ||
        doc.get_object().get(obj) != simdjson::SUCCESS)
      return false;
    const std::string& key = st.key.as_string();
    dom::element found;
    bool have = false;
    for (dom::key_value_pair kv : obj)  // a repeated key: the last one wins
      if (kv.key == key) found = kv.value, have = true;
    if (!have) return false;
    std::string_view s;
    if (found.get_string().get(s) == simdjson::SUCCESS) {
      st.scratch.assign(s);
      out = text_item(st.scratch);
    } else {
      out = boxed_item(json_simd::to_value(found));
    }
    return true;
  }

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
    if (steps.size() == 1)  // the word count: every word straight into the table
      for_each_word(block.text(), -1, [&](std::string_view w) { table.add(w); });
    else
      for_each_word(block.text(), -1, [&](std::string_view w) { runner.push(1, text_item(w)); });
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
