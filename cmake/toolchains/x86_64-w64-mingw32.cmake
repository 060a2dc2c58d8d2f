# Cross build for 64-bit Windows with MinGW-w64 (GCC, libstdc++), its tests run under Wine.
#
#   apt-get install g++-mingw-w64-x86-64-posix wine64
#   cmake -S . -B build/mingw64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/x86_64-w64-mingw32.cmake
#   cmake --build build/mingw64 && (cd build/mingw64 && ctest -LE "interop|packaging")
# or, with the presets: cmake --preset mingw64 && cmake --build --preset mingw64 &&
# ctest --preset mingw64
# Start `wineserver -p` first (scripts/test.sh does): without a running server each program
# run waits 2-3 s for the one it started to exit.
#
# Windows is LLP64: `long` has 32 bits where every other build here has 64 (or a 32-bit
# pointer beside it), and its C library is Microsoft's. This build checks that the library and
# its tests assume neither.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
# Static, so that Wine finds no DLL of the compiler's to load (libstdc++-6.dll, libgcc).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
# ctest runs each test executable through this; WINEDEBUG=-all keeps Wine's own messages out
# of the tests' output.
set(CMAKE_CROSSCOMPILING_EMULATOR env WINEDEBUG=-all wine)
