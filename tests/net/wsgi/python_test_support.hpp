#pragma once
// One embedded interpreter per test process (CPython cannot be restarted cleanly), created by
// the first test that needs it and kept until exit.
#include "net/wsgi/python_runtime.hpp"

namespace netius::net::wsgi::testing {

inline void ensure_python() {
    static PythonRuntime runtime({NETIUS_TEST_DATA "/wsgi"});
}

}  // namespace netius::net::wsgi::testing
