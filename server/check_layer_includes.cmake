# Fails when a file of a server layer includes server code outside what the
# layer may use (see server/CMakeLists.txt). Run as
#   cmake -DLAYER_CONFIG=<file setting LAYER, RULE, ALLOWED, FORBIDDEN,
#         FILES, ROOT> -DSTAMP=<file to touch on success> -P this_file
include(${LAYER_CONFIG})
set(bad "")
foreach(file IN LISTS FILES)
  file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"server/")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[^\"]*\"([^\"]*)\".*$" "\\1" included "${line}")
    if(NOT included MATCHES "${ALLOWED}" OR
       (NOT FORBIDDEN STREQUAL "" AND included MATCHES "${FORBIDDEN}"))
      file(RELATIVE_PATH relative ${ROOT} ${file})
      string(APPEND bad "\n  ${relative} includes ${included}")
    endif()
  endforeach()
endforeach()
if(NOT bad STREQUAL "")
  message(FATAL_ERROR "${LAYER}: ${RULE}; these includes break it:${bad}")
endif()
file(TOUCH ${STAMP})
