"""Hand-made cases for Elastic Load Balancing access logs, all parsed by the `alb` type.

Application Load Balancer (ALB), Network Load Balancer TLS listeners (NLB, `tls 2.0 ...`) and
Classic Load Balancer lines, written after the AWS documentation:

- ALB: "Access log entries" of the ALB user guide. Fields in order: type time elb client:port
  target:port request_processing_time target_processing_time response_processing_time
  elb_status_code target_status_code received_bytes sent_bytes "request" "user_agent" ssl_cipher
  ssl_protocol target_group_arn "trace_id" "domain_name" "chosen_cert_arn" matched_rule_priority
  request_creation_time "actions_executed" "redirect_url" "error_reason" "target:port_list"
  "target_status_code_list" "classification" "classification_reason" conn_trace_id
  "transformed_host" "transformed_uri" "request_transform_status". New fields are appended at
  the end ("You should ignore any fields at the end of the log entry that you were not
  expecting"). Timings are seconds, `-1` when the load balancer could not dispatch the request.
  Key: `[prefix/]AWSLogs/<acct>/elasticloadbalancing/<region>/yyyy/mm/dd/
  <acct>_elasticloadbalancing_<region>_app.<name>.<id>_<end-time>_<ip>_<random>.log.gz`.
- NLB: type version time elb listener client:port destination:port connection_time
  tls_handshake_time received_bytes sent_bytes incoming_tls_alert chosen_cert_arn
  chosen_cert_serial tls_cipher tls_protocol_version tls_named_group domain_name
  alpn_fe_protocol alpn_be_protocol alpn_client_preference_list tls_connection_creation_time.
  Times are in milliseconds; `time` has no fraction and no `Z`. The ALPN preference list is
  written as `"h2","http/1.1"` (each protocol quoted, comma separated), not as one quoted value.
  Key: `..._net.<name>.<id>_<end-time>_<random>.log.gz` (no node IP).
- Classic: timestamp elb client:port backend:port request_processing_time
  backend_processing_time response_processing_time elb_status_code backend_status_code
  received_bytes sent_bytes "request" "user_agent" ssl_cipher ssl_protocol (no type field). A TCP
  or SSL listener logs the request as "- - - " and `-` status codes.
  Key: `..._<name>_<end-time>_<ip>_<random>.log` (not gzipped).

Addresses are written `ip:port` with IPv6 addresses unbracketed: the port follows the last `:`
(so `2001:db8:10::25:8443` is the address `2001:db8:10::25`, port 8443). In quoted values a
double quote is written `\\"` (unescaped to `"`); the request URL is kept as the client sent it
(`\\x22` stays as those four characters).

Expectations follow the project conventions: per-type field names are the documented names
lower-cased with `:`/`-` turned into `_`; `-` and `"-"` are None; timings float, status codes and
byte counts int; everything else a string. Common columns that have no value are ''.
"""


def lines(*records: str) -> str:
    """The object's text: one line per record, newline terminated."""
    return "\n".join(records) + "\n"


ACCT = "123456789012"
TG = "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067"
CERT = "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012"
ALB_KEY = ("AWSLogs/123456789012/elasticloadbalancing/us-east-2/{d}/"
           "123456789012_elasticloadbalancing_us-east-2_app.my-loadbalancer.50dc6c495c0c9188_{end}_192.0.2.10_{rnd}.log.gz")

