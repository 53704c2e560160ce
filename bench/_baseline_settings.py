"""Production settings plus one bare insert view, for ``bench.intake``'s baseline.

The served settings are exactly ``vigil.settings`` (driven by the same
environment); only the URL configuration adds ``/bench/insert/``, so one
gunicorn serves both the real reporting flow and the baseline.
"""

from vigil.settings import *  # noqa: F403 - the real settings, unchanged, are the point

ROOT_URLCONF = "bench._baseline_urls"
