# How `netius serve wsgi` gets CPython: the interface target `netius_python` (Python's and
# pybind11's headers plus libpython). Measured in docs/benchmarks.md ("How libpython is linked").
#
# NETIUS_PYTHON_LINK=static (default): Debian's libpython3.X.a, whole, in the executable — the
#   archive /usr/bin/python3 itself is linked from (libpython3.X-dev). Its objects are built with
#   profile feedback (PGO) and without -fPIC; libpython3.X.so and libpython3.X-pic.a are neither,
#   which costs 12-30% on Django and Flask pages. Non-PIC code needs a non-PIE executable
#   (-no-pie), like python3's. Extension modules (lib-dynload, dist-packages) resolve Python's
#   API in the executable, so it exports Python's symbols (Py*, _Py*: python-api.dynlist), the
#   ones python3 exports, and nothing else: a static OpenSSL (cmake/StaticLibs.cmake) must not
#   take the place of the libssl.so.3 that Python's _ssl and _hashlib load.
#   No libpython in NEEDED: commands other than `serve wsgi` do not pay for loading it.
# NETIUS_PYTHON_LINK=shared: libpython3.X.so (NEEDED), a PIE executable.
# Sanitized builds (NETIUS_SANITIZE) keep the shared library: they test correctness, not
# speed, and ASan wants a position-independent executable.
if(NETIUS_SANITIZE)
  set(_netius_python_link_default shared)
else()
  set(_netius_python_link_default static)
endif()
set(NETIUS_PYTHON_LINK ${_netius_python_link_default} CACHE STRING
    "How libpython is linked: static or shared")
set_property(CACHE NETIUS_PYTHON_LINK PROPERTY STRINGS static shared)

add_library(netius_python INTERFACE)
target_link_libraries(netius_python INTERFACE pybind11::pybind11)  # headers only

if(NETIUS_PYTHON_LINK STREQUAL "shared")
  target_link_libraries(netius_python INTERFACE Python::Python)
elseif(NETIUS_PYTHON_LINK STREQUAL "static")
  # The archive and the libraries it needs, as the interpreter's build recorded them.
  execute_process(
    COMMAND ${Python_EXECUTABLE} -c
            "import sysconfig as s; v = s.get_config_var; print(v('LIBPL') + '/' + v('LIBRARY')); print(' '.join(v(k) or '' for k in ('LIBS', 'SYSLIBS', 'MODLIBS')))"
    OUTPUT_VARIABLE _netius_py OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  string(REPLACE "\n" ";" _netius_py "${_netius_py}")
  list(GET _netius_py 0 NETIUS_PYTHON_ARCHIVE)
  list(GET _netius_py 1 _netius_py_libs)
  if(NOT EXISTS "${NETIUS_PYTHON_ARCHIVE}")
    message(FATAL_ERROR "NETIUS_PYTHON_LINK=static: ${NETIUS_PYTHON_ARCHIVE} is missing "
                        "(Debian package libpython3-dev; or configure with -DNETIUS_PYTHON_LINK=shared)")
  endif()
  separate_arguments(_netius_py_libs UNIX_COMMAND "${_netius_py_libs}")
  list(REMOVE_DUPLICATES _netius_py_libs)  # -lm -lz -lexpat -ldl
  if(NETIUS_STATIC_LIBS)  # the archives netius links its own zlib from, and expat's
    list(TRANSFORM _netius_py_libs REPLACE "^-l(z|expat)$" "netius_static_\\1")
  endif()
  add_library(netius_libpython_archive STATIC IMPORTED)
  set_target_properties(netius_libpython_archive PROPERTIES
                        IMPORTED_LOCATION "${NETIUS_PYTHON_ARCHIVE}")
  # Whole: extension modules call API functions netius itself never does.
  target_link_libraries(netius_python INTERFACE
                        "$<LINK_LIBRARY:WHOLE_ARCHIVE,netius_libpython_archive>" ${_netius_py_libs})
  target_link_options(netius_python INTERFACE -no-pie
                      LINKER:--dynamic-list=${CMAKE_CURRENT_LIST_DIR}/python-api.dynlist)
  set_property(TARGET netius_python APPEND PROPERTY INTERFACE_LINK_DEPENDS
               ${CMAKE_CURRENT_LIST_DIR}/python-api.dynlist)
  # `serve wsgi` needs the standard library and lib-dynload of the interpreter it embeds; the
  # package (cmake/Packaging.cmake) recommends them, since dpkg-shlibdeps cannot see that from a
  # static link.
  set(_netius_py_stdlib "libpython${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}-stdlib")
  execute_process(COMMAND dpkg-query -W -f=\${Version} ${_netius_py_stdlib}
                  OUTPUT_VARIABLE _netius_py_stdlib_version RESULT_VARIABLE _netius_dpkg
                  ERROR_QUIET)
  if(_netius_dpkg EQUAL 0 AND _netius_py_stdlib_version)
    set(NETIUS_PYTHON_DEB_RECOMMENDS "${_netius_py_stdlib} (>= ${_netius_py_stdlib_version})")
  else()
    set(NETIUS_PYTHON_DEB_RECOMMENDS "${_netius_py_stdlib}")
  endif()
  message(STATUS "Embedded Python: ${NETIUS_PYTHON_ARCHIVE} (static, non-PIE executables)")
else()
  message(FATAL_ERROR "NETIUS_PYTHON_LINK must be static or shared, not '${NETIUS_PYTHON_LINK}'")
endif()
