from django.conf import settings
from django.http import FileResponse, HttpResponse


def hello(request):
    """A plain view: a static response, no template, no database."""
    return HttpResponse(b"Hello from Django", content_type="text/plain")


def download(request):
    """A file as an attachment: Django hands it to the server's wsgi.file_wrapper."""
    return FileResponse(open(settings.BASE_DIR / "manage.py", "rb"), as_attachment=True,
                        filename="manage.py")
