#!/usr/bin/env bash
# Fails when a C++ file of the project is not formatted as .clang-format says.
# Exit 77 (ctest: skipped) when clang-format is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "SKIP: clang-format is not installed"; exit 77; }
if [ -d .git ] && command -v git >/dev/null; then
  files=$(git ls-files '*.hpp' '*.cpp' '*.h')
else
  files=$(find include tests fuzz bench examples -name '*.hpp' -o -name '*.cpp' | sort)
fi
bad=0
for f in $files; do
  [ -f "$f" ] || continue
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || { echo "not formatted: $f"; bad=1; }
done
[ $bad -eq 0 ] && echo "all $(echo "$files" | wc -w) files formatted"
exit $bad
