// Files that differ in MQTTCODEC_ASSERT, linked into one program in either order: the checked
// file keeps its checks. With one namespace for both, the linker kept one copy of each inline
// function, and which one depended on the link order (built at -O0, as a debug build is, so
// that the copies are calls).
#include <cstddef>
#include <cstdint>
#include <cstdio>

extern int precondition_failures;
std::uint8_t index_checked(std::size_t i);
std::uint8_t index_unchecked(std::size_t i);

int main() {
  const unsigned sum = index_unchecked(3) + index_checked(2);  // in bounds: no failure
  if (precondition_failures != 0) {
    std::printf("FAIL: a check failed on an index in bounds\n");
    return 1;
  }
  (void)index_checked(6);  // past the view's 4 bytes
  if (precondition_failures != 1) {
    std::printf("FAIL: the checked file's index past the end was not checked\n");
    return 1;
  }
  std::printf("ok: the checked file kept its check (%u)\n", sum);
  return 0;
}
