"""Hand-made cases for CloudFront standard logs (legacy standard logging to S3, the `cloudfront` type).

Written after "Standard logging reference" / "Standard log file format" (CloudFront developer
guide). A log file is W3C extended format, tab separated, and starts with two header lines,
`#Version: 1.0` and `#Fields: ...` naming the fields of each record, in order. The current file
has 33 fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status
cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id
x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher
x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port
time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start
sc-range-end. Older files name fewer fields in their header (a 2018 file stops at
fle-encrypted-fields); the header, not a fixed list, names the values.

Field values "contain URL-encoded equivalents for spaces and certain other characters": bytes 0-32,
127 and above, and < > " # % { } | \\ ^ ~ [ ] ` ' are written %XX (RFC 1738). A `%` the viewer sent
is itself encoded, so `/a%20b` is logged `/a%2520b`. The expected values are decoded once, which
gives back what the viewer sent (`/a%20b`); this applies to every field, notably cs-uri-stem,
cs(Referer), cs(User-Agent), cs-uri-query and cs(Cookie).

sc-status `000` means the viewer closed the connection before the server responded (kept as 0).
`-` is None. Key: `[prefix/]<distribution ID>.YYYY-MM-DD-HH.<unique ID>.gz` (UTC hour); it names
no account and no region.

Expectations: field names are the W3C names lower-cased, `-` turned into `_`, `cs(X)` into `cs_x`
(`cs(User-Agent)` -> `cs_user_agent`, `cs(Host)` -> `cs_host`). sc_status, sc_bytes, cs_bytes,
c_port and sc_content_len are ints, time_taken and time_to_first_byte floats, everything else a
string. Common columns: ts from date and time, src_ip = c-ip, action = cs-method, outcome from
sc-status, user_agent decoded; '' when there is no value.
"""

HEADER_33 = (
    "#Version: 1.0\n"
    "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
    "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes "
    "time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status "
    "fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len "
    "sc-range-start sc-range-end\n"
)
HEADER_26 = (
    "#Version: 1.0\n"
    "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
    "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes "
    "time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status "
    "fle-encrypted-fields\n"
)


def row(*values: str) -> str:
    """One record: its values separated by tabs."""
    return "\t".join(values)


def lines(header: str, *records: str) -> str:
    """The object's text: the header lines, then one line per record, newline terminated."""
    return header + "".join(r + "\n" for r in records)


DIST = "d111111abcdef8.cloudfront.net"
CHROME78 = ("Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)"
            "%20Chrome/78.0.3904.108%20Safari/537.36")
CHROME78_DECODED = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/78.0.3904.108 Safari/537.36")
FIREFOX = "Mozilla/5.0%20(X11;%20Linux%20x86_64;%20rv:122.0)%20Gecko/20100101%20Firefox/122.0"
FIREFOX_DECODED = "Mozilla/5.0 (X11; Linux x86_64; rv:122.0) Gecko/20100101 Firefox/122.0"

