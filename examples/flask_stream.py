"""Forward a model's answer to the browser as it is generated: Flask + server-sent events.

Flask is not a dependency of openai_core; ``pip install flask`` to run this example:

    OPENAI_API_KEY=sk-... flask --app examples/flask_stream run

then open http://127.0.0.1:5000/ . Against a local OpenAI-compatible server, set
``OPENAI_BASE_URL=http://127.0.0.1:8080/v1`` and ``OPENAI_MODEL`` to its model id.

``/chat?q=...`` returns ``stream.to_sse()``: each chat chunk as a ``data:`` event, then
``data: [DONE]``; an API error becomes a last ``event: error`` (message and request id, never the
key). When the browser goes away, the WSGI server closes the generator, which closes the
upstream response, so the model stops generating for nobody. The page's ``EventSource``
appends each delta as it arrives.
"""

from __future__ import annotations

import os
from typing import Optional

from flask import Flask, Response, request

from openai_core import Client

PAGE = """<!doctype html>
<meta charset="utf-8">
<title>openai_core streaming</title>
<form id="ask"><input id="q" value="Tell me a short story." size="60"> <button>Ask</button></form>
<pre id="out" style="white-space: pre-wrap"></pre>
<script>
document.getElementById("ask").onsubmit = (e) => {
  e.preventDefault();
  const out = document.getElementById("out");
  out.textContent = "";
  const q = encodeURIComponent(document.getElementById("q").value);
  const source = new EventSource("/chat?q=" + q);
  source.onmessage = (event) => {
    if (event.data === "[DONE]") { source.close(); return; }
    const chunk = JSON.parse(event.data);
    for (const choice of chunk.choices || []) {
      out.textContent += (choice.delta && choice.delta.content) || "";
    }
  };
  source.addEventListener("error", (event) => {
    if (event.data) { out.textContent += "\\n[error] " + JSON.parse(event.data).error.message; }
    source.close();
  });
};
</script>
"""


def create_app(client: Optional[Client] = None, model: Optional[str] = None) -> Flask:
    """The Flask app; ``client`` defaults to ``Client()`` (key and base URL from the
    environment), ``model`` to ``OPENAI_MODEL`` or ``gpt-5.4-mini``."""
    app = Flask(__name__)
    llm = client or Client()
    model_id = model or os.environ.get("OPENAI_MODEL", "gpt-5.4-mini")

    @app.get("/")
    def index() -> str:
        return PAGE

    @app.get("/chat")
    def chat() -> Response:
        question = request.args.get("q", "Say hello.")
        max_tokens = int(request.args.get("max_tokens", "256"))
        stream = (
            llm.chat()
            .completions()
            .create()
            .model(model_id)
            .max_tokens(max_tokens)
            .message_user(question)
            .stream()
        )
        return Response(
            stream.to_sse(),
            mimetype="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return app


if __name__ == "__main__":
    create_app().run(port=5000, threaded=True)
