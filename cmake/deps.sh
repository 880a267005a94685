# shellcheck shell=bash
# The Debian packages Tessera builds with: the one list, sourced by ./run and ./test.
# tessera_ensure_deps installs the missing ones (as root) or names them and fails.

TESSERA_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libcaf-dev libboost-dev libcereal-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libxxhash-dev libabsl-dev libcli11-dev
  libfast-float-dev libsimdjson-dev libopenblas-dev libzstd-dev zlib1g-dev
  libreadline-dev libmimalloc-dev python3
  libssl-dev openssl
  clang libclang-rt-14-dev
  chromium  # the dashboard's browser test (tests/tools/dashboard_browser_test.cpp)
)

# Prints the packages of TESSERA_PACKAGES that dpkg does not report as installed.
tessera_missing_packages() {
  local pkg status
  for pkg in "${TESSERA_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "installed" ]]; then
      printf '%s\n' "$pkg"
    fi
  done
}

tessera_ensure_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "tessera: dpkg-query not found (not Debian/Ubuntu?); not checking packages:" >&2
    echo "  ${TESSERA_PACKAGES[*]}" >&2
    return 0
  fi
  local missing
  mapfile -t missing < <(tessera_missing_packages)
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  if [[ "$(id -u)" != 0 ]]; then
    echo "tessera: missing Debian packages: ${missing[*]}" >&2
    echo "tessera: install them as root with:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "tessera: installing missing packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
}

# The number of parallel jobs: TESSERA_JOBS, or every core.
tessera_jobs() {
  echo "${TESSERA_JOBS:-$(nproc 2>/dev/null || echo 2)}"
}

# tessera_configure BUILD_DIR CMAKE_ARGS...: configures BUILD_DIR once (Ninja when
# present, ccache when present; re-running cmake on an existing tree keeps its generator).
tessera_configure() {
  local dir=$1
  shift
  local gen=()
  if [[ ! -f "$dir/CMakeCache.txt" ]] && command -v ninja >/dev/null 2>&1; then
    gen=(-G Ninja)
  fi
  cmake -S . -B "$dir" "${gen[@]}" "$@"
}

# ccache: share hits between checkouts of the tree in different directories.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
