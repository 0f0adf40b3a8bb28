"""A minimal S3 client (SigV4, path-style, http only) in the Python standard library.

bench/mount_workload.py uses it to look at the bucket behind a mount: to tell when an object
written through a mount is durable (HEAD until the new size and ETag show), and to create many
small objects directly, not through a mount. Credentials come from S3_TEST_ACCESS_KEY and
S3_TEST_SECRET_KEY, the endpoint from S3_TEST_ENDPOINT; nothing is logged.
"""
import datetime
import hashlib
import hmac
import http.client
import os
import urllib.parse
import xml.etree.ElementTree as ET

_S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def _quote(text, safe="-_.~"):
    return urllib.parse.quote(text, safe=safe)


class S3Mini:
    def __init__(self, endpoint=None, region=None, timeout=60):
        endpoint = endpoint or os.environ["S3_TEST_ENDPOINT"]
        parsed = urllib.parse.urlsplit(endpoint)
        if parsed.scheme != "http":
            raise ValueError("s3mini speaks http only: " + endpoint)
        self.host = parsed.netloc
        self.region = region or os.environ.get("S3_TEST_REGION", "us-east-1")
        self.access_key = os.environ["S3_TEST_ACCESS_KEY"]
        self.secret_key = os.environ["S3_TEST_SECRET_KEY"]
        self.timeout = timeout
        self._connection = None

    def _headers(self, method, path, query, now):
        amz_date = now.strftime("%Y%m%dT%H%M%SZ")
        day = amz_date[:8]
        headers = {"host": self.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "x-amz-date": amz_date}
        names = sorted(headers)
        canonical_query = "&".join(
            _quote(k) + "=" + _quote(v) for k, v in sorted(query.items()))
        canonical = "\n".join([
            method, _quote(path, safe="/-_.~"), canonical_query,
            "".join(n + ":" + headers[n] + "\n" for n in names), ";".join(names), "UNSIGNED-PAYLOAD"])
        scope = day + "/" + self.region + "/s3/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                             hashlib.sha256(canonical.encode()).hexdigest()])
        key = ("AWS4" + self.secret_key).encode()
        for part in (day, self.region, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        headers["authorization"] = (
            "AWS4-HMAC-SHA256 Credential=" + self.access_key + "/" + scope +
            ", SignedHeaders=" + ";".join(names) + ", Signature=" + signature)
        return headers

    def request(self, method, bucket, key="", query=None, body=b""):
        """Returns (status, headers dict with lower-case names, body bytes). Retries once on a
        dropped kept-alive connection."""
        query = query or {}
        path = "/" + bucket + ("/" + key if key else "")
        url = _quote(path, safe="/-_.~")
        if query:
            url += "?" + "&".join(_quote(k) + "=" + _quote(v) for k, v in sorted(query.items()))
        for attempt in range(2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self.host, timeout=self.timeout)
            headers = self._headers(method, path, query, datetime.datetime.now(datetime.timezone.utc))
            headers["content-length"] = str(len(body))
            try:
                self._connection.request(method, url, body=body, headers=headers)
                response = self._connection.getresponse()
                data = response.read()
                return response.status, {k.lower(): v for k, v in response.getheaders()}, data
            except (http.client.HTTPException, ConnectionError):
                self._connection.close()
                self._connection = None
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def head(self, bucket, key):
        """(size, etag) of the object, or None if it does not exist."""
        status, headers, _ = self.request("HEAD", bucket, key)
        if status == 404:
            return None
        if status != 200:
            raise RuntimeError("HEAD %s/%s: HTTP %d" % (bucket, key, status))
        return int(headers.get("content-length", "0")), headers.get("etag", "")

    def put(self, bucket, key, body):
        status, _, data = self.request("PUT", bucket, key, body=body)
        if status != 200:
            raise RuntimeError("PUT %s/%s: HTTP %d %s" % (bucket, key, status, data[:200]))

    def count(self, bucket, prefix=""):
        """Number of objects under prefix (ListObjectsV2, every page)."""
        total, token = 0, None
        while True:
            query = {"list-type": "2", "prefix": prefix, "max-keys": "1000"}
            if token:
                query["continuation-token"] = token
            status, _, data = self.request("GET", bucket, query=query)
            if status != 200:
                raise RuntimeError("LIST %s: HTTP %d" % (bucket, status))
            root = ET.fromstring(data)
            total += len(root.findall(_S3_NS + "Contents"))
            token_node = root.find(_S3_NS + "NextContinuationToken")
            if root.findtext(_S3_NS + "IsTruncated") != "true" or token_node is None:
                return total
            token = token_node.text
