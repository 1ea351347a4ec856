"""Amazon GuardDuty findings exported to S3: hand-made cases.

Sources: Amazon GuardDuty User Guide, "Exporting generated GuardDuty findings to Amazon S3
buckets" and "Finding details"; GuardDuty API Reference (Finding, Resource, AccessKeyDetails,
Service, Action, AwsApiCallAction, NetworkConnectionAction, PortProbeAction, DnsRequestAction,
RemoteIpDetails); the shared samples ../shared/samples/guardduty/ (read, not copied).

Delivery: gzipped JSON Lines, one finding per line (the finding object itself: no EventBridge
envelope, no {"Findings": [...]} wrapper), under
    [prefix/]AWSLogs/<account>/GuardDuty/<region>/YYYY/MM/DD/<uuid>.jsonl.gz
New findings are exported about 5 minutes after they are generated, updates every 15 min,
1 h or 6 h (default); archived findings are not exported. An administrator account exports
its members' findings under ITS OWN account folder: the finding's accountId can differ from
the key's account (case 1).
Facts worth knowing: field names are camelCase; severity is a number (2 / 5 / 8 ... up to 9 for
attack sequences); createdAt/updatedAt are ISO 8601 with milliseconds and "Z"
("2020-02-14T18:12:22.316Z"), the shared samples also show "2025-02-25 20:40:06.721";
service.action.actionType is AWS_API_CALL, NETWORK_CONNECTION, PORT_PROBE, DNS_REQUEST (others
exist: KUBERNETES_API_CALL, RDS_LOGIN_ATTEMPT...); attack sequences have no service.action;
sample findings carry "GeneratedFinding..." placeholder values.

Mapping to common columns (expected values below follow it):
  ts          updatedAt, else createdAt (UTC, ms)
  event_id    id
  action      type
  account_id  accountId of the finding;  region: region of the finding
  actor       resource.accessKeyDetails.userName, else .principalId,
              else resource.instanceDetails.instanceId (PROPOSED), else ""
  actor_type  resource.accessKeyDetails.userType, else resource.resourceType (PROPOSED)
  principals  non-empty distinct [accessKeyId, principalId, userName] of accessKeyDetails
  src_ip      remoteIpDetails.ipAddressV4 of the action, first found in: awsApiCallAction,
              networkConnectionAction, portProbeAction.portProbeDetails[0],
              kubernetesApiCallAction; "" when none (DNS_REQUEST, attack sequences)
  ips         PROPOSED: every remote IP of the action in that order, distinct (all
              portProbeDetails entries, not only the first)
  user_agent  service.action.awsApiCallAction.userAgent (PROPOSED; "" otherwise)
  resource    arn (the finding ARN)
  outcome     PROPOSED, instead of a constant "failure": "failure" when the observed action
              failed or was stopped (awsApiCallAction.errorCode non-empty, or blocked == true on
              the network/port-probe/DNS action), "success" when an action is present otherwise,
              "" when the finding has no service.action. Severity stays in raw.
Malformed: a line that is not valid JSON is an error at its 1-based line number; the others load.
Timestamps in "ts" are UTC, formatted "YYYY-MM-DD HH:MM:SS.mmm".
"""

