"""The extraction pool: a runaway page killed at its deadline takes only itself down."""

from __future__ import annotations

import asyncio

import pytest

from tui.services import extract_pool


def _long_page(words: int) -> bytes:
    para = " ".join(f"word{i % 97}" for i in range(60))
    body = "".join(f"<p>{para} {n}.</p>" for n in range(words // 60))
    return f"<html><head><title>Long</title></head><body><article><h1>Long</h1>{body}</article></body></html>".encode()


@pytest.mark.skipif(extract_pool.WORKERS < 2, reason="needs two extraction workers")
def test_a_page_beside_a_killed_runaway_is_extracted_not_called_crashed():
    page = _long_page(250_000)

    async def both():
        # the first job runs past its tiny deadline and the pool is killed under the second,
        # which was extracting in the other worker at that moment
        runaway = asyncio.create_task(extract_pool.extract_in_worker(page, None, deadline=0.3))
        await asyncio.sleep(0)
        beside = asyncio.create_task(extract_pool.extract_in_worker(page, None, deadline=120))
        return await runaway, await beside

    try:
        (_, runaway_error), (article, error) = asyncio.run(both())
    finally:
        extract_pool.close()
    assert runaway_error == "extraction took longer than 0.3 s"
    assert error is None and article is not None and article.blocks
