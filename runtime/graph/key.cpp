#include "runtime/graph/key.hpp"

#include <charconv>

#include "runtime/util/error.hpp"

namespace tessera {
namespace {

void check_name(std::string_view name) {
  if (name.empty()) throw ValueError("a key name must not be empty");
  if (name.find_first_of("'(),") != std::string_view::npos)
    throw ValueError("key name '" + std::string(name) +
                     "' must not contain quotes, parentheses or commas");
}

}  // namespace

Key::Key(std::string name) : repr_(std::move(name)) { check_name(repr_); }

Key::Key(std::string_view name, const std::vector<std::int64_t>& index) {
  check_name(name);
  if (index.empty()) {
    repr_ = std::string(name);
    return;
  }
  repr_.reserve(name.size() + 8 + index.size() * 4);
  repr_ += "('";
  repr_ += name;
  repr_ += '\'';
  for (auto i : index) {
    repr_ += ", ";
    repr_ += std::to_string(i);
  }
  repr_ += ')';
}

Key Key::from_string(std::string repr) {
  Key k;
  k.repr_ = std::move(repr);
  if (k.repr_.empty()) throw ValueError("empty key");
  return k;
}

std::string_view Key::name() const noexcept {
  std::string_view s = repr_;
  if (s.size() > 2 && s[0] == '(' && s[1] == '\'') {
    auto end = s.find('\'', 2);
    return s.substr(2, end - 2);
  }
  return s;
}

std::string_view Key::prefix() const noexcept {
  auto n = name();
  auto dash = n.rfind('-');
  return dash == std::string_view::npos ? n : n.substr(0, dash);
}

std::vector<std::int64_t> Key::index() const {
  std::vector<std::int64_t> out;
  std::string_view s = repr_;
  if (!(s.size() > 2 && s[0] == '(' && s[1] == '\'')) return out;
  auto pos = s.find('\'', 2) + 1;
  while (pos < s.size() && s[pos] == ',') {
    pos += 2;  // ", "
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), v);
    out.push_back(v);
    pos = static_cast<std::size_t>(p - s.data());
  }
  return out;
}

}  // namespace tessera
