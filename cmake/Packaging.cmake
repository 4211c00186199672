# `make package`: a Debian package of netius with CPack (build/netius_<version>_<arch>.deb).
# It holds what `make install` installs — the rules in CMakeLists.txt: the binary, its busybox
# links, the man pages and the completions — under /usr, plus the systemd units of
# dist/systemd/. Depends comes from dpkg-shlibdeps (Debian's dpkg-dev) run on the binary; with
# libpython linked statically, the Python standard library is only recommended: `serve wsgi`
# alone needs it, and says so when it is missing.

include(GNUInstallDirs)
# Units by file name, so a unit added to dist/systemd/ is packaged without editing this file.
file(GLOB NETIUS_SYSTEMD_UNITS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/dist/systemd/*.service
     ${PROJECT_SOURCE_DIR}/dist/systemd/*.socket)
install(FILES ${NETIUS_SYSTEMD_UNITS} DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/dist/haproxy/haproxy.cfg
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples RENAME haproxy.cfg)

# The package is made from an existing build (`make package` builds first): CPack's install
# step must not rebuild every target, tests included.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME netius)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "netius developers <netius@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "fast netius servers and network/crypto tools in one binary")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "netius serves HTTP (hello, static files, WSGI apps) and SMTP (Maildir server, relay)\n\
on one epoll engine, and fetches URLs, reads RSA keys, signs and verifies DKIM and hashes\n\
passwords. It keeps the names, defaults and formats of the Python netius tools.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # netius_0.1.0_amd64.deb
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# With libpython linked statically (cmake/EmbeddedPython.cmake) the embedded interpreter still
# needs its standard library and extension modules, but only `serve wsgi` starts it: the other
# commands run without them, so they are recommended (installed by default), not required.
if(NETIUS_PYTHON_DEB_RECOMMENDS)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "${NETIUS_PYTHON_DEB_RECOMMENDS}")
endif()
set(CPACK_STRIP_FILES ON)
include(CPack)
