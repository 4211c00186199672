"""The hello app of bench/wsgi.sh, the same for uWSGI, gunicorn and netius."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "11")])
    return [b"Hello World"]
