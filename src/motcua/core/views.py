from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from motcua.core.health import check_health
from motcua.core.problem import problem_not_found, problem_server_error


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    health = check_health()
    body = {
        "status": "ok" if health.ok else "degraded",
        "database": health.database,
        "worker": health.worker,
        # Added by issue 13; the three keys above keep their meaning.
        "tasks": {
            "status": health.tasks_status,
            "ready": health.tasks.ready,
            "overdue": health.tasks.overdue,
            "running": health.tasks.running,
            "expired_leases": health.tasks.expired_leases,
        },
    }
    return JsonResponse(body, status=200 if health.ok else 503)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem_not_found(request, exception)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem_server_error(request)
    return render(request, "500.html", status=500)
