#!/usr/bin/env python3
"""A minimal Open311 GeoReport v2 client, written from the specification
(http://wiki.open311.org/GeoReport_v2), standard library only.

Usage: open311_client.py ENDPOINT   (e.g. http://127.0.0.1:8080/open311/v2)

It lists the services, fetches a service definition when the service says it has
metadata, files a service request with the standard form-encoded fields, follows a
token if the server answers with one, reads the request back (singly and in the list
filtered by service_request_id) and checks its status, and checks that a request without
a service_code is refused with the spec's error list. Exits non-zero on any deviation;
prints `service_request_id=<id>` on success.
"""

import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def call(method, url, form=None):
    data = None
    headers = {"Accept": "application/json"}
    if form is not None:
        data = urllib.parse.urlencode(form).encode("utf-8")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.headers.get("Content-Type", ""), res.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8")


def get_json(url, expect=200):
    status, ctype, body = call("GET", url)
    if status != expect:
        fail("GET %s: status %s, body %s" % (url, status, body))
    if "json" not in ctype:
        fail("GET %s: content type %r is not JSON" % (url, ctype))
    return json.loads(body)


def check_request(r, request_id):
    for key in ("service_request_id", "status", "service_code", "requested_datetime"):
        if key not in r:
            fail("request lacks %s: %r" % (key, r))
    if str(r["service_request_id"]) != str(request_id):
        fail("read back %r, filed %r" % (r["service_request_id"], request_id))
    if r["status"] not in ("open", "closed"):
        fail("status must be open or closed, got %r" % r["status"])
    if not W3C_DATETIME.match(r["requested_datetime"]):
        fail("requested_datetime is not a W3C date-time with a zone: %r" % r["requested_datetime"])
    if r.get("updated_datetime") and not W3C_DATETIME.match(r["updated_datetime"]):
        fail("updated_datetime is not a W3C date-time: %r" % r["updated_datetime"])


def main():
    if len(sys.argv) != 2:
        fail("usage: open311_client.py ENDPOINT")
    base = sys.argv[1].rstrip("/")

    # GET Service List
    services = get_json(base + "/services.json")
    if not isinstance(services, list) or not services:
        fail("services.json must be a non-empty array: %r" % services)
    for s in services:
        for key in ("service_code", "service_name", "metadata", "type"):
            if key not in s:
                fail("service lacks %s: %r" % (key, s))
        if s["type"] not in ("realtime", "batch", "blackbox"):
            fail("service type %r" % s["type"])
    service = services[0]
    code = service["service_code"]

    # GET Service Definition, only when the service has metadata
    if service["metadata"] in (True, "true"):
        definition = get_json(base + "/services/%s.json" % urllib.parse.quote(str(code)))
        if "attributes" not in definition:
            fail("service definition lacks attributes")

    # POST Service Request without a service_code: an error list
    status, _, body = call("POST", base + "/requests.json", {"lat": "28.94", "long": "118.87", "description": "x"})
    if status < 400 or status >= 500:
        fail("a request without service_code got status %s" % status)
    errors = json.loads(body)
    if not isinstance(errors, list) or not errors or "code" not in errors[0] or "description" not in errors[0]:
        fail("errors must be a list of {code, description}: %r" % errors)

    # POST Service Request with the standard fields
    form = {
        "service_code": code,
        "lat": "28.9355",
        "long": "118.8712",
        "address_string": "Open311 spec client, Renmin Road",
        "email": "spec-client@example.org",
        "first_name": "Spec",
        "last_name": "Client",
        "phone": "+86 570 1234567",
        "description": "Streetlight out at the crossing (filed by the Open311 spec client).",
    }
    status, ctype, body = call("POST", base + "/requests.json", form)
    if status not in (200, 201):
        fail("POST requests.json: status %s, body %s" % (status, body))
    created = json.loads(body)
    if not isinstance(created, list) or len(created) != 1:
        fail("POST response must be an array of one: %r" % created)
    request_id = created[0].get("service_request_id")
    if not request_id:
        token = created[0].get("token")
        if not token:
            fail("neither service_request_id nor token: %r" % created)
        for _ in range(10):
            tokens = get_json(base + "/tokens/%s.json" % urllib.parse.quote(str(token)))
            if tokens and tokens[0].get("service_request_id"):
                request_id = tokens[0]["service_request_id"]
                break
            time.sleep(1)
        if not request_id:
            fail("the token never turned into a service_request_id")

    # GET Service Request
    one = get_json(base + "/requests/%s.json" % urllib.parse.quote(str(request_id)))
    if not isinstance(one, list) or len(one) != 1:
        fail("requests/{id}.json must be an array of one: %r" % one)
    check_request(one[0], request_id)
    if one[0]["service_code"] != code:
        fail("service_code %r, filed %r" % (one[0]["service_code"], code))
    if "spec-client@example.org" in json.dumps(one):
        fail("the reporter's e-mail is shown publicly")

    # GET Service Requests filtered by service_request_id
    listed = get_json(base + "/requests.json?" + urllib.parse.urlencode({"service_request_id": request_id}))
    if not any(str(r.get("service_request_id")) == str(request_id) for r in listed):
        fail("requests.json?service_request_id= does not list %s: %r" % (request_id, listed))
    for r in listed:
        check_request(r, request_id)

    print("status=" + one[0]["status"])
    print("service_request_id=" + str(request_id))


if __name__ == "__main__":
    main()
