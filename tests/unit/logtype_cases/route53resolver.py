"""Route 53 Resolver (VPC Resolver) query logs delivered to S3: hand-made cases.

Sources: AWS Route 53 Developer Guide, "Values that appear in VPC Resolver query logs" and
"Route 53 VPC Resolver query log example" (case 2 is that example record, on one line).

Delivery: gzipped NDJSON, one query per line, under
    [prefix/]AWSLogs/<account>/vpcdnsquerylogs/<vpc-id>/YYYY/MM/DD/
        <vpc-id>_vpcdnsquerylogs_<account>_YYYYMMDDTHHMMZ_<8 hex>.log.gz
Facts worth knowing: `version` is the string "1.100000"; `srcport` is a string; query_timestamp
is ISO 8601 UTC, usually to the second ("2021-02-04T17:51:55Z"), milliseconds possible;
`answers` is an array of {Rdata, Type, Class} (empty for NXDOMAIN/SERVFAIL); `srcids` holds
`instance`, or `resolver_endpoint` (+ `resolver_network_interface`) for endpoint traffic, or both
for queries forwarded through an outbound endpoint; firewall_* fields appear only when a DNS
Firewall rule matched. Resolver logs carry no record id.

Mapping to common columns (expected values below follow it):
  ts          query_timestamp (UTC, millisecond precision)
  src_ip      srcaddr (IPv4 or IPv6)
  action      query_type
  resource    query_name (as logged, with its trailing dot)
  outcome     "success" when rcode == "NOERROR", else "failure"
              (a DNS Firewall BLOCK answered with NOERROR stays "success": see case 2; the
              firewall action is reachable in raw)
  actor       srcids.instance, else srcids.resolver_endpoint
  ips         srcaddr, then every answers[].Rdata that is an IPv4/IPv6 address, in order
  account_id  account_id of the record;  region: region of the record
  event_id    "" (no id in the format; not asserted here)
Malformed: a line that is not valid JSON is an error at its 1-based line number; the others load.
Timestamps in "ts" are UTC, formatted "YYYY-MM-DD HH:MM:SS.mmm".
"""

