# tests/layering_check.cmake: fails when a file includes a layer above its own (STYLE.md "Layers").
#
# Run by ctest as `cmake -DGUM_SOURCE_DIR=... -P layering_check.cmake`. Each folder may include
# only the folders below it: core/ (plain C++) <- net/ (libcurl) and storage/ (SQLite) <-
# actors/ (CAF) <- cli/, stress/. gum/messages.hpp and gum/options.hpp are CAF-free value headers
# any layer may include; gum/engine.hpp is actor-level. SQL stays in storage/: a string literal
# that starts with an SQL statement keyword outside it is a violation too. Every violation is
# listed, then the script fails.
cmake_minimum_required(VERSION 3.20)
if(NOT GUM_SOURCE_DIR)
  message(FATAL_ERROR "pass -DGUM_SOURCE_DIR=<the source tree>")
endif()

# folder -> regular expression matching an #include target it must not name.
set(forbidden_core    "^(storage|net|actors|cli|stress)/|^caf/|^sqlite3\\.h$|^curl/|^gum/engine\\.hpp$")
set(forbidden_net     "^(storage|actors|cli|stress)/|^caf/|^sqlite3\\.h$|^gum/engine\\.hpp$")
set(forbidden_storage "^(net|actors|cli|stress)/|^caf/|^curl/|^gum/engine\\.hpp$")
set(forbidden_actors  "^(cli|stress)/")
set(forbidden_stress  "^cli/")
set(forbidden_gum_values "^caf/|^gum/engine\\.hpp$")

set(violations "")
function(check_file file rule)
  file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*$" "\\1" target "${line}")
    if(target MATCHES "${rule}")
      file(RELATIVE_PATH rel "${GUM_SOURCE_DIR}" "${file}")
      set(violations "${violations}\n  ${rel}: #include ${target}" PARENT_SCOPE)
    endif()
  endforeach()
endfunction()

foreach(layer core net storage actors stress)
  file(GLOB_RECURSE sources "${GUM_SOURCE_DIR}/${layer}/*.cpp" "${GUM_SOURCE_DIR}/${layer}/*.hpp"
       "${GUM_SOURCE_DIR}/${layer}/*.h")
  foreach(source IN LISTS sources)
    check_file("${source}" "${forbidden_${layer}}")
  endforeach()
endforeach()
# SQL only in storage/ (STYLE.md): "SELECT ...", "INSERT ...", "PRAGMA ..." and the like.
set(sql_literal "\"(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|VACUUM)[ ;\"]")
foreach(layer core net actors cli)
  file(GLOB_RECURSE sources "${GUM_SOURCE_DIR}/${layer}/*.cpp" "${GUM_SOURCE_DIR}/${layer}/*.hpp")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" sql_lines REGEX "${sql_literal}")
    foreach(line IN LISTS sql_lines)
      file(RELATIVE_PATH rel "${GUM_SOURCE_DIR}" "${source}")
      string(STRIP "${line}" line)
      set(violations "${violations}\n  ${rel}: SQL outside storage/: ${line}")
    endforeach()
  endforeach()
endforeach()

foreach(header messages.hpp options.hpp)
  if(EXISTS "${GUM_SOURCE_DIR}/include/gum/${header}")
    check_file("${GUM_SOURCE_DIR}/include/gum/${header}" "${forbidden_gum_values}")
  endif()
endforeach()

if(violations)
  message(FATAL_ERROR "layering violations (an include pointing up, or SQL outside storage/):${violations}")
endif()
message(STATUS "layering: every include points down")
