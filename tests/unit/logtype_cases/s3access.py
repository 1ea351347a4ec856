"""Hand-made cases for Amazon S3 server access logs (the `s3access` type).

Written after "Amazon S3 server access log format" (S3 user guide). One record per line, fields
separated by spaces, in order: bucket_owner bucket [time] remote_ip requester request_id operation
key "request_uri" http_status error_code bytes_sent object_size total_time turn_around_time
"referer" "user_agent" version_id host_id signature_version cipher_suite authentication_type
host_header tls_version access_point_arn acl_required source_region. Older records stop earlier
(18 fields, at version_id, before host_id and the rest were added); later fields may follow and
are ignored. "Any field can be set to `-`": bytes_sent is `-` when zero, a lifecycle action has
no remote IP, request URI (`"-"`, sometimes a bare `-`) or status. The time is
`[%d/%b/%Y:%H:%M:%S %z]`, always UTC; it is one field although it holds a space. The key is
written URL-encoded as in the request and is kept as written.

Log objects are plain text, keyed `<prefix>YYYY-mm-DD-HH-MM-SS-<UniqueString>`, or, with
date-based partitioning, `<prefix><SourceAccountId>/<SourceRegion>/<SourceBucket>/YYYY/MM/DD/
YYYY-MM-DD-hh-mm-ss-<UniqueString>` (event-time partitioning sets hh-mm-ss to 00); only the
partitioned form names an account and a region.

Expectations: field names are the documented names in snake_case; quotes and brackets are removed;
`-`/`"-"` are None; http_status, bytes_sent, object_size, total_time and turn_around_time are
ints, everything else a string. Common columns: action = operation, src_ip = remote_ip, outcome
from http_status, resource = `arn:aws:s3:::<bucket>[/<key>]`; '' when there is no value.
"""


def lines(*records: str) -> str:
    """The object's text: one line per record, newline terminated."""
    return "\n".join(records) + "\n"


OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
HOST_ID_1 = "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234="
HOST_ID_2 = "9vKBE6vMhrNiWHZmb2L0mXOcqPGzQOI5XLnCtZNPxev+Hf+7tpT6sxDwDty4LHBUOZJG96N1234="
HOST_ID_3 = "BNaBsXZQQDbssi6xMBdBU2sLt+Yf5kZDmeBUP35sFoKa3sLLeMC78iwEIWxs99CRUrbS4n11234="
HOST_ID_5 = "10S62Zv81kBW7BB6SX4XJ48o6kpcl6LPwEoizZQQxJd5qDSCTLX0TgS37kYUBKQW3+bPdrg1234="
HOST_ID_X = "Ke1bUcazaN1jWuUlPJaxF64cQVpUEhoZKEG/hmy/gijN/I1DeWqDfFvnpybfEseEME/u7ME1234="
CLI_UA = ("aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0-1.amzn2023.x86_64 exe/x86_64.amzn.2023 "
          "prompt/off command/s3.cp")
CHROME_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/122.0.0.0 Safari/537.36")

