#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages a task needs, only when something is missing.
# Usage: scripts/deps.sh demo|test
set -euo pipefail

demo=(cmake g++ make)
test=(cmake g++ make clang catch2 libbenchmark-dev pkg-config python3
      mosquitto mosquitto-clients python3-paho-mqtt libasio-dev binutils clang-format clang-tidy
      g++-powerpc-linux-gnu qemu-user doxygen)

case "${1:-}" in
  demo) want=("${demo[@]}") ;;
  test) want=("${test[@]}") ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
install() {
  echo "Installing: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

# The sanitizer and libFuzzer runtimes and libc++ must be those of the clang that `clang` runs, whose
# version is the distribution's (14 on Debian 12 and Ubuntu 22.04, 18 on Ubuntu 24.04, 19 on
# Debian 13): so clang comes first, and its major version names the runtime package.
if [ "${1}" = test ]; then
  installed clang || install clang
  clang_major=$(clang -dumpversion | cut -d. -f1)
  want+=("libclang-rt-$clang_major-dev" "libc++-$clang_major-dev" "libc++abi-$clang_major-dev")
fi

missing=()
for p in "${want[@]}"; do
  installed "$p" || missing+=("$p")
done
# Node.js may come from another source (e.g. a vendor build that bundles npm and conflicts with
# Debian's npm package): only ask Debian for it when the commands are missing.
if [ "${1}" = test ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
# Two more compilers, an older GCC and a newer clang (with its sanitizer runtimes) than Debian
# 12's, and MinGW-w64 with Wine for a Windows build, where the distribution packages them. They
# are optional: nothing about them may stop the tests (scripts/test.sh builds with the default
# compiler in place of a missing one, skips the Windows build without MinGW-w64 or Wine, and
# says so).
optional=()
if [ "${1}" = test ]; then
  for p in g++-11 clang-16 libclang-rt-16-dev g++-mingw-w64-x86-64-posix wine wine64; do
    installed "$p" || optional+=("$p")
  done
fi

if [ ${#missing[@]} -gt 0 ]; then
  install "${missing[@]}"
elif [ ${#optional[@]} -gt 0 ]; then
  $sudo apt-get update -qq || true
fi
for p in "${optional[@]}"; do
  # Read whole, not piped to `grep -q`: grep would exit at the match, apt-cache would get
  # SIGPIPE writing the rest, and under pipefail every package would look unpackaged.
  policy=$(apt-cache policy "$p" 2>/dev/null || true)
  if [[ $policy == *"Candidate: "* && $policy != *"Candidate: (none)"* ]]; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$p" ||
      echo "note: $p did not install; its test configuration is skipped"
  else
    echo "note: $p is not packaged for this distribution; its test configuration is skipped"
  fi
done
