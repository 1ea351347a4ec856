"""CloudWatch Logs subscription data delivered to S3 by Amazon Data Firehose: hand-made cases.

Sources: Amazon CloudWatch Logs User Guide, "Using subscription filters with Amazon Data
Firehose" / "Subscription filters" (payload example: log group "CloudTrail", case 2); Amazon
Data Firehose Developer Guide, "Configure Amazon S3 object name format"; the shared sample
../shared/samples/cloudwatch_subscription/ (read, not copied).

Payload: each Firehose record is one JSON envelope
    {"messageType","owner","logGroup","logStream","subscriptionFilters":[...],
     "logEvents":[{"id","timestamp","message"}, ...]}
gzipped by CloudWatch Logs. Without Firehose decompression the S3 object is those gzip members
back to back (decompressed: envelopes concatenated with NO separator, "}{"); with decompression
and the new-line delimiter option, envelopes are separated by "\\n". `content` below is the
decompressed text. logEvents[].timestamp is epoch MILLISECONDS; logEvents[].id is a 56-digit
decimal string; `message` is free text (often JSON as a string, often ending in "\\n").
messageType CONTROL_MESSAGE (owner "CloudwatchLogs", empty logGroup/logStream, message
"CWL CONTROL MESSAGE: Checking health of destination Firehose.") is a health check.
Key (default prefix is the UTC arrival hour):
    [prefix]YYYY/MM/dd/HH/<stream name>-<stream version>-YYYY-MM-dd-HH-mm-ss-<uuid>[.gz]
The stream version starts at 1 and grows with each configuration change. Note that a WAF
Firehose stream (name starting with aws-waf-logs-) has the same layout and holds WAF records,
not envelopes (see waf.py).

Mapping: one row per logEvents[] item of each DATA_MESSAGE; CONTROL_MESSAGE gives no row.
  ts          logEvent.timestamp (epoch ms -> UTC)
  event_id    logEvent.id
  actor       logGroup
  resource    logStream
  account_id  owner
  region      "" (not in the payload; not asserted)
  src_ip ""   ips []   (messages are not parsed)
  raw         the JSON object {id, timestamp, message, logGroup, logStream, owner,
              subscriptionFilters}; each case's "records" lists these objects, so the
              harness checks them against the row's `fields` (the parsed raw): key order and
              spacing of raw are free
Malformed: in newline-separated objects a line that is not valid JSON is an error at its
1-based line number, the other envelopes load.
Timestamps in "ts" are UTC, formatted "YYYY-MM-DD HH:MM:SS.mmm".
"""

