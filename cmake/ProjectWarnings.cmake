# Warning flags for the project's own targets: project_warnings(<target>).
function(project_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2)
  if(S3_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
