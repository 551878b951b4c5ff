"""Virtual learners for bench/load.py: sign in, open lessons, save reflections, complete
lessons, open My learning. Run by load.py inside .venv-bench; not imported by the site.

The plan (learners, lessons and their reflection blocks) comes from the JSON file in
LOAD_PLAN; every write the site acknowledged (a redirect after the post) is appended to
LOAD_ACKS as one JSON line, for load.py to check in the database afterwards.
"""

import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy

from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115, PTH123
ACKS = open(os.environ["LOAD_ACKS"], "a", buffering=1)  # noqa: SIM115, PTH123
NUMBERS = itertools.count()
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Send Secure cookies over plain HTTP: on loopback TLS would end before nginx, as it does
# at a load balancer in a real deployment. requests copies the session's cookies into a
# new jar with the default policy for every request, so the policy itself must change; this
# process is only the load generator.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


class SourceAddressAdapter(HTTPAdapter):
    """Connect from a given loopback address, so that each virtual learner is a client of
    its own, as people on their own devices are (the sign-in rate limits count per
    client address, which nginx passes on in X-Forwarded-For)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Learner(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        number = next(NUMBERS)
        self.client.mount(
            "http://", SourceAddressAdapter(f"127.0.{1 + number // 250}.{1 + number % 250}")
        )
        self.origin = self.host.replace("http://", "https://")
        self.client.headers["Origin"] = self.origin
        self.email = PLAN["learners"][number % len(PLAN["learners"])]
        self.rng = random.Random(self.email)
        token = self.token("/accounts/login/", name="GET login")
        self.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "login": self.email, "password": PLAN["password"]},
            name="POST login",
        )

    def token(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as response:
            found = TOKEN.search(response.text or "")
            if response.status_code != 200 or not found:
                response.failure(f"{response.status_code}, no form")
                return ""
            return found.group(1)

    def post(self, path: str, data: dict, name: str) -> bool:
        """Post like a browser's form; success is the redirect that follows a write (a
        redirect to the sign-in pages is a refusal, not an acknowledgement)."""
        headers = {"Referer": self.origin + path}
        with self.client.post(
            path,
            data=data,
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or (
                name != "POST login" and location.startswith("/accounts/")
            ):
                response.failure(f"{response.status_code} to {location or 'nowhere'}")
                return False
            return True

    @task(4)
    def open_lesson(self):
        lesson = self.rng.choice(PLAN["lessons"])
        self.client.get(lesson["url"], name="GET lesson")

    @task(2)
    def save_reflection(self):
        lesson = self.rng.choice(PLAN["lessons"])
        token = self.token(lesson["url"], name="GET lesson")
        if not token:
            return
        block = lesson["reflection"]
        text = f"Load test reflection {self.rng.random():.12f} by {self.email}"
        # Logged before the post too: a post cut off when the run stops may still be saved.
        ACKS.write(json.dumps(["attempt", self.email, lesson["id"], block, text]) + "\n")
        if self.post(
            f"/learn/lessons/{lesson['id']}/answer/{block}/",
            {"csrfmiddlewaretoken": token, f"{block}-text": text},
            name="POST reflection",
        ):
            ACKS.write(json.dumps(["reflection", self.email, lesson["id"], block, text]) + "\n")

    @task(1)
    def complete_lesson(self):
        lesson = self.rng.choice(PLAN["lessons"])
        token = self.token(lesson["url"], name="GET lesson")
        if token and self.post(
            f"/learn/lessons/{lesson['id']}/complete/",
            {"csrfmiddlewaretoken": token},
            name="POST complete",
        ):
            ACKS.write(json.dumps(["completion", self.email, lesson["id"]]) + "\n")

    @task(2)
    def my_learning(self):
        self.client.get("/learn/", name="GET my learning")


@events.quitting.add_listener
def _close(environment, **kwargs):
    ACKS.close()
