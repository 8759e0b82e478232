"""The suite's outbound network: requests-mock with every real call forbidden.

Provider fakes register their routes on one Mocker for the whole run. Anything else the
portal tries to reach is recorded and refused, and the scenario fails naming the request.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import requests
import requests_mock


@dataclass(frozen=True)
class UnexpectedRequest:
    method: str
    url: str

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


class BlockedNetwork:
    def __init__(self):
        self.mocker = requests_mock.Mocker(real_http=False)
        self._unexpected: list[UnexpectedRequest] = []
        self._lock = threading.Lock()
        # registered first, so every later, more specific route wins over it
        self.mocker.register_uri(requests_mock.ANY, requests_mock.ANY, text=self._refuse)

    def _refuse(self, request, context):
        with self._lock:
            self._unexpected.append(UnexpectedRequest(request.method, request.url.split("?")[0]))
        raise requests.exceptions.ConnectionError(
            f"the acceptance suite blocks real network calls: {request.method} {request.url.split('?')[0]}"
        )

    def start(self) -> None:
        self.mocker.start()

    def stop(self) -> None:
        self.mocker.stop()

    def take_unexpected(self) -> list[UnexpectedRequest]:
        with self._lock:
            taken, self._unexpected = self._unexpected, []
        return taken
