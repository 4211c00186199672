from django.http import HttpResponse


def hello(request):
    """A plain view: a static response, no template, no database."""
    return HttpResponse(b"Hello from Django", content_type="text/plain")
