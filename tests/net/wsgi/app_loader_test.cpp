#include "net/wsgi/app_loader.hpp"

#include <gtest/gtest.h>

#include <pybind11/embed.h>

#include "python_test_support.hpp"
#include "util/error.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {
namespace {

TEST(ParseAppSpec, Forms) {
    AppSpec demo = parse_app_spec("");
    EXPECT_TRUE(demo.module.empty());

    AppSpec bare = parse_app_spec("hello");
    EXPECT_EQ(bare.module, "hello");
    EXPECT_EQ(bare.attribute, "");
    EXPECT_FALSE(bare.factory);

    AppSpec named = parse_app_spec("pkg.web:app");
    EXPECT_EQ(named.module, "pkg.web");
    EXPECT_EQ(named.attribute, "app");
    EXPECT_FALSE(named.factory);

    AppSpec factory = parse_app_spec("pkg.web:create_app()");
    EXPECT_EQ(factory.module, "pkg.web");
    EXPECT_EQ(factory.attribute, "create_app");
    EXPECT_TRUE(factory.factory);
}

TEST(ParseAppSpec, RejectsMalformed) {
    for (const char* bad :
         {":app", "a:b:c", "a..b", "9x:app", "a:", "a:b(1)", "a b", "a:()", "a/b:app", ".a"}) {
        EXPECT_THROW(parse_app_spec(bad), UsageError) << bad;
    }
}

std::string call_status(const py::object& app) {
    py::dict scope;
    scope["app"] = app;
    py::exec(R"(
status = []
def start_response(s, h, exc_info=None):
    status.append(s)
body = b"".join(app({}, start_response))
)",
             scope);
    return scope["status"].cast<py::list>()[0].cast<std::string>() + " " +
           scope["body"].cast<std::string>();
}

TEST(LoadApp, DemoAppSaysHelloWorld) {
    testing::ensure_python();
    EXPECT_EQ(call_status(load_app(parse_app_spec(""))), "200 OK Hello World");
}

TEST(LoadApp, DefaultAttributeThenFactory) {
    testing::ensure_python();
    EXPECT_EQ(call_status(load_app(parse_app_spec("loader_apps"))), "200 OK application");
    EXPECT_EQ(call_status(load_app(parse_app_spec("loader_apps:app"))), "201 Created app");
    EXPECT_EQ(call_status(load_app(parse_app_spec("loader_apps:create_app()"))),
              "202 Accepted factory");
}

TEST(LoadApp, FailuresAreOneLine) {
    testing::ensure_python();
    auto message = [](const char* spec) {
        try {
            load_app(parse_app_spec(spec));
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message("no_such_module_x"),
              "cannot import 'no_such_module_x': ModuleNotFoundError: No module named "
              "'no_such_module_x'");
    EXPECT_EQ(message("loader_apps:missing"), "module 'loader_apps' has no attribute 'missing'");
    EXPECT_EQ(message("loader_apps:not_callable"),
              "'loader_apps:not_callable' is not callable (a WSGI app is)");
    EXPECT_EQ(message("loader_apps:broken_factory()"),
              "'loader_apps:broken_factory()' failed: RuntimeError: no database");
    EXPECT_EQ(message("loader_broken"),
              "cannot import 'loader_broken': ZeroDivisionError: division by zero");
}

}  // namespace
}  // namespace netius::net::wsgi
