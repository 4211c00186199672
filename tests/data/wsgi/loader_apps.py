"""Apps for tests/net/wsgi/app_loader_test.cpp: each answers with its own status and name."""


def _app(status, name):
    def app(environ, start_response):
        start_response(status, [("Content-Type", "text/plain")])
        return [name.encode()]
    return app


application = _app("200 OK", "application")
app = _app("201 Created", "app")
not_callable = 42


def create_app():
    return _app("202 Accepted", "factory")


def broken_factory():
    raise RuntimeError("no database")
