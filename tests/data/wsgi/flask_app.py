"""A Flask app for tests/integration/test_serve_wsgi.py and bench/wsgi.sh."""
from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello World"


@app.route("/json", methods=["POST"])
def echo_json():
    data = request.get_json()
    return jsonify(got=data, n=len(data))


@app.route("/form", methods=["POST"])
def form():
    return "name=%s" % request.form["name"]


@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    data = f.read()
    return "%s %d" % (f.filename, len(data))


@app.route("/stream")
def stream():
    def lines():
        for i in range(3):
            yield "part %d\n" % i
    return Response(lines(), mimetype="text/plain")


@app.route("/boom")
def boom():
    raise KeyError("boom")


@app.errorhandler(KeyError)
def on_key_error(e):
    return jsonify(error="key", detail=str(e)), 418
