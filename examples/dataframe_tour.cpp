// The seed's dataframe example, in C++:
//
//   df = dd.read_csv("2015-*-*.csv")
//   df.groupby(df.user_id).value.mean().compute()
//
// plus a filter, an index with known divisions and a loc that reads only
// the partitions that can hold its key.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "actors/tessera.hpp"

using namespace tessera;
namespace dd = tessera::dataframe;
namespace fs = std::filesystem;

int main() {
  const fs::path dir = fs::temp_directory_path() / ("tessera-dataframe-tour-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  // Three days of (user_id, value): user u's value on day d is 10 * d + u.
  for (int day = 1; day <= 3; ++day) {
    std::ofstream out(dir / ("2015-01-0" + std::to_string(day) + ".csv"));
    out << "user_id,value\n";
    for (int user = 1; user <= 4; ++user) out << user << "," << 10 * day + user << "\n";
  }

  auto df = dd::read_csv((dir / "2015-*-*.csv").string());
  Table means = df.groupby("user_id")["value"].mean().compute();
  std::cout << means << "\n";  // user u: (10 + 20 + 30) / 3 + u = 20 + u

  Table big = df[df["value"] > 30].compute();  // the third day only
  std::cout << big.num_rows() << " rows above 30\n";

  auto by_user = df.set_index("user_id", 2);  // divisions from sampled quantiles
  std::cout << "known divisions: " << std::boolalpha << by_user.known_divisions() << "\n";
  Table user3 = by_user.loc(Value(std::int64_t{3})).compute();  // reads one partition
  std::cout << user3 << "\n";

  fs::remove_all(dir);
  const bool ok = means.num_rows() == 4 && big.num_rows() == 4 && user3.num_rows() == 3;
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
