# Installing and packaging: `cpack -G DEB` in the build folder (scripts/package)
# makes two packages for the machine's architecture (arm64 on a Pi):
#   studio-kiosk   the kiosk binary, its unit (studio-kiosk.service), kiosk.conf, a udev
#                  rule that mounts USB sticks for exports, man page, docs
#   studio-server  the server binary, its unit, server.conf, man page, docs
# Assets, texts, demo data and migrations are compiled into the binaries.
# Maintainer scripts in packaging/{kiosk,server}/ create the service users and
# keep configuration (conffiles) and data (/var/lib, never touched) on upgrade and removal.

set(PKG ${CMAKE_SOURCE_DIR}/packaging)
set(GEN ${CMAKE_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${GEN})

# Debian wants compressed man pages and changelogs, reproducible (-n: no timestamp).
foreach(f studio-kiosk.1 studio-server.1 changelog)
  add_custom_command(OUTPUT ${GEN}/${f}.gz
    COMMAND gzip -9n -c ${PKG}/${f} > ${GEN}/${f}.gz
    DEPENDS ${PKG}/${f} VERBATIM)
endforeach()
add_custom_target(package_docs ALL DEPENDS ${GEN}/studio-kiosk.1.gz ${GEN}/studio-server.1.gz ${GEN}/changelog.gz)
configure_file(${PKG}/changelog ${GEN}/changelog.Debian COPYONLY)

foreach(c kiosk server)
  set(doc share/doc/studio-${c})
  install(FILES ${GEN}/studio-${c}.1.gz DESTINATION share/man/man1 COMPONENT ${c})
  install(FILES ${PKG}/copyright DESTINATION ${doc} COMPONENT ${c})
  install(FILES ${GEN}/changelog.gz DESTINATION ${doc} RENAME changelog.Debian.gz COMPONENT ${c})
  install(FILES README.md assets/${c}.conf.example DESTINATION ${doc} COMPONENT ${c})
  install(FILES ${PKG}/${c}/lintian-overrides DESTINATION share/lintian/overrides RENAME studio-${c} COMPONENT ${c})
endforeach()

install(TARGETS studio-kiosk RUNTIME DESTINATION bin COMPONENT kiosk)
install(FILES kiosk.service DESTINATION /lib/systemd/system RENAME studio-kiosk.service COMPONENT kiosk)
install(FILES assets/kiosk.conf.example DESTINATION /etc/studio-kiosk RENAME kiosk.conf COMPONENT kiosk)
install(FILES ${PKG}/90-studio-kiosk-usb.rules DESTINATION /lib/udev/rules.d COMPONENT kiosk)

install(TARGETS studio-server RUNTIME DESTINATION bin COMPONENT server)
install(FILES studio-server.service DESTINATION /lib/systemd/system COMPONENT server)
install(FILES assets/server.conf.example DESTINATION /etc/studio-server RENAME server.conf COMPONENT server)

# `install` (and so cpack) must not build every test first: scripts/package builds the two binaries.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME studio-kiosk)
set(CPACK_PACKAGE_VENDOR "Studio kiosk team")
set(CPACK_PACKAGE_CONTACT "Studio kiosk team <kiosk@studio-kiosk.org>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL kiosk server)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # libraries' packages from dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://studio-kiosk.org")

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME studio-kiosk)
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "adduser, fonts-dejavu-core, ca-certificates")
# CPack indents the long description itself; an empty line becomes " .".
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "check-in kiosk for stretching studios
A fullscreen touch kiosk for the studio entrance: clients check in by name,
phone digits or a scanned member code and see their session count and the
day's focus; coaches see today's group, managers export attendance.

Works offline for weeks (SQLite) and syncs with studio-server over HTTPS.
Runs on the console through KMS/DRM as studio-kiosk.service.")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    "${PKG}/kiosk/conffiles;${PKG}/kiosk/postinst;${PKG}/kiosk/prerm;${PKG}/kiosk/postrm")

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME studio-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser")
set(CPACK_COMPONENT_SERVER_DESCRIPTION "central server for studio check-in kiosks
The studios' central HTTPS service: devices and their tokens, clients,
passes, schedule, the day's focus and attendance, synced with every
studio-kiosk. Embedded SQLite; runs as studio-server.service.")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${PKG}/server/conffiles;${PKG}/server/postinst;${PKG}/server/prerm;${PKG}/server/postrm")

include(CPack)

# ---- tests: the units and the packages (ctest; label "packaging") ---------------------
add_test(NAME "packaging: both units pass systemd-analyze verify and score 2.5 or lower"
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/packaging/check_units.sh ${CMAKE_SOURCE_DIR}
                 $<TARGET_FILE:studio-kiosk> $<TARGET_FILE:studio-server>)
add_test(NAME "packaging: the .debs build, hold what an install needs, and lintian is clean"
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/packaging/check_debs.sh ${CMAKE_BINARY_DIR})
set_tests_properties("packaging: both units pass systemd-analyze verify and score 2.5 or lower"
                     "packaging: the .debs build, hold what an install needs, and lintian is clean"
                     PROPERTIES LABELS packaging TIMEOUT 600)
