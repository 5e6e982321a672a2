"""The local llama.cpp server answers; no SDK involved."""

from __future__ import annotations

import requests
from llama_server import LlamaServer  # tools/ is put on sys.path by conftest.py


def test_health(llama_server: LlamaServer) -> None:
    response = requests.get(llama_server.root_url + "/health", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_models_lists_the_served_model(llama_server: LlamaServer) -> None:
    response = requests.get(llama_server.base_url + "/models", timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "list"
    ids = [model["id"] for model in body["data"]]
    assert ids == [llama_server.model]
