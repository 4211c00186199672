# How netius links its libraries: the interface targets `netius_libs` (OpenSSL, libsodium, c-ares,
# nghttp2, zlib, brotli) and `netius_logging` (spdlog and fmt), linked by netius_core. Measured
# in docs/benchmarks.md ("Start-up").
#
# NETIUS_STATIC_LIBS=ON (default): Debian's static archives of the C libraries (libssl-dev,
#   libsodium-dev... ship the .a beside the .so), so the dynamic loader neither maps them nor
#   resolves the executable's references into them at every start: `netius --version` starts
#   4-7 ms (a third) sooner. libpython's own -lz and -lexpat (cmake/EmbeddedPython.cmake)
#   become archives too. The cost is Debian's for every static link: a security update of those
#   libraries needs a rebuild of netius, as one of libpython3.X already does.
# NETIUS_STATIC_LIBS=OFF: the shared libraries, found in NEEDED by dpkg-shlibdeps. The default
#   for sanitized and fuzz builds, which test correctness, not start-up.
# NETIUS_STATIC_CXX=ON (default OFF): spdlog and fmt header-only (Debian ships no archive of
#   them) and libstdc++ and libgcc linked statically, so that netius needs only libc and libm:
#   another 2-3 ms (a third) off `netius --version`. Off by default because header-only spdlog
#   and fmt double the compile time of every file that includes them, which is most of them.
if(NETIUS_SANITIZE OR NETIUS_FUZZ)
  set(_netius_static_libs_default OFF)
else()
  set(_netius_static_libs_default ON)
endif()
option(NETIUS_STATIC_LIBS "Link OpenSSL, libsodium, c-ares, nghttp2, zlib and brotli statically"
       ${_netius_static_libs_default})

option(NETIUS_STATIC_CXX "Compile spdlog and fmt in and link libstdc++ statically" OFF)

add_library(netius_logging INTERFACE)
if(NETIUS_STATIC_CXX)
  if(NETIUS_SANITIZE)
    message(FATAL_ERROR "NETIUS_STATIC_CXX: the sanitizers need the shared libstdc++")
  endif()
  # Debian's spdlog_header_only target links the shared fmt: the header-only one instead.
  set_target_properties(spdlog::spdlog_header_only PROPERTIES
                        INTERFACE_LINK_LIBRARIES "Threads::Threads;fmt::fmt-header-only")
  target_link_libraries(netius_logging INTERFACE spdlog::spdlog_header_only fmt::fmt-header-only)
  target_link_options(netius_logging INTERFACE -static-libstdc++ -static-libgcc)
else()
  target_link_libraries(netius_logging INTERFACE spdlog::spdlog fmt::fmt)
endif()

add_library(netius_libs INTERFACE)
if(NOT NETIUS_STATIC_LIBS)
  target_link_libraries(netius_libs INTERFACE OpenSSL::SSL OpenSSL::Crypto PkgConfig::SODIUM
                        PkgConfig::CARES PkgConfig::NGHTTP2 ZLIB::ZLIB PkgConfig::URING)
  if(BROTLIDEC_FOUND)
    target_link_libraries(netius_libs INTERFACE PkgConfig::BROTLIDEC)
  endif()
  return()
endif()

# netius_static_<name>: an imported target for lib<name>.a, with the headers of `shared` (the
# target find_package or pkg-config made for the shared library) and the libraries it needs.
function(netius_static_archive name shared)
  find_library(NETIUS_${name}_ARCHIVE NAMES lib${name}.a)
  if(NOT NETIUS_${name}_ARCHIVE)
    message(FATAL_ERROR "NETIUS_STATIC_LIBS: lib${name}.a is missing (the -dev package ships "
                        "it; or configure with -DNETIUS_STATIC_LIBS=OFF)")
  endif()
  add_library(netius_static_${name} STATIC IMPORTED)
  set_target_properties(netius_static_${name} PROPERTIES IMPORTED_LOCATION
                        "${NETIUS_${name}_ARCHIVE}" INTERFACE_LINK_LIBRARIES "${ARGN}")
  if(shared)
    get_target_property(includes ${shared} INTERFACE_INCLUDE_DIRECTORIES)
    if(includes)
      set_target_properties(netius_static_${name} PROPERTIES
                            INTERFACE_INCLUDE_DIRECTORIES "${includes}")
    endif()
  endif()
endfunction()

find_package(Threads REQUIRED)
netius_static_archive(crypto OpenSSL::Crypto Threads::Threads ${CMAKE_DL_LIBS})
netius_static_archive(ssl OpenSSL::SSL netius_static_crypto)
netius_static_archive(sodium PkgConfig::SODIUM Threads::Threads)
netius_static_archive(cares PkgConfig::CARES)
netius_static_archive(nghttp2 PkgConfig::NGHTTP2)
netius_static_archive(z ZLIB::ZLIB)
netius_static_archive(uring PkgConfig::URING)
netius_static_archive(expat "")  # libpython's pyexpat (cmake/EmbeddedPython.cmake)
target_link_libraries(netius_libs INTERFACE netius_static_ssl netius_static_crypto
                      netius_static_sodium netius_static_cares netius_static_nghttp2 netius_static_z
                      netius_static_uring)
if(BROTLIDEC_FOUND)
  netius_static_archive(brotlicommon "")
  netius_static_archive(brotlidec PkgConfig::BROTLIDEC netius_static_brotlicommon)
  target_link_libraries(netius_libs INTERFACE netius_static_brotlidec)
endif()
message(STATUS "Static archives: OpenSSL, libsodium, c-ares, nghttp2, zlib, liburing, brotli "
               "(NETIUS_STATIC_LIBS)")
