#!/usr/bin/env python3
"""End-to-end lag of a continuous collector, from a change in the test cluster to the receiver
answering with it: every INTERVAL seconds one ConfigMap (`lag-probe` in namespace `default`) is
written through the test cluster's admin API with a new value, then the receiver's query API is
asked for it every 10 ms until its current snapshot holds that value. Unlike the collector's own
commit_lag_seconds, this includes the watch's delivery and the receiver's commit. Prints one line:
probes, p50 and p99 (nearest rank), the largest, in milliseconds.

    bench/lib/lag-probe.py KUBECONFIG RECEIVER_URL CLUSTER_ID PROBES [INTERVAL=1]

The receiver's read key comes from INFRALIGHT_ACCESS_KEY and INFRALIGHT_SECRET_KEY.
"""
import http.client
import json
import math
import os
import sys
import time
import urllib.parse

from kubeconfig import connect

GIVE_UP_SECONDS = 60


def login(receiver):
    receiver.request("POST", "/account/access_keys/login", json.dumps({
        "accessKey": os.environ["INFRALIGHT_ACCESS_KEY"],
        "secretKey": os.environ["INFRALIGHT_SECRET_KEY"]}), {"Content-Type": "application/json"})
    answer = receiver.getresponse()
    body = answer.read()
    if answer.status != 200:
        sys.exit(f"login answered {answer.status}: {body[:200]!r}")
    return {"Authorization": "Bearer " + json.loads(body)["access_token"]}


def write_probe(api, headers, value):
    probe = {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "lag-probe", "namespace": "default"}, "data": {"probe": value}}
    api.request("POST", "/testkit/objects", json.dumps(probe),
                dict(headers, **{"Content-Type": "application/json"}))
    answer = api.getresponse()
    answer.read()
    if answer.status != 204:
        sys.exit(f"POST /testkit/objects answered {answer.status}")


def shows(receiver, auth, path, value):
    receiver.request("GET", path, headers=auth)
    answer = receiver.getresponse()
    body = answer.read()
    if answer.status == 404:
        return False
    if answer.status != 200:
        sys.exit(f"GET {path} answered {answer.status}: {body[:200]!r}")
    return any(item.get("data", {}).get("probe") == value for item in json.loads(body).get("items", []))


def main():
    kubeconfig, receiver_url, cluster, probes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    interval = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
    api, headers = connect(kubeconfig)
    target = urllib.parse.urlsplit(receiver_url)
    receiver = http.client.HTTPConnection(target.hostname, target.port)
    auth = login(receiver)
    path = (f"/v1/clusters/{urllib.parse.quote(cluster)}/objects?"
            + urllib.parse.urlencode({"group": "", "version": "v1", "kind": "ConfigMap",
                                      "namespace": "default", "name": "lag-probe"}))
    lags = []
    for probe in range(probes):
        value = f"{os.getpid()}-{probe}"
        started = time.monotonic()
        write_probe(api, headers, value)
        while not shows(receiver, auth, path, value):
            if time.monotonic() - started > GIVE_UP_SECONDS:
                sys.exit(f"probe {value} not in the receiver after {GIVE_UP_SECONDS} s")
            time.sleep(0.01)
        lags.append((time.monotonic() - started) * 1000)
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
    lags.sort()
    rank = lambda q: lags[max(0, math.ceil(q * len(lags)) - 1)]
    print(f"probes={len(lags)} e2e_lag_p50_ms={rank(0.5):.0f} e2e_lag_p99_ms={rank(0.99):.0f} "
          f"e2e_lag_max_ms={lags[-1]:.0f}")


if __name__ == "__main__":
    main()
