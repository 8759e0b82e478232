"""The floors: what the suite's chosen tools cost on this machine with none of the project's own
code in the way, so that a per-scenario figure can be read against what it cannot go below.

- an HTTP request as the harness's client makes it (httpx, HTTP/1.1 over loopback, a connection
  kept open), against a server that answers at once with a portal-sized JSON answer: the client's
  own CPU per request, with httpx's default transport and with the harness's loopback transport
  (support/harness/loopback.py, which the suite's clients use), and the standard library's
  http.client beside them, for scale;
- an HTTP request as the portal's server stack serves it (uvicorn with the portal's own options,
  `server_options`, FastAPI, one `def` endpoint answering a small JSON, no middleware of the
  portal's own): the server process's CPU per request;
- a step as behave runs it with allure-behave writing its results (a step that does nothing);
- a PostgreSQL round trip (psycopg, `SELECT 1`), when a server is given;
- start-up: a Python process that imports the chosen tools and nothing else, and an embedded
  PostgreSQL (pgserver) made and started from nothing.

Each is measured in fresh processes and multiplied by how many of each a scenario of the suite
makes (from the serial run's own counts), which gives the part of a scenario's time no change to
the project's own code can remove while these tools are used.

    ./dev python bench/floors.py [--database-url URL]
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psutil

ANSWER_BODY = json.dumps({"projects": [{"id": i, "name": f"Project {i}", "status": "active",
                                        "created_at": "2026-12-01T10:00:00Z"} for i in range(3)]})

# a server that answers every request on a kept-open connection with one fixed, portal-like answer
_FIXED_SERVER = textwrap.dedent("""
    import socket, sys, threading
    body = sys.argv[2].encode()
    answer = (b"HTTP/1.1 200 OK\\r\\ncontent-type: application/json\\r\\ncontent-length: %d\\r\\n"
              b"x-request-id: 3f2a9c1e\\r\\ncache-control: no-store\\r\\nx-content-type-options: nosniff\\r\\n"
              b"set-cookie: portal_session=abc; Path=/; HttpOnly; SameSite=Lax\\r\\n\\r\\n" % len(body)) + body
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", int(sys.argv[1]))); listener.listen(8)
    def serve(conn):
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pending = b""
        while data := conn.recv(65536):
            pending += data
            while b"\\r\\n\\r\\n" in pending:
                _, _, pending = pending.partition(b"\\r\\n\\r\\n")
                conn.sendall(answer)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()
""")

# the portal's server stack with one endpoint and nothing of the portal's own: uvicorn served with
# the portal's own options (server_options: its HTTP parser, event loop, proxy headers), FastAPI
_ASGI_SERVER = textwrap.dedent("""
    import sys, types, uvicorn
    from fastapi import FastAPI
    from portal.app import server_options
    app = FastAPI()
    @app.get("/projects")
    def projects():
        return {"projects": [{"id": 1, "name": "Project 1", "status": "active"}]}
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]),
                **server_options(types.SimpleNamespace(trusted_proxies=("127.0.0.1",))))
""")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(script: str, *args: str) -> tuple[psutil.Popen, int]:
    port = _free_port()
    process = psutil.Popen([sys.executable, "-c", script, str(port), *args], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.02)  # start-up poll of a server in another process, bounded by the deadline
    process.kill()
    raise SystemExit("a floor's server did not start")


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def http_client_floor(requests: int = 2000) -> dict:
    """Client CPU per request, in microseconds: httpx with its default transport, httpx with the
    harness's own loopback transport (as PortalClient sets it up for a portal on this machine), and
    the standard library's http.client on the same server."""
    import http.client

    import httpx

    server, port = _serve(_FIXED_SERVER, ANSWER_BODY)
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"User-Agent": "portal-spec (floor)"},
                              follow_redirects=False, timeout=15.0, trust_env=False)

        def with_httpx():
            answer = client.get("/projects")
            return answer.text, list(answer.headers.multi_items())

        from support.harness.loopback import LoopbackTransport

        loopback_client = httpx.Client(base_url=f"http://127.0.0.1:{port}",
                                       headers={"User-Agent": "portal-spec (floor)"}, follow_redirects=False,
                                       timeout=15.0, trust_env=False, transport=LoopbackTransport())

        def with_the_harness_transport():
            answer = loopback_client.get("/projects")
            return answer.text, list(answer.headers.multi_items())

        connection = http.client.HTTPConnection("127.0.0.1", port)

        def with_http_client():
            connection.request("GET", "/projects", headers={"User-Agent": "portal-spec (floor)"})
            answer = connection.getresponse()
            return answer.read().decode(), answer.getheaders()

        figures = {}
        for name, call in (("httpx", with_httpx), ("httpx, loopback transport", with_the_harness_transport),
                           ("http.client", with_http_client)):
            for _ in range(200):
                call()
            began = time.process_time()
            for _ in range(requests):
                call()
            figures[name] = (time.process_time() - began) / requests * 1e6
        client.close()
        loopback_client.close()
        connection.close()
        return figures
    finally:
        server.kill()


