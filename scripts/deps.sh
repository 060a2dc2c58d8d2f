#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages a task needs, only when something is missing.
# Usage: scripts/deps.sh demo|test
set -euo pipefail

demo=(cmake g++ make)
test=(cmake g++ make clang libclang-rt-14-dev catch2 libbenchmark-dev pkg-config python3
      mosquitto mosquitto-clients python3-paho-mqtt libasio-dev binutils clang-format)

case "${1:-}" in
  demo) want=("${demo[@]}") ;;
  test) want=("${test[@]}") ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from another source (e.g. a vendor build that bundles npm and conflicts with
# Debian's npm package): only ask Debian for it when the commands are missing.
if [ "${1}" = test ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
