"""The kubeconfig reading of the benchmarks' Python clients: the current context's server,
certificate authority and bearer token, as the test cluster writes them."""
import base64
import http.client
import ssl
import urllib.parse

import yaml


def _named(entries, name, field):
    return next(entry[field] for entry in entries if entry["name"] == name)


def connect(path):
    """A new HTTPS connection to the current context's server and the headers every request needs."""
    with open(path) as f:
        kubeconfig = yaml.safe_load(f)
    context = _named(kubeconfig["contexts"], kubeconfig["current-context"], "context")
    cluster = _named(kubeconfig["clusters"], context["cluster"], "cluster")
    user = _named(kubeconfig["users"], context["user"], "user")
    server = urllib.parse.urlsplit(cluster["server"])
    tls = ssl.create_default_context(
        cadata=base64.b64decode(cluster["certificate-authority-data"]).decode("ascii"))
    connection = http.client.HTTPSConnection(server.hostname, server.port, context=tls)
    return connection, {"Authorization": "Bearer " + user["token"], "Accept": "application/json"}
