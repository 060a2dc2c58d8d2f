# Cross build for 32-bit big-endian PowerPC (Linux), its tests run under qemu-user.
#
#   apt-get install g++-powerpc-linux-gnu qemu-user
#   cmake -S . -B build/ppc32 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/powerpc-linux-gnu.cmake
#   cmake --build build/ppc32 && (cd build/ppc32 && ctest -LE "interop|packaging")
# or, with the presets: cmake --preset ppc32 && cmake --build --preset ppc32 &&
# ctest --preset ppc32
#
# The other builds all run on x86-64: little-endian, 64-bit, with SSE2. This one checks that
# nothing depends on byte order or on the size of a pointer, and it takes the portable 8-byte
# word paths that SSE2 replaces on x86-64 (utf8.hpp, topic.hpp).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR powerpc)
set(CMAKE_CXX_COMPILER powerpc-linux-gnu-g++)
# ctest runs each test executable through this; scripts that start our programs themselves
# get it as MQTTCODEC_EMULATOR (tests/CMakeLists.txt).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-ppc -L /usr/powerpc-linux-gnu)
