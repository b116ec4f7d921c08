#!/usr/bin/env python3
"""The floor of bench/collect-and-ship.sh: every page of one list, fetched raw one after the other
on a single keep-alive connection (limit and continue token, as kubectl and the collector page),
written to stdout as it arrives. A summary line (pages, items, bytes) goes to stderr.

    bench/list-pages.py KUBECONFIG [PATH=/api/v1/pods] [LIMIT=500]

Uses the kubeconfig's current context: server, certificate-authority-data and bearer token.
"""
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from kubeconfig import connect  # noqa: E402

# Kubernetes writes a list's metadata (with the continue token) before its items, so the token
# is read from the head of the body instead of parsing megabytes of JSON per page.
CONTINUE = re.compile(rb'"continue"\s*:\s*"([^"]*)"')


def main():
    kubeconfig_path = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) > 2 else "/api/v1/pods"
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    connection, headers = connect(kubeconfig_path)
    out = sys.stdout.buffer
    pages = total = 0
    token = ""
    while True:
        query = {"limit": limit}
        if token:
            query["continue"] = token
        connection.request("GET", path + "?" + urllib.parse.urlencode(query), headers=headers)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            sys.exit(f"GET {path} answered {response.status}")
        out.write(body)
        pages += 1
        total += len(body)
        head = CONTINUE.search(body, 0, 4096)
        token = head.group(1).decode("ascii") if head else ""
        if not token:
            break
    out.flush()
    print(f"{pages} pages, {total} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
