#include "collections/bag/json_simd.hpp"

#include "collections/bag/json.hpp"

namespace tessera::bag::json_simd {
namespace {

namespace dom = simdjson::dom;

// Integers beyond 64 bits are refused by simdjson already; the rest converts.
Value convert(dom::element e) {
  switch (e.type()) {
    case dom::element_type::NULL_VALUE: return Value();
    case dom::element_type::BOOL: return Value(e.get_bool().value_unsafe());
    case dom::element_type::INT64: return Value(e.get_int64().value_unsafe());
    case dom::element_type::UINT64: {
      std::uint64_t u = e.get_uint64().value_unsafe();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) return Value(static_cast<std::int64_t>(u));
      return Value(static_cast<double>(u));
    }
    case dom::element_type::DOUBLE: return Value(e.get_double().value_unsafe());
    case dom::element_type::STRING: return Value(e.get_string().value_unsafe());
    case dom::element_type::ARRAY: {
      dom::array a;
      if (e.get_array().get(a) != simdjson::SUCCESS) return Value();
      ValueList out;
      out.reserve(a.size());
      for (dom::element x : a) out.push_back(convert(x));
      return Value(std::move(out));
    }
    case dom::element_type::OBJECT: {
      dom::object o;
      if (e.get_object().get(o) != simdjson::SUCCESS) return Value();
      ValueDict out;
      for (dom::key_value_pair kv : o) out.insert_or_assign(std::string(kv.key), convert(kv.value));
      return Value(std::move(out));
    }
  }
  return Value();
}

}  // namespace

Value to_value(dom::element e) { return convert(e); }

bool parse_element(dom::parser& parser, const char* p, std::size_t len, std::size_t capacity, dom::element& out) {
  if (capacity < len + simdjson::SIMDJSON_PADDING) return false;
  return parser.parse(p, len, false).get(out) == simdjson::SUCCESS;
}

Value parse(dom::parser& parser, const char* p, std::size_t len, std::size_t capacity) {
  dom::element e;
  if (parse_element(parser, p, len, capacity, e)) return convert(e);
  return json_loads_reference(std::string_view(p, len));
}

dom::parser& thread_parser() {
  thread_local dom::parser parser;
  return parser;
}

dom::parser& stream_parser() {
  thread_local dom::parser parser;
  return parser;
}

}  // namespace tessera::bag::json_simd
