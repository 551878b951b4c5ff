"""gunicorn's settings for the `web` process (Procfile, Dockerfile, compose.yaml).

Everything that differs between machines comes from the environment:

- `PORT` (8000): gunicorn listens on 0.0.0.0:PORT (a platform or container sets it);
- `WEB_CONCURRENCY` (2): worker processes, about two per core;
- `GUNICORN_TIMEOUT` (30): seconds before a stuck worker is restarted;
- `FORWARDED_ALLOW_IPS` (127.0.0.1): the proxies whose X-Forwarded-* headers gunicorn
  trusts (a comma-separated list, or "*" when only the proxy can reach gunicorn).
"""

import os

_port = int(os.environ.get("PORT", "8000"))
bind = f"0.0.0.0:{_port}"  # noqa: S104 (a proxy or load balancer sits in front)
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27 otherwise writes a control socket under the home folder, which a read-only
# or shared home cannot take.
control_socket_disable = True
# One access line per request on standard output; the site's own logs go to standard error.
accesslog = "-"
errorlog = "-"
