"""Health checks for load balancers and monitoring, through django-health-check.

- `/health/live/` (`live`): the process answers. No database, no cache: "ok", 200.
- `/health/` (`HealthView`): the database, the cache, both storages and the task queue.
  "ok" (200) or "failing" (503), nothing more: the public learns no detail.
- `/health/detail/` (`HealthDetailView`): which check failed and why, for site admins, or
  for a monitor presenting `Authorization: Bearer <HEALTH_CHECK_TOKEN>`; a 404 to anyone
  else. 200 when healthy, 503 when not.

`HealthProbeMiddleware` answers the first two before host validation and the HTTPS
redirect, so that a load balancer probing an instance over plain HTTP by its address gets
the answer rather than a 400 or a redirect.
"""

import asyncio
import dataclasses
import datetime
import secrets

from asgiref.sync import async_to_sync, iscoroutinefunction, sync_to_async
from django.conf import settings
from django.db.models import Count, F, Min, Q
from django.db.models.functions import Greatest
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

PLAIN_TEXT = "text/plain; charset=utf-8"


def _ready_tasks() -> tuple[int, datetime.datetime | None]:
    """How many tasks are ready to run, and since when the oldest of them has been."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    never = get_date_max()
    figures = DBTaskResult.objects.ready().aggregate(
        backlog=Count("pk"),
        # Ready since it was queued, or since its `run_after` if that came later.
        oldest_queued=Min("enqueued_at", filter=Q(run_after=never)),
        oldest_scheduled=Min(
            Greatest(F("enqueued_at"), F("run_after")), filter=~Q(run_after=never)
        ),
    )
    times = [figures["oldest_queued"], figures["oldest_scheduled"]]
    return figures["backlog"], min((time for time in times if time is not None), default=None)


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The worker keeps up: at most `HEALTH_TASK_BACKLOG_MAX` tasks are ready to run, and
    none has waited longer than `HEALTH_TASK_AGE_MAX_SECONDS` (django-tasks-db's queue)."""

    async def run(self):
        # In the request's own thread, on its own database connection.
        backlog, oldest = await sync_to_async(_ready_tasks, thread_sensitive=True)()
        if backlog > settings.HEALTH_TASK_BACKLOG_MAX:
            raise ServiceUnavailable(
                f"{backlog} tasks ready to run (at most {settings.HEALTH_TASK_BACKLOG_MAX})"
            )
        if oldest is not None:
            age = (timezone.now() - oldest).total_seconds()
            if age > settings.HEALTH_TASK_AGE_MAX_SECONDS:
                raise ServiceUnavailable(
                    f"The oldest ready task has waited {age:.0f} s "
                    f"(at most {settings.HEALTH_TASK_AGE_MAX_SECONDS} s)"
                )


CHECKS = (
    Database,
    Cache,
    # Writes, reads and deletes a probe file holding only a timestamp.
    (Storage, {"alias": "default"}),
    (Storage, {"alias": "private"}),
    TaskQueue,
)


class HealthView(HealthCheckView):
    """Every check; the answer is only "ok" (200) or "failing" (503)."""

    checks = CHECKS

    async def run_checks(self) -> bool:
        """Run every check at once; True if all passed."""
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        return not any(result.error for result in self.results)

    async def get(self, request, *args, **kwargs):
        if await self.run_checks():
            return HttpResponse("ok\n", content_type=PLAIN_TEXT)
        return HttpResponse("failing\n", content_type=PLAIN_TEXT, status=503)


def _site_admins_only(user) -> bool:
    return user.is_active and user.is_superuser


class HealthDetailView(HealthCheckView):
    """Each check's result (HTML, or JSON and text by `Accept` or `?format=`), for site
    admins and for a monitor with the token; a 404 for anyone else."""

    checks = CHECKS
    # Who may read the details: `lms/urls.py` passes the project's rule for site admins.
    is_site_admin = staticmethod(_site_admins_only)

    async def allowed(self, request) -> bool:
        token = settings.HEALTH_CHECK_TOKEN
        given = request.headers.get("Authorization", "")
        if token and secrets.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
        user = await request.auser()
        return user.is_authenticated and await sync_to_async(self.is_site_admin)(user)

    async def get(self, request, *args, **kwargs):
        if not await self.allowed(request):
            raise Http404
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:  # the package's "failing"; ours is 503
            response.status_code = 503
        response["Cache-Control"] = "private, no-store"
        return response


def live(request):
    """The process is up and answering. Touches nothing else."""
    response = HttpResponse("ok\n", content_type=PLAIN_TEXT)
    add_never_cache_headers(response)
    return response


class HealthProbeMiddleware:
    """Answer the load balancer's probes (the URLs named `health` and `health_live`)
    before anything else runs.

    A load balancer probes each instance over plain HTTP, often with the instance's
    address as the Host, which `ALLOWED_HOSTS` and `SECURE_SSL_REDIRECT` would turn into
    a 400 or a redirect. These two answers carry no data and build no URL, so they need
    neither. Place it first in MIDDLEWARE.
    """

    PROBES = ("health", "health_live")

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = None

    def paths(self) -> frozenset[str]:
        if self._paths is None:
            found = set()
            for name in self.PROBES:
                try:
                    found.add(reverse(name))
                except NoReverseMatch:
                    continue
            self._paths = frozenset(found)
        return self._paths

    def __call__(self, request):
        if request.path_info not in self.paths() or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        match = resolve(request.path_info)
        view = match.func
        if iscoroutinefunction(view):
            return async_to_sync(view)(request, *match.args, **match.kwargs)
        return view(request, *match.args, **match.kwargs)
