// The unit test runner: Catch2 v2 provides main(). Every tests/unit/**/*_test.cpp is linked in.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
