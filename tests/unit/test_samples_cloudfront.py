"""A published CloudFront standard log parses to the values it holds, every field of every record."""
from __future__ import annotations

from pathlib import Path

import pytest

from backtrail.ingest.parse import Malformed, parse_file
from backtrail.logtypes import registry

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
CLOUDFRONT = SAMPLES / "cloudfront" / "elastic-integrations" / "test-cloudfront.log"

DIST = "d111111abcdef8.cloudfront.net"
CHROME78 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/78.0.3904.108 Safari/537.36")
CHROME100 = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/100.0.4896.127 Safari/537.36")
HEADLESS = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/100.0.4896.88 Safari/537.36")
MSIE = "User-Agent: Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 5.1; 360SE)"


def _expected() -> list[dict]:
    """Every field of every record (absent: `-`), each record given by what differs from the one before."""
    first = {
        "date": "2019-12-04", "time": "21:02:31", "x_edge_location": "LAX1", "sc_bytes": 392,
        "c_ip": "89.160.20.112", "cs_method": "GET", "cs_host": DIST, "cs_uri_stem": "/index.html",
        "sc_status": 200, "cs_user_agent": CHROME78, "x_edge_result_type": "Hit",
        "x_edge_request_id": "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==", "x_host_header": DIST,
        "cs_protocol": "https", "cs_bytes": 23, "time_taken": 0.001, "ssl_protocol": "TLSv1.2",
        "ssl_cipher": "ECDHE-RSA-AES128-GCM-SHA256", "x_edge_response_result_type": "Hit",
        "cs_protocol_version": "HTTP/2.0", "c_port": 11040, "time_to_first_byte": 0.001,
        "x_edge_detailed_result_type": "Hit", "sc_content_type": "text/html", "sc_content_len": 78,
    }
    changes = [
        {},
        {"c_ip": "2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6",
         "x_edge_request_id": "k6WGMNkEzR5BEM_SaF47gjtX9zBDO2m349OY2an0QPEaUum1ZOLrow==",
         "time_taken": 0.0, "time_to_first_byte": 0.0},
        {"c_ip": "89.160.20.112", "x_edge_request_id": "f37nTMVvnKvV2ZSvEsivup_c2kZ7VXzYdjC-GUQZ5qNs-89BlWazbw==",
         "time_taken": 0.001, "time_to_first_byte": 0.001},
        {"date": "2019-12-13", "time": "22:36:27", "x_edge_location": "SEA19-C1", "sc_bytes": 900,
         "cs_uri_stem": "/favicon.ico", "sc_status": 502, "cs_referer": "http://www.example.com/",
         "x_edge_result_type": "Error", "x_edge_request_id": "1pkpNfBQ39sYMnjjUQjmH2w1wdJnbHYTbag21o_3OfcQgPzdL2RSSQ==",
         "x_host_header": "www.example.com", "cs_protocol": "http", "cs_bytes": 675, "time_taken": 0.102,
         "ssl_protocol": None, "ssl_cipher": None, "x_edge_response_result_type": "Error",
         "cs_protocol_version": "HTTP/1.1", "c_port": 25260, "time_to_first_byte": 0.102,
         "x_edge_detailed_result_type": "OriginDnsError", "sc_content_len": 507},
        {"time": "22:36:26", "cs_uri_stem": "/", "cs_referer": None,
         "x_edge_request_id": "3AqrZGCnF_g0-5KOvfA7c9XLcf4YGvMFSeFdIetR1N_2y8jSis8Zxg==", "cs_bytes": 735,
         "time_taken": 0.107, "c_port": 3802, "time_to_first_byte": 0.107},
        {"time": "22:37:02", "x_edge_location": "SEA19-C2", "cs_user_agent": "curl/7.55.1",
         "x_edge_request_id": "kBkDzGnceVtWHqSCqBUqtA_cEs2T3tFUBbnBNkB9El_uVRhHgcZfcw==", "cs_bytes": 387,
         "time_taken": 0.103, "c_port": 12644, "time_to_first_byte": 0.103},
        {"date": "2022-04-19", "time": "12:29:36", "sc_bytes": 10157, "c_ip": "81.2.69.143", "cs_method": "POST",
         "cs_uri_stem": "/getApplications", "sc_status": 200, "cs_referer": "https://test.com/global",
         "cs_user_agent": CHROME100, "cs_uri_query": "source=global", "x_edge_result_type": "Miss",
         "x_edge_request_id": "hrsHM5OM6sTIXUleC1G20YtDxMf5Cq0Jbz0pwhVpod2kgEn_W6akCQ==",
         "x_host_header": "test.com", "cs_protocol": "https", "cs_bytes": 1057, "time_taken": 0.238,
         "ssl_protocol": "TLSv1.3", "ssl_cipher": "TLS_AES_128_GCM_SHA256", "x_edge_response_result_type": "Miss",
         "cs_protocol_version": "HTTP/2.0", "c_port": 4203, "time_to_first_byte": 0.238,
         "x_edge_detailed_result_type": "Miss", "sc_content_type": "application/json;charset=UTF-8",
         "sc_content_len": None},
        {"sc_status": 0},
        {"date": "2022-11-15", "time": "08:43:04", "cs_method": "GET", "sc_status": 200, "cs_user_agent": HEADLESS,
         "cs_uri_query": None, "time_taken": 0.093, "x_forwarded_for": "81.2.69.142,216.160.83.56",
         "ssl_protocol": "TLSv1.2", "ssl_cipher": "ECDHE-RSA-AES128-GCM-SHA256", "cs_protocol_version": "HTTP/1.1",
         "c_port": 33359, "time_to_first_byte": 0.093, "sc_content_type": "application/javascript"},
        {"x_forwarded_for": "81.2.69.142, 216.160.83.56"},
        {"x_forwarded_for": "localhost:8080"},
        # The last line is short: it stops at sc-content-len (`-`), without the two range fields.
        {"date": "2024-07-13", "time": "15:29:45", "x_edge_location": "EWR53-C1", "sc_bytes": 198083,
         "c_ip": "127.0.0.1", "cs_host": "xxxxxxxxxxxxx.cloudfront.net", "cs_uri_stem": "/en(test)", "sc_status": 404,
         "cs_referer": "https://domain.tld/", "cs_user_agent": MSIE, "cs_cookie": "cookie",
         "x_edge_result_type": "Error", "x_edge_request_id": "somevalidbase64==", "x_host_header": "domain.tld",
         "cs_bytes": 609, "time_taken": 0.318, "x_forwarded_for": None, "ssl_protocol": "TLSv1.3",
         "ssl_cipher": "TLS_AES_128_GCM_SHA256", "x_edge_response_result_type": "Error", "c_port": 50294,
         "time_to_first_byte": 0.318, "x_edge_detailed_result_type": "Error", "sc_content_type": "text/html"},
    ]
    records, current = [], first
    for change in changes:
        current = {k: v for k, v in {**current, **change}.items() if v is not None}
        records.append(current)
    return records


