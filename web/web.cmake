# The browser build (emcmake, see scripts/build-web.sh): the same core, render, ui and app sources as
# the desktop window, compiled to WebAssembly + WebGL2 by Debian's emscripten. Sources are globbed so
# a file added for the desktop is in the browser build too; what the browser lacks (cairo, FFmpeg,
# EGL, GTK, threads) is replaced behind the existing seams by the *_web.cpp files, and the desktop
# file they stand in for is left out here. Included from CMakeLists.txt when EMSCRIPTEN is set.
# Two variants from the same sources, each from its own build folder (scripts/build-web.sh): without
# threads (optiviz.js/.wasm, for any page) and with them (OPTIVIZ_WEB_THREADS: -pthread,
# optiviz-mt.js/.wasm/.worker.js, the desktop's worker pool on Web Workers, for a cross-origin-
# isolated page). web/page.js loads the one the page allows; both go into one site folder.
option(OPTIVIZ_WEB_THREADS "Build the threaded variant (optiviz-mt) for cross-origin-isolated pages" OFF)
set(OPTIVIZ_WEB_SITE_DIR "${CMAKE_CURRENT_BINARY_DIR}/www" CACHE PATH "The site folder the page and the build's output go to")
if(OPTIVIZ_WEB_THREADS)
  set(OPTIVIZ_WEB_NAME optiviz-mt)
  # Every object of a threaded module needs atomics and shared memory.
  add_compile_options(-pthread)
else()
  set(OPTIVIZ_WEB_NAME optiviz)
endif()
set(OPTIVIZ_IMGUI_DIR "" CACHE PATH "Dear ImGui's sources with backends/ (Debian: apt-get source imgui)")
if(NOT EXISTS "${OPTIVIZ_IMGUI_DIR}/imgui.cpp" OR NOT EXISTS "${OPTIVIZ_IMGUI_DIR}/backends/imgui_impl_glfw.cpp")
  message(FATAL_ERROR "OPTIVIZ_IMGUI_DIR must hold Dear ImGui's sources (scripts/build-web.sh fetches them)")
endif()
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
# Header-only libraries from /usr/include, each through a folder of its own so the host's libc
# headers never reach the WebAssembly compiler.
set(OPTIVIZ_WEB_INCLUDE ${CMAKE_CURRENT_BINARY_DIR}/web-include)
file(MAKE_DIRECTORY ${OPTIVIZ_WEB_INCLUDE})
file(CREATE_LINK /usr/include/nlohmann ${OPTIVIZ_WEB_INCLUDE}/nlohmann SYMBOLIC)

# The app reports bad input by exceptions: catching them needs -fexceptions when compiling and linking.
add_compile_options(-fexceptions "$<$<COMPILE_LANGUAGE:CXX>:SHELL:-include ${CMAKE_CURRENT_SOURCE_DIR}/web/cxx_compat.h>")
add_library(optiviz_warnings INTERFACE)
# clang 14 also warns on `&` between bools, which the fused kernels use on purpose (no branches),
# and on unused constants, which GCC (the desktop's compiler, which checks them) does not.
target_compile_options(optiviz_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                       -Wno-bitwise-instead-of-logical -Wno-unused-const-variable -ffp-contract=off $<$<BOOL:${OPTIVIZ_WERROR}>:-Werror>)

