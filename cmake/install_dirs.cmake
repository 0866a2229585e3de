# cmake/install_dirs.cmake: the library folder, before GNUInstallDirs picks its default.
#
# GNUInstallDirs chooses Debian's multiarch folder (lib/x86_64-linux-gnu) only when the build is
# configured for the prefix /usr. gum is configured for /usr/local and packaged for /usr
# (CPACK_PACKAGING_INSTALL_PREFIX), so without this the .deb put libgum_engine.a and the CMake
# package in /usr/lib. On a Debian system the default is lib/<multiarch triplet> for every
# prefix (ld.so and find_package search /usr/local/lib/<triplet> too); pass
# -DCMAKE_INSTALL_LIBDIR=DIR to choose another folder (a cached plain "lib" is taken as the old
# default and replaced).
if(CMAKE_LIBRARY_ARCHITECTURE AND EXISTS /etc/debian_version AND NOT CMAKE_CROSSCOMPILING)
  if(NOT DEFINED CACHE{CMAKE_INSTALL_LIBDIR} OR "$CACHE{CMAKE_INSTALL_LIBDIR}" STREQUAL "lib")
    set(CMAKE_INSTALL_LIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}" CACHE PATH
        "Object code libraries (lib/<multiarch triplet> on Debian)" FORCE)
  endif()
endif()