# ts, src_ip, action, outcome, user_agent, resource, ips of each record.
COMMON = [
    ("2019-12-04 21:02:31.000", "89.160.20.112", "GET", "success", CHROME78, f"https://{DIST}/index.html",
     ["89.160.20.112"]),
    ("2019-12-04 21:02:31.000", "2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6", "GET", "success", CHROME78,
     f"https://{DIST}/index.html", ["2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6"]),
    ("2019-12-04 21:02:31.000", "89.160.20.112", "GET", "success", CHROME78, f"https://{DIST}/index.html",
     ["89.160.20.112"]),
    ("2019-12-13 22:36:27.000", "89.160.20.112", "GET", "failure", CHROME78, "http://www.example.com/favicon.ico",
     ["89.160.20.112"]),
    ("2019-12-13 22:36:26.000", "89.160.20.112", "GET", "failure", CHROME78, "http://www.example.com/",
     ["89.160.20.112"]),
    ("2019-12-13 22:37:02.000", "89.160.20.112", "GET", "failure", "curl/7.55.1", "http://www.example.com/",
     ["89.160.20.112"]),
    ("2022-04-19 12:29:36.000", "81.2.69.143", "POST", "success", CHROME100,
     "https://test.com/getApplications?source=global", ["81.2.69.143"]),
    ("2022-04-19 12:29:36.000", "81.2.69.143", "POST", "failure", CHROME100,
     "https://test.com/getApplications?source=global", ["81.2.69.143"]),
    ("2022-11-15 08:43:04.000", "81.2.69.143", "GET", "success", HEADLESS, "https://test.com/getApplications",
     ["81.2.69.143", "81.2.69.142", "216.160.83.56"]),
    ("2022-11-15 08:43:04.000", "81.2.69.143", "GET", "success", HEADLESS, "https://test.com/getApplications",
     ["81.2.69.143", "81.2.69.142", "216.160.83.56"]),
    ("2022-11-15 08:43:04.000", "81.2.69.143", "GET", "success", HEADLESS, "https://test.com/getApplications",
     ["81.2.69.143"]),
    ("2024-07-13 15:29:45.000", "127.0.0.1", "GET", "failure", MSIE, "https://domain.tld/en(test)", ["127.0.0.1"]),
]


@pytest.mark.skipif(not CLOUDFRONT.exists(), reason="../shared/samples is not beside the project")
def test_elastic_cloudfront_sample(store, tmp_path):
    key = tmp_path / "cf-logs" / "E1SAMPLE9EXAMPLE.2019-12-04-21.elastic1.log"
    key.parent.mkdir()
    key.write_bytes(CLOUDFRONT.read_bytes())
    log_type = registry.recognise("cf-logs/E1SAMPLE9EXAMPLE.2019-12-04-21.elastic1.gz")
    assert log_type is registry.get("cloudfront")
    parsed = list(parse_file(store, str(key), log_type, str(tmp_path)))
    assert [p for p in parsed if isinstance(p, Malformed)] == []
    expected = _expected()
    assert len(parsed) == len(expected) == len(COMMON)
    for i, (record, fields, common) in enumerate(zip(parsed, expected, COMMON), start=1):
        assert record["fields"] == fields, f"record {i}"
        assert (record["ts"], record["src_ip"], record["action"], record["outcome"], record["user_agent"],
                record["resource"], record["ips"]) == common, f"record {i}"
        assert (record["source_type"], record["event_id"], record["account_id"], record["region"]) == \
            ("cloudfront", fields["x_edge_request_id"], "", "")
