import hashlib

from django.conf import settings
from django.http import FileResponse, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


def hello(request):
    """A plain view: a static response, no template, no database."""
    return HttpResponse(b"Hello from Django", content_type="text/plain")


def download(request):
    """A file as an attachment: Django hands it to the server's wsgi.file_wrapper."""
    return FileResponse(open(settings.BASE_DIR / "manage.py", "rb"), as_attachment=True,
                        filename="manage.py")


@csrf_exempt  # an API endpoint for scripts, without the form's CSRF token
@require_POST
def upload(request):
    """request.FILES: size and SHA-256 of the upload (past 2.5 MB Django spools it to disk)."""
    f = request.FILES["file"]
    h = hashlib.sha256()
    for chunk in f.chunks():
        h.update(chunk)
    return JsonResponse({"name": f.name, "size": f.size, "sha256": h.hexdigest(),
                         "note": request.POST.get("note", "")})
