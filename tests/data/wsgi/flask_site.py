"""A Flask site for tests/integration/test_wsgi_frameworks.py and bench/wsgi.sh: a Jinja2 page
(inheritance, loops, filters), a signed-cookie session, a JSON API and a file upload."""
import hashlib

from flask import Flask, jsonify, render_template, request, session

app = Flask(__name__, template_folder="flask_templates")
# A test fixture: the key is public.
app.secret_key = b"netius-test-fixture-not-a-secret"

PRODUCTS = [
    {"sku": "NT-%03d" % i, "name": name, "price": price, "stock": stock,
     "tags": tags}
    for i, (name, price, stock, tags) in enumerate([
        ("Event loop", 12.5, 40, ["core", "epoll"]),
        ("Keep-alive connection", 3.25, 0, ["http"]),
        ("Chunked encoder", 7.0, 12, ["http", "streaming"]),
        ("TLS transport", 19.99, 5, ["tls", "openssl"]),
        ("WSGI runner", 24.0, 8, ["python", "pep3333"]),
        ("Maildir store", 9.75, 3, ["smtp"]),
        ("DKIM signer", 14.2, 21, ["smtp", "crypto"]),
        ("Static files", 4.5, 99, ["http", "sendfile"]),
        ("Reverse proxy", 29.0, 2, ["http", "proxy"]),
        ("Resolver", 6.6, 17, ["dns", "c-ares"]),
        ("HTTP/2 stream", 16.0, 0, ["h2", "nghttp2"]),
        ("Relay queue", 11.11, 6, ["smtp", "queue"]),
    ], start=1)
]


@app.route("/")
def index():
    """The page of the benchmark: a few KB of HTML from a template that extends a layout."""
    in_stock = [p for p in PRODUCTS if p["stock"] > 0]
    return render_template("products.html", title="Parts catalogue", user="ann & bob",
                           products=PRODUCTS, in_stock=len(in_stock),
                           total=sum(p["price"] * p["stock"] for p in PRODUCTS))


@app.route("/counter")
def counter():
    """Counts the requests of one client in its (signed cookie) session."""
    session["visits"] = session.get("visits", 0) + 1
    return "visits=%d" % session["visits"]


@app.route("/api/items", methods=["POST"])
def api_items():
    """A JSON round trip: sums the prices of the posted items and echoes them back."""
    data = request.get_json(force=True)
    items = data["items"]
    return jsonify(count=len(items), total=round(sum(i["price"] * i["qty"] for i in items), 2),
                   names=sorted(i["name"] for i in items), echo=data)


@app.route("/upload", methods=["POST"])
def upload():
    """request.files: the size and SHA-256 of the uploaded file, read in 64 KiB pieces."""
    f = request.files["file"]
    h = hashlib.sha256()
    size = 0
    for block in iter(lambda: f.stream.read(65536), b""):
        h.update(block)
        size += len(block)
    return jsonify(filename=f.filename, size=size, sha256=h.hexdigest(),
                   field=request.form.get("note", ""))