CASES = [
    # ---------------------------------------------------------------- ALB
    {
        "name": "alb http basic",
        "key": ALB_KEY.format(d="2018/07/02", end="20180702T2225Z", rnd="2x9vl4qb"),
        "content": lines(
            'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 '
            '0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - '
            f'{TG} "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z '
            '"forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90 "-" "-" "-"',
        ),
        "records": [{
            "type": "http",
            "time": "2018-07-02T22:23:00.186641Z",
            "elb": "app/my-loadbalancer/50dc6c495c0c9188",
            "client_port": "192.168.131.39:2817",
            "target_port": "10.0.0.1:80",
            "request_processing_time": 0.0,
            "target_processing_time": 0.001,
            "response_processing_time": 0.0,
            "elb_status_code": 200,
            "target_status_code": 200,
            "received_bytes": 34,
            "sent_bytes": 366,
            "request": "GET http://www.example.com:80/ HTTP/1.1",
            "user_agent": "curl/7.46.0",
            "ssl_cipher": None,
            "ssl_protocol": None,
            "target_group_arn": TG,
            "trace_id": "Root=1-58337262-36d228ad5d99923122bbe354",
            "domain_name": None,
            "chosen_cert_arn": None,
            "request_creation_time": "2018-07-02T22:22:48.364000Z",
            "actions_executed": "forward",
            "redirect_url": None,
            "error_reason": None,
            "target_port_list": "10.0.0.1:80",
            "target_status_code_list": "200",
            "classification": None,
            "classification_reason": None,
            "conn_trace_id": "TID_1234abcd5678ef90",
            "transformed_host": None,
            "transformed_uri": None,
            "request_transform_status": None,
        }],
        "common": [{
            "ts": "2018-07-02 22:23:00.186",
            "src_ip": "192.168.131.39",
            "action": "GET",
            "outcome": "success",
            "user_agent": "curl/7.46.0",
            "resource": "http://www.example.com:80/",
            "ips": ["192.168.131.39", "10.0.0.1"],
            "account_id": ACCT,
            "region": "us-east-2",
        }],
    },
    {
        "name": "alb https with tls fields",
        "key": "my-app/" + ALB_KEY.format(d="2018/07/02", end="20180702T2225Z", rnd="7bq3kd0s"),
        "content": lines(
            'https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 '
            '0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" '
            f'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TG} "Root=1-58337281-1d84f3d73c47ec4e58577259" '
            f'"www.example.com" "{CERT}" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" '
            '"10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90 "-" "-" "-"',
        ),
        "records": [{
            "type": "https",
            "request_processing_time": 0.086,
            "target_processing_time": 0.048,
            "response_processing_time": 0.037,
            "received_bytes": 0,
            "sent_bytes": 57,
            "ssl_cipher": "ECDHE-RSA-AES128-GCM-SHA256",
            "ssl_protocol": "TLSv1.2",
            "domain_name": "www.example.com",
            "chosen_cert_arn": CERT,
            "actions_executed": "authenticate,forward",
            "conn_trace_id": "TID_1234abcd5678ef90",
        }],
        "common": [{
            "ts": "2018-07-02 22:23:00.186",
            "src_ip": "192.168.131.39",
            "action": "GET",
            "outcome": "success",
            "resource": "https://www.example.com:443/",
            "ips": ["192.168.131.39", "10.0.0.1"],
            "account_id": ACCT,
            "region": "us-east-2",
        }],
    },
    {
        # The documented HTTP/2 example: a redirect action, and a TLS 1.3 stream whose session was reused.
        "name": "alb h2 redirect and session reused",
        "key": ALB_KEY.format(d="2018/07/02", end="20180702T2225Z", rnd="0h2k4m9p"),
        "content": lines(
            'h2 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.1.252:48160 10.0.0.66:9000 '
            '0.000 0.002 0.000 200 200 5 257 "GET https://10.0.2.105:773/ HTTP/2.0" "curl/7.46.0" '
            f'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TG} "Root=1-58337327-72bd00b0343d75b906739c42" "-" "-" '
            '1 2018-07-02T22:22:48.364000Z "redirect" "https://example.com:80/" "-" "10.0.0.66:9000" "200" "-" "-" '
            'TID_1234abcd5678ef90 "-" "-" "-"',
            'h2 2024-06-01T00:00:07.912345Z app/my-loadbalancer/50dc6c495c0c9188 203.0.113.77:50123 10.0.0.66:9000 '
            '0.001 0.015 0.000 200 200 64 1422 "GET https://www.example.com:443/api/items?page=2 HTTP/2.0" '
            '"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15" '
            f'TLS_AES_128_GCM_SHA256 TLSv1.3 {TG} "Root=1-665a6487-4b1c2d3e4f5a6b7c8d9e0f1a" "www.example.com" '
            '"session-reused" 4 2024-06-01T00:00:07.896000Z "forward" "-" "-" "10.0.0.66:9000" "200" "-" "-" '
            'TID_9f8e7d6c5b4a39281706f5e4d3c2b1a0',
        ),
        "records": [
            {
                "type": "h2",
                "client_port": "10.0.1.252:48160",
                "target_port": "10.0.0.66:9000",
                "request": "GET https://10.0.2.105:773/ HTTP/2.0",
                "actions_executed": "redirect",
                "redirect_url": "https://example.com:80/",
                "error_reason": None,
                "target_port_list": "10.0.0.66:9000",
            },
            {
                "type": "h2",
                "ssl_cipher": "TLS_AES_128_GCM_SHA256",
                "ssl_protocol": "TLSv1.3",
                "chosen_cert_arn": "session-reused",
                "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
                              "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                "request": "GET https://www.example.com:443/api/items?page=2 HTTP/2.0",
                "sent_bytes": 1422,
                "conn_trace_id": "TID_9f8e7d6c5b4a39281706f5e4d3c2b1a0",
                "transformed_host": None,
            },
        ],
        "common": [
            {"ts": "2018-07-02 22:23:00.186", "src_ip": "10.0.1.252", "action": "GET",
             "resource": "https://10.0.2.105:773/", "ips": ["10.0.1.252", "10.0.0.66"]},
            {"ts": "2024-06-01 00:00:07.912", "src_ip": "203.0.113.77", "action": "GET", "outcome": "success",
             "resource": "https://www.example.com:443/api/items?page=2",
             "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
                           "(KHTML, like Gecko) Version/17.5 Safari/605.1.15"},
        ],
    },
    {
        # WebSockets: `time` is when the connection closed; user agent "-" is None; 101 is success.
        "name": "alb websockets ws and wss",
        "key": ALB_KEY.format(d="2018/07/02", end="20180702T2225Z", rnd="ws55xq1c"),
        "content": lines(
            'ws 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.0.140:40914 10.0.1.192:8010 '
            '0.001 0.003 0.000 101 101 218 587 "GET http://10.0.0.30:80/ HTTP/1.1" "-" - - '
            f'{TG} "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 1 2018-07-02T22:22:48.364000Z '
            '"forward" "-" "-" "10.0.1.192:8010" "101" "-" "-" TID_1234abcd5678ef90 "-" "-" "-"',
            'wss 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.0.140:44244 10.0.0.171:8010 '
            '0.000 0.001 0.000 101 101 218 786 "GET https://10.0.0.30:443/ HTTP/1.1" "-" ECDHE-RSA-AES128-GCM-SHA256 '
            'TLSv1.2 arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 '
            '"Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 1 2018-07-02T22:22:48.364000Z "forward" "-" "-" '
            '"10.0.0.171:8010" "101" "-" "-" TID_1234abcd5678ef90 "-" "-" "-"',
        ),
        "records": [
            {"type": "ws", "elb_status_code": 101, "target_status_code": 101, "received_bytes": 218,
             "sent_bytes": 587, "user_agent": None, "ssl_cipher": None, "target_status_code_list": "101"},
            {"type": "wss", "elb_status_code": 101, "sent_bytes": 786, "user_agent": None,
             "ssl_protocol": "TLSv1.2", "target_port_list": "10.0.0.171:8010"},
        ],
        "common": [
            {"ts": "2018-07-02 22:23:00.186", "src_ip": "10.0.0.140", "outcome": "success", "user_agent": "",
             "resource": "http://10.0.0.30:80/", "ips": ["10.0.0.140", "10.0.1.192"]},
            {"src_ip": "10.0.0.140", "outcome": "success", "resource": "https://10.0.0.30:443/",
             "ips": ["10.0.0.140", "10.0.0.171"]},
        ],
    },
    {
        # gRPC over TLS; a line of the 2024 format, ending at conn_trace_id.
        "name": "alb grpcs",
        "key": ALB_KEY.format(d="2023/04/12", end="20230412T1020Z", rnd="g7rpc2s1"),
        "content": lines(
            'grpcs 2023-04-12T10:15:30.456789Z app/my-loadbalancer/50dc6c495c0c9188 203.0.113.25:51234 10.0.2.17:50051 '
            '0.001 0.012 0.000 200 200 187 131 "POST https://grpc.example.com:443/helloworld.Greeter/SayHello HTTP/2.0" '
            '"grpc-go/1.54.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
            'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/grpc-targets/0a1b2c3d4e5f6a7b '
            f'"Root=1-643684c2-0f1e2d3c4b5a69788796a5b4" "grpc.example.com" "{CERT}" 3 2023-04-12T10:15:30.443000Z '
            '"forward" "-" "-" "10.0.2.17:50051" "200" "-" "-" TID_0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        ),
        "records": [{
            "type": "grpcs",
            "request": "POST https://grpc.example.com:443/helloworld.Greeter/SayHello HTTP/2.0",
            "user_agent": "grpc-go/1.54.0",
            "target_group_arn": "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/grpc-targets/0a1b2c3d4e5f6a7b",
            "domain_name": "grpc.example.com",
            "conn_trace_id": "TID_0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            "transformed_host": None,
            "request_transform_status": None,
        }],
        "common": [{
            "ts": "2023-04-12 10:15:30.456",
            "src_ip": "203.0.113.25",
            "action": "POST",
            "outcome": "success",
            "resource": "https://grpc.example.com:443/helloworld.Greeter/SayHello",
            "ips": ["203.0.113.25", "10.0.2.17"],
        }],
    },
    {
        # A listener rule redirecting to HTTPS: no target, no target group, -1 timings, 301.
        "name": "alb redirect without target",
        "key": ALB_KEY.format(d="2024/01/02", end="20240102T0305Z", rnd="r3d1r3ct"),
        "content": lines(
            'http 2024-01-02T03:04:05.678901Z app/my-loadbalancer/50dc6c495c0c9188 198.51.100.23:40112 - -1 -1 -1 '
            '301 - 131 305 "GET http://www.example.com:80/login?next=%2Fhome HTTP/1.1" '
            '"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0" - - - '
            '"Root=1-65937d25-1a2b3c4d5e6f708192a3b4c5" "-" "-" 1 2024-01-02T03:04:05.678000Z "redirect" '
            '"https://www.example.com:443/login?next=%2Fhome" "-" "-" "-" "-" "-" TID_5f0e1d2c3b4a59687766554433221100 '
            '"-" "-" "-"',
        ),
        "records": [{
            "target_port": None,
            "request_processing_time": -1.0,
            "target_processing_time": -1.0,
            "response_processing_time": -1.0,
            "elb_status_code": 301,
            "target_status_code": None,
            "target_group_arn": None,
            "actions_executed": "redirect",
            "redirect_url": "https://www.example.com:443/login?next=%2Fhome",
            "target_port_list": None,
            "target_status_code_list": None,
        }],
        "common": [{
            "ts": "2024-01-02 03:04:05.678",
            "src_ip": "198.51.100.23",
            "action": "GET",
            "outcome": "success",
            "resource": "http://www.example.com:80/login?next=%2Fhome",
            "ips": ["198.51.100.23"],
        }],
    },
    {
        # Errors: 503 with no healthy target, 502 when the target reset the connection, 460 when the
        # client closed first, 403 when AWS WAF blocked the request (target "-", action "waf").
        "name": "alb error lines",
        "key": ALB_KEY.format(d="2024/01/02", end="20240102T0315Z", rnd="e5r0r1n3"),
        "content": lines(
            'http 2024-01-02T03:10:00.000123Z app/my-loadbalancer/50dc6c495c0c9188 198.51.100.7:52000 - -1 -1 -1 '
            '503 - 112 326 "GET http://www.example.com:80/api/health HTTP/1.1" "kube-probe/1.28" - - '
            f'{TG} "Root=1-65937e88-0123456789abcdef01234567" "-" "-" 0 2024-01-02T03:10:00.000000Z "forward" '
            '"-" "-" "-" "-" "-" "-" TID_00112233445566778899aabbccddeeff "-" "-" "-"',
            'https 2024-01-02T03:11:12.345678Z app/my-loadbalancer/50dc6c495c0c9188 203.0.113.50:60001 10.0.0.12:8080 '
            '0.000 0.003 -1 502 - 512 277 "POST https://api.example.com:443/v1/orders HTTP/1.1" "okhttp/4.12.0" '
            f'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TG} "Root=1-65937ed0-89abcdef0123456789abcdef" "api.example.com" '
            f'"{CERT}" 5 2024-01-02T03:11:12.341000Z "forward" "-" "-" "10.0.0.12:8080" "-" "-" "-" '
            'TID_ffeeddccbbaa99887766554433221100 "-" "-" "-"',
            'h2 2024-01-02T03:12:40.000999Z app/my-loadbalancer/50dc6c495c0c9188 203.0.113.51:60002 10.0.0.12:8080 '
            '0.000 -1 -1 460 - 845 0 "POST https://api.example.com:443/v1/upload HTTP/2.0" '
            '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36" '
            f'TLS_AES_128_GCM_SHA256 TLSv1.3 {TG} "Root=1-65937f28-0f0e0d0c0b0a090807060504" "api.example.com" '
            '"session-reused" 5 2024-01-02T03:12:10.000000Z "forward" "-" "-" "10.0.0.12:8080" "-" "-" "-" '
            'TID_0123456789abcdef0123456789abcdef "-" "-" "-"',
            'https 2024-01-02T03:13:55.500500Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.99:44321 - -1 -1 -1 '
            '403 - 398 178 "GET https://www.example.com:443/wp-login.php HTTP/1.1" "python-requests/2.31.0" '
            'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-65937f73-aabbccddeeff001122334455" "www.example.com" '
            f'"{CERT}" 0 2024-01-02T03:13:55.500000Z "waf" "-" "-" "-" "-" "-" "-" '
            'TID_abcdefabcdefabcdefabcdefabcdefab "-" "-" "-"',
        ),
        "records": [
            {"elb_status_code": 503, "target_status_code": None, "target_port": None,
             "request_processing_time": -1.0, "target_processing_time": -1.0, "response_processing_time": -1.0,
             "target_group_arn": TG, "target_port_list": None, "target_status_code_list": None},
            {"elb_status_code": 502, "target_status_code": None, "target_port": "10.0.0.12:8080",
             "target_processing_time": 0.003, "response_processing_time": -1.0,
             "target_port_list": "10.0.0.12:8080", "target_status_code_list": None},
            {"elb_status_code": 460, "target_status_code": None, "target_processing_time": -1.0,
             "sent_bytes": 0, "chosen_cert_arn": "session-reused",
             "request_creation_time": "2024-01-02T03:12:10.000000Z"},
            {"elb_status_code": 403, "target_port": None, "target_group_arn": None,
             "actions_executed": "waf", "user_agent": "python-requests/2.31.0"},
        ],
        "common": [
            {"ts": "2024-01-02 03:10:00.000", "src_ip": "198.51.100.7", "outcome": "failure", "action": "GET",
             "ips": ["198.51.100.7"]},
            {"ts": "2024-01-02 03:11:12.345", "src_ip": "203.0.113.50", "outcome": "failure", "action": "POST",
             "ips": ["203.0.113.50", "10.0.0.12"]},
            {"ts": "2024-01-02 03:12:40.000", "outcome": "failure", "ips": ["203.0.113.51", "10.0.0.12"]},
            {"ts": "2024-01-02 03:13:55.500", "src_ip": "192.0.2.99", "outcome": "failure",
             "resource": "https://www.example.com:443/wp-login.php", "ips": ["192.0.2.99"]},
        ],
    },
    {
        # IPv6 is written without brackets: the port follows the last colon. `2001:db8:10::25:8443` is
        # itself a valid IPv6 address, but target:port always ends with the port.
        "name": "alb ipv6 client and target",
        "key": "lb-logs/prod/" + ALB_KEY.format(d="2024/03/05", end="20240305T0810Z", rnd="v6v6v6v6"),
        "content": lines(
            'h2 2024-03-05T08:09:10.111222Z app/my-loadbalancer/50dc6c495c0c9188 2001:db8:4538:1:bcf4:5264:e01c:f215:50718 '
            '2001:db8:10::25:8443 0.001 0.020 0.000 200 200 310 1290 "GET https://dualstack.example.com:443/status HTTP/2.0" '
            '"curl/8.5.0" TLS_AES_128_GCM_SHA256 TLSv1.3 '
            f'{TG} "Root=1-65e6d326-5a4b3c2d1e0f9a8b7c6d5e4f" "dualstack.example.com" "{CERT}" 2 '
            '2024-03-05T08:09:10.090000Z "forward" "-" "-" "2001:db8:10::25:8443" "200" "-" "-" '
            'TID_6e6f706f7274696e7468697369707636 "-" "-" "-"',
        ),
        "records": [{
            "client_port": "2001:db8:4538:1:bcf4:5264:e01c:f215:50718",
            "target_port": "2001:db8:10::25:8443",
            "target_port_list": "2001:db8:10::25:8443",
            "target_status_code_list": "200",
        }],
        "common": [{
            "ts": "2024-03-05 08:09:10.111",
            "src_ip": "2001:db8:4538:1:bcf4:5264:e01c:f215",
            "ips": ["2001:db8:4538:1:bcf4:5264:e01c:f215", "2001:db8:10::25"],
            "account_id": ACCT,
            "region": "us-east-2",
        }],
    },
    {
        # Quotes inside the user agent are written \" ; the request URL is logged as the client sent it
        # (a quote in the URL appears as \x22, kept as is). A URL with an unencoded space is logged with
        # the space and classified Acceptable / SpaceInUri (desync mitigation).
        "name": "alb quoted request and escaped user agent",
        "key": ALB_KEY.format(d="2024/05/06", end="20240506T0710Z", rnd="q0u0t3s9"),
        "content": lines(
            r'http 2024-05-06T07:08:09.101112Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.44:33000 10.0.0.1:80 '
            r'0.000 0.004 0.000 404 404 250 180 "GET http://www.example.com:80/search?q=\x22admin\x22%20OR%201=1 HTTP/1.1" '
            r'"Mozilla/5.0 (compatible; \"Scanner\" Bot/2.1; +http://example.net/bot)" - - '
            + TG +
            r' "Root=1-663881d9-112233445566778899aabbcc" "-" "-" 2 2024-05-06T07:08:09.097000Z "forward" "-" "-" '
            r'"10.0.0.1:80" "404" "-" "-" TID_11111111222222223333333344444444 "-" "-" "-"',
            'http 2024-05-06T07:08:30.000001Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.45:33002 10.0.0.1:80 '
            '0.000 0.002 0.000 200 200 140 512 "GET http://www.example.com:80/docs/annual report.pdf HTTP/1.1" '
            f'"Wget/1.21.4" - - {TG} "Root=1-663881ee-ffeeddccbbaa998877665544" "-" "-" 2 '
            '2024-05-06T07:08:29.995000Z "forward" "-" "-" "10.0.0.1:80" "200" "Acceptable" "SpaceInUri" '
            'TID_55555555666666667777777788888888 "-" "-" "-"',
        ),
        "records": [
            {"request": r"GET http://www.example.com:80/search?q=\x22admin\x22%20OR%201=1 HTTP/1.1",
             "user_agent": 'Mozilla/5.0 (compatible; "Scanner" Bot/2.1; +http://example.net/bot)',
             "elb_status_code": 404, "target_status_code": 404, "target_group_arn": TG,
             "trace_id": "Root=1-663881d9-112233445566778899aabbcc"},
            {"request": "GET http://www.example.com:80/docs/annual report.pdf HTTP/1.1",
             "classification": "Acceptable", "classification_reason": "SpaceInUri",
             "conn_trace_id": "TID_55555555666666667777777788888888"},
        ],
        "common": [
            {"action": "GET", "outcome": "failure",
             "resource": r"http://www.example.com:80/search?q=\x22admin\x22%20OR%201=1",
             "user_agent": 'Mozilla/5.0 (compatible; "Scanner" Bot/2.1; +http://example.net/bot)',
             "ips": ["192.0.2.44", "10.0.0.1"]},
            {"action": "GET", "outcome": "success",
             "resource": "http://www.example.com:80/docs/annual report.pdf"},
        ],
    },
    {
        # A malformed request: no target, -1 timings, 400, the request logged as "- - - ", no user agent,
        # no target group, matched_rule_priority "-", no actions. The second form is what ALB writes when
        # only a method-less request line arrived.
        "name": "alb malformed request",
        "key": ALB_KEY.format(d="2024/05/06", end="20240506T0715Z", rnd="m4lf0rm3"),
        "content": lines(
            'http 2024-05-06T07:10:00.123456Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.77:41000 - -1 -1 -1 400 - '
            '0 272 "- - - " "-" - - - "-" "-" "-" - 2024-05-06T07:09:59.987000Z "-" "-" "-" "-" "-" "-" "-" '
            'TID_9999aaaabbbbccccddddeeeeffff0000 "-" "-" "-"',
            'http 2024-05-06T07:10:01.000002Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.78:41001 - -1 -1 -1 400 - '
            '0 272 "- http://my-loadbalancer-1234567890.us-east-2.elb.amazonaws.com:80- -" "-" - - - "-" "-" "-" - '
            '2024-05-06T07:10:00.730000Z "-" "-" "-" "-" "-" "-" "-" TID_0000ffffeeeeddddccccbbbbaaaa9999 "-" "-" "-"',
        ),
        "records": [
            {"request": "- - - ", "user_agent": None, "target_port": None, "target_group_arn": None,
             "trace_id": None, "matched_rule_priority": None, "actions_executed": None,
             "elb_status_code": 400, "target_status_code": None, "received_bytes": 0, "sent_bytes": 272,
             "request_creation_time": "2024-05-06T07:09:59.987000Z",
             "conn_trace_id": "TID_9999aaaabbbbccccddddeeeeffff0000"},
            {"request": "- http://my-loadbalancer-1234567890.us-east-2.elb.amazonaws.com:80- -",
             "user_agent": None, "matched_rule_priority": None, "elb_status_code": 400},
        ],
        "common": [
            {"ts": "2024-05-06 07:10:00.123", "src_ip": "192.0.2.77", "action": "", "resource": "",
             "user_agent": "", "outcome": "failure", "ips": ["192.0.2.77"]},
            {"ts": "2024-05-06 07:10:01.000", "src_ip": "192.0.2.78", "action": "", "outcome": "failure"},
        ],
    },
    {
        # The documented Lambda examples (a line of the 2020 format, ending at classification_reason).
        "name": "alb lambda targets",
        "key": ALB_KEY.format(d="2018/11/30", end="20181130T2225Z", rnd="l4mbd4xx"),
        "content": lines(
            'http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 '
            '0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - '
            f'{TG} "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 0 2018-11-30T22:22:48.364000Z "forward" '
            '"-" "-" "-" "-" "-" "-"',
            'http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 '
            '0.000 502 - 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - '
            f'{TG} "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 0 2018-11-30T22:22:48.364000Z "forward" '
            '"-" "LambdaInvalidResponse" "-" "-" "-" "-"',
        ),
        "records": [
            {"target_port": None, "elb_status_code": 200, "target_status_code": 200, "error_reason": None,
             "target_port_list": None, "classification_reason": None, "conn_trace_id": None},
            {"target_port": None, "elb_status_code": 502, "target_status_code": None,
             "error_reason": "LambdaInvalidResponse", "actions_executed": "forward", "conn_trace_id": None},
        ],
        "common": [
            {"ts": "2018-11-30 22:23:00.186", "outcome": "success", "ips": ["192.168.131.39"],
             "account_id": ACCT, "region": "us-east-2"},
            {"ts": "2018-11-30 22:23:00.186", "outcome": "failure", "ips": ["192.168.131.39"]},
        ],
    },
    {
        # Lines of older versions end early; the fields they predate are absent, not an error.
        "name": "alb older short lines",
        "key": ALB_KEY.format(d="2017/09/01", end="20170901T1205Z", rnd="0ld3r0ne"),
        "content": lines(
            'https 2017-09-01T12:00:01.000123Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 '
            '0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" '
            f'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TG} "Root=1-59a94bc1-0a0b0c0d0e0f101112131415" "www.example.com"',
            'http 2017-09-01T12:00:02.500000Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.40:2818 10.0.0.1:80 '
            '0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - '
            f'{TG} "Root=1-59a94bc2-161718191a1b1c1d1e1f2021" "-" "-" 0 2017-09-01T12:00:02.499000Z "forward"',
            'http 2018-08-15T09:30:00.010203Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.41:2819 10.0.0.1:80 '
            '0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - '
            f'{TG} "Root=1-5b73f298-2223242526272829a2b2c2d2" "-" "-" 0 2018-08-15T09:29:59.999000Z "forward" "-" "-"',
        ),
        "records": [
            {"type": "https", "trace_id": "Root=1-59a94bc1-0a0b0c0d0e0f101112131415",
             "domain_name": "www.example.com", "chosen_cert_arn": None, "matched_rule_priority": None,
             "request_creation_time": None, "actions_executed": None, "target_port_list": None,
             "conn_trace_id": None},
            {"type": "http", "request_creation_time": "2017-09-01T12:00:02.499000Z",
             "actions_executed": "forward", "redirect_url": None, "error_reason": None,
             "target_status_code_list": None},
            {"actions_executed": "forward", "redirect_url": None, "error_reason": None,
             "target_port_list": None, "classification": None},
        ],
        "common": [
            {"ts": "2017-09-01 12:00:01.000", "src_ip": "192.168.131.39", "outcome": "success",
             "ips": ["192.168.131.39", "10.0.0.1"]},
            {"ts": "2017-09-01 12:00:02.500", "src_ip": "192.168.131.40"},
            {"ts": "2018-08-15 09:30:00.010", "src_ip": "192.168.131.41"},
        ],
    },
    {
        # Fields after the documented ones are ignored: the first line carries three more values as seen
        # in deliveries, the second a quoted value and a number.
        "name": "alb unknown extra trailing fields",
        "key": ALB_KEY.format(d="2025/11/20", end="20251120T1405Z", rnd="x7r4f13d"),
        "content": lines(
            'https 2025-11-20T14:00:00.250000Z app/my-loadbalancer/50dc6c495c0c9188 198.51.100.60:50001 10.0.3.3:443 '
            '0.000 0.031 0.000 200 200 420 9120 "GET https://shop.example.com:443/cart HTTP/1.1" '
            f'"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TG} '
            f'"Root=1-691f1ee0-0a1a2a3a4a5a6a7a8a9aaaba" "shop.example.com" "{CERT}" 7 2025-11-20T14:00:00.219000Z '
            '"forward" "-" "-" "10.0.3.3:443" "200" "-" "-" TID_c0ffeec0ffeec0ffeec0ffeec0ffee00 "-" "-" "-" '
            '192.0.2.10 "-" "-"',
            'https 2025-11-20T14:00:01.750000Z app/my-loadbalancer/50dc6c495c0c9188 198.51.100.61:50002 10.0.3.3:443 '
            '0.000 0.029 0.000 304 304 410 230 "GET https://shop.example.com:443/cart HTTP/1.1" '
            f'"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TG} '
            f'"Root=1-691f1ee1-0b1b2b3b4b5b6b7b8b9babbb" "shop.example.com" "{CERT}" 7 2025-11-20T14:00:01.720000Z '
            '"forward" "-" "-" "10.0.3.3:443" "304" "-" "-" TID_c0ffeec0ffeec0ffeec0ffeec0ffee01 "-" "-" "-" '
            '"some future value" 42',
        ),
        "records": [
            {"elb_status_code": 200, "conn_trace_id": "TID_c0ffeec0ffeec0ffeec0ffeec0ffee00",
             "transformed_host": None, "transformed_uri": None, "request_transform_status": None,
             "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)"},
            {"elb_status_code": 304, "target_status_code": 304, "conn_trace_id": "TID_c0ffeec0ffeec0ffeec0ffeec0ffee01",
             "request_transform_status": None},
        ],
        "common": [
            {"ts": "2025-11-20 14:00:00.250", "outcome": "success", "ips": ["198.51.100.60", "10.0.3.3"]},
            {"ts": "2025-11-20 14:00:01.750", "outcome": "success"},
        ],
    },
    {
        # Malformed lines are rejected by line number; the good lines around them are kept.
        "name": "alb malformed lines among good ones",
        "key": ALB_KEY.format(d="2024/07/01", end="20240701T1205Z", rnd="b4dl1n3s"),
        "content": lines(
            'http 2024-07-01T12:00:00.100000Z app/my-loadbalancer/50dc6c495c0c9188 198.51.100.1:1001 10.0.0.1:80 '
            '0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/a HTTP/1.1" "curl/8.5.0" - - '
            f'{TG} "Root=1-66829a40-000000000000000000000001" "-" "-" 0 2024-07-01T12:00:00.099000Z "forward" '
            '"-" "-" "10.0.0.1:80" "200" "-" "-" TID_00000000000000000000000000000001 "-" "-" "-"',
            'http 2024-07-01T12:00:01.100000Z app/my-loadbalancer/50dc6c495c0c9188 198.51.100.2:1002',
            'http 2024-07-01T12:00:02.100000Z app/my-loadbalancer/50dc6c495c0c9188 198.51.100.3:1003 10.0.0.1:80 '
            '0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/c HTTP/1.1" "curl/8.5.0 - - '
            f'{TG} "Root=1-66829a42-000000000000000000000003" "-" "-" 0 2024-07-01T12:00:02.099000Z "forward" '
            '"-" "-" "10.0.0.1:80" "200" "-" "-" TID_00000000000000000000000000000003 "-" "-" "-"',
            'http 2024-07-01T12:00:03.100000Z app/my-loadbalancer/50dc6c495c0c9188 198.51.100.4:1004 10.0.0.1:80 '
            '0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/d HTTP/1.1" "curl/8.5.0" - - '
            f'{TG} "Root=1-66829a43-000000000000000000000004" "-" "-" 0 2024-07-01T12:00:03.099000Z "forward" '
            '"-" "-" "10.0.0.1:80" "200" "-" "-" TID_00000000000000000000000000000004 "-" "-" "-"',
            'http yesterday app/my-loadbalancer/50dc6c495c0c9188 198.51.100.5:1005 10.0.0.1:80 '
            '0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/e HTTP/1.1" "curl/8.5.0" - - '
            f'{TG} "Root=1-66829a44-000000000000000000000005" "-" "-" 0 2024-07-01T12:00:04.099000Z "forward" '
            '"-" "-" "10.0.0.1:80" "200" "-" "-" TID_00000000000000000000000000000005 "-" "-" "-"',
            'http 2024-07-01T12:00:05.100000Z app/my-loadbalancer/50dc6c495c0c9188 198.51.100.6:1006 10.0.0.1:80 '
            '0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/f HTTP/1.1" "curl/8.5.0" - - '
            f'{TG} "Root=1-66829a45-000000000000000000000006" "-" "-" 0 2024-07-01T12:00:05.099000Z "forward" '
            '"-" "-" "10.0.0.1:80" "200" "-" "-" TID_00000000000000000000000000000006 "-" "-" "-"',
        ),
        "records": [
            {"request": "GET http://www.example.com:80/a HTTP/1.1"},
            {"request": "GET http://www.example.com:80/d HTTP/1.1"},
            {"request": "GET http://www.example.com:80/f HTTP/1.1"},
        ],
        "common": [
            {"src_ip": "198.51.100.1"},
            {"src_ip": "198.51.100.4"},
            {"src_ip": "198.51.100.6"},
        ],
        "errors": [(2, "too few fields"), (3, "unterminated"), (5, "unreadable time")],
    },
    # ---------------------------------------------------------------- NLB (TLS listeners)
    {
        # The documented example without ALPN, with tls_connection_creation_time (the last field).
        "name": "nlb tls basic",
        "key": ("AWSLogs/671290407336/elasticloadbalancing/us-east-2/2018/12/20/671290407336_elasticloadbalancing_"
                "us-east-2_net.my-network-loadbalancer.c6e77e28c25b2234_20181220T0300Z_1mweux1s.log.gz"),
        "content": lines(
            'tls 2.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd '
            '72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - '
            'arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - '
            'ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com '
            '- - - 2018-12-20T02:59:30',
        ),
        "records": [{
            "type": "tls",
            "version": "2.0",
            "time": "2018-12-20T02:59:40",
            "elb": "net/my-network-loadbalancer/c6e77e28c25b2234",
            "listener": "g3d4b5e8bb8464cd",
            "client_port": "72.21.218.154:51341",
            "destination_port": "172.100.100.185:443",
            "connection_time": 5,
            "tls_handshake_time": 2,
            "received_bytes": 98,
            "sent_bytes": 246,
            "incoming_tls_alert": None,
            "chosen_cert_arn": "arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99",
            "chosen_cert_serial": None,
            "tls_cipher": "ECDHE-RSA-AES128-SHA",
            "tls_protocol_version": "tlsv12",
            "tls_named_group": None,
            "domain_name": "my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com",
            "alpn_fe_protocol": None,
            "alpn_be_protocol": None,
            "alpn_client_preference_list": None,
            "tls_connection_creation_time": "2018-12-20T02:59:30",
        }],
        "common": [{
            "ts": "2018-12-20 02:59:40.000",
            "src_ip": "72.21.218.154",
            "ips": ["72.21.218.154", "172.100.100.185"],
            "account_id": "671290407336",
            "region": "us-east-2",
        }],
    },
    {
        # The documented ALPN example: the preference list is `"h2","http/1.1"` as written (protocols
        # quoted one by one), followed by one more field. Then an IPv6 client and destination with
        # TLS 1.3 and a named group.
        "name": "nlb tls alpn list and ipv6",
        "key": ("nlb/AWSLogs/671290407336/elasticloadbalancing/us-east-2/2020/04/01/671290407336_elasticloadbalancing_"
                "us-east-2_net.my-network-loadbalancer.c6e77e28c25b2234_20200401T0855Z_9zq0w1xe.log.gz"),
        "content": lines(
            'tls 2.0 2020-04-01T08:51:42 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd '
            '72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - '
            'arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - '
            'ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com '
            'h2 h2 "h2","http/1.1" 2020-04-01T08:51:20',
            'tls 2.0 2020-04-01T08:53:07 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd '
            '2001:db8:1d0c:29b7:c9b2:7b5a:e7d0:2380:55932 2001:db8:138:7c01:63c:b510:129f:89f1:443 35040 48 2150 1726 - '
            'arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - '
            'TLS_AES_128_GCM_SHA256 tlsv13 x25519 www.example.com - - - 2020-04-01T08:52:32',
        ),
        "records": [
            {"alpn_fe_protocol": "h2", "alpn_be_protocol": "h2",
             "alpn_client_preference_list": '"h2","http/1.1"',
             "tls_connection_creation_time": "2020-04-01T08:51:20"},
            {"client_port": "2001:db8:1d0c:29b7:c9b2:7b5a:e7d0:2380:55932",
             "destination_port": "2001:db8:138:7c01:63c:b510:129f:89f1:443",
             "connection_time": 35040, "tls_handshake_time": 48, "received_bytes": 2150, "sent_bytes": 1726,
             "tls_cipher": "TLS_AES_128_GCM_SHA256", "tls_protocol_version": "tlsv13",
             "tls_named_group": "x25519", "domain_name": "www.example.com",
             "alpn_client_preference_list": None, "tls_connection_creation_time": "2020-04-01T08:52:32"},
        ],
        "common": [
            {"ts": "2020-04-01 08:51:42.000", "src_ip": "72.21.218.154", "account_id": "671290407336"},
            {"ts": "2020-04-01 08:53:07.000", "src_ip": "2001:db8:1d0c:29b7:c9b2:7b5a:e7d0:2380",
             "ips": ["2001:db8:1d0c:29b7:c9b2:7b5a:e7d0:2380", "2001:db8:138:7c01:63c:b510:129f:89f1"]},
        ],
    },
    # ---------------------------------------------------------------- Classic Load Balancer
    {
        # The documented HTTP and HTTPS examples, and a 503 when no instance could take the request.
        "name": "classic elb http and https",
        "key": ("my-app/AWSLogs/123456789012/elasticloadbalancing/us-west-2/2015/05/13/123456789012_"
                "elasticloadbalancing_us-west-2_my-loadbalancer_20150513T2340Z_172.160.001.192_20sg8hgm.log"),
        "content": lines(
            '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 '
            '200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -',
            '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000086 0.001048 0.001337 '
            '200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.38.0" DHE-RSA-AES128-SHA TLSv1.2',
            '2015-05-13T23:40:12.001234Z my-loadbalancer 198.51.100.9:50500 - -1 -1 -1 503 - 0 0 '
            '"POST http://www.example.com:80/checkout HTTP/1.1" "Mozilla/5.0 (Windows NT 6.1; rv:38.0) Gecko/20100101 Firefox/38.0" - -',
        ),
        "records": [
            {"timestamp": "2015-05-13T23:39:43.945958Z", "elb": "my-loadbalancer",
             "client_port": "192.168.131.39:2817", "backend_port": "10.0.0.1:80",
             "request_processing_time": 0.000073, "backend_processing_time": 0.001048,
             "response_processing_time": 0.000057, "elb_status_code": 200, "backend_status_code": 200,
             "received_bytes": 0, "sent_bytes": 29, "request": "GET http://www.example.com:80/ HTTP/1.1",
             "user_agent": "curl/7.38.0", "ssl_cipher": None, "ssl_protocol": None},
            {"response_processing_time": 0.001337, "sent_bytes": 57, "ssl_cipher": "DHE-RSA-AES128-SHA",
             "ssl_protocol": "TLSv1.2"},
            {"backend_port": None, "request_processing_time": -1.0, "backend_processing_time": -1.0,
             "response_processing_time": -1.0, "elb_status_code": 503, "backend_status_code": None,
             "received_bytes": 0, "sent_bytes": 0},
        ],
        "common": [
            {"ts": "2015-05-13 23:39:43.945", "src_ip": "192.168.131.39", "action": "GET", "outcome": "success",
             "user_agent": "curl/7.38.0", "resource": "http://www.example.com:80/",
             "ips": ["192.168.131.39", "10.0.0.1"], "account_id": ACCT, "region": "us-west-2"},
            {"ts": "2015-05-13 23:39:43.945", "resource": "https://www.example.com:443/"},
            {"ts": "2015-05-13 23:40:12.001", "src_ip": "198.51.100.9", "action": "POST", "outcome": "failure",
             "ips": ["198.51.100.9"]},
        ],
    },
    {
        # TCP and SSL listeners log the request as "- - - ", user agent "-" and no status codes. A
        # user agent holding quotes is written with \" ; an IPv6 client is written unbracketed.
        "name": "classic elb tcp ssl escaped quotes and ipv6",
        "key": ("AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2018/12/13/123456789012_"
                "elasticloadbalancing_eu-west-1_legacy-lb_20181213T1520Z_10.1.2.3_5kq9x0za.log"),
        "content": lines(
            '2018-12-13T15:16:40.945958Z legacy-lb 192.168.131.39:2817 10.0.0.1:80 0.001069 0.000028 0.000041 '
            '- - 82 305 "- - - " "-" - -',
            '2018-12-13T15:16:41.010203Z legacy-lb 192.168.131.39:2817 10.0.0.1:80 0.001065 0.000015 0.000023 '
            '- - 57 502 "- - - " "-" ECDHE-ECDSA-AES128-GCM-SHA256 TLSv1.2',
            r'2018-12-13T15:16:57.132252Z legacy-lb 93.113.124.199:44444 10.25.30.166:80 0.000048 0.000504 0.000025 '
            r'301 301 0 178 "GET http://10.25.25.42:80/ HTTP/1.0" "\"nlpproject.info research\"" - -',
            '2018-12-13T15:17:01.072335Z legacy-lb 2001:db8:4002:5883:b5f3:aaaa:bbbb:64ec:53016 10.12.34.56:80 '
            '0.000052 0.006129 0.000037 200 200 0 0 "GET https://www.example.com:443/ HTTP/1.1" '
            '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_3) AppleWebKit/600.5.17 (KHTML, like Gecko) Version/8.0.5 Safari/600.5.17" '
            'ECDHE-RSA-AES128-SHA256 TLSv1.2',
        ),
        "records": [
            {"request": "- - - ", "user_agent": None, "elb_status_code": None, "backend_status_code": None,
             "received_bytes": 82, "sent_bytes": 305, "ssl_cipher": None},
            {"request": "- - - ", "elb_status_code": None, "ssl_cipher": "ECDHE-ECDSA-AES128-GCM-SHA256",
             "ssl_protocol": "TLSv1.2"},
            {"elb": "legacy-lb", "user_agent": '"nlpproject.info research"', "elb_status_code": 301,
             "request": "GET http://10.25.25.42:80/ HTTP/1.0"},
            {"client_port": "2001:db8:4002:5883:b5f3:aaaa:bbbb:64ec:53016", "backend_port": "10.12.34.56:80",
             "ssl_cipher": "ECDHE-RSA-AES128-SHA256"},
        ],
        "common": [
            {"ts": "2018-12-13 15:16:40.945", "src_ip": "192.168.131.39", "action": "", "resource": "",
             "user_agent": "", "ips": ["192.168.131.39", "10.0.0.1"], "account_id": ACCT, "region": "eu-west-1"},
            {"action": "", "resource": ""},
            {"ts": "2018-12-13 15:16:57.132", "user_agent": '"nlpproject.info research"', "outcome": "success",
             "action": "GET", "resource": "http://10.25.25.42:80/"},
            {"ts": "2018-12-13 15:17:01.072", "src_ip": "2001:db8:4002:5883:b5f3:aaaa:bbbb:64ec",
             "ips": ["2001:db8:4002:5883:b5f3:aaaa:bbbb:64ec", "10.12.34.56"]},
        ],
    },
]
