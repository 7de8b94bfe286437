# The Debian package (docs/packaging.md): `cpack -G DEB` in a release build
# directory makes swasd_<version>_amd64.deb with
#   /usr/bin/swasd, /usr/bin/swasctl            stripped
#   /lib/systemd/system/swasd.service           User=swasd, StateDirectory=swasd
#   /etc/swasd/swasd.toml                       a conffile
# and maintainer scripts that create the swasd system user and
# /var/lib/swasd (postinst), stop the service (prerm), and on purge remove
# the store and the user (postrm). Depends come from dpkg-shlibdeps.
# scripts/package-test.sh installs it with dpkg and starts it from its
# installed files.
set(swasd_deb ${CMAKE_CURRENT_LIST_DIR}/deb)

install(TARGETS swasd swasctl RUNTIME DESTINATION bin)
# Absolute: Debian 12's systemd looks in /lib, and /etc is not under the
# /usr prefix.
install(FILES ${swasd_deb}/swasd.service DESTINATION /lib/systemd/system)
install(FILES ${swasd_deb}/swasd.toml DESTINATION /etc/swasd)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME swasd)
set(CPACK_PACKAGE_VENDOR "swasd")
set(CPACK_PACKAGE_CONTACT "swasd maintainers <swasd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Alibaba Cloud SWAS/ECS/VPC/RAM/STS API, self-hosted")
set(CPACK_PACKAGE_DESCRIPTION
    "swasd speaks Alibaba Cloud's Simple Application Server API (custom images and their
sharing to ECS) with the ECS, VPC, RAM and STS calls around it. Point the official
Alibaba SDKs at it for local and CI testing, or serve this API in a private cloud.
State is kept in SQLite (/var/lib/swasd) or PostgreSQL.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The maintainer scripts' addgroup/adduser/deluser.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${swasd_deb}/postinst ${swasd_deb}/prerm ${swasd_deb}/postrm ${swasd_deb}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
