"""Pagination: iterate every item of every page, or walk the pages one by one.

``send()`` on a list builder returns a page that iterates every item, fetching the next pages
as needed. Against a local server this lists its models:

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 python examples/pagination.py

Against OpenAI, ``OPENAI_API_KEY=sk-... python examples/pagination.py files`` lists your files
two per page.
"""

from __future__ import annotations

import sys

from openai_core import Client


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else "models"
    count = 0
    with Client(timeout=60, max_retries=1) as client:
        if what == "files":
            page = client.files().list().limit(2).send()
        else:
            page = client.models().list().send()
        print(f"first page: {len(page.data)} item(s)")
        for item in page:  # every item of every page
            count += 1
            print(f"item {count}: {item.id}")
    print(f"total: {count}")
    return 0 if count > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
