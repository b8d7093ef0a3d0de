"""Settings of bench/bench_api.py's web server and its in-process counts: the production settings with the bench's
URLconf, which adds two bare views to every production route. Never used outside the benchmark."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "api_urls"
