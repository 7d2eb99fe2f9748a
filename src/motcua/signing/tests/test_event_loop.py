import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.utils import translation

from motcua.signing.pades import outside_event_loop


def test_work_runs_in_the_callers_language_inside_a_running_loop() -> None:
    async def inside() -> str | None:
        with translation.override("en"):
            return outside_event_loop(translation.get_language)

    # A thread of its own, so that the test does not depend on a loop left running by another test.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside()).result() == "en"