def asgi_server_floor(requests: int = 2000) -> float:
    """The server process's CPU per request, in microseconds (uvicorn, FastAPI, one `def` endpoint)."""
    import http.client

    server, port = _serve(_ASGI_SERVER)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port)

        def call():
            connection.request("GET", "/projects")
            connection.getresponse().read()

        for _ in range(200):
            call()
        before = _cpu(server)
        for _ in range(requests):
            call()
        return (_cpu(server) - before) / requests * 1e6
    finally:
        server.kill()


def behave_step_floor(scenarios: int = 200, steps: int = 5) -> dict:
    """Milliseconds per step of behave with allure-behave writing its results, and without a report,
    for steps that do nothing (a fresh run each; start-up subtracted by running two sizes)."""
    def run(folder: Path, count: int, report: bool) -> float:
        feature = "Feature: floor\n" + "".join(
            f"  Scenario: nothing {n}\n" + "".join(f"    Given nothing happens {s}\n" for s in range(steps))
            for n in range(count))
        (folder / "features" / "steps").mkdir(parents=True, exist_ok=True)
        (folder / "features" / "floor.feature").write_text(feature)
        (folder / "features" / "steps" / "floor_steps.py").write_text(
            "from behave import step\n\n@step('nothing happens {n:d}')\ndef nothing(context, n):\n    pass\n")
        formats = ["-f", "allure_behave.formatter:AllureFormatter", "-o", str(folder / "results")] if report \
            else ["-f", "null"]
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "behave", "features", *formats, "--no-junit", "--no-capture"],
                       cwd=folder, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - began

    figures = {}
    for report in (True, False):
        with tempfile.TemporaryDirectory() as small, tempfile.TemporaryDirectory() as large:
            few, many = run(Path(small), scenarios // 10, report), run(Path(large), scenarios, report)
        figures["with allure-behave" if report else "without a report"] = \
            (many - few) / ((scenarios - scenarios // 10) * steps) * 1000
    return figures


# what the suite cannot start its first scenario without, of the chosen tools only (the project's
# own modules and steps left out; the OpenAPI checker, JSON Schema and svix can wait for first use)
CHOSEN_TOOLS = ["behave", "allure_behave.formatter", "hamcrest", "requests_mock", "httpx", "psycopg", "psycopg_pool",
                "fastapi", "uvicorn", "jinja2"]


def start_floor(runs: int = 5) -> dict:
    """Seconds from launching a Python process to having imported the chosen tools (median of
    `runs`), and an empty PostgreSQL cluster made and started by pgserver (the embedded mode's)."""
    def launch(code: str) -> float:
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - began

    from support.harness.database import memory_backed_temp_dir  # where the embedded mode puts its cluster

    imports = sorted(launch("; ".join(f"import {m}" for m in CHOSEN_TOOLS)) for _ in range(runs))[runs // 2]
    bare = sorted(launch("pass") for _ in range(runs))[runs // 2]
    embedded = launch(textwrap.dedent(f"""
        import shutil, tempfile, warnings
        warnings.simplefilter("ignore")
        import pgserver
        folder = tempfile.mkdtemp(dir={memory_backed_temp_dir()!r})
        pgserver.get_server(folder + "/data", cleanup_mode="delete").cleanup()
        shutil.rmtree(folder, ignore_errors=True)
    """))
    return {"python_s": bare, "python_and_the_chosen_tools_s": imports, "embedded_postgresql_s": embedded}


def postgres_floor(database_url: str, round_trips: int = 3000) -> dict:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        for _ in range(200):
            connection.execute("SELECT 1").fetchone()
        began, cpu = time.perf_counter(), time.process_time()
        for _ in range(round_trips):
            connection.execute("SELECT 1").fetchone()
        return {"wall_us": (time.perf_counter() - began) / round_trips * 1e6,
                "client_cpu_us": (time.process_time() - cpu) / round_trips * 1e6}


def measure(database_url: str | None) -> dict:
    figures = {"http_client_cpu_us_per_request": http_client_floor(),
               "asgi_server_cpu_us_per_request": asgi_server_floor(),
               "behave_ms_per_step": behave_step_floor(),
               "start": start_floor()}
    if database_url:
        figures["postgres_round_trip"] = postgres_floor(database_url)
    return figures


def per_scenario(floors: dict, requests_per_scenario: float, steps_per_scenario: float) -> dict:
    """The floors as milliseconds of one scenario of the suite."""
    # the harness's clients reach the suite's portal through its own transport
    http = floors["http_client_cpu_us_per_request"]["httpx, loopback transport"] / 1000 * requests_per_scenario
    server = floors["asgi_server_cpu_us_per_request"] / 1000 * requests_per_scenario
    steps = floors["behave_ms_per_step"]["with allure-behave"] * steps_per_scenario
    return {"httpx client": http, "uvicorn and FastAPI serving": server, "behave and allure-behave": steps,
            "together": http + server + steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    print(json.dumps(measure(args.database_url), indent=2))


if __name__ == "__main__":
    main()