CASES = [
    {
        # The documented example records (27 fields: ... tls_version access_point_arn acl_required source_region).
        "name": "s3 documented records",
        "key": "s3-access-logs/2019-02-06-00-05-11-A1B2C3D4E5F60718",
        "content": lines(
            f'{OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 {OWNER} 3E57427F3EXAMPLE '
            'REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - '
            f'{HOST_ID_1} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com '
            'TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1',
            f'{OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 {OWNER} 891CE47D2EXAMPLE '
            'REST.GET.LOGGING_STATUS - "GET /amzn-s3-demo-bucket1?logging HTTP/1.1" 200 - 242 - 11 - "-" "S3Console/0.4" - '
            f'{HOST_ID_2} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com '
            'TLSV1.2 - - us-east-1',
            f'{OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 {OWNER} A1206F460EXAMPLE '
            'REST.GET.BUCKETPOLICY - "GET /amzn-s3-demo-bucket1?policy HTTP/1.1" 404 NoSuchBucketPolicy 297 - 38 - "-" '
            f'"S3Console/0.4" - {HOST_ID_3} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader '
            'amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 - - us-east-1',
            f'{OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:01:57 +0000] 192.0.2.3 {OWNER} DD6CC733AEXAMPLE '
            'REST.PUT.OBJECT s3-dg.pdf "PUT /amzn-s3-demo-bucket1/s3-dg.pdf HTTP/1.1" 200 - - 4406583 41754 28 "-" '
            f'"S3Console/0.4" - {HOST_ID_5} SigV4 ECDHE-RSA-AES128-SHA AuthHeader '
            'amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 - Yes us-east-1',
        ),
        "records": [
            {
                "bucket_owner": OWNER,
                "bucket": "amzn-s3-demo-bucket1",
                "time": "06/Feb/2019:00:00:38 +0000",
                "remote_ip": "192.0.2.3",
                "requester": OWNER,
                "request_id": "3E57427F3EXAMPLE",
                "operation": "REST.GET.VERSIONING",
                "key": None,
                "request_uri": "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1",
                "http_status": 200,
                "error_code": None,
                "bytes_sent": 113,
                "object_size": None,
                "total_time": 7,
                "turn_around_time": None,
                "referer": None,
                "user_agent": "S3Console/0.4",
                "version_id": None,
                "host_id": HOST_ID_1,
                "signature_version": "SigV4",
                "cipher_suite": "ECDHE-RSA-AES128-GCM-SHA256",
                "authentication_type": "AuthHeader",
                "host_header": "amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com",
                "tls_version": "TLSV1.2",
                "access_point_arn": "arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP",
                "acl_required": "Yes",
                "source_region": "us-east-1",
            },
            {"request_id": "891CE47D2EXAMPLE", "operation": "REST.GET.LOGGING_STATUS", "bytes_sent": 242,
             "total_time": 11, "access_point_arn": None, "acl_required": None, "source_region": "us-east-1"},
            {"operation": "REST.GET.BUCKETPOLICY", "http_status": 404, "error_code": "NoSuchBucketPolicy",
             "bytes_sent": 297, "total_time": 38},
            {"operation": "REST.PUT.OBJECT", "key": "s3-dg.pdf",
             "request_uri": "PUT /amzn-s3-demo-bucket1/s3-dg.pdf HTTP/1.1", "bytes_sent": None,
             "object_size": 4406583, "total_time": 41754, "turn_around_time": 28,
             "cipher_suite": "ECDHE-RSA-AES128-SHA", "acl_required": "Yes"},
        ],
        "common": [
            {"ts": "2019-02-06 00:00:38.000", "src_ip": "192.0.2.3", "action": "REST.GET.VERSIONING",
             "outcome": "success", "user_agent": "S3Console/0.4", "resource": "arn:aws:s3:::amzn-s3-demo-bucket1",
             "ips": ["192.0.2.3"]},
            {"ts": "2019-02-06 00:00:38.000", "action": "REST.GET.LOGGING_STATUS", "outcome": "success"},
            {"action": "REST.GET.BUCKETPOLICY", "outcome": "failure",
             "resource": "arn:aws:s3:::amzn-s3-demo-bucket1"},
            {"ts": "2019-02-06 00:01:57.000", "action": "REST.PUT.OBJECT", "outcome": "success",
             "resource": "arn:aws:s3:::amzn-s3-demo-bucket1/s3-dg.pdf"},
        ],
    },
    {
        # Records of the original format end at version_id (18 fields).
        "name": "s3 old 18 field records",
        "key": "logs/2014-08-16-06-35-12-0A1B2C3D4E5F6071",
        "content": lines(
            '6ec976a42247d687d5d1c87bb53e87c60c925765f87415f472d240c5d18337a7 examplebucket-2014 '
            '[16/Aug/2014:06:28:31 +0000] 198.51.100.150 arn:aws:iam::123456789012:user/deploy CC487A9D90678CAB '
            'REST.GET.OBJECT builds/app-1.4.2.tar.gz "GET /examplebucket-2014/builds/app-1.4.2.tar.gz HTTP/1.1" '
            '200 - 26828 26828 89 11 "-" "aws-sdk-java/1.7.11 Linux/3.2.0-57-virtual OpenJDK_64-Bit_Server_VM/23.2-b09/1.7.0_09" -',
            '6ec976a42247d687d5d1c87bb53e87c60c925765f87415f472d240c5d18337a7 examplebucket-2014 '
            '[16/Aug/2014:06:29:02 +0000] 198.51.100.150 arn:aws:iam::123456789012:user/deploy 7F1E2D3C4B5A6978 '
            'REST.HEAD.OBJECT builds/missing.tar.gz "HEAD /examplebucket-2014/builds/missing.tar.gz HTTP/1.1" '
            '404 NoSuchKey 309 - 12 - "-" "aws-sdk-java/1.7.11 Linux/3.2.0-57-virtual OpenJDK_64-Bit_Server_VM/23.2-b09/1.7.0_09" -',
        ),
        "records": [
            {"bucket": "examplebucket-2014", "time": "16/Aug/2014:06:28:31 +0000", "remote_ip": "198.51.100.150",
             "requester": "arn:aws:iam::123456789012:user/deploy", "operation": "REST.GET.OBJECT",
             "key": "builds/app-1.4.2.tar.gz", "http_status": 200, "bytes_sent": 26828, "object_size": 26828,
             "total_time": 89, "turn_around_time": 11, "referer": None,
             "user_agent": "aws-sdk-java/1.7.11 Linux/3.2.0-57-virtual OpenJDK_64-Bit_Server_VM/23.2-b09/1.7.0_09",
             "version_id": None, "host_id": None, "signature_version": None, "tls_version": None,
             "source_region": None},
            {"operation": "REST.HEAD.OBJECT", "http_status": 404, "error_code": "NoSuchKey", "bytes_sent": 309,
             "object_size": None, "host_id": None},
        ],
        "common": [
            {"ts": "2014-08-16 06:28:31.000", "src_ip": "198.51.100.150", "action": "REST.GET.OBJECT",
             "outcome": "success", "resource": "arn:aws:s3:::examplebucket-2014/builds/app-1.4.2.tar.gz",
             "ips": ["198.51.100.150"]},
            {"ts": "2014-08-16 06:29:02.000", "action": "REST.HEAD.OBJECT", "outcome": "failure",
             "resource": "arn:aws:s3:::examplebucket-2014/builds/missing.tar.gz"},
        ],
    },
    {
        # Date-partitioned key (account, region, bucket); an IPv6 requester using a presigned URL
        # (QueryString, TLSv1.3), then an anonymous request denied.
        "name": "s3 partitioned key ipv6 and presigned url",
        "key": ("s3-logs/123456789012/us-west-2/amzn-s3-demo-bucket2/2024/03/15/"
                "2024-03-15-00-00-00-6F5E4D3C2B1A0987"),
        "content": lines(
            f'{OWNER} amzn-s3-demo-bucket2 [15/Mar/2024:10:11:13 +0000] 2001:db8:4f2a::17 '
            'arn:aws:sts::123456789012:assumed-role/DataReader/alice 5A6B7C8D9E0F1A2B REST.GET.OBJECT '
            'data/2024/03/15/events.parquet "GET /data/2024/03/15/events.parquet?X-Amz-Algorithm=AWS4-HMAC-SHA256'
            '&X-Amz-Credential=ASIAIOSFODNN7EXAMPLE%2F20240315%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20240315T101112Z'
            '&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd HTTP/1.1" 200 - 1048576 1048576 245 31 '
            f'"https://app.example.com/reports" "{CHROME_UA}" 3HL4kqtJvjVBH40Nrjfkd {HOST_ID_X} SigV4 '
            'TLS_AES_128_GCM_SHA256 QueryString amzn-s3-demo-bucket2.s3.us-west-2.amazonaws.com TLSv1.3 - - us-west-2',
            f'{OWNER} amzn-s3-demo-bucket2 [15/Mar/2024:10:12:40 +0000] 203.0.113.200 - 6C7D8E9F0A1B2C3D REST.GET.OBJECT '
            'private/secrets.txt "GET /private/secrets.txt HTTP/1.1" 403 AccessDenied 243 - 15 - "-" "curl/8.4.0" - '
            f'{HOST_ID_X} - ECDHE-RSA-AES128-GCM-SHA256 - amzn-s3-demo-bucket2.s3.us-west-2.amazonaws.com TLSv1.2 - - '
            'us-west-2',
        ),
        "records": [
            {"remote_ip": "2001:db8:4f2a::17", "requester": "arn:aws:sts::123456789012:assumed-role/DataReader/alice",
             "key": "data/2024/03/15/events.parquet",
             "request_uri": "GET /data/2024/03/15/events.parquet?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                            "&X-Amz-Credential=ASIAIOSFODNN7EXAMPLE%2F20240315%2Fus-west-2%2Fs3%2Faws4_request"
                            "&X-Amz-Date=20240315T101112Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
                            "&X-Amz-Signature=0123abcd HTTP/1.1",
             "bytes_sent": 1048576, "object_size": 1048576, "total_time": 245, "turn_around_time": 31,
             "referer": "https://app.example.com/reports", "user_agent": CHROME_UA,
             "version_id": "3HL4kqtJvjVBH40Nrjfkd", "signature_version": "SigV4",
             "cipher_suite": "TLS_AES_128_GCM_SHA256", "authentication_type": "QueryString",
             "tls_version": "TLSv1.3", "access_point_arn": None, "acl_required": None, "source_region": "us-west-2"},
            {"requester": None, "http_status": 403, "error_code": "AccessDenied", "signature_version": None,
             "authentication_type": None, "user_agent": "curl/8.4.0"},
        ],
        "common": [
            {"ts": "2024-03-15 10:11:13.000", "src_ip": "2001:db8:4f2a::17", "action": "REST.GET.OBJECT",
             "outcome": "success", "user_agent": CHROME_UA,
             "resource": "arn:aws:s3:::amzn-s3-demo-bucket2/data/2024/03/15/events.parquet",
             "ips": ["2001:db8:4f2a::17"], "account_id": "123456789012", "region": "us-west-2"},
            {"ts": "2024-03-15 10:12:40.000", "src_ip": "203.0.113.200", "outcome": "failure",
             "resource": "arn:aws:s3:::amzn-s3-demo-bucket2/private/secrets.txt",
             "account_id": "123456789012", "region": "us-west-2"},
        ],
    },
    {
        # Lifecycle actions: requester AmazonS3, no remote IP, no request (quoted or bare "-"), no status.
        "name": "s3 lifecycle records with dash values",
        "key": "logs/2024-06-20-00-20-31-9C8B7A6D5E4F3A2B",
        "content": lines(
            f'{OWNER} amzn-s3-demo-bucket1 [20/Jun/2024:00:14:07 +0000] - AmazonS3 4B2E7A8C9D0F1A2B S3.EXPIRE.OBJECT '
            'tmp/a.txt "-" - - - 5120 - - "-" "-" 3HL4kqtJvjVBH40Nrjfkd - - - - - - - - -',
            f'{OWNER} amzn-s3-demo-bucket1 [20/Jun/2024:00:15:22 +0000] - AmazonS3 5C3F8B9DAE1F2B3C S3.TRANSITION_SIA.OBJECT '
            'archive/2023/app.log.gz - - - - 7340032 - - - - - - - - - - - - - -',
        ),
        "records": [
            {"remote_ip": None, "requester": "AmazonS3", "operation": "S3.EXPIRE.OBJECT", "key": "tmp/a.txt",
             "request_uri": None, "http_status": None, "error_code": None, "bytes_sent": None,
             "object_size": 5120, "total_time": None, "referer": None, "user_agent": None,
             "version_id": "3HL4kqtJvjVBH40Nrjfkd", "host_id": None, "tls_version": None},
            {"operation": "S3.TRANSITION_SIA.OBJECT", "key": "archive/2023/app.log.gz", "request_uri": None,
             "http_status": None, "object_size": 7340032, "user_agent": None, "version_id": None},
        ],
        "common": [
            {"ts": "2024-06-20 00:14:07.000", "src_ip": "", "action": "S3.EXPIRE.OBJECT", "user_agent": "",
             "resource": "arn:aws:s3:::amzn-s3-demo-bucket1/tmp/a.txt", "ips": []},
            {"ts": "2024-06-20 00:15:22.000", "action": "S3.TRANSITION_SIA.OBJECT",
             "resource": "arn:aws:s3:::amzn-s3-demo-bucket1/archive/2023/app.log.gz"},
        ],
    },
    {
        # Quoted request URIs and user agents holding spaces; a URL-encoded key (kept as written); a
        # list request (no key); an unauthenticated website request (requester, signature, cipher,
        # authentication and TLS all "-").
        "name": "s3 quoted values with spaces",
        "key": "logs/2024-04-02-09-40-55-1F2E3D4C5B6A7988",
        "content": lines(
            f'{OWNER} amzn-s3-demo-bucket1 [02/Apr/2024:09:31:07 +0000] 198.51.100.77 '
            'arn:aws:iam::123456789012:user/alice 8E7D6C5B4A392817 REST.PUT.OBJECT reports/2019/Q1%20summary.pdf '
            '"PUT /amzn-s3-demo-bucket1/reports/2019/Q1%20summary.pdf HTTP/1.1" 200 - - 182733 412 37 "-" '
            f'"{CLI_UA}" - {HOST_ID_X} SigV4 TLS_AES_128_GCM_SHA256 AuthHeader s3.us-west-1.amazonaws.com TLSv1.3 - - us-west-1',
            f'{OWNER} amzn-s3-demo-bucket1 [02/Apr/2024:09:31:09 +0000] 198.51.100.77 '
            'arn:aws:iam::123456789012:user/alice 9F8E7D6C5B4A3928 REST.GET.BUCKET - '
            '"GET /amzn-s3-demo-bucket1?list-type=2&prefix=reports%2F2019%2F&encoding-type=url HTTP/1.1" 200 - 1385 - 58 57 '
            '"-" "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.6 '
            f'md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.0" - {HOST_ID_X} SigV4 TLS_AES_128_GCM_SHA256 '
            'AuthHeader s3.us-west-1.amazonaws.com TLSv1.3 - - us-west-1',
            f'{OWNER} amzn-s3-demo-bucket1 [02/Apr/2024:09:32:00 +0000] 192.0.2.81 - A0B1C2D3E4F50617 WEBSITE.GET.OBJECT '
            'index.html "GET /index.html HTTP/1.1" 200 - 1830 1830 12 11 "https://www.example.com/" '
            f'"{CHROME_UA}" - {HOST_ID_X} - - - amzn-s3-demo-bucket1.s3-website-us-west-1.amazonaws.com - - - us-west-1',
        ),
        "records": [
            {"requester": "arn:aws:iam::123456789012:user/alice", "key": "reports/2019/Q1%20summary.pdf",
             "request_uri": "PUT /amzn-s3-demo-bucket1/reports/2019/Q1%20summary.pdf HTTP/1.1",
             "bytes_sent": None, "object_size": 182733, "user_agent": CLI_UA, "host_header": "s3.us-west-1.amazonaws.com"},
            {"operation": "REST.GET.BUCKET", "key": None,
             "request_uri": "GET /amzn-s3-demo-bucket1?list-type=2&prefix=reports%2F2019%2F&encoding-type=url HTTP/1.1",
             "bytes_sent": 1385, "object_size": None,
             "user_agent": "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.6 "
                           "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.0"},
            {"operation": "WEBSITE.GET.OBJECT", "requester": None, "referer": "https://www.example.com/",
             "signature_version": None, "cipher_suite": None, "authentication_type": None, "tls_version": None,
             "host_header": "amzn-s3-demo-bucket1.s3-website-us-west-1.amazonaws.com", "source_region": "us-west-1"},
        ],
        "common": [
            {"ts": "2024-04-02 09:31:07.000", "action": "REST.PUT.OBJECT", "user_agent": CLI_UA,
             "src_ip": "198.51.100.77"},
            {"action": "REST.GET.BUCKET", "resource": "arn:aws:s3:::amzn-s3-demo-bucket1"},
            {"action": "WEBSITE.GET.OBJECT", "user_agent": CHROME_UA, "outcome": "success",
             "resource": "arn:aws:s3:::amzn-s3-demo-bucket1/index.html"},
        ],
    },
    {
        # A copy logs two records: REST.COPY.OBJECT_GET for the GET part (the object copied) and
        # REST.COPY.OBJECT for the PUT part. A multi-object delete logs the POST and one
        # BATCH.DELETE.OBJECT per key.
        "name": "s3 copy and batch delete",
        "key": "logs/2024-05-01-12-10-03-7A6B5C4D3E2F1A0B",
        "content": lines(
            f'{OWNER} amzn-s3-demo-bucket1 [01/May/2024:12:01:15 +0000] 198.51.100.77 '
            'arn:aws:iam::123456789012:user/alice 1A2B3C4D5E6F7081 REST.COPY.OBJECT_GET photos/2019/08/puppy.jpg '
            '"PUT /amzn-s3-demo-bucket1/backup/puppy.jpg HTTP/1.1" 200 - - 3462992 45 - "-" '
            f'"{CLI_UA}" 3HL4kqtJvjVBH40Nrjfkd {HOST_ID_X} SigV4 TLS_AES_128_GCM_SHA256 AuthHeader '
            's3.us-west-1.amazonaws.com TLSv1.3 - - us-west-1',
            f'{OWNER} amzn-s3-demo-bucket1 [01/May/2024:12:01:15 +0000] 198.51.100.77 '
            'arn:aws:iam::123456789012:user/alice 1A2B3C4D5E6F7081 REST.COPY.OBJECT backup/puppy.jpg '
            '"PUT /amzn-s3-demo-bucket1/backup/puppy.jpg HTTP/1.1" 200 - 234 3462992 52 48 "-" '
            f'"{CLI_UA}" - {HOST_ID_X} SigV4 TLS_AES_128_GCM_SHA256 AuthHeader s3.us-west-1.amazonaws.com TLSv1.3 - - '
            'us-west-1',
            f'{OWNER} amzn-s3-demo-bucket1 [01/May/2024:12:05:40 +0000] 198.51.100.77 '
            'arn:aws:iam::123456789012:user/alice 2B3C4D5E6F708192 REST.POST.MULTI_OBJECT_DELETE - '
            '"POST /amzn-s3-demo-bucket1?delete HTTP/1.1" 200 - 5 - 38 37 "-" '
            f'"{CLI_UA}" - {HOST_ID_X} SigV4 TLS_AES_128_GCM_SHA256 AuthHeader s3.us-west-1.amazonaws.com TLSv1.3 - - '
            'us-west-1',
            f'{OWNER} amzn-s3-demo-bucket1 [01/May/2024:12:05:40 +0000] 198.51.100.77 '
            'arn:aws:iam::123456789012:user/alice 2B3C4D5E6F708192 BATCH.DELETE.OBJECT tmp/one.txt '
            '"POST /amzn-s3-demo-bucket1?delete HTTP/1.1" 204 - - 18 - - "-" '
            f'"{CLI_UA}" - {HOST_ID_X} SigV4 TLS_AES_128_GCM_SHA256 AuthHeader s3.us-west-1.amazonaws.com TLSv1.3 - - '
            'us-west-1',
        ),
        "records": [
            {"operation": "REST.COPY.OBJECT_GET", "key": "photos/2019/08/puppy.jpg", "bytes_sent": None,
             "object_size": 3462992, "version_id": "3HL4kqtJvjVBH40Nrjfkd"},
            {"operation": "REST.COPY.OBJECT", "key": "backup/puppy.jpg", "bytes_sent": 234, "version_id": None},
            {"operation": "REST.POST.MULTI_OBJECT_DELETE", "key": None, "bytes_sent": 5,
             "request_uri": "POST /amzn-s3-demo-bucket1?delete HTTP/1.1"},
            {"operation": "BATCH.DELETE.OBJECT", "key": "tmp/one.txt", "http_status": 204, "object_size": 18,
             "total_time": None},
        ],
        "common": [
            {"action": "REST.COPY.OBJECT_GET", "resource": "arn:aws:s3:::amzn-s3-demo-bucket1/photos/2019/08/puppy.jpg"},
            {"action": "REST.COPY.OBJECT", "resource": "arn:aws:s3:::amzn-s3-demo-bucket1/backup/puppy.jpg"},
            {"action": "REST.POST.MULTI_OBJECT_DELETE", "resource": "arn:aws:s3:::amzn-s3-demo-bucket1"},
            {"ts": "2024-05-01 12:05:40.000", "action": "BATCH.DELETE.OBJECT", "outcome": "success",
             "resource": "arn:aws:s3:::amzn-s3-demo-bucket1/tmp/one.txt"},
        ],
    },
    {
        # Fields after source_region are ignored (the format is extensible: "new fields might be added").
        "name": "s3 unknown extra trailing fields",
        "key": "2024-08-09-10-11-12-3C2B1A0F9E8D7C6B",
        "content": lines(
            f'{OWNER} amzn-s3-demo-bucket1 [09/Aug/2024:10:05:00 +0000] 192.0.2.3 {OWNER} 3E57427F3EXAMPLF '
            'REST.GET.OBJECT index.html "GET /amzn-s3-demo-bucket1/index.html HTTP/1.1" 200 - 1830 1830 9 8 "-" '
            f'"S3Console/0.4" - {HOST_ID_1} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader '
            's3.us-west-1.amazonaws.com TLSv1.2 - - us-west-1 - "a future value" 17',
        ),
        "records": [
            {"operation": "REST.GET.OBJECT", "key": "index.html", "bytes_sent": 1830, "source_region": "us-west-1",
             "acl_required": None},
        ],
        "common": [
            {"ts": "2024-08-09 10:05:00.000", "outcome": "success",
             "resource": "arn:aws:s3:::amzn-s3-demo-bucket1/index.html"},
        ],
    },
    {
        # Malformed lines are rejected by line number (truncated, unreadable time, unterminated quote);
        # the good lines around them are kept.
        "name": "s3 malformed lines among good ones",
        "key": "logs/2019-02-06-00-10-00-5D4C3B2A19087F6E",
        "content": lines(
            f'{OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:01:00 +0000] 192.0.2.3 {OWNER} 7B4A0FABBEXAMPLE '
            'REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 33 - "-" "S3Console/0.4" - '
            f'{HOST_ID_X} SigV2 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.1',
            f'{OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:01:30 +0000] 192.0.2.3 {OWNER} 8C5B1FBCCEXAMPLE',
            f'{OWNER} amzn-s3-demo-bucket1 [06/Foo/2019:00:01:40 +0000] 192.0.2.3 {OWNER} 9D6C2ACDDEXAMPLE '
            'REST.GET.ACL - "GET /amzn-s3-demo-bucket1?acl HTTP/1.1" 200 - 1200 - 20 19 "-" "S3Console/0.4" - '
            f'{HOST_ID_X} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2',
            f'{OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:01:50 +0000] 192.0.2.3 {OWNER} AE7D3BDEEEXAMPLE '
            'REST.GET.CORS - "GET /amzn-s3-demo-bucket1?cors HTTP/1.1 404 NoSuchCORSConfiguration 290 - 12 - "-" "S3Console/0.4" - '
            f'{HOST_ID_X} SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2',
            f'{OWNER} amzn-s3-demo-bucket1 [06/Feb/2019:00:01:57 +0000] 192.0.2.3 {OWNER} DD6CC733AEXAMPLE '
            'REST.PUT.OBJECT s3-dg.pdf "PUT /amzn-s3-demo-bucket1/s3-dg.pdf HTTP/1.1" 200 - - 4406583 41754 28 "-" '
            f'"S3Console/0.4" - {HOST_ID_5} SigV4 ECDHE-RSA-AES128-SHA AuthHeader '
            'amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.1',
        ),
        "records": [
            {"request_id": "7B4A0FABBEXAMPLE", "signature_version": "SigV2", "tls_version": "TLSV1.1",
             "access_point_arn": None},
            {"request_id": "DD6CC733AEXAMPLE", "object_size": 4406583},
        ],
        "common": [
            {"ts": "2019-02-06 00:01:00.000"},
            {"ts": "2019-02-06 00:01:57.000"},
        ],
        "errors": [(2, "too few fields"), (3, "unreadable time"), (4, "unterminated")],
    },
]