CASES = [
    {
        # The documented example file. Its third record ends with a stray tab (an empty 34th value).
        "name": "cloudfront documented example",
        "key": "cf-logs/EMLARXS9EXAMPLE.2019-12-04-21.RT4KCN4SGK9.gz",
        "content": lines(
            HEADER_33,
            row("2019-12-04", "21:02:31", "LAX1", "392", "192.0.2.100", "GET", DIST, "/index.html", "200", "-",
                CHROME78, "-", "-", "Hit", "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==", DIST, "https",
                "23", "0.001", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Hit", "HTTP/2.0", "-", "-", "11040",
                "0.001", "Hit", "text/html", "78", "-", "-"),
            row("2019-12-04", "21:02:31", "LAX1", "392", "192.0.2.100", "GET", DIST, "/index.html", "200", "-",
                CHROME78, "-", "-", "Hit", "k6WGMNkEzR5BEM_SaF47gjtX9zBDO2m349OY2an0QPEaUum1ZOLrow==", DIST, "https",
                "23", "0.000", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Hit", "HTTP/2.0", "-", "-", "11040",
                "0.000", "Hit", "text/html", "78", "-", "-"),
            row("2019-12-04", "21:02:31", "LAX1", "392", "192.0.2.100", "GET", DIST, "/index.html", "200", "-",
                CHROME78, "-", "-", "Hit", "f37nTMVvnKvV2ZSvEsivup_c2kZ7VXzYdjC-GUQZ5qNs-89BlWazbw==", DIST, "https",
                "23", "0.001", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Hit", "HTTP/2.0", "-", "-", "11040",
                "0.001", "Hit", "text/html", "78", "-", "-", ""),
            row("2019-12-13", "22:36:27", "SEA19-C1", "900", "192.0.2.200", "GET", DIST, "/favicon.ico", "502",
                "http://www.example.com/", CHROME78, "-", "-", "Error",
                "1pkpNfBQ39sYMnjjUQjmH2w1wdJnbHYTbag21o_3OfcQgPzdL2RSSQ==", "www.example.com", "http", "675", "0.102",
                "-", "-", "-", "Error", "HTTP/1.1", "-", "-", "25260", "0.102", "OriginDnsError", "text/html", "507",
                "-", "-"),
            row("2019-12-13", "22:36:26", "SEA19-C1", "900", "192.0.2.200", "GET", DIST, "/", "502", "-", CHROME78,
                "-", "-", "Error", "3AqrZGCnF_g0-5KOvfA7c9XLcf4YGvMFSeFdIetR1N_2y8jSis8Zxg==", "www.example.com",
                "http", "735", "0.107", "-", "-", "-", "Error", "HTTP/1.1", "-", "-", "3802", "0.107",
                "OriginDnsError", "text/html", "507", "-", "-"),
            row("2019-12-13", "22:37:02", "SEA19-C2", "900", "192.0.2.200", "GET", DIST, "/", "502", "-",
                "curl/7.55.1", "-", "-", "Error", "kBkDzGnceVtWHqSCqBUqtA_cEs2T3tFUBbnBNkB9El_uVRhHgcZfcw==",
                "www.example.com", "http", "387", "0.103", "-", "-", "-", "Error", "HTTP/1.1", "-", "-", "12644",
                "0.103", "OriginDnsError", "text/html", "507", "-", "-"),
        ),
        "records": [
            {
                "date": "2019-12-04",
                "time": "21:02:31",
                "x_edge_location": "LAX1",
                "sc_bytes": 392,
                "c_ip": "192.0.2.100",
                "cs_method": "GET",
                "cs_host": DIST,
                "cs_uri_stem": "/index.html",
                "sc_status": 200,
                "cs_referer": None,
                "cs_user_agent": CHROME78_DECODED,
                "cs_uri_query": None,
                "cs_cookie": None,
                "x_edge_result_type": "Hit",
                "x_edge_request_id": "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==",
                "x_host_header": DIST,
                "cs_protocol": "https",
                "cs_bytes": 23,
                "time_taken": 0.001,
                "x_forwarded_for": None,
                "ssl_protocol": "TLSv1.2",
                "ssl_cipher": "ECDHE-RSA-AES128-GCM-SHA256",
                "x_edge_response_result_type": "Hit",
                "cs_protocol_version": "HTTP/2.0",
                "fle_status": None,
                "fle_encrypted_fields": None,
                "c_port": 11040,
                "time_to_first_byte": 0.001,
                "x_edge_detailed_result_type": "Hit",
                "sc_content_type": "text/html",
                "sc_content_len": 78,
                "sc_range_start": None,
                "sc_range_end": None,
            },
            {"x_edge_request_id": "k6WGMNkEzR5BEM_SaF47gjtX9zBDO2m349OY2an0QPEaUum1ZOLrow==", "time_taken": 0.0,
             "time_to_first_byte": 0.0},
            {"x_edge_request_id": "f37nTMVvnKvV2ZSvEsivup_c2kZ7VXzYdjC-GUQZ5qNs-89BlWazbw==", "sc_range_end": None},
            {"date": "2019-12-13", "x_edge_location": "SEA19-C1", "sc_bytes": 900, "cs_uri_stem": "/favicon.ico",
             "sc_status": 502, "cs_referer": "http://www.example.com/", "x_edge_result_type": "Error",
             "x_host_header": "www.example.com", "cs_protocol": "http", "cs_bytes": 675, "ssl_protocol": None,
             "ssl_cipher": None, "cs_protocol_version": "HTTP/1.1", "c_port": 25260,
             "x_edge_detailed_result_type": "OriginDnsError", "sc_content_len": 507},
            {"time": "22:36:26", "cs_uri_stem": "/", "cs_referer": None, "time_taken": 0.107},
            {"x_edge_location": "SEA19-C2", "cs_user_agent": "curl/7.55.1", "c_port": 12644},
        ],
        "common": [
            {"ts": "2019-12-04 21:02:31.000", "src_ip": "192.0.2.100", "action": "GET", "outcome": "success",
             "user_agent": CHROME78_DECODED, "ips": ["192.0.2.100"], "account_id": "", "region": ""},
            {"ts": "2019-12-04 21:02:31.000"},
            {"ts": "2019-12-04 21:02:31.000", "outcome": "success"},
            {"ts": "2019-12-13 22:36:27.000", "src_ip": "192.0.2.200", "outcome": "failure"},
            {"ts": "2019-12-13 22:36:26.000", "outcome": "failure"},
            {"ts": "2019-12-13 22:37:02.000", "user_agent": "curl/7.55.1", "outcome": "failure"},
        ],
    },
    {
        # URL-encoded values: spaces (%20) and quotes (%22) are encoded, and a % the viewer sent is
        # written %25 (so a path the viewer sent as /my%20report is logged /my%2520report).
        "name": "cloudfront url encoded values",
        "key": "E2EXAMPLE12345.2024-02-10-14.a1b2c3d4.gz",
        "content": lines(
            HEADER_33,
            row("2024-02-10", "14:22:05", "FRA56-P4", "5120", "198.51.100.24", "GET", DIST,
                "/assets/my%2520report%2520(final).pdf", "200", "https://www.example.com/search?q=annual%2520report",
                FIREFOX, "q=annual%2520report&lang=en&tag=%2522draft%2522", "session-id=abc123;%20theme=dark", "Miss",
                "Zp3X1yYbB8wqk6r0m9LkQ2fJ8sVt7uWxY1zA2bC3dE4fG5hI6jK7lA==", "www.example.com", "https", "412",
                "0.231", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Miss", "HTTP/2.0", "-", "-", "52344", "0.229",
                "Miss", "application/pdf", "4608", "-", "-"),
            row("2024-02-10", "14:22:09", "FRA56-P4", "1051", "198.51.100.99", "GET", DIST, "/search", "403", "-",
                "sqlmap/1.7.2%23stable%20(https://sqlmap.org)", "id=1%2527%2520OR%25201=1--", "-", "Error",
                "aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV1wX2yZ3aB4cD5eF6gH7iJ8==", "www.example.com", "https", "288",
                "0.001", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Error", "HTTP/1.1", "-", "-", "41002",
                "0.001", "Error", "text/html", "919", "-", "-"),
        ),
        "records": [
            {"cs_uri_stem": "/assets/my%20report%20(final).pdf",
             "cs_referer": "https://www.example.com/search?q=annual%20report",
             "cs_user_agent": FIREFOX_DECODED,
             "cs_uri_query": "q=annual%20report&lang=en&tag=%22draft%22",
             "cs_cookie": "session-id=abc123; theme=dark",
             "x_host_header": "www.example.com", "ssl_protocol": "TLSv1.3", "sc_content_type": "application/pdf",
             "sc_content_len": 4608, "time_taken": 0.231, "time_to_first_byte": 0.229},
            {"cs_user_agent": "sqlmap/1.7.2#stable (https://sqlmap.org)",
             "cs_uri_query": "id=1%27%20OR%201=1--", "sc_status": 403, "cs_cookie": None},
        ],
        "common": [
            {"ts": "2024-02-10 14:22:05.000", "src_ip": "198.51.100.24", "action": "GET", "outcome": "success",
             "user_agent": FIREFOX_DECODED},
            {"ts": "2024-02-10 14:22:09.000", "outcome": "failure",
             "user_agent": "sqlmap/1.7.2#stable (https://sqlmap.org)"},
        ],
    },
    {
        # An IPv6 viewer; a viewer behind a proxy (c-ip is the proxy, x-forwarded-for the viewer).
        "name": "cloudfront ipv6 and x-forwarded-for",
        "key": "cloudfront/E2EXAMPLE12345.2024-02-10-15.b2c3d4e5.gz",
        "content": lines(
            HEADER_33,
            row("2024-02-10", "15:01:44", "IAD89-C3", "1780", "2001:db8:85a3::8a2e:370:7334", "GET", DIST,
                "/api/v1/profile", "200", "-", FIREFOX, "-", "-", "Miss",
                "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c2V3b4N5m6Qw==", "api.example.com", "https", "356",
                "0.058", "-", "TLSv1.3", "TLS_AES_256_GCM_SHA384", "Miss", "HTTP/2.0", "-", "-", "443", "0.057",
                "Miss", "application/json", "1210", "-", "-"),
            row("2024-02-10", "15:01:47", "IAD89-C3", "2033", "192.0.2.10", "POST", DIST, "/api/v1/login", "401",
                "https://www.example.com/login", FIREFOX, "-", "-", "Error",
                "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8Nn7Mm6Ll5Kk4Jj3Ii2Hh==", "api.example.com", "https", "742",
                "0.120", "203.0.113.195", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Error", "HTTP/1.1", "-", "-",
                "61001", "0.119", "Error", "application/json", "44", "-", "-"),
        ),
        "records": [
            {"c_ip": "2001:db8:85a3::8a2e:370:7334", "c_port": 443, "ssl_cipher": "TLS_AES_256_GCM_SHA384",
             "sc_content_type": "application/json"},
            {"c_ip": "192.0.2.10", "cs_method": "POST", "sc_status": 401, "x_forwarded_for": "203.0.113.195",
             "cs_referer": "https://www.example.com/login"},
        ],
        "common": [
            {"ts": "2024-02-10 15:01:44.000", "src_ip": "2001:db8:85a3::8a2e:370:7334",
             "ips": ["2001:db8:85a3::8a2e:370:7334"], "outcome": "success"},
            {"ts": "2024-02-10 15:01:47.000", "src_ip": "192.0.2.10", "action": "POST", "outcome": "failure"},
        ],
    },
    {
        # 000: the viewer closed the connection before the server responded. Then a request refused by
        # geographic restriction (ClientGeoBlocked) and a revalidated cache hit (RefreshHit, 304).
        "name": "cloudfront status 000 and result types",
        "key": "cf/EMLARXS9EXAMPLE.2022-04-19-12.9f8e7d6c.gz",
        "content": lines(
            HEADER_33,
            row("2022-04-19", "12:29:36", "SEA19-C2", "0", "198.51.100.45", "POST", DIST, "/getApplications", "000",
                "https://www.example.com/global", CHROME78, "source=global", "-", "Error",
                "hrsHM5OM6sTIXUleC1G20YtDxMf5Cq0Jbz0pwhVpod2kgEn_W6akCQ==", "www.example.com", "https", "1057",
                "0.238", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Error", "HTTP/2.0", "-", "-", "4203", "0.000",
                "ClientCommError", "-", "-", "-", "-"),
            row("2022-04-19", "12:30:02", "SEA19-C2", "547", "203.0.113.88", "GET", DIST, "/", "403", "-",
                "curl/7.81.0", "-", "-", "Error", "mN3bV5cX7zL9kJ1hG3fD5sA7pO9iU1yT3rE5wQ7aS9dF1gH3jK5lZx==",
                "www.example.com", "https", "96", "0.000", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Error",
                "HTTP/1.1", "-", "-", "38812", "0.000", "ClientGeoBlocked", "text/html", "-", "-", "-"),
            row("2022-04-19", "12:31:15", "SEA19-C2", "311", "198.51.100.45", "GET", DIST, "/static/app.js", "304",
                "https://www.example.com/global", CHROME78, "v=42", "-", "RefreshHit",
                "pL0oK9iJ8uH7yG6tF5rD4eS3wA2qZ1xC0vB9nM8lK7jH6gF5dS4aQw==", "www.example.com", "https", "611",
                "0.017", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "RefreshHit", "HTTP/2.0", "-", "-", "4207",
                "0.017", "RefreshHit", "application/javascript", "-", "-", "-"),
        ),
        "records": [
            {"sc_status": 0, "sc_bytes": 0, "x_edge_result_type": "Error", "x_edge_detailed_result_type": "ClientCommError",
             "cs_uri_query": "source=global", "sc_content_type": None, "sc_content_len": None,
             "time_to_first_byte": 0.0},
            {"sc_status": 403, "x_edge_detailed_result_type": "ClientGeoBlocked", "sc_content_len": None},
            {"sc_status": 304, "x_edge_result_type": "RefreshHit", "cs_uri_query": "v=42",
             "sc_content_type": "application/javascript"},
        ],
        "common": [
            {"ts": "2022-04-19 12:29:36.000", "src_ip": "198.51.100.45", "action": "POST"},
            {"ts": "2022-04-19 12:30:02.000", "outcome": "failure"},
            {"ts": "2022-04-19 12:31:15.000", "outcome": "success"},
        ],
    },
    {
        # The last record lacks its last two values (sc-range-start, sc-range-end) and the file has no
        # final newline: missing trailing fields are None, not an error.
        "name": "cloudfront short last line",
        "key": "EMLARXS9EXAMPLE.2024-07-13-15.c0d1e2f3.gz",
        "content": lines(
            HEADER_33,
            row("2024-07-13", "15:29:44", "EWR53-C1", "198083", "192.0.2.7", "GET", DIST, "/video/intro.mp4", "206",
                "https://www.example.com/", FIREFOX, "-", "-", "Hit", "Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6QqA==",
                "www.example.com", "https", "609", "0.318", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit",
                "HTTP/1.1", "-", "-", "50294", "0.004", "Hit", "video/mp4", "197632", "0", "197631"),
        ) + row("2024-07-13", "15:29:45", "EWR53-C1", "198083", "192.0.2.7", "GET", DIST, "/en(test)", "404",
                "https://www.example.com/", FIREFOX, "-", "cookie", "Error",
                "Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6Qq7Rr8SsB==", "www.example.com", "https", "609",
                "0.318", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Error", "HTTP/1.1", "-", "-", "50294", "0.318",
                "Error", "text/html", "-"),
        "records": [
            {"sc_status": 206, "sc_content_type": "video/mp4", "sc_content_len": 197632},
            {"cs_uri_stem": "/en(test)", "sc_status": 404, "cs_cookie": "cookie", "sc_content_type": "text/html",
             "sc_content_len": None, "sc_range_start": None, "sc_range_end": None},
        ],
        "common": [
            {"ts": "2024-07-13 15:29:44.000", "outcome": "success"},
            {"ts": "2024-07-13 15:29:45.000", "src_ip": "192.0.2.7", "outcome": "failure"},
        ],
    },
    {
        # A 2018 file: its header names 26 fields (up to fle-encrypted-fields); c-port and the fields
        # added after it are absent.
        "name": "cloudfront older 26 field header",
        "key": "cf-logs/E1OLDEXAMPLE2018.2018-06-30-01.d4e5f6a7.gz",
        "content": lines(
            HEADER_26,
            row("2018-06-30", "01:42:39", "DFW3", "4260", "192.0.2.183", "GET", DIST, "/images/cat.jpg", "200",
                "https://www.example.com/pets", FIREFOX, "size=large", "-", "Hit",
                "Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6Qq7Rr8Ss9TtC==", "www.example.com", "https", "421",
                "0.082", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Hit", "HTTP/1.1", "-", "-"),
        ),
        "records": [
            {"x_edge_location": "DFW3", "sc_bytes": 4260, "cs_uri_stem": "/images/cat.jpg", "cs_uri_query": "size=large",
             "time_taken": 0.082, "cs_protocol_version": "HTTP/1.1", "fle_status": None, "c_port": None,
             "time_to_first_byte": None, "x_edge_detailed_result_type": None, "sc_range_end": None},
        ],
        "common": [
            {"ts": "2018-06-30 01:42:39.000", "src_ip": "192.0.2.183", "action": "GET", "outcome": "success",
             "user_agent": FIREFOX_DECODED},
        ],
    },
    {
        # A secured WebSocket connection (cs-protocol wss, logged when it closes) and an HTTP request
        # redirected to HTTPS by the viewer protocol policy (Redirect, 301).
        "name": "cloudfront websocket and redirect",
        "key": "cf-logs/E3WSEXAMPLE77.2023-09-01-08.e5f6a7b8.gz",
        "content": lines(
            HEADER_33,
            row("2023-09-01", "08:15:02", "LHR61-P1", "48213", "203.0.113.61", "GET", DIST, "/socket", "101", "-",
                "Mozilla/5.0%20(Macintosh;%20Intel%20Mac%20OS%20X%2010_15_7)", "-", "-", "Miss",
                "Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6Qq7Rr8Ss9Tt0UuD==", "chat.example.com", "wss", "9911",
                "1834.112", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Miss", "HTTP/1.1", "-", "-", "53110", "0.041",
                "Miss", "-", "-", "-", "-"),
            row("2023-09-01", "08:16:00", "LHR61-P1", "413", "203.0.113.62", "GET", DIST, "/pricing", "301", "-",
                "curl/8.1.2", "-", "-", "Redirect", "Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6Qq7Rr8Ss9Tt0Uu1VvE==",
                "www.example.com", "http", "79", "0.000", "-", "-", "-", "Redirect", "HTTP/1.1", "-", "-", "50732",
                "0.000", "Redirect", "text/html", "167", "-", "-"),
        ),
        "records": [
            {"cs_protocol": "wss", "sc_status": 101, "time_taken": 1834.112, "x_edge_result_type": "Miss",
             "cs_user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)"},
            {"cs_protocol": "http", "sc_status": 301, "x_edge_result_type": "Redirect", "ssl_protocol": None,
             "ssl_cipher": None},
        ],
        "common": [
            {"ts": "2023-09-01 08:15:02.000", "outcome": "success",
             "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)"},
            {"ts": "2023-09-01 08:16:00.000", "outcome": "success", "user_agent": "curl/8.1.2"},
        ],
    },
    {
        # Malformed records are rejected by line number (the two header lines count): a truncated
        # record and one with an unreadable date.
        "name": "cloudfront malformed lines among good ones",
        "key": "cf-logs/EMLARXS9EXAMPLE.2019-12-04-22.f6a7b8c9.gz",
        "content": lines(
            HEADER_33,
            row("2019-12-04", "22:00:01", "LAX1", "392", "192.0.2.101", "GET", DIST, "/index.html", "200", "-",
                CHROME78, "-", "-", "Hit", "Ff6Gg7Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6Qq7Rr8Ss9Tt0Uu1Vv2WwF==", DIST, "https",
                "23", "0.001", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Hit", "HTTP/2.0", "-", "-", "11041",
                "0.001", "Hit", "text/html", "78", "-", "-"),
            row("2019-12-04", "22:00:02", "LAX1", "392"),
            row("2019-12-04", "22:00:03", "LAX1", "392", "192.0.2.103", "GET", DIST, "/index.html", "200", "-",
                CHROME78, "-", "-", "Hit", "Gg7Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6Qq7Rr8Ss9Tt0Uu1Vv2Ww3XxG==", DIST, "https",
                "23", "0.001", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Hit", "HTTP/2.0", "-", "-", "11043",
                "0.001", "Hit", "text/html", "78", "-", "-"),
            row("2019-13-45", "22:00:04", "LAX1", "392", "192.0.2.104", "GET", DIST, "/index.html", "200", "-",
                CHROME78, "-", "-", "Hit", "Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6Qq7Rr8Ss9Tt0Uu1Vv2Ww3Xx4YyH==", DIST, "https",
                "23", "0.001", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Hit", "HTTP/2.0", "-", "-", "11044",
                "0.001", "Hit", "text/html", "78", "-", "-"),
            row("2019-12-04", "22:00:05", "LAX1", "392", "192.0.2.105", "GET", DIST, "/index.html", "200", "-",
                CHROME78, "-", "-", "Hit", "Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6Qq7Rr8Ss9Tt0Uu1Vv2Ww3Xx4Yy5ZzI==", DIST, "https",
                "23", "0.001", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "Hit", "HTTP/2.0", "-", "-", "11045",
                "0.001", "Hit", "text/html", "78", "-", "-"),
        ),
        "records": [
            {"c_ip": "192.0.2.101", "c_port": 11041},
            {"c_ip": "192.0.2.103", "c_port": 11043},
            {"c_ip": "192.0.2.105", "c_port": 11045},
        ],
        "common": [
            {"src_ip": "192.0.2.101"},
            {"src_ip": "192.0.2.103"},
            {"src_ip": "192.0.2.105"},
        ],
        "errors": [(4, "too few fields"), (6, "unreadable time")],
    },
    {
        # A file holding only its two header lines has no records and no errors.
        "name": "cloudfront headers only",
        "key": "cf-logs/EMLARXS9EXAMPLE.2019-12-05-03.a7b8c9d0.gz",
        "content": HEADER_33,
        "records": [],
    },
]
