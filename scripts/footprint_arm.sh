#!/usr/bin/env bash
# The 3.1.1 footprint (bench/footprint) on the instruction set most MQTT firmware runs on:
# bare-metal Arm Cortex-M, Thumb-2, newlib-nano. It builds footprint_v311, footprint_baseline
# and footprint_full with arm-none-eabi-g++ and the flags of the `footprint` target, prints
# their .text sizes and the codec's share, and names the C library functions the codec pulls
# in (counted in its share: a static firmware image links them). Not part of test.sh: the
# toolchain with its C++ library is about 2 GB.
#
#   apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib
#   scripts/footprint_arm.sh [CPU...]        (default: cortex-m4 cortex-m0plus)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v arm-none-eabi-g++ >/dev/null || {
  echo "arm-none-eabi-g++ not found: apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib" >&2
  exit 2
}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cpus=("$@")
[ ${#cpus[@]} -gt 0 ] || cpus=(cortex-m4 cortex-m0plus)
text() { arm-none-eabi-size -A "$1" | awk '$1 == ".text" { print $2 }'; }
functions() { arm-none-eabi-nm "$1" | awk '$2 ~ /^[tT]$/ { print $3 }' | sort -u; }
# C (and C++ runtime) functions the program $1 links that the baseline does not.
added() { comm -13 <(functions "$out/footprint_baseline.elf") <(functions "$out/$1.elf") |
          grep -v '^_Z' | tr '\n' ' ' | sed 's/ $//' || true; }
echo "$(arm-none-eabi-g++ --version | head -1)"
for cpu in "${cpus[@]}"; do
  for p in footprint_v311 footprint_baseline footprint_full; do
    # nosys.specs: stubs for read and write, which footprint_v311 and the baseline call.
    arm-none-eabi-g++ -mcpu="$cpu" -mthumb -std=c++17 -Os -ffunction-sections -fdata-sections \
      -fno-exceptions -fno-rtti -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wsign-conversion -Werror \
      -Iinclude "bench/footprint/$p.cpp" -Wl,--gc-sections --specs=nano.specs --specs=nosys.specs \
      -o "$out/$p.elf" 2> >(grep -v "is not implemented and will always fail" >&2)
  done
  v311=$(text "$out/footprint_v311.elf")
  base=$(text "$out/footprint_baseline.elf")
  full=$(text "$out/footprint_full.elf")
  added_v311=$(added footprint_v311)
  added_full=$(added footprint_full)
  echo "$cpu: footprint_v311 $v311 B, footprint_baseline $base B: 3.1.1-only codec $((v311 - base)) B;" \
       "whole codec (footprint_full $full B) $((full - base)) B; C library functions added:" \
       "${added_v311:-none} (3.1.1), ${added_full:-none} (whole codec)"
done
