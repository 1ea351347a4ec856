"""AWS WAF (v2) web ACL traffic logs delivered to S3: hand-made cases.

Sources: AWS WAF Developer Guide, "Log fields for protection pack (web ACL) traffic", "Log
examples" (cases 1-4 are those documented records, written on one line each; case 5
follows the documented rate-based example) and "Sending
web ACL traffic logs to an Amazon S3 bucket".

Delivery: gzipped NDJSON, one request per line, every 5 minutes (75 MB max per file), under
    [prefix/]AWSLogs/<account>/WAFLogs/<Region>/<web-acl-name>/YYYY/MM/dd/HH/mm/
        <account>_waflogs_<Region>_<web-acl-name>_YYYYMMddTHHmmZ_<hash>.log.gz
where <Region> is "cloudfront" for CloudFront web ACLs; bucket names start with aws-waf-logs-.
Through Firehose (stream name starts with aws-waf-logs-) the key is the Firehose layout
    [prefix]YYYY/MM/dd/HH/<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid>[.gz]
Facts worth knowing: `timestamp` is epoch MILLISECONDS (a number); `action` is the TERMINATING
action: ALLOW, BLOCK, CAPTCHA or CHALLENGE (COUNT never terminates; it shows up in
nonTerminatingMatchingRules[].action, and a CAPTCHA solved with a valid token too);
terminatingRuleId is "Default_Action" when no rule terminated; terminatingRuleType is REGULAR,
RATE_BASED, GROUP or MANAGED_RULE_GROUP; header names keep the client's case ("User-Agent",
"user-agent"); country is "-" when unknown; requestId is the ALB trace id for ALB;
httpSourceName is CF, APIGW, ALB, APPSYNC (or "-" in the documented examples).

Mapping to common columns (expected values below follow it):
  ts          timestamp (epoch ms -> UTC)
  src_ip      httpRequest.clientIp (IPv4 or IPv6)
  action      action
  outcome     "failure" when action == "BLOCK", else "success" (CAPTCHA/CHALLENGE included)
  resource    httpRequest.uri
  user_agent  value of the first httpRequest.headers[] whose name is "user-agent" in any case;
              "" when there is none
  event_id    httpRequest.requestId
  actor       terminatingRuleId
  account_id, region
              from the webaclId ARN (arn:aws:wafv2:<region>:<account>:...) when it is an ARN,
              else from the AWSLogs/<account>/WAFLogs/<Region>/ key. PROPOSED: the ARN comes
              first, because Firehose keys carry neither and CloudFront keys say "cloudfront"
              while the global web ACL ARN says us-east-1 (cases 3, 4 expect "us-east-1").
  ips         [clientIp]
Malformed: a line that is not valid JSON is an error at its 1-based line number; the others load.
Timestamps in "ts" are UTC, formatted "YYYY-MM-DD HH:MM:SS.mmm".
"""

