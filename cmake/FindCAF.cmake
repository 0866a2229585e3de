# CAF 0.17 (Debian's libcaf-dev) ships no CMake package: locate its headers and libraries and
# wrap them as the imported target CAF::core. Included by gum's own build and, installed next
# to it, by gumConfig.cmake, so that a project using find_package(gum) gets the same target.
#
# Hints: CAF_ROOT or CMAKE_PREFIX_PATH. gum is written against the CAF 0.17 API (atom
# constants, typed_actor::replies_to), which CAF 0.18 removed, so other versions are refused.
# Sets CAF_FOUND and CAF_VERSION. A missing or wrong CAF is a fatal error in gum's build; in
# gumConfig.cmake (which sets GUM_CAF_OPTIONAL) it only makes find_package(gum) fail cleanly.
if(NOT TARGET CAF::core)
  find_path(CAF_INCLUDE_DIR caf/all.hpp HINTS ${CAF_ROOT} PATH_SUFFIXES include)
  find_library(CAF_CORE_LIBRARY caf_core HINTS ${CAF_ROOT} PATH_SUFFIXES lib lib64)
  set(CAF_FOUND FALSE)
  set(CAF_VERSION "")
  if(CAF_INCLUDE_DIR AND CAF_CORE_LIBRARY AND EXISTS "${CAF_INCLUDE_DIR}/caf/config.hpp")
    file(STRINGS "${CAF_INCLUDE_DIR}/caf/config.hpp" _caf_version_line
         REGEX "^#define CAF_VERSION [0-9]+")
    string(REGEX REPLACE "^#define CAF_VERSION ([0-9]+).*" "\\1" _caf_version_number
           "${_caf_version_line}")
    if(_caf_version_number)
      math(EXPR _caf_major "${_caf_version_number} / 10000")
      math(EXPR _caf_minor "(${_caf_version_number} / 100) % 100")
      math(EXPR _caf_patch "${_caf_version_number} % 100")
      set(CAF_VERSION "${_caf_major}.${_caf_minor}.${_caf_patch}")
      if(_caf_major EQUAL 0 AND _caf_minor EQUAL 17)
        set(CAF_FOUND TRUE)
      endif()
    endif()
  endif()
  if(CAF_FOUND)
    add_library(CAF::core UNKNOWN IMPORTED)
    set_target_properties(CAF::core PROPERTIES IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
                          INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}")
  else()
    string(CONCAT CAF_NOT_FOUND_MESSAGE "CAF 0.17 was not found (headers: ${CAF_INCLUDE_DIR}, "
           "library: ${CAF_CORE_LIBRARY}, version: '${CAF_VERSION}'); install libcaf-dev 0.17 "
           "or set CAF_ROOT")
    if(NOT GUM_CAF_OPTIONAL)
      message(FATAL_ERROR "${CAF_NOT_FOUND_MESSAGE}")
    endif()
  endif()
else()
  set(CAF_FOUND TRUE)
endif()
