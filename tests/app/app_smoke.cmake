# Runs the window for a few frames under Xvfb and checks it exits cleanly with both pictures written.
file(REMOVE ${OUT}-landscape.png ${OUT}-window.png)
execute_process(COMMAND xvfb-run -a -s "-screen 0 1600x1000x24" ${APP} --frames 8 --size 1280x800
                        --screenshot ${OUT}-landscape.png --window-screenshot ${OUT}-window.png
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "optiviz exited with ${status}: ${err}")
endif()
foreach(picture ${OUT}-landscape.png ${OUT}-window.png)
  if(NOT EXISTS ${picture})
    message(FATAL_ERROR "${picture} was not written")
  endif()
  file(SIZE ${picture} size)
  if(size LESS 20000)
    message(FATAL_ERROR "${picture} is only ${size} bytes")
  endif()
endforeach()
# The window's export writes vectors when the name asks for them.
file(REMOVE ${OUT}-landscape.pdf)
execute_process(COMMAND xvfb-run -a -s "-screen 0 1600x1000x24" ${APP} --frames 4 --size 1280x800
                        --screenshot ${OUT}-landscape.pdf
                RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status EQUAL 0 OR NOT EXISTS ${OUT}-landscape.pdf)
  message(FATAL_ERROR "the PDF export from the window failed (${status}): ${err}")
endif()
file(READ ${OUT}-landscape.pdf head LIMIT 5 HEX)
if(NOT head STREQUAL "255044462d")  # "%PDF-"
  message(FATAL_ERROR "${OUT}-landscape.pdf is not a PDF: '${head}'")
endif()
message(STATUS "app smoke ok")