CASES = [
    {
        "name": 'guardduty API call findings (IAM user; member account root)',
        "key": 'AWSLogs/111122223333/GuardDuty/us-east-1/2024/01/02/07a3f2ce-1485-3031-b842-e1f324c4a48d.jsonl.gz',
        "content": (
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","partition":"aws","id":"a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1","type":"UnauthorizedAccess:IAMUser/TorIPCaller","resource":{"resourceType":"AccessKey","accessKeyDetails":{"accessKeyId":"AKIAIOSFODNN7EXAMPLE","principalId":"AIDACKCEVSQ6C2EXAMPLE","userName":"alice","userType":"IAMUser"}},"service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34e56789f0","action":{"actionType":"AWS_API_CALL","awsApiCallAction":{"api":"ListBuckets","serviceName":"s3.amazonaws.com","callerType":"Remote IP","remoteIpDetails":{"ipAddressV4":"198.51.100.23","organization":{"asn":"64500","asnOrg":"Example Hosting","isp":"Example Hosting","org":"Example Hosting"},"country":{"countryName":"Netherlands"},"city":{"cityName":"Amsterdam"},"geoLocation":{"lat":52.37,"lon":4.89}},"userAgent":"aws-cli/2.15.0 Python/3.11.6 Linux/6.1.61 exe/x86_64.amzn.2023 prompt/off command/s3.ls","affectedResources":{}}},"resourceRole":"TARGET","additionalInfo":{"value":"{}","type":"default"},"eventFirstSeen":"2024-01-02T03:00:12.000Z","eventLastSeen":"2024-01-02T03:29:40.000Z","archived":false,"count":4},"severity":5,"createdAt":"2024-01-02T03:04:05.123Z","updatedAt":"2024-01-02T03:34:05.456Z","title":"API ListBuckets was invoked from a Tor exit node IP address.","description":"API ListBuckets was invoked from a Tor exit node IP address."}\n'
            '{"schemaVersion":"2.0","accountId":"444455556666","region":"us-east-1","partition":"aws","id":"b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2","arn":"arn:aws:guardduty:us-east-1:444455556666:detector/98fedcba76543210fedcba9876543210/finding/b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2","type":"Policy:IAMUser/RootCredentialUsage","resource":{"resourceType":"AccessKey","accessKeyDetails":{"accessKeyId":"ASIAIOSFODNN7EXAMPLE","principalId":"444455556666","userName":"Root","userType":"Root"}},"service":{"serviceName":"guardduty","detectorId":"98fedcba76543210fedcba9876543210","action":{"actionType":"AWS_API_CALL","awsApiCallAction":{"api":"DescribeInstances","serviceName":"ec2.amazonaws.com","callerType":"Remote IP","remoteIpDetails":{"ipAddressV4":"203.0.113.50","organization":{"asn":"64501","asnOrg":"Example Telecom","isp":"Example Telecom","org":"Example Telecom"},"country":{"countryName":"United States"},"city":{"cityName":"Ashburn"},"geoLocation":{"lat":52.37,"lon":4.89}},"userAgent":"console.ec2.amazonaws.com","affectedResources":{}}},"resourceRole":"TARGET","additionalInfo":{"value":"{}","type":"default"},"eventFirstSeen":"2024-01-02T03:10:00.000Z","eventLastSeen":"2024-01-02T03:10:00.000Z","archived":false,"count":1},"severity":2,"createdAt":"2024-01-02T03:15:00.789Z","updatedAt":"2024-01-02T03:15:00.789Z","title":"API DescribeInstances was invoked using root credentials.","description":"API DescribeInstances was invoked using root credentials."}\n'
        ),
        "common": [
            {'ts': '2024-01-02 03:34:05.456',
             'event_id': 'a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1',
             'action': 'UnauthorizedAccess:IAMUser/TorIPCaller',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'alice',
             'actor_type': 'IAMUser',
             'principals': ['AKIAIOSFODNN7EXAMPLE', 'AIDACKCEVSQ6C2EXAMPLE', 'alice'],
             'src_ip': '198.51.100.23',
             'ips': ['198.51.100.23'],
             'resource': 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1',
             'outcome': 'success',
             'user_agent': 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1.61 exe/x86_64.amzn.2023 prompt/off '
                           'command/s3.ls'},
            {'ts': '2024-01-02 03:15:00.789',
             'event_id': 'b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2',
             'action': 'Policy:IAMUser/RootCredentialUsage',
             'account_id': '444455556666',
             'region': 'us-east-1',
             'actor': 'Root',
             'actor_type': 'Root',
             'principals': ['ASIAIOSFODNN7EXAMPLE', '444455556666', 'Root'],
             'src_ip': '203.0.113.50',
             'ips': ['203.0.113.50'],
             'resource': 'arn:aws:guardduty:us-east-1:444455556666:detector/98fedcba76543210fedcba9876543210/finding/b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2',
             'outcome': 'success',
             'user_agent': 'console.ec2.amazonaws.com'},
        ],
    },
    {
        "name": 'guardduty EC2 outbound network connection',
        "key": 'AWSLogs/111122223333/GuardDuty/us-east-1/2024/01/02/1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d.jsonl.gz',
        "content": (
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","partition":"aws","id":"c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3","type":"Backdoor:EC2/C&CActivity.B","resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0abcdef1234567890","instanceType":"t3.medium","launchTime":"2023-11-20T08:15:30.000Z","platform":null,"productCodes":[],"iamInstanceProfile":{"arn":"arn:aws:iam::111122223333:instance-profile/web","id":"AIPAEXAMPLEPROFILEID01"},"networkInterfaces":[{"ipv6Addresses":[],"networkInterfaceId":"eni-0123456789abcdef0","privateDnsName":"ip-10-0-1-25.ec2.internal","privateIpAddress":"10.0.1.25","privateIpAddresses":[{"privateDnsName":"ip-10-0-1-25.ec2.internal","privateIpAddress":"10.0.1.25"}],"subnetId":"subnet-0123456789abcdef0","vpcId":"vpc-0a1b2c3d4e5f60718","securityGroups":[{"groupName":"web","groupId":"sg-0123456789abcdef0"}],"publicDnsName":"ec2-203-0-113-10.compute-1.amazonaws.com","publicIp":"203.0.113.10"}],"tags":[{"key":"Name","value":"web-1"}],"instanceState":"running","availabilityZone":"us-east-1a","imageId":"ami-0abcdef1234567890","imageDescription":"Amazon Linux 2023 AMI"}},"service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34e56789f0","action":{"actionType":"NETWORK_CONNECTION","networkConnectionAction":{"connectionDirection":"OUTBOUND","remoteIpDetails":{"ipAddressV4":"198.51.100.77","organization":{"asn":"64500","asnOrg":"Example Hosting","isp":"Example Hosting","org":"Example Hosting"},"country":{"countryName":"Netherlands"},"city":{"cityName":"Amsterdam"},"geoLocation":{"lat":52.37,"lon":4.89}},"remotePortDetails":{"port":443,"portName":"HTTPS"},"localPortDetails":{"port":49152,"portName":"Unknown"},"localIpDetails":{"ipAddressV4":"10.0.1.25"},"protocol":"TCP","blocked":false}},"resourceRole":"ACTOR","additionalInfo":{"value":"{}","type":"default"},"eventFirstSeen":"2024-01-02T04:01:00.000Z","eventLastSeen":"2024-01-02T04:20:00.000Z","archived":false,"count":12},"severity":8,"createdAt":"2024-01-02T04:05:00.000Z","updatedAt":"2024-01-02T04:25:30.250Z","title":"EC2 instance i-0abcdef1234567890 is communicating with a command and control server.","description":"EC2 instance i-0abcdef1234567890 is communicating with a command and control server."}\n'
        ),
        "common": [
            {'ts': '2024-01-02 04:25:30.250',
             'event_id': 'c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3',
             'action': 'Backdoor:EC2/C&CActivity.B',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0abcdef1234567890',
             'actor_type': 'Instance',
             'principals': [],
             'src_ip': '198.51.100.77',
             'ips': ['198.51.100.77'],
             'resource': 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3',
             'outcome': 'success'},
        ],
    },
    {
        "name": 'guardduty port probe from two IPs and blocked SSH brute force',
        "key": 'AWSLogs/111122223333/GuardDuty/us-east-1/2024/01/02/2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e.jsonl.gz',
        "content": (
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","partition":"aws","id":"d5e7f9a1b2c4d6e8f0a2b4c6d8e0f2a4","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/d5e7f9a1b2c4d6e8f0a2b4c6d8e0f2a4","type":"Recon:EC2/PortProbeUnprotectedPort","resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0123456789abcdef0","instanceType":"t3.medium","launchTime":"2023-11-20T08:15:30.000Z","platform":null,"productCodes":[],"iamInstanceProfile":{"arn":"arn:aws:iam::111122223333:instance-profile/web","id":"AIPAEXAMPLEPROFILEID01"},"networkInterfaces":[{"ipv6Addresses":[],"networkInterfaceId":"eni-0123456789abcdef0","privateDnsName":"ip-10-0-2-15.ec2.internal","privateIpAddress":"10.0.2.15","privateIpAddresses":[{"privateDnsName":"ip-10-0-2-15.ec2.internal","privateIpAddress":"10.0.2.15"}],"subnetId":"subnet-0123456789abcdef0","vpcId":"vpc-0a1b2c3d4e5f60718","securityGroups":[{"groupName":"web","groupId":"sg-0123456789abcdef0"}],"publicDnsName":"ec2-203-0-113-20.compute-1.amazonaws.com","publicIp":"203.0.113.20"}],"tags":[{"key":"Name","value":"web-1"}],"instanceState":"running","availabilityZone":"us-east-1a","imageId":"ami-0abcdef1234567890","imageDescription":"Amazon Linux 2023 AMI"}},"service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34e56789f0","action":{"actionType":"PORT_PROBE","portProbeAction":{"blocked":false,"portProbeDetails":[{"localPortDetails":{"port":22,"portName":"SSH"},"localIpDetails":{"ipAddressV4":"10.0.2.15"},"remoteIpDetails":{"ipAddressV4":"192.0.2.44","organization":{"asn":"64500","asnOrg":"Example Hosting","isp":"Example Hosting","org":"Example Hosting"},"country":{"countryName":"Germany"},"city":{"cityName":"Frankfurt"},"geoLocation":{"lat":52.37,"lon":4.89}}},{"localPortDetails":{"port":3389,"portName":"RDP"},"localIpDetails":{"ipAddressV4":"10.0.2.15"},"remoteIpDetails":{"ipAddressV4":"192.0.2.45","organization":{"asn":"64500","asnOrg":"Example Hosting","isp":"Example Hosting","org":"Example Hosting"},"country":{"countryName":"Germany"},"city":{"cityName":"Frankfurt"},"geoLocation":{"lat":52.37,"lon":4.89}}}]}},"resourceRole":"TARGET","additionalInfo":{"value":"{}","type":"default"},"eventFirstSeen":"2024-01-02T05:00:00.000Z","eventLastSeen":"2024-01-02T05:40:00.000Z","archived":false,"count":7},"severity":2,"createdAt":"2024-01-02T05:02:03.000Z","updatedAt":"2024-01-02T05:45:06.007Z","title":"Unprotected port on EC2 instance i-0123456789abcdef0 is being probed.","description":"Unprotected port on EC2 instance i-0123456789abcdef0 is being probed."}\n'
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","partition":"aws","id":"e6f8a0b2c3d5e7f9a1b3c5d7e9f1a3b5","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/e6f8a0b2c3d5e7f9a1b3c5d7e9f1a3b5","type":"UnauthorizedAccess:EC2/SSHBruteForce","resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0123456789abcdef0","instanceType":"t3.medium","launchTime":"2023-11-20T08:15:30.000Z","platform":null,"productCodes":[],"iamInstanceProfile":{"arn":"arn:aws:iam::111122223333:instance-profile/web","id":"AIPAEXAMPLEPROFILEID01"},"networkInterfaces":[{"ipv6Addresses":[],"networkInterfaceId":"eni-0123456789abcdef0","privateDnsName":"ip-10-0-2-15.ec2.internal","privateIpAddress":"10.0.2.15","privateIpAddresses":[{"privateDnsName":"ip-10-0-2-15.ec2.internal","privateIpAddress":"10.0.2.15"}],"subnetId":"subnet-0123456789abcdef0","vpcId":"vpc-0a1b2c3d4e5f60718","securityGroups":[{"groupName":"web","groupId":"sg-0123456789abcdef0"}],"publicDnsName":"ec2-203-0-113-20.compute-1.amazonaws.com","publicIp":"203.0.113.20"}],"tags":[{"key":"Name","value":"web-1"}],"instanceState":"running","availabilityZone":"us-east-1a","imageId":"ami-0abcdef1234567890","imageDescription":"Amazon Linux 2023 AMI"}},"service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34e56789f0","action":{"actionType":"NETWORK_CONNECTION","networkConnectionAction":{"connectionDirection":"INBOUND","remoteIpDetails":{"ipAddressV4":"203.0.113.99","organization":{"asn":"64500","asnOrg":"Example Hosting","isp":"Example Hosting","org":"Example Hosting"},"country":{"countryName":"Brazil"},"city":{"cityName":"Sao Paulo"},"geoLocation":{"lat":52.37,"lon":4.89}},"remotePortDetails":{"port":51234,"portName":"Unknown"},"localPortDetails":{"port":22,"portName":"SSH"},"localIpDetails":{"ipAddressV4":"10.0.2.15"},"protocol":"TCP","blocked":true}},"resourceRole":"TARGET","additionalInfo":{"value":"{}","type":"default"},"eventFirstSeen":"2024-01-02T05:10:00.000Z","eventLastSeen":"2024-01-02T05:30:00.000Z","archived":false,"count":230},"severity":2,"createdAt":"2024-01-02T05:12:00.000Z","updatedAt":"2024-01-02T05:46:00.000Z","title":"203.0.113.99 is performing SSH brute force attacks against i-0123456789abcdef0.","description":"203.0.113.99 is performing SSH brute force attacks against i-0123456789abcdef0."}\n'
        ),
        "common": [
            {'ts': '2024-01-02 05:45:06.007',
             'event_id': 'd5e7f9a1b2c4d6e8f0a2b4c6d8e0f2a4',
             'action': 'Recon:EC2/PortProbeUnprotectedPort',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0123456789abcdef0',
             'actor_type': 'Instance',
             'principals': [],
             'src_ip': '192.0.2.44',
             'ips': ['192.0.2.44', '192.0.2.45'],
             'resource': 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/d5e7f9a1b2c4d6e8f0a2b4c6d8e0f2a4',
             'outcome': 'success'},
            {'ts': '2024-01-02 05:46:00.000',
             'event_id': 'e6f8a0b2c3d5e7f9a1b3c5d7e9f1a3b5',
             'action': 'UnauthorizedAccess:EC2/SSHBruteForce',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0123456789abcdef0',
             'actor_type': 'Instance',
             'principals': [],
             'src_ip': '203.0.113.99',
             'ips': ['203.0.113.99'],
             'resource': 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/e6f8a0b2c3d5e7f9a1b3c5d7e9f1a3b5',
             'outcome': 'failure'},
        ],
    },
    {
        "name": 'guardduty failed API call with exfiltrated instance credentials, prefixed key',
        "key": 'guardduty/AWSLogs/111122223333/GuardDuty/eu-west-1/2024/03/05/3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f.jsonl.gz',
        "content": (
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"eu-west-1","partition":"aws","id":"f7a9b1c3d4e6f8a0b2c4d6e8f0a2b4c6","arn":"arn:aws:guardduty:eu-west-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/f7a9b1c3d4e6f8a0b2c4d6e8f0a2b4c6","type":"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS","resource":{"resourceType":"AccessKey","accessKeyDetails":{"accessKeyId":"ASIAI44QH8DHBEXAMPLE","principalId":"AROAEXAMPLEPRINCIPAL01:i-0abcdef1234567890","userName":"app-server-role","userType":"AssumedRole"}},"service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34e56789f0","action":{"actionType":"AWS_API_CALL","awsApiCallAction":{"api":"GetSecretValue","serviceName":"secretsmanager.amazonaws.com","callerType":"Remote IP","remoteIpDetails":{"ipAddressV4":"192.0.2.200","organization":{"asn":"64500","asnOrg":"Example Hosting","isp":"Example Hosting","org":"Example Hosting"},"country":{"countryName":"Singapore"},"city":{"cityName":"Singapore"},"geoLocation":{"lat":52.37,"lon":4.89}},"userAgent":"Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/linux#6.1.61 md/arch#x86_64 lang/python#3.11.6","affectedResources":{},"errorCode":"AccessDenied"}},"resourceRole":"TARGET","additionalInfo":{"value":"{}","type":"default"},"eventFirstSeen":"2024-03-05T10:00:00.000Z","eventLastSeen":"2024-03-05T10:00:00.000Z","archived":false,"count":1},"severity":8,"createdAt":"2024-03-05T10:06:30.100Z","updatedAt":"2024-03-05T10:06:30.100Z","title":"Credentials for instance role app-server-role used from external IP address.","description":"Credentials for instance role app-server-role used from external IP address."}\n'
        ),
        "common": [
            {'ts': '2024-03-05 10:06:30.100',
             'event_id': 'f7a9b1c3d4e6f8a0b2c4d6e8f0a2b4c6',
             'action': 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
             'account_id': '111122223333',
             'region': 'eu-west-1',
             'actor': 'app-server-role',
             'actor_type': 'AssumedRole',
             'principals': ['ASIAI44QH8DHBEXAMPLE',
                            'AROAEXAMPLEPRINCIPAL01:i-0abcdef1234567890',
                            'app-server-role'],
             'src_ip': '192.0.2.200',
             'ips': ['192.0.2.200'],
             'resource': 'arn:aws:guardduty:eu-west-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/f7a9b1c3d4e6f8a0b2c4d6e8f0a2b4c6',
             'outcome': 'failure',
             'user_agent': 'Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/linux#6.1.61 md/arch#x86_64 '
                           'lang/python#3.11.6'},
        ],
    },
    {
        "name": 'guardduty DNS request finding has no source IP',
        "key": 'AWSLogs/111122223333/GuardDuty/us-east-1/2024/01/02/4e5f6071-8293-4d4e-9f50-6a7b8c9d0e1f.jsonl.gz',
        "content": (
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","partition":"aws","id":"a8b0c2d4e5f7a9b1c3d5e7f9a1b3c5d7","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/a8b0c2d4e5f7a9b1c3d5e7f9a1b3c5d7","type":"Backdoor:EC2/C&CActivity.B!DNS","resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0abcdef1234567890","instanceType":"t3.medium","launchTime":"2023-11-20T08:15:30.000Z","platform":null,"productCodes":[],"iamInstanceProfile":{"arn":"arn:aws:iam::111122223333:instance-profile/web","id":"AIPAEXAMPLEPROFILEID01"},"networkInterfaces":[{"ipv6Addresses":[],"networkInterfaceId":"eni-0123456789abcdef0","privateDnsName":"ip-10-0-1-25.ec2.internal","privateIpAddress":"10.0.1.25","privateIpAddresses":[{"privateDnsName":"ip-10-0-1-25.ec2.internal","privateIpAddress":"10.0.1.25"}],"subnetId":"subnet-0123456789abcdef0","vpcId":"vpc-0a1b2c3d4e5f60718","securityGroups":[{"groupName":"web","groupId":"sg-0123456789abcdef0"}]}],"tags":[{"key":"Name","value":"web-1"}],"instanceState":"running","availabilityZone":"us-east-1a","imageId":"ami-0abcdef1234567890","imageDescription":"Amazon Linux 2023 AMI"}},"service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34e56789f0","action":{"actionType":"DNS_REQUEST","dnsRequestAction":{"domain":"c2.malicious.example.com","protocol":"UDP","blocked":false}},"resourceRole":"ACTOR","additionalInfo":{"value":"{}","type":"default"},"eventFirstSeen":"2024-01-02T06:00:00.000Z","eventLastSeen":"2024-01-02T06:00:00.000Z","archived":false,"count":1},"severity":8,"createdAt":"2024-01-02T06:03:00.000Z","updatedAt":"2024-01-02T06:03:00.000Z","title":"EC2 instance i-0abcdef1234567890 is querying a domain name associated with a known command and control server.","description":"EC2 instance i-0abcdef1234567890 is querying a domain name associated with a known command and control server."}\n'
        ),
        "common": [
            {'ts': '2024-01-02 06:03:00.000',
             'event_id': 'a8b0c2d4e5f7a9b1c3d5e7f9a1b3c5d7',
             'action': 'Backdoor:EC2/C&CActivity.B!DNS',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0abcdef1234567890',
             'actor_type': 'Instance',
             'principals': [],
             'src_ip': '',
             'ips': [],
             'resource': 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/a8b0c2d4e5f7a9b1c3d5e7f9a1b3c5d7',
             'outcome': 'success'},
        ],
    },
    {
        "name": 'guardduty attack sequence without action, space-separated times',
        "key": 'AWSLogs/111122223333/GuardDuty/us-east-1/2025/02/25/5f607182-93a4-4e5f-a061-7b8c9d0e1f2a.jsonl.gz',
        "content": (
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","partition":"aws","id":"e2f4a6b8c9d1e3f5a7b9c1d3e5f7a9b1","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/e2f4a6b8c9d1e3f5a7b9c1d3e5f7a9b1","type":"AttackSequence:IAM/CompromisedCredentials","resource":{"resourceType":"AttackSequence"},"service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34e56789f0","resourceRole":"TARGET","additionalInfo":{"value":"{}","type":"default"},"eventFirstSeen":"2025-02-25 20:40:06.000000000","eventLastSeen":"2025-02-25 20:40:06.000000000","archived":false,"count":1,"featureName":"Correlation"},"severity":9,"createdAt":"2025-02-25 20:40:06.721","updatedAt":"2025-02-25 20:52:10.004","title":"Potential credential compromise of IAMUser/bob indicated by a sequence of actions.","description":"Potential credential compromise of IAMUser/bob indicated by a sequence of actions."}\n'
        ),
        "common": [
            {'ts': '2025-02-25 20:52:10.004',
             'event_id': 'e2f4a6b8c9d1e3f5a7b9c1d3e5f7a9b1',
             'action': 'AttackSequence:IAM/CompromisedCredentials',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': '',
             'actor_type': 'AttackSequence',
             'principals': [],
             'src_ip': '',
             'ips': [],
             'resource': 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/e2f4a6b8c9d1e3f5a7b9c1d3e5f7a9b1',
             'outcome': ''},
        ],
    },
    {
        "name": 'guardduty sample finding with placeholder values',
        "key": 'AWSLogs/111122223333/GuardDuty/us-east-1/2024/01/02/60718293-a4b5-4f60-b172-8c9d0e1f2a3b.jsonl.gz',
        "content": (
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","partition":"aws","id":"b9c1d3e5f6a8b0c2d4e6f8a0b2c4d6e8","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/b9c1d3e5f6a8b0c2d4e6f8a0b2c4d6e8","type":"Discovery:S3/MaliciousIPCaller","resource":{"resourceType":"AccessKey","accessKeyDetails":{"accessKeyId":"GeneratedFindingAccessKeyId","principalId":"GeneratedFindingPrincipalId","userName":"GeneratedFindingUserName","userType":"IAMUser"}},"service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34e56789f0","action":{"actionType":"AWS_API_CALL","awsApiCallAction":{"api":"GeneratedFindingAPIName","serviceName":"GeneratedFindingAPIServiceName","callerType":"Remote IP","remoteIpDetails":{"ipAddressV4":"198.51.100.0","organization":{"asn":"-1","asnOrg":"GeneratedFindingASNOrg","isp":"GeneratedFindingASNOrg","org":"GeneratedFindingASNOrg"},"country":{"countryName":"GeneratedFindingCountryName"},"city":{"cityName":"GeneratedFindingCityName"},"geoLocation":{"lat":52.37,"lon":4.89}},"userAgent":"GeneratedFindingUserAgent","affectedResources":{}}},"resourceRole":"TARGET","additionalInfo":{"sample":true},"eventFirstSeen":"2024-01-02T07:00:00.000Z","eventLastSeen":"2024-01-02T07:00:00.000Z","archived":false,"count":1},"severity":8,"createdAt":"2024-01-02T07:00:00.000Z","updatedAt":"2024-01-02T07:00:00.000Z","title":"API GeneratedFindingAPIName was invoked from a known malicious IP address.","description":"API GeneratedFindingAPIName was invoked from a known malicious IP address."}\n'
        ),
        "common": [
            {'ts': '2024-01-02 07:00:00.000',
             'event_id': 'b9c1d3e5f6a8b0c2d4e6f8a0b2c4d6e8',
             'action': 'Discovery:S3/MaliciousIPCaller',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'GeneratedFindingUserName',
             'actor_type': 'IAMUser',
             'principals': ['GeneratedFindingAccessKeyId',
                            'GeneratedFindingPrincipalId',
                            'GeneratedFindingUserName'],
             'src_ip': '198.51.100.0',
             'ips': ['198.51.100.0'],
             'resource': 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/b9c1d3e5f6a8b0c2d4e6f8a0b2c4d6e8',
             'outcome': 'success',
             'user_agent': 'GeneratedFindingUserAgent'},
        ],
    },
    {
        "name": 'guardduty broken line is an error, other findings load',
        "key": 'AWSLogs/111122223333/GuardDuty/us-east-1/2024/01/02/718293a4-b5c6-4071-8283-9d0e1f2a3b4c.jsonl.gz',
        "content": (
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","partition":"aws","id":"c0d2e4f6a7b9c1d3e5f7a9b1c3d5e7f9","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/c0d2e4f6a7b9c1d3e5f7a9b1c3d5e7f9","type":"Recon:EC2/PortProbeUnprotectedPort","resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0123456789abcdef0","instanceType":"t3.medium","launchTime":"2023-11-20T08:15:30.000Z","platform":null,"productCodes":[],"iamInstanceProfile":{"arn":"arn:aws:iam::111122223333:instance-profile/web","id":"AIPAEXAMPLEPROFILEID01"},"networkInterfaces":[{"ipv6Addresses":[],"networkInterfaceId":"eni-0123456789abcdef0","privateDnsName":"ip-10-0-2-15.ec2.internal","privateIpAddress":"10.0.2.15","privateIpAddresses":[{"privateDnsName":"ip-10-0-2-15.ec2.internal","privateIpAddress":"10.0.2.15"}],"subnetId":"subnet-0123456789abcdef0","vpcId":"vpc-0a1b2c3d4e5f60718","securityGroups":[{"groupName":"web","groupId":"sg-0123456789abcdef0"}],"publicDnsName":"ec2-203-0-113-20.compute-1.amazonaws.com","publicIp":"203.0.113.20"}],"tags":[{"key":"Name","value":"web-1"}],"instanceState":"running","availabilityZone":"us-east-1a","imageId":"ami-0abcdef1234567890","imageDescription":"Amazon Linux 2023 AMI"}},"service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34e56789f0","action":{"actionType":"PORT_PROBE","portProbeAction":{"blocked":false,"portProbeDetails":[{"localPortDetails":{"port":80,"portName":"HTTP"},"localIpDetails":{"ipAddressV4":"10.0.2.15"},"remoteIpDetails":{"ipAddressV4":"192.0.2.61","organization":{"asn":"64500","asnOrg":"Example Hosting","isp":"Example Hosting","org":"Example Hosting"},"country":{"countryName":"Netherlands"},"city":{"cityName":"Amsterdam"},"geoLocation":{"lat":52.37,"lon":4.89}}}]}},"resourceRole":"TARGET","additionalInfo":{"value":"{}","type":"default"},"eventFirstSeen":"2024-01-02T08:00:00.000Z","eventLastSeen":"2024-01-02T08:00:00.000Z","archived":false,"count":1},"severity":2,"createdAt":"2024-01-02T08:01:00.000Z","updatedAt":"2024-01-02T08:01:00.000Z","title":"Unprotected port on EC2 instance i-0123456789abcdef0 is being probed.","description":"Unprotected port on EC2 instance i-0123456789abcdef0 is being probed."}\n'
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","partition":"aws","id":"d1e3f5a7b8c0d2e4f6a8b0c2d4e6f8a0","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/d1e3f5a7b8c0d2e4f6a8b0c2d4e6f8a0","type":"UnauthorizedAccess:IAMUser/TorI\n'
            '{"schemaVersion":"2.0","accountId":"111122223333","region":"us-east-1","partition":"aws","id":"d1e3f5a7b8c0d2e4f6a8b0c2d4e6f8a0","arn":"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/d1e3f5a7b8c0d2e4f6a8b0c2d4e6f8a0","type":"UnauthorizedAccess:IAMUser/TorIPCaller","resource":{"resourceType":"AccessKey","accessKeyDetails":{"accessKeyId":"AKIAIOSFODNN7EXAMPLE","principalId":"AIDACKCEVSQ6C2EXAMPLE","userName":"alice","userType":"IAMUser"}},"service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34e56789f0","action":{"actionType":"AWS_API_CALL","awsApiCallAction":{"api":"GetCallerIdentity","serviceName":"sts.amazonaws.com","callerType":"Remote IP","remoteIpDetails":{"ipAddressV4":"198.51.100.24","organization":{"asn":"64500","asnOrg":"Example Hosting","isp":"Example Hosting","org":"Example Hosting"},"country":{"countryName":"Netherlands"},"city":{"cityName":"Amsterdam"},"geoLocation":{"lat":52.37,"lon":4.89}},"userAgent":"aws-cli/2.15.0 Python/3.11.6 Linux/6.1.61 exe/x86_64.amzn.2023 prompt/off command/s3.ls","affectedResources":{}}},"resourceRole":"TARGET","additionalInfo":{"value":"{}","type":"default"},"eventFirstSeen":"2024-01-02T08:02:00.000Z","eventLastSeen":"2024-01-02T08:02:00.000Z","archived":false,"count":1},"severity":5,"createdAt":"2024-01-02T08:03:00.000Z","updatedAt":"2024-01-02T08:03:00.000Z","title":"API GetCallerIdentity was invoked from a Tor exit node IP address.","description":"API GetCallerIdentity was invoked from a Tor exit node IP address."}\n'
        ),
        "common": [
            {'ts': '2024-01-02 08:01:00.000',
             'event_id': 'c0d2e4f6a7b9c1d3e5f7a9b1c3d5e7f9',
             'action': 'Recon:EC2/PortProbeUnprotectedPort',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'i-0123456789abcdef0',
             'actor_type': 'Instance',
             'principals': [],
             'src_ip': '192.0.2.61',
             'ips': ['192.0.2.61'],
             'resource': 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/c0d2e4f6a7b9c1d3e5f7a9b1c3d5e7f9',
             'outcome': 'success'},
            {'ts': '2024-01-02 08:03:00.000',
             'event_id': 'd1e3f5a7b8c0d2e4f6a8b0c2d4e6f8a0',
             'action': 'UnauthorizedAccess:IAMUser/TorIPCaller',
             'account_id': '111122223333',
             'region': 'us-east-1',
             'actor': 'alice',
             'actor_type': 'IAMUser',
             'principals': ['AKIAIOSFODNN7EXAMPLE', 'AIDACKCEVSQ6C2EXAMPLE', 'alice'],
             'src_ip': '198.51.100.24',
             'ips': ['198.51.100.24'],
             'resource': 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/d1e3f5a7b8c0d2e4f6a8b0c2d4e6f8a0',
             'outcome': 'success',
             'user_agent': 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1.61 exe/x86_64.amzn.2023 prompt/off '
                           'command/s3.ls'},
        ],
        "errors": [(2, 'invalid JSON')],
    },
]
