"""CPython's figures for what `io.rs` measures, against the same loopback server.

Run: python3 benches/python/io.py BASE_URL [--quick]
(BASE_URL is the Rust loopback server's, e.g. http://127.0.0.1:PORT, with its 50 ms delay;
the report starts that server and passes its URL.)

100 requests, GET BASE_URL/posts/1 to /posts/100, each answered after 50 ms:
- io/sequential: urllib.request.urlopen one after the other.
- io/thread_pool: ThreadPoolExecutor(max_workers=100).map, the executor created once.
- io/async: asyncio.gather of 100 requests on one event loop. The standard library has no
  asyncio HTTP client (aiohttp is a third-party package), so fetch_async below writes a
  minimal HTTP/1.1 GET on asyncio streams and reads the response until the server closes.

Each figure is the median of three batches (sequential) or ten; see timing.py for the output.
"""

import asyncio
import sys
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from timing import measure, print_results

REQUESTS = 100


def fetch(url):
    with urllib.request.urlopen(url) as response:
        assert response.status == 200, url
        return response.read()


async def fetch_async(url):
    parts = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(
        f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    response = await reader.read()  # until the server closes the connection
    writer.close()
    await writer.wait_closed()
    assert response.startswith(b"HTTP/1.1 200 "), response[:40]
    return response


async def fetch_all(urls):
    return await asyncio.gather(*(fetch_async(url) for url in urls))


if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if arg != "--quick"]
    if len(args) != 1:
        sys.exit("usage: io.py BASE_URL [--quick]")
    urls = [f"{args[0]}/posts/{id}" for id in range(1, REQUESTS + 1)]
    results = {}
    measure(results, "io/sequential", lambda: [fetch(url) for url in urls], 3)
    with ThreadPoolExecutor(max_workers=REQUESTS) as executor:

        def thread_pool():
            return list(executor.map(fetch, urls))

        thread_pool()  # warm up: the executor starts its threads on demand
        measure(results, "io/thread_pool", thread_pool, 10)
    loop = asyncio.new_event_loop()

    def run_async():
        return loop.run_until_complete(fetch_all(urls))

    run_async()  # warm up, as for the pool
    measure(results, "io/async", run_async, 10)
    loop.close()
    print_results(results)
