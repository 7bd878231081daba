# `cmake --install` into a scratch prefix, then checks that every file a desktop installation needs
# is there and valid: the program (which must run from there), the desktop entry, the icons, the
# AppStream metadata, a man page for optiviz and for every subcommand its --help lists, the bash
# completion and the licence.
# Inputs: BUILD_DIR, PREFIX, APP_ID, VERSION, ICON_SIZES, DESKTOP_FILE_VALIDATE, APPSTREAMCLI.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE status OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed:\n${log}")
endif()

set(failures "")
macro(require_file path)
  if(NOT EXISTS "${PREFIX}/${path}" OR IS_DIRECTORY "${PREFIX}/${path}")
    list(APPEND failures "missing ${path}")
  endif()
endmacro()

# The program runs from the install tree and reports the version.
require_file(bin/optiviz)
execute_process(COMMAND "${PREFIX}/bin/optiviz" --version RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0 OR NOT out MATCHES "^optiviz ${VERSION}")
  list(APPEND failures "installed optiviz --version: status ${status}, output '${out}${err}'")
endif()

# Desktop entry: valid, and pointing at the installed program and icon.
set(desktop share/applications/${APP_ID}.desktop)
require_file(${desktop})
if(EXISTS "${PREFIX}/${desktop}")
  file(READ "${PREFIX}/${desktop}" text)
  foreach(line "Exec=optiviz %F" "Icon=optiviz" "Type=Application" "MimeType=application/x-optiviz-scene\\+json;text/csv;")
    if(NOT text MATCHES "\n${line}\n")
      list(APPEND failures "${desktop} lacks the line ${line}")
    endif()
  endforeach()
  if(DESKTOP_FILE_VALIDATE)
    execute_process(COMMAND "${DESKTOP_FILE_VALIDATE}" "${PREFIX}/${desktop}" RESULT_VARIABLE status
                    OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT status EQUAL 0 OR out MATCHES "error:|warning:")
      list(APPEND failures "desktop-file-validate: ${out}")
    endif()
  else()
    message(STATUS "desktop-file-validate not installed: the desktop entry is checked for its keys only")
  endif()
endif()

# Icons: the SVG and a PNG of each hicolor size, whose PNG header states that size.
require_file(share/icons/hicolor/scalable/apps/optiviz.svg)
foreach(size ${ICON_SIZES})
  set(png share/icons/hicolor/${size}x${size}/apps/optiviz.png)
  require_file(${png})
  if(EXISTS "${PREFIX}/${png}")
    file(READ "${PREFIX}/${png}" header LIMIT 24 HEX)
    math(EXPR expected "${size}" OUTPUT_FORMAT HEXADECIMAL)
    string(SUBSTRING "${header}" 32 16 dims)  # IHDR width and height, 4 bytes each, big-endian
    string(REGEX REPLACE "^0x" "" expected "${expected}")
    string(LENGTH "${expected}" length)
    math(EXPR pad "8 - ${length}")
    string(REPEAT "0" ${pad} zeros)
    set(word "${zeros}${expected}")
    if(NOT header MATCHES "^89504e470d0a1a0a" OR NOT dims STREQUAL "${word}${word}")
      list(APPEND failures "${png} is not a ${size}x${size} PNG (header ${header})")
    endif()
  endif()
endforeach()

# AppStream metadata: valid, about this program, and listing this version as a release.
set(metainfo share/metainfo/${APP_ID}.metainfo.xml)
require_file(${metainfo})
if(EXISTS "${PREFIX}/${metainfo}")
  file(READ "${PREFIX}/${metainfo}" text)
  if(NOT text MATCHES "<id>${APP_ID}</id>" OR NOT text MATCHES "<launchable type=\"desktop-id\">${APP_ID}.desktop</launchable>")
    list(APPEND failures "${metainfo} does not name ${APP_ID} and its desktop entry")
  endif()
  foreach(part "<developer_name>" "<url type=\"bugtracker\">" "<screenshot type=\"default\">" "<mediatype>application/x-optiviz-scene\\+json</mediatype>")
    if(NOT text MATCHES "${part}")
      list(APPEND failures "${metainfo} lacks ${part}")
    endif()
  endforeach()
  if(NOT text MATCHES "<release version=\"${VERSION}\"")
    list(APPEND failures "${metainfo} has no <release version=\"${VERSION}\">: add this version's release")
  endif()
  if(APPSTREAMCLI)
    execute_process(COMMAND "${APPSTREAMCLI}" validate --no-net "${PREFIX}/${metainfo}" RESULT_VARIABLE status
                    OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT status EQUAL 0)
      list(APPEND failures "appstreamcli validate: ${out}")
    endif()
  else()
    message(STATUS "appstreamcli not installed: the metainfo is checked for its id and release only")
  endif()
endif()

# Man pages: optiviz(1) and optiviz-COMMAND(1) for every subcommand the program lists.
execute_process(COMMAND "${PREFIX}/bin/optiviz" --help OUTPUT_VARIABLE help)
string(REGEX REPLACE ".*\nSubcommands:\n" "" commands_text "${help}")
string(REGEX REPLACE "\n\n.*" "" commands_text "${commands_text}")  # up to the examples
string(REGEX MATCHALL "(^|\n)  [a-z]+" commands "${commands_text}")
list(LENGTH commands count)
if(count LESS 1)
  list(APPEND failures "no subcommands found in optiviz --help")
endif()
require_file(share/man/man1/optiviz.1.gz)
foreach(command ${commands})
  string(STRIP "${command}" command)
  require_file(share/man/man1/optiviz-${command}.1.gz)
endforeach()

require_file(share/bash-completion/completions/optiviz)
require_file(share/mime/packages/${APP_ID}.xml)
require_file(share/doc/optiviz/copyright)
require_file(share/doc/optiviz/changelog.gz)

if(failures)
  list(JOIN failures "\n  " text)
  message(FATAL_ERROR "install tree in ${PREFIX}:\n  ${text}")
endif()
message(STATUS "install tree complete: ${PREFIX}")
