"""POST a JSON body to a webhook, a few times on failure: alerts and job completions."""
from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request

import orjson

log = logging.getLogger(__name__)


def post_json(url: str, body, attempts: int = 3, timeout_s: float = 5.0) -> bool:
    """True once the endpoint answered 2xx; False (logged) after `attempts` failures, 1 s and 2 s apart.
    A webhook that is down never stops what called it: what it would have said is in the store."""
    data = orjson.dumps(body, default=str)
    for attempt in range(1, attempts + 1):
        req = urllib.request.Request(url, data=data, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": "backtrail"})
        try:
            with urllib.request.urlopen(req, timeout=timeout_s) as resp:
                if 200 <= resp.status < 300:
                    return True
                problem = f"HTTP {resp.status}"
        except (urllib.error.URLError, OSError) as exc:
            problem = str(exc)
        log.warning("webhook %s: attempt %d of %d failed: %s", url, attempt, attempts, problem)
        if attempt < attempts:
            time.sleep(attempt)
    return False
