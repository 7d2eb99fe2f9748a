import asyncio

from django.utils import translation

from motcua.signing.pades import outside_event_loop


def test_work_runs_in_the_callers_language_inside_a_running_loop():
    async def inside():
        with translation.override("en"):
            return outside_event_loop(lambda: translation.get_language())

    assert asyncio.run(inside()) == "en"