CASES = [
    {
        "name": 'resolver A and AAAA queries from an instance',
        "key": 'AWSLogs/111122223333/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60718/2024/01/02/vpc-0a1b2c3d4e5f60718_vpcdnsquerylogs_111122223333_20240102T0305Z_4f1e2d3c.log.gz',
        "content": (
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:04:05Z","query_name":"api.example.com.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"198.51.100.10","Type":"A","Class":"IN"}],"srcaddr":"10.0.1.25","srcport":"53544","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718"}}\n'
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:04:06Z","query_name":"api.example.com.","query_type":"AAAA","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"2001:db8::10","Type":"AAAA","Class":"IN"}],"srcaddr":"10.0.1.25","srcport":"40112","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718"}}\n'
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:04:07Z","query_name":"db.internal.example.com.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"10.0.3.7","Type":"A","Class":"IN"},{"Rdata":"10.0.3.8","Type":"A","Class":"IN"}],"srcaddr":"2600:1f18:1234:5600::25","srcport":"61000","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718"}}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:04:05.000',
             'src_ip': '10.0.1.25',
             'action': 'A',
             'resource': 'api.example.com.',
             'outcome': 'success',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0a1b2c3d4e5f60718',
             'ips': ['10.0.1.25', '198.51.100.10']},
            {'ts': '2024-01-02 03:04:06.000',
             'src_ip': '10.0.1.25',
             'action': 'AAAA',
             'resource': 'api.example.com.',
             'outcome': 'success',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0a1b2c3d4e5f60718',
             'ips': ['10.0.1.25', '2001:db8::10']},
            {'ts': '2024-01-02 03:04:07.000',
             'src_ip': '2600:1f18:1234:5600::25',
             'action': 'A',
             'resource': 'db.internal.example.com.',
             'outcome': 'success',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0a1b2c3d4e5f60718',
             'ips': ['2600:1f18:1234:5600::25', '10.0.3.7', '10.0.3.8']},
        ],
    },
    {
        "name": 'resolver documented example (PTR, DNS Firewall BLOCK, NOERROR)',
        "key": 'AWSLogs/111122223333/vpcdnsquerylogs/vpc-7example/2021/02/04/vpc-7example_vpcdnsquerylogs_111122223333_20210204T1750Z_0c9a7b41.log.gz',
        "content": (
            '{"srcaddr":"4.5.64.102","vpc_id":"vpc-7example","answers":[{"Rdata":"203.0.113.9","Type":"PTR","Class":"IN"}],"firewall_rule_group_id":"rslvr-frg-01234567890abcdef","firewall_rule_action":"BLOCK","query_name":"15.3.4.32.in-addr.arpa.","firewall_domain_list_id":"rslvr-fdl-01234567890abcdef","query_class":"IN","srcids":{"instance":"i-0d15cd0d3example"},"rcode":"NOERROR","query_type":"PTR","transport":"UDP","version":"1.100000","account_id":"111122223333","srcport":"56067","query_timestamp":"2021-02-04T17:51:55Z","region":"us-east-1"}\n'
        ),
        "common": [
            {'ts': '2021-02-04 17:51:55.000',
             'src_ip': '4.5.64.102',
             'action': 'PTR',
             'resource': '15.3.4.32.in-addr.arpa.',
             'outcome': 'success',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0d15cd0d3example',
             'ips': ['4.5.64.102', '203.0.113.9']},
        ],
    },
    {
        "name": 'resolver NXDOMAIN and SERVFAIL are failures',
        "key": 'AWSLogs/111122223333/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60718/2024/01/02/vpc-0a1b2c3d4e5f60718_vpcdnsquerylogs_111122223333_20240102T0310Z_9b8a7c6d.log.gz',
        "content": (
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:10:11Z","query_name":"nonexistent.corp.example.com.","query_type":"A","query_class":"IN","rcode":"NXDOMAIN","answers":[],"srcaddr":"10.0.1.25","srcport":"38214","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718"}}\n'
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:10:12Z","query_name":"preprod-dmz.example.com.","query_type":"A","query_class":"IN","rcode":"SERVFAIL","answers":[],"srcaddr":"10.0.2.140","srcport":"38215","transport":"TCP","srcids":{"instance":"i-0fedcba9876543210","resolver_endpoint":"rslvr-out-0123456789abcdef0"}}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:10:11.000',
             'src_ip': '10.0.1.25',
             'action': 'A',
             'resource': 'nonexistent.corp.example.com.',
             'outcome': 'failure',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0a1b2c3d4e5f60718',
             'ips': ['10.0.1.25']},
            {'ts': '2024-01-02 03:10:12.000',
             'src_ip': '10.0.2.140',
             'action': 'A',
             'resource': 'preprod-dmz.example.com.',
             'outcome': 'failure',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0fedcba9876543210',
             'ips': ['10.0.2.140']},
        ],
    },
    {
        "name": 'resolver CNAME chain, MX and TXT answers',
        "key": 'AWSLogs/111122223333/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60718/2024/01/02/vpc-0a1b2c3d4e5f60718_vpcdnsquerylogs_111122223333_20240102T0315Z_1a2b3c4d.log.gz',
        "content": (
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:15:01Z","query_name":"www.example.com.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"d111111abcdef8.cloudfront.net.","Type":"CNAME","Class":"IN"},{"Rdata":"203.0.113.80","Type":"A","Class":"IN"}],"srcaddr":"10.0.1.25","srcport":"50001","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718"}}\n'
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:15:02Z","query_name":"example.com.","query_type":"MX","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"10 mail.example.com.","Type":"MX","Class":"IN"}],"srcaddr":"10.0.1.25","srcport":"50002","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718"}}\n'
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:15:03Z","query_name":"example.com.","query_type":"TXT","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"\\"v=spf1 include:amazonses.com ~all\\"","Type":"TXT","Class":"IN"}],"srcaddr":"10.0.1.25","srcport":"50003","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718"}}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:15:01.000',
             'src_ip': '10.0.1.25',
             'action': 'A',
             'resource': 'www.example.com.',
             'outcome': 'success',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0a1b2c3d4e5f60718',
             'ips': ['10.0.1.25', '203.0.113.80']},
            {'ts': '2024-01-02 03:15:02.000',
             'src_ip': '10.0.1.25',
             'action': 'MX',
             'resource': 'example.com.',
             'outcome': 'success',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0a1b2c3d4e5f60718',
             'ips': ['10.0.1.25']},
            {'ts': '2024-01-02 03:15:03.000',
             'src_ip': '10.0.1.25',
             'action': 'TXT',
             'resource': 'example.com.',
             'outcome': 'success',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0a1b2c3d4e5f60718',
             'ips': ['10.0.1.25']},
        ],
    },
    {
        "name": 'resolver inbound endpoint query with firewall ALERT, prefixed key',
        "key": 'dns-logs/AWSLogs/111122223333/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60718/2024/01/02/vpc-0a1b2c3d4e5f60718_vpcdnsquerylogs_111122223333_20240102T0320Z_77aa55cc.log.gz',
        "content": (
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:20:09Z","query_name":"app.corp.example.com.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"10.0.4.12","Type":"A","Class":"IN"}],"srcaddr":"172.16.5.20","srcport":"15083","transport":"UDP","srcids":{"resolver_endpoint":"rslvr-in-0123456789abcdef0","resolver_network_interface":"rni-0123456789abcdef0"},"firewall_rule_group_id":"rslvr-frg-0123456789abcdef0","firewall_rule_action":"ALERT","firewall_domain_list_id":"rslvr-fdl-0123456789abcdef0"}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:20:09.000',
             'src_ip': '172.16.5.20',
             'action': 'A',
             'resource': 'app.corp.example.com.',
             'outcome': 'success',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'rslvr-in-0123456789abcdef0',
             'ips': ['172.16.5.20', '10.0.4.12']},
        ],
    },
    {
        "name": 'resolver millisecond query_timestamp and ANY query',
        "key": 'AWSLogs/123456789012/vpcdnsquerylogs/vpc-0123456789abcdef0/2017/03/16/vpc-0123456789abcdef0_vpcdnsquerylogs_123456789012_20170316T1920Z_5e6f7a8b.log.gz',
        "content": (
            '{"version":"1.100000","account_id":"123456789012","region":"eu-west-1","vpc_id":"vpc-0123456789abcdef0","query_timestamp":"2017-03-16T19:20:25.177Z","query_name":"example.org.","query_type":"ANY","query_class":"IN","rcode":"REFUSED","answers":[],"srcaddr":"10.1.0.9","srcport":"33333","transport":"UDP","srcids":{"instance":"i-00aa11bb22cc33dd4"}}\n'
        ),
        "common": [
            {'ts': '2017-03-16 19:20:25.177',
             'src_ip': '10.1.0.9',
             'action': 'ANY',
             'resource': 'example.org.',
             'outcome': 'failure',
             'account_id': '123456789012',
             'region': 'eu-west-1',
             'actor': 'i-00aa11bb22cc33dd4',
             'ips': ['10.1.0.9']},
        ],
    },
    {
        "name": 'resolver truncated line is an error, other lines load',
        "key": 'AWSLogs/111122223333/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60718/2024/01/02/vpc-0a1b2c3d4e5f60718_vpcdnsquerylogs_111122223333_20240102T0325Z_deadbeef.log.gz',
        "content": (
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:25:00Z","query_name":"s3.us-east-1.amazonaws.com.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"52.216.0.1","Type":"A","Class":"IN"}],"srcaddr":"10.0.1.25","srcport":"41000","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718"}}\n'
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:25:01Z","quer\n'
            '{"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0a1b2c3d4e5f60718","query_timestamp":"2024-01-02T03:25:02Z","query_name":"sts.amazonaws.com.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"209.54.177.164","Type":"A","Class":"IN"}],"srcaddr":"10.0.1.25","srcport":"41002","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718"}}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:25:00.000',
             'src_ip': '10.0.1.25',
             'action': 'A',
             'resource': 's3.us-east-1.amazonaws.com.',
             'outcome': 'success',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0a1b2c3d4e5f60718',
             'ips': ['10.0.1.25', '52.216.0.1']},
            {'ts': '2024-01-02 03:25:02.000',
             'src_ip': '10.0.1.25',
             'action': 'A',
             'resource': 'sts.amazonaws.com.',
             'outcome': 'success',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0a1b2c3d4e5f60718',
             'ips': ['10.0.1.25', '209.54.177.164']},
        ],
        "errors": [(2, 'invalid JSON')],
    },
]