CASES = [
    {
        "name": 'waf documented SQLi BLOCK (regional)',
        "key": 'AWSLogs/111122223333/WAFLogs/ap-southeast-2/STMTest/2019/12/13/23/40/111122223333_waflogs_ap-southeast-2_STMTest_20191213T2340Z_e0ca43b5.log.gz',
        "content": (
            '{"timestamp":1576280412771,"formatVersion":1,"webaclId":"arn:aws:wafv2:ap-southeast-2:111122223333:regional/webacl/STMTest/1EXAMPLE-2ARN-3ARN-4ARN-123456EXAMPLE","terminatingRuleId":"STMTest_SQLi_XSS","terminatingRuleType":"REGULAR","action":"BLOCK","terminatingRuleMatchDetails":[{"conditionType":"SQL_INJECTION","location":"HEADER","matchedData":["10","AND","1"]}],"httpSourceName":"-","httpSourceId":"-","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"httpRequest":{"clientIp":"1.1.1.1","country":"AU","headers":[{"name":"Host","value":"localhost:1989"},{"name":"User-Agent","value":"curl/7.61.1"},{"name":"Accept","value":"*/*"},{"name":"x-stm-test","value":"10 AND 1=1"}],"uri":"/foo","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"rid"},"labels":[{"name":"value"}]}\n'
        ),
        "common": [
            {'ts': '2019-12-13 23:40:12.771',
             'src_ip': '1.1.1.1',
             'action': 'BLOCK',
             'outcome': 'failure',
             'resource': '/foo',
             'user_agent': 'curl/7.61.1',
             'event_id': 'rid',
             'actor': 'STMTest_SQLi_XSS',
             'account_id': '111122223333',
             'region': 'ap-southeast-2',
             'ips': ['1.1.1.1']},
        ],
    },
    {
        "name": 'waf documented CAPTCHA then ALLOW with token (API Gateway, lower-case user-agent)',
        "key": 'AWSLogs/123456789012/WAFLogs/us-east-1/captcha-web-acl/2021/09/23/18/05/123456789012_waflogs_us-east-1_captcha-web-acl_20210923T1805Z_7c1d2e3f.log.gz',
        "content": (
            '{"timestamp":1632420416512,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:123456789012:regional/webacl/captcha-web-acl/585e38b5-afce-4d2a-b417-14fb08b66c67","terminatingRuleId":"captcha-rule","terminatingRuleType":"REGULAR","action":"CAPTCHA","terminatingRuleMatchDetails":[],"httpSourceName":"APIGW","httpSourceId":"123456789012:b34myvfw0b:pen-test","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"requestHeadersInserted":null,"responseCodeSent":405,"httpRequest":{"clientIp":"72.21.198.65","country":"US","headers":[{"name":"X-Forwarded-For","value":"72.21.198.65"},{"name":"X-Forwarded-Proto","value":"https"},{"name":"X-Forwarded-Port","value":"443"},{"name":"Host","value":"b34myvfw0b.gamma.execute-api.us-east-1.amazonaws.com"},{"name":"X-Amzn-Trace-Id","value":"Root=1-614cc240-18b57ff33c10e5c016b508c5"},{"name":"sec-ch-ua","value":"\\"Chromium\\";v=\\"94\\", \\"Google Chrome\\";v=\\"94\\", \\";Not A Brand\\";v=\\"99\\""},{"name":"sec-ch-ua-mobile","value":"?0"},{"name":"sec-ch-ua-platform","value":"\\"Windows\\""},{"name":"upgrade-insecure-requests","value":"1"},{"name":"user-agent","value":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.54 Safari/537.36"},{"name":"accept","value":"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.9"},{"name":"sec-fetch-site","value":"cross-site"},{"name":"sec-fetch-mode","value":"navigate"},{"name":"sec-fetch-user","value":"?1"},{"name":"sec-fetch-dest","value":"document"},{"name":"accept-encoding","value":"gzip, deflate, br"},{"name":"accept-language","value":"en-US,en;q=0.9"}],"uri":"/pen-test/pets","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"GINKHEssoAMFsrg="},"captchaResponse":{"responseCode":405,"solveTimestamp":0,"failureReason":"TOKEN_MISSING"}}\n'
            '{"timestamp":1632420429309,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:123456789012:regional/webacl/captcha-web-acl/585e38b5-afce-4d2a-b417-14fb08b66c67","terminatingRuleId":"Default_Action","terminatingRuleType":"REGULAR","action":"ALLOW","terminatingRuleMatchDetails":[],"httpSourceName":"APIGW","httpSourceId":"123456789012:b34myvfw0b:pen-test","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[{"ruleId":"captcha-rule","action":"CAPTCHA","ruleMatchDetails":[],"captchaResponse":{"responseCode":0,"solveTimestamp":1632420429}}],"requestHeadersInserted":[{"name":"x-amzn-waf-test-header-name","value":"test-header-value"}],"responseCodeSent":null,"httpRequest":{"clientIp":"72.21.198.65","country":"US","headers":[{"name":"X-Forwarded-For","value":"72.21.198.65"},{"name":"X-Forwarded-Proto","value":"https"},{"name":"X-Forwarded-Port","value":"443"},{"name":"Host","value":"b34myvfw0b.gamma.execute-api.us-east-1.amazonaws.com"},{"name":"X-Amzn-Trace-Id","value":"Root=1-614cc24d-5ad89a09181910c43917a888"},{"name":"cache-control","value":"max-age=0"},{"name":"sec-ch-ua","value":"\\"Chromium\\";v=\\"94\\", \\"Google Chrome\\";v=\\"94\\", \\";Not A Brand\\";v=\\"99\\""},{"name":"sec-ch-ua-mobile","value":"?0"},{"name":"sec-ch-ua-platform","value":"\\"Windows\\""},{"name":"upgrade-insecure-requests","value":"1"},{"name":"user-agent","value":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.54 Safari/537.36"},{"name":"accept","value":"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.9"},{"name":"sec-fetch-site","value":"same-origin"},{"name":"sec-fetch-mode","value":"navigate"},{"name":"sec-fetch-user","value":"?1"},{"name":"sec-fetch-dest","value":"document"},{"name":"referer","value":"https://b34myvfw0b.gamma.execute-api.us-east-1.amazonaws.com/pen-test/pets"},{"name":"accept-encoding","value":"gzip, deflate, br"},{"name":"accept-language","value":"en-US,en;q=0.9"},{"name":"cookie","value":"aws-waf-token=51c71352-41f5-4f6d-b676-c24907bdf819:EQoAZ/J+AAQAAAAA:t9wvxbw042wva7E2Y6lgud/bS6YG0CJKVAJqaRqDZ140ythKW0Zj9wKB2O8lSkYDRqf1yONcVBFo5u0eYi0tvT4rtQCXsu+KanAardW8go4QSLw4yoED59lgV7oAhGyCalAzE7ra29j+RvvZPsQyoQuDCrtoY/TvQyMTXIXzGPDC/rKBbg=="}],"uri":"/pen-test/pets","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"GINMHHUgoAMFxug="}}\n'
        ),
        "common": [
            {'ts': '2021-09-23 18:06:56.512',
             'src_ip': '72.21.198.65',
             'action': 'CAPTCHA',
             'outcome': 'success',
             'resource': '/pen-test/pets',
             'user_agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) '
                           'Chrome/94.0.4606.54 Safari/537.36',
             'event_id': 'GINKHEssoAMFsrg=',
             'actor': 'captcha-rule',
             'account_id': '123456789012',
             'region': 'us-east-1',
             'ips': ['72.21.198.65']},
            {'ts': '2021-09-23 18:07:09.309',
             'src_ip': '72.21.198.65',
             'action': 'ALLOW',
             'outcome': 'success',
             'resource': '/pen-test/pets',
             'user_agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) '
                           'Chrome/94.0.4606.54 Safari/537.36',
             'event_id': 'GINMHHUgoAMFxug=',
             'actor': 'Default_Action',
             'account_id': '123456789012',
             'region': 'us-east-1',
             'ips': ['72.21.198.65']},
        ],
    },
    {
        "name": 'waf documented COUNT match allowed (CloudFront web ACL)',
        "key": 'AWSLogs/123456789012/WAFLogs/cloudfront/hello-world/2020/06/17/01/25/123456789012_waflogs_cloudfront_hello-world_20200617T0125Z_5b2d9c0e.log.gz',
        "content": (
            '{"timestamp":1592357192516,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:123456789012:global/webacl/hello-world/5933d6d9-9dde-js82-v8aw-9ck28nv9","terminatingRuleId":"Default_Action","terminatingRuleType":"REGULAR","action":"ALLOW","terminatingRuleMatchDetails":[],"httpSourceName":"-","httpSourceId":"-","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[{"ruleId":"TestRule","action":"COUNT","ruleMatchDetails":[{"conditionType":"SQL_INJECTION","location":"HEADER","matchedData":["10","and","1"]}]}],"httpRequest":{"clientIp":"3.3.3.3","country":"US","headers":[{"name":"Host","value":"localhost:1989"},{"name":"User-Agent","value":"curl/7.61.1"},{"name":"Accept","value":"*/*"},{"name":"foo","value":"10 AND 1=1"}],"uri":"/foo","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"rid"},"labels":[{"name":"value"}]}\n'
        ),
        "common": [
            {'ts': '2020-06-17 01:26:32.516',
             'src_ip': '3.3.3.3',
             'action': 'ALLOW',
             'outcome': 'success',
             'resource': '/foo',
             'user_agent': 'curl/7.61.1',
             'event_id': 'rid',
             'actor': 'Default_Action',
             'account_id': '123456789012',
             'region': 'us-east-1',
             'ips': ['3.3.3.3']},
        ],
    },
    {
        "name": 'waf documented rule group BLOCK (GROUP terminating rule)',
        "key": 'AWSLogs/123456789012/WAFLogs/cloudfront/hello-world/2020/06/17/02/40/123456789012_waflogs_cloudfront_hello-world_20200617T0240Z_a4c3e2f1.log.gz',
        "content": (
            '{"timestamp":1592361810888,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:123456789012:global/webacl/hello-world/5933d6d9-9dde-js82-v8aw-9ck28nv9","terminatingRuleId":"RG-Reference","terminatingRuleType":"GROUP","action":"BLOCK","terminatingRuleMatchDetails":[{"conditionType":"XSS","location":"HEADER","matchedData":["<","frameset"]}],"httpSourceName":"-","httpSourceId":"-","ruleGroupList":[{"ruleGroupId":"arn:aws:wafv2:us-east-1:123456789012:global/rulegroup/hello-world/c05lb698-1f11-4m41-aef4-99a506d53f4b","terminatingRule":{"ruleId":"RuleA-XSS","action":"BLOCK","ruleMatchDetails":null},"nonTerminatingMatchingRules":[{"ruleId":"RuleB-SQLi","action":"COUNT","ruleMatchDetails":[{"conditionType":"SQL_INJECTION","location":"HEADER","matchedData":["10","and","1"]}]}],"excludedRules":null}],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"httpRequest":{"clientIp":"3.3.3.3","country":"US","headers":[{"name":"Host","value":"localhost:1989"},{"name":"User-Agent","value":"curl/7.61.1"},{"name":"Accept","value":"*/*"},{"name":"xssfoo","value":"<frameset onload=alert(1)>"},{"name":"bar","value":"10 AND 1=1"}],"uri":"/foo","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"rid"},"labels":[{"name":"value"}]}\n'
        ),
        "common": [
            {'ts': '2020-06-17 02:43:30.888',
             'src_ip': '3.3.3.3',
             'action': 'BLOCK',
             'outcome': 'failure',
             'resource': '/foo',
             'user_agent': 'curl/7.61.1',
             'event_id': 'rid',
             'actor': 'RG-Reference',
             'account_id': '123456789012',
             'region': 'us-east-1',
             'ips': ['3.3.3.3']},
        ],
    },
    {
        "name": 'waf rate-based BLOCK without a User-Agent header',
        "key": 'AWSLogs/111122223333/WAFLogs/eu-west-3/CanaryTestACL/2023/05/06/06/45/111122223333_waflogs_eu-west-3_CanaryTestACL_20230506T0645Z_3f9e8d7c.log.gz',
        "content": (
            '{"timestamp":1683355579981,"formatVersion":1,"webaclId":"arn:aws:wafv2:eu-west-3:111122223333:regional/webacl/CanaryTestACL/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111","terminatingRuleId":"RateBasedRule","terminatingRuleType":"RATE_BASED","action":"BLOCK","terminatingRuleMatchDetails":[],"httpSourceName":"APIGW","httpSourceId":"111122223333:rjvegx5guh:CanaryTest","ruleGroupList":[],"rateBasedRuleList":[{"rateBasedRuleId":"arn:aws:wafv2:eu-west-3:111122223333","rateBasedRuleName":"RateBasedRule","limitKey":"CUSTOMKEYS","maxRateAllowed":100,"evaluationWindowSec":"120","customValues":[{"key":"HEADER","name":"dogname","value":"ella"}]}],"nonTerminatingMatchingRules":[],"requestHeadersInserted":null,"responseCodeSent":null,"httpRequest":{"clientIp":"52.46.82.45","country":"FR","headers":[{"name":"X-Forwarded-For","value":"52.46.82.45"},{"name":"X-Forwarded-Proto","value":"https"},{"name":"X-Forwarded-Port","value":"443"},{"name":"Host","value":"rjvegx5guh.execute-api.eu-west-3.amazonaws.com"},{"name":"X-Amzn-Trace-Id","value":"Root=1-645601bb-3e2e4b5a6c7d8e9f0a1b2c3d"},{"name":"dogname","value":"ella"},{"name":"Accept-Encoding","value":"gzip"}],"uri":"/CanaryTest","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"Ed0AiHF_CGYF-DA="}}\n'
        ),
        "common": [
            {'ts': '2023-05-06 06:46:19.981',
             'src_ip': '52.46.82.45',
             'action': 'BLOCK',
             'outcome': 'failure',
             'resource': '/CanaryTest',
             'user_agent': '',
             'event_id': 'Ed0AiHF_CGYF-DA=',
             'actor': 'RateBasedRule',
             'account_id': '111122223333',
             'region': 'eu-west-3',
             'ips': ['52.46.82.45']},
        ],
    },
    {
        "name": 'waf CHALLENGE from IPv6 client and managed rule group BLOCK (ALB)',
        "key": 'AWSLogs/111122223333/WAFLogs/us-east-1/shop-acl/2024/01/02/03/00/111122223333_waflogs_us-east-1_shop-acl_20240102T0300Z_b1c2d3e4.log.gz',
        "content": (
            '{"timestamp":1704164645123,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b","terminatingRuleId":"login-challenge","terminatingRuleType":"REGULAR","action":"CHALLENGE","terminatingRuleMatchDetails":[],"httpSourceName":"ALB","httpSourceId":"111122223333-app/shop-alb/50dc6c495c0c9188","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"requestHeadersInserted":null,"responseCodeSent":202,"httpRequest":{"clientIp":"2001:db8:85a3::8a2e:370:7334","country":"DE","headers":[{"name":"Host","value":"shop.example.com"},{"name":"User-Agent","value":"python-requests/2.31.0"},{"name":"Accept-Encoding","value":"gzip, deflate"},{"name":"Accept","value":"*/*"},{"name":"Connection","value":"keep-alive"}],"uri":"/login","args":"next=%2Faccount","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"1-6593a1e5-0123456789abcdef01234567"},"labels":[{"name":"awswaf:111122223333:webacl:shop-acl:login-challenge"}],"challengeResponse":{"responseCode":202,"solveTimestamp":0,"failureReason":"TOKEN_MISSING"}}\n'
            '{"timestamp":1704164690456,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b","terminatingRuleId":"AWS-AWSManagedRulesCommonRuleSet","terminatingRuleType":"MANAGED_RULE_GROUP","action":"BLOCK","terminatingRuleMatchDetails":[],"httpSourceName":"ALB","httpSourceId":"111122223333-app/shop-alb/50dc6c495c0c9188","ruleGroupList":[{"ruleGroupId":"AWS#AWSManagedRulesCommonRuleSet","terminatingRule":{"ruleId":"SizeRestrictions_BODY","action":"BLOCK","ruleMatchDetails":null},"nonTerminatingMatchingRules":[],"excludedRules":null,"customerConfig":null}],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"requestHeadersInserted":null,"responseCodeSent":null,"httpRequest":{"clientIp":"192.0.2.200","country":"-","headers":[{"name":"Host","value":"shop.example.com"},{"name":"user-agent","value":"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/121.0"},{"name":"Content-Type","value":"application/x-www-form-urlencoded"},{"name":"Content-Length","value":"10240"}],"uri":"/api/upload","args":"","httpVersion":"HTTP/1.1","httpMethod":"POST","requestId":"1-6593a21e-89abcdef0123456789abcdef"},"labels":[{"name":"awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"}]}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:04:05.123',
             'src_ip': '2001:db8:85a3::8a2e:370:7334',
             'action': 'CHALLENGE',
             'outcome': 'success',
             'resource': '/login',
             'user_agent': 'python-requests/2.31.0',
             'event_id': '1-6593a1e5-0123456789abcdef01234567',
             'actor': 'login-challenge',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'ips': ['2001:db8:85a3::8a2e:370:7334']},
            {'ts': '2024-01-02 03:04:50.456',
             'src_ip': '192.0.2.200',
             'action': 'BLOCK',
             'outcome': 'failure',
             'resource': '/api/upload',
             'user_agent': 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/121.0',
             'event_id': '1-6593a21e-89abcdef0123456789abcdef',
             'actor': 'AWS-AWSManagedRulesCommonRuleSet',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'ips': ['192.0.2.200']},
        ],
    },
    {
        "name": 'waf delivered by Firehose (aws-waf-logs- stream)',
        "key": '2024/01/02/03/aws-waf-logs-shop-1-2024-01-02-03-10-05-5f0c2b8e-3a1d-4c6e-9b7f-2d8e1a4c6b3f',
        "content": (
            '{"timestamp":1704165000001,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b","terminatingRuleId":"Default_Action","terminatingRuleType":"REGULAR","action":"ALLOW","terminatingRuleMatchDetails":[],"httpSourceName":"ALB","httpSourceId":"111122223333-app/shop-alb/50dc6c495c0c9188","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"requestHeadersInserted":null,"responseCodeSent":null,"httpRequest":{"clientIp":"198.51.100.7","country":"US","headers":[{"name":"Host","value":"shop.example.com"},{"name":"User-Agent","value":"curl/8.4.0"},{"name":"Accept","value":"*/*"}],"uri":"/","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"1-6593a388-0a0b0c0d0e0f101112131415"},"labels":[]}\n'
            '{"timestamp":1704165003999,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b","terminatingRuleId":"Default_Action","terminatingRuleType":"REGULAR","action":"ALLOW","terminatingRuleMatchDetails":[],"httpSourceName":"ALB","httpSourceId":"111122223333-app/shop-alb/50dc6c495c0c9188","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"requestHeadersInserted":null,"responseCodeSent":null,"httpRequest":{"clientIp":"198.51.100.8","country":"CA","headers":[{"name":"Host","value":"shop.example.com"},{"name":"User-Agent","value":"curl/8.4.0"}],"uri":"/health","args":"verbose=1","httpVersion":"HTTP/2.0","httpMethod":"HEAD","requestId":"1-6593a38b-161718191a1b1c1d1e1f2021"}}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:10:00.001',
             'src_ip': '198.51.100.7',
             'action': 'ALLOW',
             'outcome': 'success',
             'resource': '/',
             'user_agent': 'curl/8.4.0',
             'event_id': '1-6593a388-0a0b0c0d0e0f101112131415',
             'actor': 'Default_Action',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'ips': ['198.51.100.7']},
            {'ts': '2024-01-02 03:10:03.999',
             'src_ip': '198.51.100.8',
             'action': 'ALLOW',
             'outcome': 'success',
             'resource': '/health',
             'user_agent': 'curl/8.4.0',
             'event_id': '1-6593a38b-161718191a1b1c1d1e1f2021',
             'actor': 'Default_Action',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'ips': ['198.51.100.8']},
        ],
    },
    {
        "name": 'waf truncated line is an error, other lines load',
        "key": 'AWSLogs/111122223333/WAFLogs/us-east-1/shop-acl/2024/01/02/03/15/111122223333_waflogs_us-east-1_shop-acl_20240102T0315Z_0badc0de.log.gz',
        "content": (
            '{"timestamp":1704165300000,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b","terminatingRuleId":"Default_Action","terminatingRuleType":"REGULAR","action":"ALLOW","terminatingRuleMatchDetails":[],"httpSourceName":"ALB","httpSourceId":"111122223333-app/shop-alb/50dc6c495c0c9188","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"requestHeadersInserted":null,"responseCodeSent":null,"httpRequest":{"clientIp":"198.51.100.9","country":"US","headers":[{"name":"Host","value":"shop.example.com"},{"name":"User-Agent","value":"curl/8.4.0"}],"uri":"/a","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"1-6593a4b4-000000000000000000000001"}}\n'
            '{"timestamp":1704165301000,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b","terminatingRuleId":"Default_Action","termi\n'
            '{"timestamp":1704165302000,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b","terminatingRuleId":"Default_Action","terminatingRuleType":"REGULAR","action":"ALLOW","terminatingRuleMatchDetails":[],"httpSourceName":"ALB","httpSourceId":"111122223333-app/shop-alb/50dc6c495c0c9188","ruleGroupList":[],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"requestHeadersInserted":null,"responseCodeSent":null,"httpRequest":{"clientIp":"198.51.100.9","country":"US","headers":[{"name":"Host","value":"shop.example.com"},{"name":"User-Agent","value":"curl/8.4.0"}],"uri":"/c","args":"","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"1-6593a4b6-000000000000000000000003"}}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:15:00.000',
             'src_ip': '198.51.100.9',
             'action': 'ALLOW',
             'outcome': 'success',
             'resource': '/a',
             'user_agent': 'curl/8.4.0',
             'event_id': '1-6593a4b4-000000000000000000000001',
             'actor': 'Default_Action',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'ips': ['198.51.100.9']},
            {'ts': '2024-01-02 03:15:02.000',
             'src_ip': '198.51.100.9',
             'action': 'ALLOW',
             'outcome': 'success',
             'resource': '/c',
             'user_agent': 'curl/8.4.0',
             'event_id': '1-6593a4b6-000000000000000000000003',
             'actor': 'Default_Action',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'ips': ['198.51.100.9']},
        ],
        "errors": [(2, 'invalid JSON')],
    },
]
