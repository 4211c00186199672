"""A Bottle app for tests/integration/test_wsgi_frameworks.py: a SimpleTemplate page, a JSON
route and a form POST."""
import os

import bottle
from bottle import Bottle, request, response, template

# Bottle looks for templates relative to the working directory; name this module's own.
bottle.TEMPLATE_PATH.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                            "bottle_views"))
app = Bottle()
application = app


@app.get("/hello/<name>")
def hello(name):
    return template("hello", name=name, items=["alpha", "beta", "gamma"])


@app.get("/api/status")
def status():
    # A dict becomes a JSON response.
    return {"server": request.environ.get("SERVER_SOFTWARE", ""), "ok": True,
            "multithread": request.environ["wsgi.multithread"],
            "multiprocess": request.environ["wsgi.multiprocess"], "pid": os.getpid()}


@app.post("/form")
def form():
    name = request.forms.getunicode("name", "")
    qty = int(request.forms.get("qty", "0"))
    if not name:
        response.status = 400
        return "name missing"
    return "ordered %d x %s" % (qty, name)
