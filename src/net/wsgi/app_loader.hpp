#pragma once
// Finding the WSGI application a user names on the command line, the way gunicorn and uWSGI
// users write it:
//
//   "hello"                 module hello, attribute `application`, else `app`
//   "hello:app"             attribute app of module hello
//   "pkg.web:create_app()"  an application factory, called once with no arguments
//   ""                      the built-in demo app (netius' "Hello World")
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/pytypes.h>

namespace netius::net::wsgi {

struct AppSpec {
    std::string module;     // dotted module name; empty for the demo app
    std::string attribute;  // empty: `application`, then `app`
    bool factory = false;   // "name()": call it to get the application
};

/// Parses a spec as above. Pure, any thread. Throws netius::UsageError naming what is wrong
/// ("'a:b:c': expected MODULE[:NAME]").
AppSpec parse_app_spec(std::string_view spec);

/// Imports the module and returns the (possibly factory-made) callable. GIL held, main
/// thread, before serving. Throws netius::Error with a one-line message; the full Python
/// traceback is logged at ERROR first when importing or the factory raised.
pybind11::object load_app(const AppSpec& spec);

/// The file of every module imported so far (sys.modules entries with a __file__), for
/// `--reload` to watch. GIL held. Never throws for a module without a file.
std::vector<std::string> imported_files();

}  // namespace netius::net::wsgi
