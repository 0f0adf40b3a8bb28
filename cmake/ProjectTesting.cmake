# s3_add_test(NAME <name> SOURCES <files...> LIBS <targets...> [LABELS <labels...>])
#
# One gtest binary registered with CTest. Label "unit" (the default) runs without any server;
# label "integration" needs the RGW test server (tests/rgw/start.sh exports its endpoint).
function(s3_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gmock GTest::gtest_main)
  project_warnings(${T_NAME})
  # Bounded in time: a hung network test fails instead of blocking CI.
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} --gtest_color=no)
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT 600)
endfunction()