CASES = [
    {
        "name": 'cwl one DATA_MESSAGE with two Lambda events',
        "key": '2024/01/02/03/cwl-orders-1-2024-01-02-03-04-50-6f0e3a52-9c1b-4d7e-8a2f-1b3c5d7e9f01',
        "content": (
            '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/aws/lambda/orders-api","logStream":"2024/01/02/[$LATEST]4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99","subscriptionFilters":["orders-to-firehose"],"logEvents":[{"id":"37996142335474398421568417224829145232385937468946006016","timestamp":1704164645123,"message":"START RequestId: 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f Version: $LATEST\\n"},{"id":"37996142335630497034853567432851046426839062476305481729","timestamp":1704164645130,"message":"{\\"level\\":\\"info\\",\\"msg\\":\\"order created\\",\\"orderId\\":\\"A-1001\\"}\\n"}]}'
        ),
        "records": [
            {'id': '37996142335474398421568417224829145232385937468946006016',
             'timestamp': 1704164645123,
             'message': 'START RequestId: 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f Version: $LATEST\n',
             'logGroup': '/aws/lambda/orders-api',
             'logStream': '2024/01/02/[$LATEST]4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
             'owner': '111122223333',
             'subscriptionFilters': ['orders-to-firehose']},
            {'id': '37996142335630497034853567432851046426839062476305481729',
             'timestamp': 1704164645130,
             'message': '{"level":"info","msg":"order created","orderId":"A-1001"}\n',
             'logGroup': '/aws/lambda/orders-api',
             'logStream': '2024/01/02/[$LATEST]4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
             'owner': '111122223333',
             'subscriptionFilters': ['orders-to-firehose']},
        ],
        "common": [
            {'ts': '2024-01-02 03:04:05.123',
             'event_id': '37996142335474398421568417224829145232385937468946006016',
             'actor': '/aws/lambda/orders-api',
             'resource': '2024/01/02/[$LATEST]4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
            {'ts': '2024-01-02 03:04:05.130',
             'event_id': '37996142335630497034853567432851046426839062476305481729',
             'actor': '/aws/lambda/orders-api',
             'resource': '2024/01/02/[$LATEST]4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
        ],
    },
    {
        "name": 'cwl two envelopes concatenated without separator',
        "key": '2024/01/02/03/cwl-orders-1-2024-01-02-03-05-00-0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a',
        "content": (
            '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/aws/lambda/orders-api","logStream":"2024/01/02/[$LATEST]4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99","subscriptionFilters":["orders-to-firehose"],"logEvents":[{"id":"37996142335741963900564873217473283476219476542834622466","timestamp":1704164646001,"message":"END RequestId: 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f\\n"}]}'
            '{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"CloudTrail","logStream":"123456789012_CloudTrail_us-east-1","subscriptionFilters":["Destination"],"logEvents":[{"id":"31953106606966983378809025079804211143289615424298221568","timestamp":1432826855000,"message":"{\\"eventVersion\\":\\"1.03\\",\\"userIdentity\\":{\\"type\\":\\"Root\\"}"},{"id":"31953106606966983378809025079804211143289615424298221569","timestamp":1432826855000,"message":"{\\"eventVersion\\":\\"1.03\\",\\"userIdentity\\":{\\"type\\":\\"Root\\"}"},{"id":"31953106606966983378809025079804211143289615424298221570","timestamp":1432826855000,"message":"{\\"eventVersion\\":\\"1.03\\",\\"userIdentity\\":{\\"type\\":\\"Root\\"}"}]}'
        ),
        "records": [
            {'id': '37996142335741963900564873217473283476219476542834622466',
             'timestamp': 1704164646001,
             'message': 'END RequestId: 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f\n',
             'logGroup': '/aws/lambda/orders-api',
             'logStream': '2024/01/02/[$LATEST]4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
             'owner': '111122223333',
             'subscriptionFilters': ['orders-to-firehose']},
            {'id': '31953106606966983378809025079804211143289615424298221568',
             'timestamp': 1432826855000,
             'message': '{"eventVersion":"1.03","userIdentity":{"type":"Root"}',
             'logGroup': 'CloudTrail',
             'logStream': '123456789012_CloudTrail_us-east-1',
             'owner': '123456789012',
             'subscriptionFilters': ['Destination']},
            {'id': '31953106606966983378809025079804211143289615424298221569',
             'timestamp': 1432826855000,
             'message': '{"eventVersion":"1.03","userIdentity":{"type":"Root"}',
             'logGroup': 'CloudTrail',
             'logStream': '123456789012_CloudTrail_us-east-1',
             'owner': '123456789012',
             'subscriptionFilters': ['Destination']},
            {'id': '31953106606966983378809025079804211143289615424298221570',
             'timestamp': 1432826855000,
             'message': '{"eventVersion":"1.03","userIdentity":{"type":"Root"}',
             'logGroup': 'CloudTrail',
             'logStream': '123456789012_CloudTrail_us-east-1',
             'owner': '123456789012',
             'subscriptionFilters': ['Destination']},
        ],
        "common": [
            {'ts': '2024-01-02 03:04:06.001',
             'event_id': '37996142335741963900564873217473283476219476542834622466',
             'actor': '/aws/lambda/orders-api',
             'resource': '2024/01/02/[$LATEST]4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
            {'ts': '2015-05-28 15:27:35.000',
             'event_id': '31953106606966983378809025079804211143289615424298221568',
             'actor': 'CloudTrail',
             'resource': '123456789012_CloudTrail_us-east-1',
             'account_id': '123456789012',
             'src_ip': '',
             'ips': []},
            {'ts': '2015-05-28 15:27:35.000',
             'event_id': '31953106606966983378809025079804211143289615424298221569',
             'actor': 'CloudTrail',
             'resource': '123456789012_CloudTrail_us-east-1',
             'account_id': '123456789012',
             'src_ip': '',
             'ips': []},
            {'ts': '2015-05-28 15:27:35.000',
             'event_id': '31953106606966983378809025079804211143289615424298221570',
             'actor': 'CloudTrail',
             'resource': '123456789012_CloudTrail_us-east-1',
             'account_id': '123456789012',
             'src_ip': '',
             'ips': []},
        ],
    },
    {
        "name": 'cwl newline-separated envelopes, prefixed gz key',
        "key": 'cwlogs/2024/01/02/04/cwl-vpc-2-2024-01-02-04-01-05-a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d.gz',
        "content": (
            '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"vpc-flow-logs","logStream":"eni-0123456789abcdef0-all","subscriptionFilters":["flow-to-firehose"],"logEvents":[{"id":"38001203955302912589142340196581403211298762311041925120","timestamp":1704168061000,"message":"2 111122223333 eni-0123456789abcdef0 10.0.1.25 198.51.100.7 49152 443 6 10 840 1704168000 1704168060 ACCEPT OK"},{"id":"38001203955302912589142340196581403211298762311041925121","timestamp":1704168061000,"message":"2 111122223333 eni-0123456789abcdef0 203.0.113.99 10.0.1.25 51234 22 6 1 40 1704168000 1704168060 REJECT OK"}]}\n'
            '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"vpc-flow-logs","logStream":"eni-0fedcba9876543210-all","subscriptionFilters":["flow-to-firehose"],"logEvents":[{"id":"38001203955369814357206521938463028461722093107213811714","timestamp":1704168062000,"message":"2 111122223333 eni-0fedcba9876543210 - - - - - - - 1704168000 1704168060 - NODATA"}]}\n'
        ),
        "records": [
            {'id': '38001203955302912589142340196581403211298762311041925120',
             'timestamp': 1704168061000,
             'message': '2 111122223333 eni-0123456789abcdef0 10.0.1.25 198.51.100.7 49152 443 6 10 840 '
                        '1704168000 1704168060 ACCEPT OK',
             'logGroup': 'vpc-flow-logs',
             'logStream': 'eni-0123456789abcdef0-all',
             'owner': '111122223333',
             'subscriptionFilters': ['flow-to-firehose']},
            {'id': '38001203955302912589142340196581403211298762311041925121',
             'timestamp': 1704168061000,
             'message': '2 111122223333 eni-0123456789abcdef0 203.0.113.99 10.0.1.25 51234 22 6 1 40 '
                        '1704168000 1704168060 REJECT OK',
             'logGroup': 'vpc-flow-logs',
             'logStream': 'eni-0123456789abcdef0-all',
             'owner': '111122223333',
             'subscriptionFilters': ['flow-to-firehose']},
            {'id': '38001203955369814357206521938463028461722093107213811714',
             'timestamp': 1704168062000,
             'message': '2 111122223333 eni-0fedcba9876543210 - - - - - - - 1704168000 1704168060 - NODATA',
             'logGroup': 'vpc-flow-logs',
             'logStream': 'eni-0fedcba9876543210-all',
             'owner': '111122223333',
             'subscriptionFilters': ['flow-to-firehose']},
        ],
        "common": [
            {'ts': '2024-01-02 04:01:01.000',
             'event_id': '38001203955302912589142340196581403211298762311041925120',
             'actor': 'vpc-flow-logs',
             'resource': 'eni-0123456789abcdef0-all',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
            {'ts': '2024-01-02 04:01:01.000',
             'event_id': '38001203955302912589142340196581403211298762311041925121',
             'actor': 'vpc-flow-logs',
             'resource': 'eni-0123456789abcdef0-all',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
            {'ts': '2024-01-02 04:01:02.000',
             'event_id': '38001203955369814357206521938463028461722093107213811714',
             'actor': 'vpc-flow-logs',
             'resource': 'eni-0fedcba9876543210-all',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
        ],
    },
    {
        "name": 'cwl control message then data',
        "key": '2024/01/02/04/cwl-ecs-1-2024-01-02-04-02-10-b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
        "content": (
            '{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1704168120000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}'
            '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/ecs/payments","logStream":"payments/app/0a1b2c3d4e5f60718293a4b5c6d7e8f9","subscriptionFilters":["payments-to-firehose"],"logEvents":[{"id":"38001203955436716125270703680344653712145423903385698304","timestamp":1704168121456,"message":"2024-01-02T04:02:01.456Z INFO  payment authorised id=pay_123 amount=42.00 EUR"}]}'
        ),
        "records": [
            {'id': '38001203955436716125270703680344653712145423903385698304',
             'timestamp': 1704168121456,
             'message': '2024-01-02T04:02:01.456Z INFO  payment authorised id=pay_123 amount=42.00 EUR',
             'logGroup': '/ecs/payments',
             'logStream': 'payments/app/0a1b2c3d4e5f60718293a4b5c6d7e8f9',
             'owner': '111122223333',
             'subscriptionFilters': ['payments-to-firehose']},
        ],
        "common": [
            {'ts': '2024-01-02 04:02:01.456',
             'event_id': '38001203955436716125270703680344653712145423903385698304',
             'actor': '/ecs/payments',
             'resource': 'payments/app/0a1b2c3d4e5f60718293a4b5c6d7e8f9',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
        ],
    },
    {
        "name": 'cwl control message only',
        "key": '2024/01/02/04/cwl-ecs-1-2024-01-02-04-00-00-c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f',
        "content": (
            '{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1704167999000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}'
        ),
        "common": [
        ],
    },
    {
        "name": 'cwl messages containing braces, quotes and escapes',
        "key": '2024/01/02/04/cwl-api-1-2024-01-02-04-03-10-d4e5f6a7-b8c9-4d0e-9f1a-3b4c5d6e7f80',
        "content": (
            '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/app/api","logStream":"i-0abcdef1234567890","subscriptionFilters":["api-to-firehose"],"logEvents":[{"id":"38001203955503617893334885422226279962568754699557584896","timestamp":1704168181000,"message":"payload }{ is not an envelope boundary {\\"a\\":1}{\\"b\\":2}"},{"id":"38001203955503617893334885422226279962568754699557584897","timestamp":1704168181001,"message":"user \\"zoë\\" said:\\ttab and\\nnew line ✓"}]}'
            '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/app/api","logStream":"i-0abcdef1234567890","subscriptionFilters":["api-to-firehose"],"logEvents":[{"id":"38001203955570519661399067164107905212992085495729471490","timestamp":1704168182000,"message":"}{"}]}'
        ),
        "records": [
            {'id': '38001203955503617893334885422226279962568754699557584896',
             'timestamp': 1704168181000,
             'message': 'payload }{ is not an envelope boundary {"a":1}{"b":2}',
             'logGroup': '/app/api',
             'logStream': 'i-0abcdef1234567890',
             'owner': '111122223333',
             'subscriptionFilters': ['api-to-firehose']},
            {'id': '38001203955503617893334885422226279962568754699557584897',
             'timestamp': 1704168181001,
             'message': 'user "zoë" said:\ttab and\nnew line ✓',
             'logGroup': '/app/api',
             'logStream': 'i-0abcdef1234567890',
             'owner': '111122223333',
             'subscriptionFilters': ['api-to-firehose']},
            {'id': '38001203955570519661399067164107905212992085495729471490',
             'timestamp': 1704168182000,
             'message': '}{',
             'logGroup': '/app/api',
             'logStream': 'i-0abcdef1234567890',
             'owner': '111122223333',
             'subscriptionFilters': ['api-to-firehose']},
        ],
        "common": [
            {'ts': '2024-01-02 04:03:01.000',
             'event_id': '38001203955503617893334885422226279962568754699557584896',
             'actor': '/app/api',
             'resource': 'i-0abcdef1234567890',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
            {'ts': '2024-01-02 04:03:01.001',
             'event_id': '38001203955503617893334885422226279962568754699557584897',
             'actor': '/app/api',
             'resource': 'i-0abcdef1234567890',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
            {'ts': '2024-01-02 04:03:02.000',
             'event_id': '38001203955570519661399067164107905212992085495729471490',
             'actor': '/app/api',
             'resource': 'i-0abcdef1234567890',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
        ],
    },
    {
        "name": 'cwl broken envelope line is an error, other envelopes load',
        "key": '2024/01/02/04/cwl-api-1-2024-01-02-04-04-10-e5f6a7b8-c9d0-4e1f-8a2b-4c5d6e7f8091.gz',
        "content": (
            '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/app/api","logStream":"i-0abcdef1234567890","subscriptionFilters":["api-to-firehose"],"logEvents":[{"id":"38001203955637421429463248905989530463415416291901358080","timestamp":1704168241000,"message":"GET /health 200"}]}\n'
            '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/app/api","logStream":"i-0abcdef1234567890","subscripti\n'
            '{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/app/api","logStream":"i-0abcdef1234567890","subscriptionFilters":["api-to-firehose"],"logEvents":[{"id":"38001203955704323197527430647871155713838747088073244672","timestamp":1704168243000,"message":"GET /health 200"}]}\n'
        ),
        "records": [
            {'id': '38001203955637421429463248905989530463415416291901358080',
             'timestamp': 1704168241000,
             'message': 'GET /health 200',
             'logGroup': '/app/api',
             'logStream': 'i-0abcdef1234567890',
             'owner': '111122223333',
             'subscriptionFilters': ['api-to-firehose']},
            {'id': '38001203955704323197527430647871155713838747088073244672',
             'timestamp': 1704168243000,
             'message': 'GET /health 200',
             'logGroup': '/app/api',
             'logStream': 'i-0abcdef1234567890',
             'owner': '111122223333',
             'subscriptionFilters': ['api-to-firehose']},
        ],
        "common": [
            {'ts': '2024-01-02 04:04:01.000',
             'event_id': '38001203955637421429463248905989530463415416291901358080',
             'actor': '/app/api',
             'resource': 'i-0abcdef1234567890',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
            {'ts': '2024-01-02 04:04:03.000',
             'event_id': '38001203955704323197527430647871155713838747088073244672',
             'actor': '/app/api',
             'resource': 'i-0abcdef1234567890',
             'account_id': '111122223333',
             'src_ip': '',
             'ips': []},
        ],
        "errors": [(2, 'invalid JSON')],
    },
]
