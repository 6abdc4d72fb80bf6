# Warnings for our own targets (not for imported ones): fossa_warnings(<target>).
function(fossa_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wformat=2)
  if(FOSSA_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
