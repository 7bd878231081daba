# Installation, the Debian package, and the tests that check both. Included from the top-level
# CMakeLists.txt after every target is defined.
#
#   cmake --install build [--prefix DIR]     the program, desktop entry, icons, AppStream metadata,
#                                             man pages, bash completion, licence (FHS places)
#   scripts/package.sh                        the .deb (CPack, dependencies from dpkg-shlibdeps)
include(GNUInstallDirs)

set(OPTIVIZ_APP_ID io.github.optiviz.optiviz)  # reverse-DNS id shared by the desktop entry and AppStream
set(OPTIVIZ_PACKAGING_DIR ${CMAKE_CURRENT_SOURCE_DIR}/packaging)
# One man page per command; tests/packaging/check_install.cmake requires one for each subcommand
# that `optiviz --help` lists.
set(OPTIVIZ_MAN_PAGES optiviz optiviz-trace optiviz-render optiviz-sweep optiviz-basins optiviz-tune optiviz-list optiviz-train)
set(OPTIVIZ_ICON_SIZES 16 24 32 48 64 128 256 512)

install(TARGETS optiviz RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${OPTIVIZ_PACKAGING_DIR}/${OPTIVIZ_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${OPTIVIZ_PACKAGING_DIR}/${OPTIVIZ_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
# The scene file type (shared-mime-info), so that file managers offer optiviz for scenes; Debian's
# shared-mime-info trigger rebuilds the database when a package adds a file there.
install(FILES ${OPTIVIZ_PACKAGING_DIR}/${OPTIVIZ_APP_ID}.mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
        RENAME ${OPTIVIZ_APP_ID}.xml)
# The scene files' JSON Schema, for editors and validators (tests/packaging/check_scene_schema.sh).
install(FILES ${OPTIVIZ_PACKAGING_DIR}/optiviz-scene.schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/optiviz)
install(FILES ${OPTIVIZ_PACKAGING_DIR}/icons/optiviz.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
foreach(size ${OPTIVIZ_ICON_SIZES})
  install(FILES ${OPTIVIZ_PACKAGING_DIR}/icons/${size}x${size}/optiviz.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()
install(FILES ${OPTIVIZ_PACKAGING_DIR}/bash-completion/optiviz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)

# Man pages and the Debian changelog are installed gzip-compressed (-n: no name or time stamp, so
# the package is reproducible), as Debian policy asks. gzip is Essential on Debian.
find_program(GZIP_EXECUTABLE gzip REQUIRED)
set(compressed "")
foreach(page ${OPTIVIZ_MAN_PAGES})
  set(source ${OPTIVIZ_PACKAGING_DIR}/man/${page}.1)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/packaging/man/${page}.1.gz)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/packaging/man
    COMMAND sh -c "\"$0\" -9nc \"$1\" > \"$2\"" ${GZIP_EXECUTABLE} ${source} ${output}
    DEPENDS ${source} VERBATIM)
  list(APPEND compressed ${output})
  install(FILES ${output} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()
set(OPTIVIZ_MAINTAINER "optiviz developers <optiviz@users.noreply.github.com>" CACHE STRING
    "Maintainer of the .deb (name <email>), also the Debian changelog's signer")
# A .deb is built for one Debian release: its dependencies name that release's library packages
# (FFmpeg is libavcodec59 on Debian 12, libavcodec61 on Debian 13), so scripts/package.sh builds the
# package on the release it is for and marks the version with Debian's "+debN" suffix.
set(OPTIVIZ_DEB_VERSION_SUFFIX "" CACHE STRING "Appended to the .deb's version, e.g. +deb12 (scripts/package.sh sets it)")
set(OPTIVIZ_DEB_VERSION "${PROJECT_VERSION}${OPTIVIZ_DEB_VERSION_SUFFIX}")
configure_file(${OPTIVIZ_PACKAGING_DIR}/changelog.in ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog @ONLY)
set(changelog ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(OUTPUT ${changelog}
  COMMAND sh -c "\"$0\" -9nc \"$1\" > \"$2\"" ${GZIP_EXECUTABLE} ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog ${changelog}
  DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog VERBATIM)
install(FILES ${changelog} DESTINATION ${CMAKE_INSTALL_DOCDIR})
add_custom_target(optiviz_compressed_docs ALL DEPENDS ${compressed} ${changelog})

# ---- The Debian package (scripts/package.sh runs cpack). Library dependencies come from
# dpkg-shlibdeps; the rest are things the binary loads or reads without linking them:
#  - ImGui's OpenGL 3 backend dlopens libGL.so.1 (libgl1), which needs Mesa's GLX and DRI drivers
#    for a window; offscreen rendering (`optiviz render`) goes through libEGL.so.1 (libegl1; libepoxy
#    dlopens it, and the linker's --as-needed drops it from the binary), i.e. Mesa's libEGL_mesa
#    (libegl-mesa0) and the same DRI drivers (llvmpipe when there is no GPU).
#  - The UI font is DejaVu Sans (fonts-dejavu-core); without it ImGui's bitmap font lacks β, ∇, √.
# These package names exist in Debian 12 and Debian 13 alike; the libraries dpkg-shlibdeps finds do not.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME optiviz)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_VERSION ${OPTIVIZ_DEB_VERSION})
set(CPACK_PACKAGE_VENDOR "optiviz developers")
set(CPACK_PACKAGE_CONTACT "${OPTIVIZ_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "see how optimizers move on loss surfaces")
# CPack puts the summary above this as the synopsis line.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "optiviz runs PyTorch's optimizers (SGD, momentum, Nesterov, AdaGrad, RMSprop,
Adadelta, Adam, AdamW, Adamax, NAdam, RAdam) on two-dimensional loss surfaces
and shows where they go: as a map with contour lines, as a 3-D surface, beside
the data they fit, step by step with each optimizer's state and equations, and
as sweep and basin maps of thousands of runs. Its numbers match torch.optim's.
.
The command line draws the same pictures without a window (optiviz render)
and writes trajectories, sweeps and basin maps as CSV or PNG.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # optiviz_X.Y.Z+debN_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://github.com/optiviz/optiviz)  # as in the AppStream metadata
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libgl1, libglx-mesa0, libegl1, libegl-mesa0, libgl1-mesa-dri, fonts-dejavu-core")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
include(CPack)

# ---- Tests of the above
if(OPTIVIZ_BUILD_TESTS)
  add_test(NAME version_output COMMAND optiviz --version)
  set_tests_properties(version_output PROPERTIES
    PASS_REGULAR_EXPRESSION "^optiviz ${PROJECT_VERSION}( \\(git [0-9a-f]+\\))?\n$")

  find_program(DESKTOP_FILE_VALIDATE desktop-file-validate)
  find_program(APPSTREAMCLI appstreamcli)
  add_test(NAME install_tree COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${CMAKE_CURRENT_BINARY_DIR} -DPREFIX=${CMAKE_CURRENT_BINARY_DIR}/install-test
    -DAPP_ID=${OPTIVIZ_APP_ID} -DVERSION=${PROJECT_VERSION} "-DICON_SIZES=${OPTIVIZ_ICON_SIZES}"
    -DDESKTOP_FILE_VALIDATE=${DESKTOP_FILE_VALIDATE} -DAPPSTREAMCLI=${APPSTREAMCLI}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/tests/packaging/check_install.cmake)
  # Every option that `optiviz [SUBCOMMAND] --help` lists is documented in that command's man page.
  add_test(NAME man_pages_cover_options COMMAND ${CMAKE_COMMAND} -DAPP=$<TARGET_FILE:optiviz>
    -DMAN_DIR=${OPTIVIZ_PACKAGING_DIR}/man -P ${CMAKE_CURRENT_SOURCE_DIR}/tests/packaging/check_man_pages.cmake)
  find_program(BASH_EXECUTABLE bash)
  if(BASH_EXECUTABLE)
    add_test(NAME bash_completion COMMAND ${BASH_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/packaging/check_completion.sh
      ${OPTIVIZ_PACKAGING_DIR}/bash-completion/optiviz $<TARGET_FILE_DIR:optiviz>)
    # A saved scene is recognised as application/x-optiviz-scene+json, other JSON stays application/json.
    find_program(UPDATE_MIME_DATABASE update-mime-database)
    find_program(GIO_EXECUTABLE gio)
    if(UPDATE_MIME_DATABASE AND GIO_EXECUTABLE)
      add_test(NAME scene_mime_type COMMAND ${BASH_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/packaging/check_mime.sh
        ${OPTIVIZ_PACKAGING_DIR}/${OPTIVIZ_APP_ID}.mime.xml ${OPTIVIZ_PACKAGING_DIR}/${OPTIVIZ_APP_ID}.desktop
        $<TARGET_FILE:optiviz> ${CMAKE_CURRENT_BINARY_DIR}/mime-test ${CMAKE_CURRENT_SOURCE_DIR}/tests/data/saved_scene.json)
    endif()
    # Standard output on a full device: a non-zero status and one line, for every command.
    add_test(NAME stdout_full_device COMMAND ${BASH_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/packaging/check_full_device.sh
      $<TARGET_FILE:optiviz>)
  endif()
  target_sources(optiviz_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/tests/app/cli/test_version.cpp)
  target_compile_definitions(optiviz_tests PRIVATE OPTIVIZ_EXPECTED_VERSION="${PROJECT_VERSION}")
endif()