add_library(optiviz_imgui STATIC
  ${OPTIVIZ_IMGUI_DIR}/imgui.cpp ${OPTIVIZ_IMGUI_DIR}/imgui_draw.cpp ${OPTIVIZ_IMGUI_DIR}/imgui_tables.cpp
  ${OPTIVIZ_IMGUI_DIR}/imgui_widgets.cpp
  ${OPTIVIZ_IMGUI_DIR}/misc/cpp/imgui_stdlib.cpp
  ${OPTIVIZ_IMGUI_DIR}/backends/imgui_impl_glfw.cpp ${OPTIVIZ_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(optiviz_imgui SYSTEM PUBLIC ${OPTIVIZ_IMGUI_DIR} ${OPTIVIZ_IMGUI_DIR}/misc/cpp)
target_compile_definitions(optiviz_imgui PUBLIC IMGUI_IMPL_OPENGL_ES3)

set(S ${CMAKE_CURRENT_SOURCE_DIR}/src)
# Generated sources, made as CMakeLists.txt makes them for the desktop.
file(GLOB OPTIVIZ_DATASET_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/assets/datasets/*.csv)
set(OPTIVIZ_EMBEDDED_DATASETS ${CMAKE_CURRENT_BINARY_DIR}/generated/embedded_datasets.cpp)
add_custom_command(
  OUTPUT ${OPTIVIZ_EMBEDDED_DATASETS}
  COMMAND ${CMAKE_COMMAND} -DDATASET_DIR=${CMAKE_CURRENT_SOURCE_DIR}/assets/datasets -DOUTPUT=${OPTIVIZ_EMBEDDED_DATASETS}
          -P ${S}/core/models/embed_datasets.cmake
  DEPENDS ${OPTIVIZ_DATASET_FILES} ${S}/core/models/embed_datasets.cmake)
file(GLOB OPTIVIZ_SHADERS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/shaders/*.vert ${CMAKE_CURRENT_SOURCE_DIR}/shaders/*.frag)
set(OPTIVIZ_EMBEDDED_SHADERS ${CMAKE_CURRENT_BINARY_DIR}/generated/embedded_shaders.cpp)
set(OPTIVIZ_VERSION_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/version.cpp)
add_custom_target(optiviz_version_stamp
  COMMAND ${CMAKE_COMMAND} -DVERSION=${PROJECT_VERSION} -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}
          -DOUTPUT=${OPTIVIZ_VERSION_CPP} -P ${CMAKE_CURRENT_SOURCE_DIR}/packaging/version.cmake
  BYPRODUCTS ${OPTIVIZ_VERSION_CPP})
file(GLOB_RECURSE OPTIVIZ_WEB_CORE CONFIGURE_DEPENDS ${S}/core/*.cpp)
list(REMOVE_ITEM OPTIVIZ_WEB_CORE ${S}/core/runtime/worker_pool.cpp ${S}/core/runtime/sanitizer_options.cpp)
list(FILTER OPTIVIZ_WEB_CORE EXCLUDE REGEX "_web\\.cpp$")
if(OPTIVIZ_WEB_THREADS)
  set(OPTIVIZ_WEB_POOL ${S}/core/runtime/worker_pool.cpp)  # the desktop's pool, its threads Web Workers
else()
  set(OPTIVIZ_WEB_POOL ${S}/core/runtime/worker_pool_web.cpp)
endif()
add_library(optiviz_core STATIC ${OPTIVIZ_WEB_CORE} ${OPTIVIZ_WEB_POOL} ${OPTIVIZ_EMBEDDED_DATASETS})
target_include_directories(optiviz_core PUBLIC ${S})
target_include_directories(optiviz_core SYSTEM PUBLIC ${OPTIVIZ_WEB_INCLUDE})
target_link_libraries(optiviz_core PUBLIC Eigen3::Eigen PRIVATE optiviz_warnings)
target_compile_options(optiviz_core PRIVATE -fno-math-errno)
target_compile_definitions(optiviz_core PUBLIC OPTIVIZ_NO_MULTIVERSION)
# The data sets are long string literals; clang's -Wpedantic counts their length, GCC's does not.
set_source_files_properties(${OPTIVIZ_EMBEDDED_DATASETS} PROPERTIES COMPILE_OPTIONS -Wno-overlength-strings)
set_source_files_properties(${S}/core/optimizers/fused_ensemble.cpp ${S}/core/optimizers/fused_ensemble_multimodal.cpp
                            ${S}/core/optimizers/fused_ensemble_polynomials.cpp ${S}/core/optimizers/fused_ensemble_high_degree.cpp
                            PROPERTIES COMPILE_OPTIONS -fno-trapping-math)

# Shaders in GLSL ES 3.00, made from the same files at embed time (GLSL_ES below).
add_custom_command(
  OUTPUT ${OPTIVIZ_EMBEDDED_SHADERS}
  COMMAND ${CMAKE_COMMAND} -DSHADER_DIR=${CMAKE_CURRENT_SOURCE_DIR}/shaders -DOUTPUT=${OPTIVIZ_EMBEDDED_SHADERS} -DGLSL_ES=ON
          -P ${S}/render/embed_shaders.cmake
  DEPENDS ${OPTIVIZ_SHADERS} ${S}/render/embed_shaders.cmake
  COMMENT "Embedding shaders (GLSL ES 3.00)")
file(GLOB OPTIVIZ_WEB_RENDER CONFIGURE_DEPENDS ${S}/render/*.cpp)
list(REMOVE_ITEM OPTIVIZ_WEB_RENDER ${S}/render/offscreen_context.cpp ${S}/render/video_encoder.cpp
     ${S}/render/texture_readback.cpp)
add_library(optiviz_render STATIC ${OPTIVIZ_WEB_RENDER} ${OPTIVIZ_EMBEDDED_SHADERS})
target_include_directories(optiviz_render SYSTEM PRIVATE /usr/include/stb)
target_link_libraries(optiviz_render PUBLIC optiviz_core PRIVATE optiviz_warnings)

file(GLOB_RECURSE OPTIVIZ_WEB_UI CONFIGURE_DEPENDS ${S}/ui/*.cpp)
list(REMOVE_ITEM OPTIVIZ_WEB_UI ${S}/ui/canvas/cairo_canvas.cpp)
add_library(optiviz_ui STATIC ${OPTIVIZ_WEB_UI})
target_link_libraries(optiviz_ui PUBLIC optiviz_core optiviz_imgui PRIVATE optiviz_warnings)
target_include_directories(optiviz_ui SYSTEM PRIVATE /usr/include/stb)  # the SVG canvas embeds PNGs

# The app without the command line (the page has none): web_main.cpp opens the window with the
# scene the page's address names.
file(GLOB_RECURSE OPTIVIZ_WEB_APP CONFIGURE_DEPENDS ${S}/app/*.cpp)
list(REMOVE_ITEM OPTIVIZ_WEB_APP ${S}/app/main.cpp ${S}/app/cli/cli.cpp
     ${S}/app/cli/train_command.cpp ${S}/app/cli/render_command.cpp ${S}/app/cli/sweep_command.cpp ${S}/app/cli/tune_command.cpp
     ${S}/app/cli/animate_command.cpp)
list(FILTER OPTIVIZ_WEB_APP EXCLUDE REGEX "/web_[a-z_]*\\.cpp$")
add_library(optiviz_app STATIC ${OPTIVIZ_WEB_APP} ${OPTIVIZ_VERSION_CPP})
target_link_libraries(optiviz_app PUBLIC optiviz_ui optiviz_render optiviz_imgui PRIVATE optiviz_warnings)
add_dependencies(optiviz_app optiviz_version_stamp)

add_executable(optiviz ${S}/app/window/web_main.cpp)
target_link_libraries(optiviz PRIVATE optiviz_app optiviz_warnings)
set(OPTIVIZ_FONT /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf)
target_link_options(optiviz PRIVATE -fexceptions -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB
  -sEXPORTED_RUNTIME_METHODS=FS,ccall,UTF8ToString -sEXPORTED_FUNCTIONS=_main,_free,_malloc
  --preload-file ${OPTIVIZ_FONT}@${OPTIVIZ_FONT})
set(OPTIVIZ_WEB_OUTPUTS ${OPTIVIZ_WEB_NAME}.js ${OPTIVIZ_WEB_NAME}.wasm ${OPTIVIZ_WEB_NAME}.data)
if(OPTIVIZ_WEB_THREADS)
  # The pool's workers (core/runtime/worker_pool.cpp: one fewer than the cores, at most 8) are made
  # before main() runs, so starting a thread never waits for a worker to load. The page
  # (web/page.js) sets Module.optivizWorkers by the same rule. The main thread never waits for a
  # worker (WorkerPool::may_block); if it did, emscripten would warn "Blocking on the main thread",
  # which web/test/browser_test.js counts as an error.
  target_link_options(optiviz PRIVATE -pthread -sENVIRONMENT=web,worker -sPTHREAD_POOL_SIZE=Module.optivizWorkers)
  list(APPEND OPTIVIZ_WEB_OUTPUTS ${OPTIVIZ_WEB_NAME}.worker.js)
else()
  target_link_options(optiviz PRIVATE -sENVIRONMENT=web)
endif()
set_target_properties(optiviz PROPERTIES SUFFIX ".js" OUTPUT_NAME ${OPTIVIZ_WEB_NAME})
list(TRANSFORM OPTIVIZ_WEB_OUTPUTS PREPEND ${CMAKE_CURRENT_BINARY_DIR}/)
# The site: the page, its glue and the build's output, in one folder any static server can serve.
add_custom_command(TARGET optiviz POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E make_directory ${OPTIVIZ_WEB_SITE_DIR}
  COMMAND ${CMAKE_COMMAND} -E copy ${OPTIVIZ_WEB_OUTPUTS} ${CMAKE_CURRENT_SOURCE_DIR}/web/index.html
          ${CMAKE_CURRENT_SOURCE_DIR}/web/page.js ${CMAKE_CURRENT_SOURCE_DIR}/web/webm.js ${OPTIVIZ_WEB_SITE_DIR}/)
