# SPDX-License-Identifier: BSD-3-Clause
# tg_add_warnings(<target>): the project's warning set, applied per target (never globally).
# C++-only flags are applied to C++ sources only, so a target may mix C and C++.
function(tg_add_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wimplicit-fallthrough
    $<$<COMPILE_LANGUAGE:CXX>:-Wconversion -Wsign-conversion -Wnon-virtual-dtor -Wold-style-cast
                              -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion>)
  if(TG_ENABLE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
