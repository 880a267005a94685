#pragma once
// Python's fnmatch.fnmatchcase, what dask.bag's str.match uses on POSIX:
//   *  any run of characters (none included)     ?  one character
//   [seq]  one character in seq (a-z ranges)     [!seq]  one character not in seq
// A '[' without its ']' is an ordinary character; a ']' right after '[' or
// '[!' belongs to the set. Characters are UTF-8 code points; matching is
// case-sensitive and '/' is an ordinary character.
#include <string_view>

namespace tessera::bag {

/// True when all of `name` matches `pattern`.
bool fnmatch(std::string_view name, std::string_view pattern);

}  // namespace tessera::bag
