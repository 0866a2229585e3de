# cmake/packaging.cmake: the man page, the shell completions, and the Debian package (CPack DEB).
# Included once from the root CMakeLists.txt, after the gum target and its install rules.
#
# - The completion scripts are generated at build time by running the gum just built
#   (`gum completion bash|zsh|fish`), so they always match its command line.
# - The man page is man/gum.1, compressed (gzip -n: reproducible) as Debian policy wants.
# - One package, "gum", holds the binary, the man page, the completions, and the embedding kit
#   (libgum_engine.a, the headers, the CMake package). docs/packaging.md explains why there is
#   no -dev split. Runtime dependencies come from dpkg-shlibdeps (dpkg-dev); libcurl4 is added
#   by hand because gum dlopen()s it on the first GitHub request.
# - /usr/share/doc/gum holds the Debian copyright file (cmake/debian/copyright: gum's MIT
#   licence, and those of the SQLite, libyaml and Boost.JSON copies linked into the binary) and
#   changelog.gz (cmake/debian/changelog.in; a version without a Debian revision is a native
#   package, whose changelog lintian wants under that name). The lintian overrides explain the
#   embedded-library note that static linking earns.
# - The maintainer comes from the cache variables GUM_PACKAGE_MAINTAINER_NAME and
#   GUM_PACKAGE_MAINTAINER_EMAIL, so whoever ships the package names themselves.
# - The embedding kit goes to the multiarch library folder (/usr/lib/<triplet>): see
#   cmake/install_dirs.cmake, included before GNUInstallDirs.
# `make deb` builds, then runs `cpack -G DEB` in the build folder; tests/packaging_test.cpp
# runs lintian on the result.

set(GUM_SHARE_BUILD_DIR ${CMAKE_BINARY_DIR}/share)
set(GUM_COMPLETIONS
    ${GUM_SHARE_BUILD_DIR}/completions/gum.bash
    ${GUM_SHARE_BUILD_DIR}/completions/_gum
    ${GUM_SHARE_BUILD_DIR}/completions/gum.fish)
add_custom_command(
  OUTPUT ${GUM_COMPLETIONS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${GUM_SHARE_BUILD_DIR}/completions
  COMMAND sh -c "\"$1\" completion bash > \"$2\"" sh $<TARGET_FILE:gum> ${GUM_SHARE_BUILD_DIR}/completions/gum.bash
  COMMAND sh -c "\"$1\" completion zsh > \"$2\"" sh $<TARGET_FILE:gum> ${GUM_SHARE_BUILD_DIR}/completions/_gum
  COMMAND sh -c "\"$1\" completion fish > \"$2\"" sh $<TARGET_FILE:gum> ${GUM_SHARE_BUILD_DIR}/completions/gum.fish
  DEPENDS gum
  COMMENT "Generating shell completions with the built gum"
  VERBATIM)
add_custom_command(
  OUTPUT ${GUM_SHARE_BUILD_DIR}/man/gum.1.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${GUM_SHARE_BUILD_DIR}/man
  COMMAND sh -c "gzip -9 -n -c \"$1\" > \"$2\"" sh ${CMAKE_SOURCE_DIR}/man/gum.1 ${GUM_SHARE_BUILD_DIR}/man/gum.1.gz
  DEPENDS ${CMAKE_SOURCE_DIR}/man/gum.1
  COMMENT "Compressing the man page"
  VERBATIM)
add_custom_target(gum_share ALL DEPENDS ${GUM_COMPLETIONS} ${GUM_SHARE_BUILD_DIR}/man/gum.1.gz)

set(GUM_PACKAGE_MAINTAINER_NAME "gum maintainers" CACHE STRING
    "Name in the Maintainer field of the Debian package and its changelog")
set(GUM_PACKAGE_MAINTAINER_EMAIL "gum-maintainers@users.noreply.github.com" CACHE STRING
    "Address in the Maintainer field of the Debian package and its changelog")
set(GUM_PACKAGE_MAINTAINER "${GUM_PACKAGE_MAINTAINER_NAME} <${GUM_PACKAGE_MAINTAINER_EMAIL}>")
configure_file(${CMAKE_SOURCE_DIR}/cmake/debian/changelog.in ${GUM_SHARE_BUILD_DIR}/doc/changelog
               @ONLY)
add_custom_command(
  OUTPUT ${GUM_SHARE_BUILD_DIR}/doc/changelog.gz
  COMMAND sh -c "gzip -9 -n -c \"$1\" > \"$2\"" sh ${GUM_SHARE_BUILD_DIR}/doc/changelog ${GUM_SHARE_BUILD_DIR}/doc/changelog.gz
  DEPENDS ${GUM_SHARE_BUILD_DIR}/doc/changelog
  COMMENT "Compressing the Debian changelog"
  VERBATIM)
add_custom_target(gum_doc ALL DEPENDS ${GUM_SHARE_BUILD_DIR}/doc/changelog.gz)
install(FILES ${CMAKE_SOURCE_DIR}/cmake/debian/copyright ${GUM_SHARE_BUILD_DIR}/doc/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/cmake/debian/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME gum)

install(FILES ${GUM_SHARE_BUILD_DIR}/man/gum.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${GUM_SHARE_BUILD_DIR}/completions/gum.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME gum)
install(FILES ${GUM_SHARE_BUILD_DIR}/completions/_gum
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${GUM_SHARE_BUILD_DIR}/completions/gum.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# cpack and `ninja install` must not start a build of their own (the tests run cpack on a
# finished build folder): `make deb` and `make install` build first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gum)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "gum")
set(CPACK_PACKAGE_CONTACT "${GUM_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GUM_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "always-consistent index of Git projects, frecent dirs and GitHub repos")
# Lines under 80 columns (lintian: extended-description-line-too-long).
set(CPACK_PACKAGE_DESCRIPTION
    "gum keeps one SQLite database with the Git projects under your project
roots, the directories you use most, and the metadata of your GitHub
repositories, safe for any number of concurrent gum processes. It ships
shell hooks (gum init), completions for bash, zsh and fish, and a C++
library (libgum_engine.a and headers) to embed its actor engine.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Debian ships binaries stripped (lintian: unstripped-binary-or-object); the static library
# keeps its symbols, which install(TARGETS) never strips.
set(CPACK_STRIP_FILES ON)
# Merged with what dpkg-shlibdeps finds (libc6, libstdc++6, libcaf-core0.17, ...; SQLite,
# libyaml and Boost.JSON are linked statically by default, GUM_STATIC_DEPS). libcurl is
# dlopen()ed, so shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 | libcurl4t64")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "git")
# `--jq` dlopen()s libjq (cli/jq_loader.cpp), which shlibdeps cannot see either.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "git, libjq1")
# Only for embedding the engine (libgum_engine.a is static and links these).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "gh, libcaf-dev, libsqlite3-dev, libyaml-dev, libboost-json1.81-dev, libcurl4-openssl-dev, libutf8proc-dev")
include(CPack)
