"""Hand-made cases for the VPC Flow Logs log type (S3 delivery, plain-text format).

Written from the AWS documentation, not from captured logs:
- Amazon VPC User Guide, "Flow log records" (available fields and the version that introduced
  each: 2 default, 3 vpc-id..pkt-dstaddr, 4 region..sublocation-id, 5 pkt-*-aws-service,
  flow-direction, traffic-path, 7 the ten ecs-* fields, 8 reject-reason, 9 resource-id,
  10 encryption-status, 11 tag / interface-type / next-hop-* fields; version 6 is the
  Transit Gateway flow log version). A custom format's `version` is the highest version among
  its fields; '-' stands for a field that does not apply or could not be computed.
- "Flow log record examples" (NODATA / SKIPDATA shapes, ICMP ping, TCP flag sequence 2/18/1/3/19,
  NAT gateway pkt-* addresses, the v5 service-name / traffic-path / flow-direction format).
- "Flow log files" (S3 key layout, Hive-compatible and hourly variants, file names
  `<account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz` holding the
  records whose `end` falls in that 5-minute window).
- "Enforce VPC encryption in transit" (encryption-status 0/1/2/3 or '-').
- Transit Gateway guide, "Transit Gateway Flow Log records" (the 36 fields, version 6, no
  `action` field, packets-lost-* counters).
- "Flow log limitations" (VPC BPA records carry no byte count).

Each case: `key`, decompressed `content`, expected per-type `records` (field names lower-cased,
'-' and ':' turned into '_'; '-' values are None; numbers are ints), optional `common` (a subset
of the common columns per record) and optional `errors` (1-based line, reason substring).
All account ids, interface ids and addresses are made up (documentation ranges).
"""

V2 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

ECS = ("ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id "
       "ecs-container-id ecs-second-container-id ecs-service-name ecs-task-definition-arn "
       "ecs-task-arn ecs-task-id")

# Every VPC flow log field up to version 10, in the order of the "Available fields" table.
V10_ALL = (V2 + " vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr"
           " region az-id sublocation-type sublocation-id"
           " pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path "
           + ECS + " reject-reason resource-id encryption-status")

TGW = ("version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id "
       "tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id "
       "tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr "
       "srcport dstport protocol packets bytes start end log-status type packets-lost-no-route "
       "packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region "
       "flow-direction pkt-src-aws-service pkt-dst-aws-service")

NO_ECS = {
    "ecs_cluster_arn": None, "ecs_cluster_name": None, "ecs_container_instance_arn": None,
    "ecs_container_instance_id": None, "ecs_container_id": None, "ecs_second_container_id": None,
    "ecs_service_name": None, "ecs_task_definition_arn": None, "ecs_task_arn": None,
    "ecs_task_id": None,
}

CASES = [
    # ------------------------------------------------------------------ version 2 (default format)
    {
        "name": "v2 default with header",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/05/14/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20240514T1200Z_3f2a9c1d.log.gz",
        "content": V2 + "\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 198.51.100.23 10.0.1.15 50514 443 6 12 4310 1715688005 1715688062 ACCEPT OK\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 10.0.1.15 198.51.100.23 443 50514 6 10 6824 1715688005 1715688062 ACCEPT OK\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 192.0.2.200 10.0.1.15 41972 22 6 1 40 1715688121 1715688178 REJECT OK\n",
        "records": [
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "198.51.100.23", "dstaddr": "10.0.1.15", "srcport": 50514, "dstport": 443,
             "protocol": 6, "packets": 12, "bytes": 4310, "start": 1715688005, "end": 1715688062,
             "action": "ACCEPT", "log_status": "OK"},
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "10.0.1.15", "dstaddr": "198.51.100.23", "srcport": 443, "dstport": 50514,
             "protocol": 6, "packets": 10, "bytes": 6824, "start": 1715688005, "end": 1715688062,
             "action": "ACCEPT", "log_status": "OK"},
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "192.0.2.200", "dstaddr": "10.0.1.15", "srcport": 41972, "dstport": 22,
             "protocol": 6, "packets": 1, "bytes": 40, "start": 1715688121, "end": 1715688178,
             "action": "REJECT", "log_status": "OK"},
        ],
        "common": [
            {"ts": "2024-05-14 12:00:05.000", "src_ip": "198.51.100.23", "action": "ACCEPT",
             "ips": ["198.51.100.23", "10.0.1.15"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "success"},
            {"ts": "2024-05-14 12:00:05.000", "src_ip": "10.0.1.15", "action": "ACCEPT",
             "ips": ["10.0.1.15", "198.51.100.23"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "success"},
            {"ts": "2024-05-14 12:02:01.000", "src_ip": "192.0.2.200", "action": "REJECT",
             "ips": ["192.0.2.200", "10.0.1.15"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "failure"},
        ],
    },
    {
        "name": "v2 default without header",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/05/14/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20240514T1205Z_7c41e0b2.log.gz",
        "content": "2 123456789012 eni-04c7e2a9b1d3f5e68 10.0.2.41 10.0.1.15 38216 22 6 20 4249 1715688310 1715688370 ACCEPT OK\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 10.0.9.69 10.0.1.15 49761 3389 6 3 180 1715688312 1715688370 REJECT OK\n",
        "records": [
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "10.0.2.41", "dstaddr": "10.0.1.15", "srcport": 38216, "dstport": 22,
             "protocol": 6, "packets": 20, "bytes": 4249, "start": 1715688310, "end": 1715688370,
             "action": "ACCEPT", "log_status": "OK"},
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "10.0.9.69", "dstaddr": "10.0.1.15", "srcport": 49761, "dstport": 3389,
             "protocol": 6, "packets": 3, "bytes": 180, "start": 1715688312, "end": 1715688370,
             "action": "REJECT", "log_status": "OK"},
        ],
        "common": [
            {"ts": "2024-05-14 12:05:10.000", "src_ip": "10.0.2.41", "action": "ACCEPT",
             "ips": ["10.0.2.41", "10.0.1.15"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "success"},
            {"ts": "2024-05-14 12:05:12.000", "src_ip": "10.0.9.69", "action": "REJECT",
             "ips": ["10.0.9.69", "10.0.1.15"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "failure"},
        ],
    },
    {
        # NODATA: no traffic in the window; SKIPDATA: records skipped (internal capacity).
        # Both keep version, account-id, interface-id, start, end; the rest is '-'.
        "name": "v2 NODATA and SKIPDATA",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/06/03/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20240603T0815Z_b19d3e77.log.gz",
        "content": V2 + "\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 - - - - - - - 1717402441 1717402501 - NODATA\n"
                   "2 123456789012 eni-0b5d6e7f8091a2b3c - - - - - - - 1717402441 1717402501 - SKIPDATA\n"
                   "2 123456789012 eni-0b5d6e7f8091a2b3c 10.0.3.7 10.0.3.99 5432 40112 6 8 1620 1717402450 1717402510 ACCEPT OK\n",
        "records": [
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": None, "dstaddr": None, "srcport": None, "dstport": None, "protocol": None,
             "packets": None, "bytes": None, "start": 1717402441, "end": 1717402501,
             "action": None, "log_status": "NODATA"},
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-0b5d6e7f8091a2b3c",
             "srcaddr": None, "dstaddr": None, "srcport": None, "dstport": None, "protocol": None,
             "packets": None, "bytes": None, "start": 1717402441, "end": 1717402501,
             "action": None, "log_status": "SKIPDATA"},
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-0b5d6e7f8091a2b3c",
             "srcaddr": "10.0.3.7", "dstaddr": "10.0.3.99", "srcport": 5432, "dstport": 40112,
             "protocol": 6, "packets": 8, "bytes": 1620, "start": 1717402450, "end": 1717402510,
             "action": "ACCEPT", "log_status": "OK"},
        ],
        "common": [
            {"ts": "2024-06-03 08:14:01.000", "src_ip": "", "ips": [],
             "account_id": "123456789012", "region": "us-east-1", "outcome": ""},
            {"ts": "2024-06-03 08:14:01.000", "src_ip": "", "ips": [],
             "account_id": "123456789012", "region": "us-east-1", "outcome": ""},
            {"ts": "2024-06-03 08:14:10.000", "src_ip": "10.0.3.7", "action": "ACCEPT",
             "ips": ["10.0.3.7", "10.0.3.99"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "success"},
        ],
    },
    {
        # ICMP (protocol 1) has no ports: srcport and dstport are 0. The inbound ping is allowed;
        # the stateless network ACL rejects the reply.
        "name": "v2 ICMP ping accepted then reply rejected",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/06/03/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20240603T0820Z_04aa9f31.log.gz",
        "content": V2 + "\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 203.0.113.12 10.0.1.15 0 0 1 4 336 1717402803 1717402862 ACCEPT OK\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 10.0.1.15 203.0.113.12 0 0 1 4 336 1717402810 1717402862 REJECT OK\n",
        "records": [
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "203.0.113.12", "dstaddr": "10.0.1.15", "srcport": 0, "dstport": 0,
             "protocol": 1, "packets": 4, "bytes": 336, "start": 1717402803, "end": 1717402862,
             "action": "ACCEPT", "log_status": "OK"},
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "10.0.1.15", "dstaddr": "203.0.113.12", "srcport": 0, "dstport": 0,
             "protocol": 1, "packets": 4, "bytes": 336, "start": 1717402810, "end": 1717402862,
             "action": "REJECT", "log_status": "OK"},
        ],
        "common": [
            {"ts": "2024-06-03 08:20:03.000", "src_ip": "203.0.113.12", "action": "ACCEPT",
             "ips": ["203.0.113.12", "10.0.1.15"], "outcome": "success"},
            {"ts": "2024-06-03 08:20:10.000", "src_ip": "10.0.1.15", "action": "REJECT",
             "ips": ["10.0.1.15", "203.0.113.12"], "outcome": "failure"},
        ],
    },
    # ------------------------------------------------------------------ custom formats, v3 .. v5
    {
        # The docs' TCP-flag example format: a custom order (note bytes before packets).
        # SYN=2, SYN-ACK=18; flags are OR-ed within a window: 3 = SYN+FIN, 19 = SYN-ACK+FIN.
        "name": "v3 custom order with tcp-flags sequence",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/08/21/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20240821T0305Z_e2c8a610.log.gz",
        "content": "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status\n"
                   "3 vpc-0e1f2a3b4c5d6e7f8 subnet-01a2b3c4d5e6f7a8b i-0123456789abcdef0 eni-0c1d2e3f405162738 123456789012 IPv4 198.51.100.77 10.0.0.62 43416 5001 198.51.100.77 10.0.0.62 6 568 8 1724209505 1724209563 ACCEPT 2 OK\n"
                   "3 vpc-0e1f2a3b4c5d6e7f8 subnet-01a2b3c4d5e6f7a8b i-0123456789abcdef0 eni-0c1d2e3f405162738 123456789012 IPv4 10.0.0.62 198.51.100.77 5001 43416 10.0.0.62 198.51.100.77 6 376 7 1724209505 1724209563 ACCEPT 18 OK\n"
                   "3 vpc-0e1f2a3b4c5d6e7f8 subnet-01a2b3c4d5e6f7a8b i-0123456789abcdef0 eni-0c1d2e3f405162738 123456789012 IPv4 198.51.100.77 10.0.0.62 43638 5001 198.51.100.77 10.0.0.62 6 1260 17 1724209510 1724209570 ACCEPT 3 OK\n"
                   "3 vpc-0e1f2a3b4c5d6e7f8 subnet-01a2b3c4d5e6f7a8b i-0123456789abcdef0 eni-0c1d2e3f405162738 123456789012 IPv4 10.0.0.62 198.51.100.77 5001 43638 10.0.0.62 198.51.100.77 6 967 14 1724209510 1724209570 ACCEPT 19 OK\n",
        "records": [
            {"version": 3, "vpc_id": "vpc-0e1f2a3b4c5d6e7f8", "subnet_id": "subnet-01a2b3c4d5e6f7a8b",
             "instance_id": "i-0123456789abcdef0", "interface_id": "eni-0c1d2e3f405162738",
             "account_id": "123456789012", "type": "IPv4", "srcaddr": "198.51.100.77",
             "dstaddr": "10.0.0.62", "srcport": 43416, "dstport": 5001,
             "pkt_srcaddr": "198.51.100.77", "pkt_dstaddr": "10.0.0.62", "protocol": 6,
             "bytes": 568, "packets": 8, "start": 1724209505, "end": 1724209563,
             "action": "ACCEPT", "tcp_flags": 2, "log_status": "OK"},
            {"version": 3, "vpc_id": "vpc-0e1f2a3b4c5d6e7f8", "subnet_id": "subnet-01a2b3c4d5e6f7a8b",
             "instance_id": "i-0123456789abcdef0", "interface_id": "eni-0c1d2e3f405162738",
             "account_id": "123456789012", "type": "IPv4", "srcaddr": "10.0.0.62",
             "dstaddr": "198.51.100.77", "srcport": 5001, "dstport": 43416,
             "pkt_srcaddr": "10.0.0.62", "pkt_dstaddr": "198.51.100.77", "protocol": 6,
             "bytes": 376, "packets": 7, "start": 1724209505, "end": 1724209563,
             "action": "ACCEPT", "tcp_flags": 18, "log_status": "OK"},
            {"version": 3, "vpc_id": "vpc-0e1f2a3b4c5d6e7f8", "subnet_id": "subnet-01a2b3c4d5e6f7a8b",
             "instance_id": "i-0123456789abcdef0", "interface_id": "eni-0c1d2e3f405162738",
             "account_id": "123456789012", "type": "IPv4", "srcaddr": "198.51.100.77",
             "dstaddr": "10.0.0.62", "srcport": 43638, "dstport": 5001,
             "pkt_srcaddr": "198.51.100.77", "pkt_dstaddr": "10.0.0.62", "protocol": 6,
             "bytes": 1260, "packets": 17, "start": 1724209510, "end": 1724209570,
             "action": "ACCEPT", "tcp_flags": 3, "log_status": "OK"},
            {"version": 3, "vpc_id": "vpc-0e1f2a3b4c5d6e7f8", "subnet_id": "subnet-01a2b3c4d5e6f7a8b",
             "instance_id": "i-0123456789abcdef0", "interface_id": "eni-0c1d2e3f405162738",
             "account_id": "123456789012", "type": "IPv4", "srcaddr": "10.0.0.62",
             "dstaddr": "198.51.100.77", "srcport": 5001, "dstport": 43638,
             "pkt_srcaddr": "10.0.0.62", "pkt_dstaddr": "198.51.100.77", "protocol": 6,
             "bytes": 967, "packets": 14, "start": 1724209510, "end": 1724209570,
             "action": "ACCEPT", "tcp_flags": 19, "log_status": "OK"},
        ],
        "common": [
            {"ts": "2024-08-21 03:05:05.000", "src_ip": "198.51.100.77",
             "ips": ["198.51.100.77", "10.0.0.62"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "success"},
            {"ts": "2024-08-21 03:05:05.000", "src_ip": "10.0.0.62",
             "ips": ["10.0.0.62", "198.51.100.77"], "outcome": "success"},
            {"ts": "2024-08-21 03:05:10.000", "src_ip": "198.51.100.77",
             "ips": ["198.51.100.77", "10.0.0.62"], "outcome": "success"},
            {"ts": "2024-08-21 03:05:10.000", "src_ip": "10.0.0.62",
             "ips": ["10.0.0.62", "198.51.100.77"], "outcome": "success"},
        ],
    },
    {
        # The docs' NAT gateway example format: no version, account, region, times or action.
        # The NAT gateway interface is requester-managed, so instance-id is '-'; srcaddr/dstaddr
        # show the NAT gateway's private address where pkt-srcaddr/pkt-dstaddr show the original.
        # The bucket has an optional prefix before AWSLogs/.
        "name": "v3 NAT gateway pkt addresses without version or times",
        "key": "nat-logs/AWSLogs/123456789012/vpcflowlogs/eu-west-1/2024/09/02/"
               "123456789012_vpcflowlogs_eu-west-1_fl-07c3d2e1f0a9b8c7d_20240902T1430Z_9e8d7c6b.log.gz",
        "content": "instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr\n"
                   "- eni-0d2e3f4a5b6c7d8e9 10.20.1.5 10.20.0.220 10.20.1.5 198.51.100.5\n"
                   "- eni-0d2e3f4a5b6c7d8e9 10.20.0.220 198.51.100.5 10.20.0.220 198.51.100.5\n"
                   "- eni-0d2e3f4a5b6c7d8e9 198.51.100.5 10.20.0.220 198.51.100.5 10.20.0.220\n"
                   "- eni-0d2e3f4a5b6c7d8e9 10.20.0.220 10.20.1.5 198.51.100.5 10.20.1.5\n",
        "records": [
            {"instance_id": None, "interface_id": "eni-0d2e3f4a5b6c7d8e9", "srcaddr": "10.20.1.5",
             "dstaddr": "10.20.0.220", "pkt_srcaddr": "10.20.1.5", "pkt_dstaddr": "198.51.100.5"},
            {"instance_id": None, "interface_id": "eni-0d2e3f4a5b6c7d8e9", "srcaddr": "10.20.0.220",
             "dstaddr": "198.51.100.5", "pkt_srcaddr": "10.20.0.220", "pkt_dstaddr": "198.51.100.5"},
            {"instance_id": None, "interface_id": "eni-0d2e3f4a5b6c7d8e9", "srcaddr": "198.51.100.5",
             "dstaddr": "10.20.0.220", "pkt_srcaddr": "198.51.100.5", "pkt_dstaddr": "10.20.0.220"},
            {"instance_id": None, "interface_id": "eni-0d2e3f4a5b6c7d8e9", "srcaddr": "10.20.0.220",
             "dstaddr": "10.20.1.5", "pkt_srcaddr": "198.51.100.5", "pkt_dstaddr": "10.20.1.5"},
        ],
        "common": [
            {"src_ip": "10.20.1.5", "ips": ["10.20.1.5", "10.20.0.220", "198.51.100.5"],
             "account_id": "123456789012", "region": "eu-west-1", "outcome": ""},
            {"src_ip": "10.20.0.220", "ips": ["10.20.0.220", "198.51.100.5"],
             "account_id": "123456789012", "region": "eu-west-1", "outcome": ""},
            {"src_ip": "198.51.100.5", "ips": ["198.51.100.5", "10.20.0.220"],
             "account_id": "123456789012", "region": "eu-west-1", "outcome": ""},
            {"src_ip": "10.20.0.220", "ips": ["10.20.0.220", "10.20.1.5", "198.51.100.5"],
             "account_id": "123456789012", "region": "eu-west-1", "outcome": ""},
        ],
    },
    {
        # The docs' v5 example format. Ingress from S3 then egress to S3 through an internet
        # gateway (traffic-path 8); traffic-path is '-' for ingress traffic.
        "name": "v5 service name traffic path and flow direction",
        "key": "AWSLogs/123456789012/vpcflowlogs/ap-southeast-2/2024/10/11/"
               "123456789012_vpcflowlogs_ap-southeast-2_fl-0b2c3d4e5f6a7b8c9_20241011T0655Z_41d2f7a9.log.gz",
        "content": "version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status\n"
                   "5 52.95.129.22 10.0.0.71 443 34210 6 1728629702 1728629760 IPv4 14 15044 123456789012 vpc-0e1f2a3b4c5d6e7f8 subnet-01a2b3c4d5e6f7a8b i-0f1e2d3c4b5a69788 eni-0c1d2e3f405162738 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.129.22 10.0.0.71 S3 - - ingress OK\n"
                   "5 10.0.0.71 52.95.129.22 34210 443 6 1728629702 1728629760 IPv4 7 471 123456789012 vpc-0e1f2a3b4c5d6e7f8 subnet-01a2b3c4d5e6f7a8b i-0f1e2d3c4b5a69788 eni-0c1d2e3f405162738 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.129.22 - S3 8 egress OK\n",
        "records": [
            {"version": 5, "srcaddr": "52.95.129.22", "dstaddr": "10.0.0.71", "srcport": 443,
             "dstport": 34210, "protocol": 6, "start": 1728629702, "end": 1728629760, "type": "IPv4",
             "packets": 14, "bytes": 15044, "account_id": "123456789012",
             "vpc_id": "vpc-0e1f2a3b4c5d6e7f8", "subnet_id": "subnet-01a2b3c4d5e6f7a8b",
             "instance_id": "i-0f1e2d3c4b5a69788", "interface_id": "eni-0c1d2e3f405162738",
             "region": "ap-southeast-2", "az_id": "apse2-az3", "sublocation_type": None,
             "sublocation_id": None, "action": "ACCEPT", "tcp_flags": 19,
             "pkt_srcaddr": "52.95.129.22", "pkt_dstaddr": "10.0.0.71",
             "pkt_src_aws_service": "S3", "pkt_dst_aws_service": None, "traffic_path": None,
             "flow_direction": "ingress", "log_status": "OK"},
            {"version": 5, "srcaddr": "10.0.0.71", "dstaddr": "52.95.129.22", "srcport": 34210,
             "dstport": 443, "protocol": 6, "start": 1728629702, "end": 1728629760, "type": "IPv4",
             "packets": 7, "bytes": 471, "account_id": "123456789012",
             "vpc_id": "vpc-0e1f2a3b4c5d6e7f8", "subnet_id": "subnet-01a2b3c4d5e6f7a8b",
             "instance_id": "i-0f1e2d3c4b5a69788", "interface_id": "eni-0c1d2e3f405162738",
             "region": "ap-southeast-2", "az_id": "apse2-az3", "sublocation_type": None,
             "sublocation_id": None, "action": "ACCEPT", "tcp_flags": 3,
             "pkt_srcaddr": "10.0.0.71", "pkt_dstaddr": "52.95.129.22",
             "pkt_src_aws_service": None, "pkt_dst_aws_service": "S3", "traffic_path": 8,
             "flow_direction": "egress", "log_status": "OK"},
        ],
        "common": [
            {"ts": "2024-10-11 06:55:02.000", "src_ip": "52.95.129.22", "action": "ACCEPT",
             "ips": ["52.95.129.22", "10.0.0.71"], "account_id": "123456789012",
             "region": "ap-southeast-2", "outcome": "success"},
            {"ts": "2024-10-11 06:55:02.000", "src_ip": "10.0.0.71", "action": "ACCEPT",
             "ips": ["10.0.0.71", "52.95.129.22"], "account_id": "123456789012",
             "region": "ap-southeast-2", "outcome": "success"},
        ],
    },
    {
        # Version 4 fields. For traffic from a sublocation (Outpost, Local Zone, Wavelength)
        # az-id is '-'; otherwise sublocation-type and sublocation-id are '-'.
        "name": "v4 region az-id and sublocations",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-west-2/2024/11/19/"
               "123456789012_vpcflowlogs_us-west-2_fl-0c3d4e5f6a7b8c9d0_20241119T2310Z_8a7b6c5d.log.gz",
        "content": V2 + " region az-id sublocation-type sublocation-id\n"
                   "4 123456789012 eni-0a9b8c7d6e5f40312 10.1.0.10 10.1.2.20 51000 8080 6 30 9000 1732057801 1732057860 ACCEPT OK us-west-2 usw2-az1 - -\n"
                   "4 123456789012 eni-0e4d3c2b1a0f98765 10.1.8.14 10.1.0.10 33000 5432 6 6 1100 1732057803 1732057862 ACCEPT OK us-west-2 - outpost op-0123456789abcdef0\n"
                   "4 123456789012 eni-05a6b7c8d9e0f1a2b 10.1.9.3 10.1.0.10 44120 443 6 9 2048 1732057806 1732057865 ACCEPT OK us-west-2 - localzone usw2-lax1-az1\n",
        "records": [
            {"version": 4, "account_id": "123456789012", "interface_id": "eni-0a9b8c7d6e5f40312",
             "srcaddr": "10.1.0.10", "dstaddr": "10.1.2.20", "srcport": 51000, "dstport": 8080,
             "protocol": 6, "packets": 30, "bytes": 9000, "start": 1732057801, "end": 1732057860,
             "action": "ACCEPT", "log_status": "OK", "region": "us-west-2", "az_id": "usw2-az1",
             "sublocation_type": None, "sublocation_id": None},
            {"version": 4, "account_id": "123456789012", "interface_id": "eni-0e4d3c2b1a0f98765",
             "srcaddr": "10.1.8.14", "dstaddr": "10.1.0.10", "srcport": 33000, "dstport": 5432,
             "protocol": 6, "packets": 6, "bytes": 1100, "start": 1732057803, "end": 1732057862,
             "action": "ACCEPT", "log_status": "OK", "region": "us-west-2", "az_id": None,
             "sublocation_type": "outpost", "sublocation_id": "op-0123456789abcdef0"},
            {"version": 4, "account_id": "123456789012", "interface_id": "eni-05a6b7c8d9e0f1a2b",
             "srcaddr": "10.1.9.3", "dstaddr": "10.1.0.10", "srcport": 44120, "dstport": 443,
             "protocol": 6, "packets": 9, "bytes": 2048, "start": 1732057806, "end": 1732057865,
             "action": "ACCEPT", "log_status": "OK", "region": "us-west-2", "az_id": None,
             "sublocation_type": "localzone", "sublocation_id": "usw2-lax1-az1"},
        ],
        "common": [
            {"ts": "2024-11-19 23:10:01.000", "src_ip": "10.1.0.10", "ips": ["10.1.0.10", "10.1.2.20"],
             "account_id": "123456789012", "region": "us-west-2", "outcome": "success"},
            {"ts": "2024-11-19 23:10:03.000", "src_ip": "10.1.8.14", "ips": ["10.1.8.14", "10.1.0.10"],
             "account_id": "123456789012", "region": "us-west-2", "outcome": "success"},
            {"ts": "2024-11-19 23:10:06.000", "src_ip": "10.1.9.3", "ips": ["10.1.9.3", "10.1.0.10"],
             "account_id": "123456789012", "region": "us-west-2", "outcome": "success"},
        ],
    },
    {
        # IPv6: type is IPv6; ICMPv6 is protocol 58 with ports 0 and tcp-flags 0 (no TCP flag seen).
        "name": "v3 IPv6 SSH and ICMPv6",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/02/11/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20250211T1325Z_c3d2e1f0.log.gz",
        "content": V2 + " vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr\n"
                   "3 123456789012 eni-04c7e2a9b1d3f5e68 2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c 2001:db8:4a2f:1c2::a1 34892 22 6 54 8855 1739280301 1739280360 ACCEPT OK vpc-0e1f2a3b4c5d6e7f8 subnet-01a2b3c4d5e6f7a8b i-0123456789abcdef0 2 IPv6 2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c 2001:db8:4a2f:1c2::a1\n"
                   "3 123456789012 eni-04c7e2a9b1d3f5e68 2001:db8:4a2f:1c2::a1 2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c 0 0 58 5 520 1739280305 1739280364 ACCEPT OK vpc-0e1f2a3b4c5d6e7f8 subnet-01a2b3c4d5e6f7a8b i-0123456789abcdef0 0 IPv6 2001:db8:4a2f:1c2::a1 2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c\n",
        "records": [
            {"version": 3, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c", "dstaddr": "2001:db8:4a2f:1c2::a1",
             "srcport": 34892, "dstport": 22, "protocol": 6, "packets": 54, "bytes": 8855,
             "start": 1739280301, "end": 1739280360, "action": "ACCEPT", "log_status": "OK",
             "vpc_id": "vpc-0e1f2a3b4c5d6e7f8", "subnet_id": "subnet-01a2b3c4d5e6f7a8b",
             "instance_id": "i-0123456789abcdef0", "tcp_flags": 2, "type": "IPv6",
             "pkt_srcaddr": "2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c",
             "pkt_dstaddr": "2001:db8:4a2f:1c2::a1"},
            {"version": 3, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "2001:db8:4a2f:1c2::a1", "dstaddr": "2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c",
             "srcport": 0, "dstport": 0, "protocol": 58, "packets": 5, "bytes": 520,
             "start": 1739280305, "end": 1739280364, "action": "ACCEPT", "log_status": "OK",
             "vpc_id": "vpc-0e1f2a3b4c5d6e7f8", "subnet_id": "subnet-01a2b3c4d5e6f7a8b",
             "instance_id": "i-0123456789abcdef0", "tcp_flags": 0, "type": "IPv6",
             "pkt_srcaddr": "2001:db8:4a2f:1c2::a1",
             "pkt_dstaddr": "2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c"},
        ],
        "common": [
            {"ts": "2025-02-11 13:25:01.000", "src_ip": "2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c",
             "ips": ["2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c", "2001:db8:4a2f:1c2::a1"],
             "account_id": "123456789012", "region": "us-east-1", "outcome": "success"},
            {"ts": "2025-02-11 13:25:05.000", "src_ip": "2001:db8:4a2f:1c2::a1",
             "ips": ["2001:db8:4a2f:1c2::a1", "2001:db8:4a2f:1c0:9a1:77ff:fe10:2b3c"],
             "account_id": "123456789012", "region": "us-east-1", "outcome": "success"},
        ],
    },
    {
        # account-id is the owner of the interface, which in a shared VPC differs from the
        # account that owns the flow log (and the S3 key); for an interface created by an AWS
        # service (a VPC endpoint here) it may be 'unknown'.
        "name": "v3 shared VPC participant and unknown account",
        "key": "AWSLogs/111122223333/vpcflowlogs/eu-central-1/2025/09/09/"
               "111122223333_vpcflowlogs_eu-central-1_fl-0d4e5f6a7b8c9d0e1_20250909T1640Z_6b5a4c3d.log.gz",
        "content": V2 + " vpc-id subnet-id instance-id\n"
                   "3 444455556666 eni-0c9d8e7f6a5b4c3d2 10.50.1.20 10.50.2.30 45500 8443 6 16 3020 1757436002 1757436061 ACCEPT OK vpc-0a0b0c0d0e0f01020 subnet-0a1a2b3b4c5c6d7d8 i-0fedcba9876543210\n"
                   "3 unknown eni-0d1e2f3a4b5c6d7e8 10.50.3.40 10.50.1.20 443 45510 6 8 2900 1757436003 1757436062 ACCEPT OK vpc-0a0b0c0d0e0f01020 subnet-0a1a2b3b4c5c6d7d8 -\n",
        "records": [
            {"version": 3, "account_id": "444455556666", "interface_id": "eni-0c9d8e7f6a5b4c3d2",
             "srcaddr": "10.50.1.20", "dstaddr": "10.50.2.30", "srcport": 45500, "dstport": 8443,
             "protocol": 6, "packets": 16, "bytes": 3020, "start": 1757436002, "end": 1757436061,
             "action": "ACCEPT", "log_status": "OK", "vpc_id": "vpc-0a0b0c0d0e0f01020",
             "subnet_id": "subnet-0a1a2b3b4c5c6d7d8", "instance_id": "i-0fedcba9876543210"},
            {"version": 3, "account_id": "unknown", "interface_id": "eni-0d1e2f3a4b5c6d7e8",
             "srcaddr": "10.50.3.40", "dstaddr": "10.50.1.20", "srcport": 443, "dstport": 45510,
             "protocol": 6, "packets": 8, "bytes": 2900, "start": 1757436003, "end": 1757436062,
             "action": "ACCEPT", "log_status": "OK", "vpc_id": "vpc-0a0b0c0d0e0f01020",
             "subnet_id": "subnet-0a1a2b3b4c5c6d7d8", "instance_id": None},
        ],
        "common": [
            {"ts": "2025-09-09 16:40:02.000", "src_ip": "10.50.1.20", "ips": ["10.50.1.20", "10.50.2.30"],
             "account_id": "444455556666", "region": "eu-central-1", "outcome": "success"},
            {"ts": "2025-09-09 16:40:03.000", "src_ip": "10.50.3.40", "ips": ["10.50.3.40", "10.50.1.20"],
             "region": "eu-central-1", "outcome": "success"},
        ],
    },
    # ------------------------------------------------------------------ version 7 .. 11
    {
        # Version 7 ECS fields. On Fargate the container-instance fields are '-'; a task not
        # started by a service has ecs-service-name '-'; ecs-second-container-id is set only
        # when the task has more than one container.
        "name": "v7 ECS fields Fargate and EC2 tasks",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/07/09/"
               "123456789012_vpcflowlogs_us-east-1_fl-0e5f6a7b8c9d0e1f2_20240709T2140Z_2d3c4b5a.log.gz",
        "content": V2 + " " + ECS + "\n"
                   "7 123456789012 eni-0a7b6c5d4e3f20191 10.0.4.25 10.0.5.80 41822 5432 6 18 2600 1720561203 1720561262 ACCEPT OK "
                   "arn:aws:ecs:us-east-1:123456789012:cluster/web-cluster web-cluster - - "
                   "3f9a1c5e7b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a - web-svc "
                   "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7 "
                   "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/0f1e2d3c4b5a49687f8e9d0c1b2a3948 "
                   "0f1e2d3c4b5a49687f8e9d0c1b2a3948\n"
                   "7 123456789012 eni-0b1c2d3e4f5a6b7c8 10.0.6.12 10.0.5.80 50110 5432 6 7 980 1720561210 1720561269 ACCEPT OK "
                   "arn:aws:ecs:us-east-1:123456789012:cluster/batch-cluster batch-cluster "
                   "arn:aws:ecs:us-east-1:123456789012:container-instance/batch-cluster/5d8f0a2b4c6e48a1b3d5f7092a4c6e81 "
                   "5d8f0a2b4c6e48a1b3d5f7092a4c6e81 "
                   "b7e2d9f4a1c6e3b8d5f2a9c4e1b6d3f8a5c2e9b4d1f6a3c8e5b2d9f4a1c6e3b8 "
                   "6c1a8e3f5b0d2a7c9e4f1b6d8a3c5e0f2b7d9a4c6e1f3b8d0a5c7e2f4b9d1a6c - "
                   "arn:aws:ecs:us-east-1:123456789012:task-definition/report-job:3 "
                   "arn:aws:ecs:us-east-1:123456789012:task/batch-cluster/9a8b7c6d5e4f43218a9b0c1d2e3f4a5b "
                   "9a8b7c6d5e4f43218a9b0c1d2e3f4a5b\n",
        "records": [
            {"version": 7, "account_id": "123456789012", "interface_id": "eni-0a7b6c5d4e3f20191",
             "srcaddr": "10.0.4.25", "dstaddr": "10.0.5.80", "srcport": 41822, "dstport": 5432,
             "protocol": 6, "packets": 18, "bytes": 2600, "start": 1720561203, "end": 1720561262,
             "action": "ACCEPT", "log_status": "OK",
             "ecs_cluster_arn": "arn:aws:ecs:us-east-1:123456789012:cluster/web-cluster",
             "ecs_cluster_name": "web-cluster", "ecs_container_instance_arn": None,
             "ecs_container_instance_id": None,
             "ecs_container_id": "3f9a1c5e7b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a",
             "ecs_second_container_id": None, "ecs_service_name": "web-svc",
             "ecs_task_definition_arn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
             "ecs_task_arn": "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/0f1e2d3c4b5a49687f8e9d0c1b2a3948",
             "ecs_task_id": "0f1e2d3c4b5a49687f8e9d0c1b2a3948"},
            {"version": 7, "account_id": "123456789012", "interface_id": "eni-0b1c2d3e4f5a6b7c8",
             "srcaddr": "10.0.6.12", "dstaddr": "10.0.5.80", "srcport": 50110, "dstport": 5432,
             "protocol": 6, "packets": 7, "bytes": 980, "start": 1720561210, "end": 1720561269,
             "action": "ACCEPT", "log_status": "OK",
             "ecs_cluster_arn": "arn:aws:ecs:us-east-1:123456789012:cluster/batch-cluster",
             "ecs_cluster_name": "batch-cluster",
             "ecs_container_instance_arn": "arn:aws:ecs:us-east-1:123456789012:container-instance/batch-cluster/5d8f0a2b4c6e48a1b3d5f7092a4c6e81",
             "ecs_container_instance_id": "5d8f0a2b4c6e48a1b3d5f7092a4c6e81",
             "ecs_container_id": "b7e2d9f4a1c6e3b8d5f2a9c4e1b6d3f8a5c2e9b4d1f6a3c8e5b2d9f4a1c6e3b8",
             "ecs_second_container_id": "6c1a8e3f5b0d2a7c9e4f1b6d8a3c5e0f2b7d9a4c6e1f3b8d0a5c7e2f4b9d1a6c",
             "ecs_service_name": None,
             "ecs_task_definition_arn": "arn:aws:ecs:us-east-1:123456789012:task-definition/report-job:3",
             "ecs_task_arn": "arn:aws:ecs:us-east-1:123456789012:task/batch-cluster/9a8b7c6d5e4f43218a9b0c1d2e3f4a5b",
             "ecs_task_id": "9a8b7c6d5e4f43218a9b0c1d2e3f4a5b"},
        ],
        "common": [
            {"ts": "2024-07-09 21:40:03.000", "src_ip": "10.0.4.25", "action": "ACCEPT",
             "ips": ["10.0.4.25", "10.0.5.80"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "success"},
            {"ts": "2024-07-09 21:40:10.000", "src_ip": "10.0.6.12", "action": "ACCEPT",
             "ips": ["10.0.6.12", "10.0.5.80"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "success"},
        ],
    },
    {
        # Version 8 reject-reason: 'BPA' when VPC Block Public Access rejected the traffic,
        # '-' for any other reason (a security group here) and for accepted traffic.
        # Records for traffic blocked by BPA carry no byte count ('-').
        "name": "v8 reject-reason BPA",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/01/07/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20250107T1000Z_90fe12ab.log.gz",
        "content": V2 + " flow-direction reject-reason\n"
                   "8 123456789012 eni-04c7e2a9b1d3f5e68 192.0.2.45 10.0.1.15 51234 443 6 3 - 1736244001 1736244059 REJECT OK ingress BPA\n"
                   "8 123456789012 eni-04c7e2a9b1d3f5e68 203.0.113.99 10.0.1.15 60000 23 6 1 44 1736244004 1736244062 REJECT OK ingress -\n"
                   "8 123456789012 eni-04c7e2a9b1d3f5e68 10.0.1.15 10.0.2.41 39000 6379 6 5 410 1736244007 1736244066 ACCEPT OK egress -\n",
        "records": [
            {"version": 8, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "192.0.2.45", "dstaddr": "10.0.1.15", "srcport": 51234, "dstport": 443,
             "protocol": 6, "packets": 3, "bytes": None, "start": 1736244001, "end": 1736244059,
             "action": "REJECT", "log_status": "OK", "flow_direction": "ingress",
             "reject_reason": "BPA"},
            {"version": 8, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "203.0.113.99", "dstaddr": "10.0.1.15", "srcport": 60000, "dstport": 23,
             "protocol": 6, "packets": 1, "bytes": 44, "start": 1736244004, "end": 1736244062,
             "action": "REJECT", "log_status": "OK", "flow_direction": "ingress",
             "reject_reason": None},
            {"version": 8, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "10.0.1.15", "dstaddr": "10.0.2.41", "srcport": 39000, "dstport": 6379,
             "protocol": 6, "packets": 5, "bytes": 410, "start": 1736244007, "end": 1736244066,
             "action": "ACCEPT", "log_status": "OK", "flow_direction": "egress",
             "reject_reason": None},
        ],
        "common": [
            {"ts": "2025-01-07 10:00:01.000", "src_ip": "192.0.2.45", "action": "REJECT",
             "ips": ["192.0.2.45", "10.0.1.15"], "outcome": "failure"},
            {"ts": "2025-01-07 10:00:04.000", "src_ip": "203.0.113.99", "action": "REJECT",
             "ips": ["203.0.113.99", "10.0.1.15"], "outcome": "failure"},
            {"ts": "2025-01-07 10:00:07.000", "src_ip": "10.0.1.15", "action": "ACCEPT",
             "ips": ["10.0.1.15", "10.0.2.41"], "outcome": "success"},
        ],
    },
    {
        # Version 9 resource-id: for traffic of a regional NAT gateway, interface-id is '-' and
        # resource-id holds the NAT gateway ID.
        "name": "v9 resource-id regional NAT gateway",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/12/02/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20251202T0420Z_5e6f7a8b.log.gz",
        "content": V2 + " resource-id\n"
                   "9 123456789012 - 10.0.1.15 198.51.100.140 44321 443 6 11 1480 1764649202 1764649261 ACCEPT OK nat-0a1b2c3d4e5f67890\n"
                   "9 123456789012 - 198.51.100.140 10.0.1.15 443 44321 6 9 5120 1764649202 1764649261 ACCEPT OK nat-0a1b2c3d4e5f67890\n",
        "records": [
            {"version": 9, "account_id": "123456789012", "interface_id": None,
             "srcaddr": "10.0.1.15", "dstaddr": "198.51.100.140", "srcport": 44321, "dstport": 443,
             "protocol": 6, "packets": 11, "bytes": 1480, "start": 1764649202, "end": 1764649261,
             "action": "ACCEPT", "log_status": "OK", "resource_id": "nat-0a1b2c3d4e5f67890"},
            {"version": 9, "account_id": "123456789012", "interface_id": None,
             "srcaddr": "198.51.100.140", "dstaddr": "10.0.1.15", "srcport": 443, "dstport": 44321,
             "protocol": 6, "packets": 9, "bytes": 5120, "start": 1764649202, "end": 1764649261,
             "action": "ACCEPT", "log_status": "OK", "resource_id": "nat-0a1b2c3d4e5f67890"},
        ],
        "common": [
            {"ts": "2025-12-02 04:20:02.000", "src_ip": "10.0.1.15", "ips": ["10.0.1.15", "198.51.100.140"],
             "account_id": "123456789012", "region": "us-east-1", "outcome": "success"},
            {"ts": "2025-12-02 04:20:02.000", "src_ip": "198.51.100.140", "ips": ["198.51.100.140", "10.0.1.15"],
             "account_id": "123456789012", "region": "us-east-1", "outcome": "success"},
        ],
    },
    {
        # Every field up to version 10, in table order. encryption-status: 0 not encrypted,
        # 1 Nitro-encrypted, 2 application-encrypted (e.g. TCP 443 to a gateway endpoint),
        # 3 both, '-' unknown or encryption controls off. traffic-path 1 = same VPC,
        # 7 = gateway VPC endpoint.
        "name": "v10 all fields in table order with encryption-status",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/12/02/"
               "123456789012_vpcflowlogs_us-east-1_fl-0f0e1d2c3b4a59687_20251202T0425Z_a1b2c3d4.log.gz",
        "content": V10_ALL + "\n"
                   "10 123456789012 eni-0c1d2e3f405162738 10.0.0.62 10.0.3.7 48022 5432 6 25 4800 1764649502 1764649560 ACCEPT OK "
                   "vpc-0e1f2a3b4c5d6e7f8 subnet-01a2b3c4d5e6f7a8b i-0123456789abcdef0 2 IPv4 10.0.0.62 10.0.3.7 "
                   "us-east-1 use1-az4 - - - - egress 1 - - - - - - - - - - - - 1\n"
                   "10 123456789012 eni-0c1d2e3f405162738 10.0.0.62 52.216.10.20 48110 443 6 40 9100 1764649505 1764649563 ACCEPT OK "
                   "vpc-0e1f2a3b4c5d6e7f8 subnet-01a2b3c4d5e6f7a8b i-0123456789abcdef0 3 IPv4 10.0.0.62 52.216.10.20 "
                   "us-east-1 use1-az4 - - - S3 egress 7 - - - - - - - - - - - - 2\n",
        "records": [
            dict({"version": 10, "account_id": "123456789012", "interface_id": "eni-0c1d2e3f405162738",
                  "srcaddr": "10.0.0.62", "dstaddr": "10.0.3.7", "srcport": 48022, "dstport": 5432,
                  "protocol": 6, "packets": 25, "bytes": 4800, "start": 1764649502, "end": 1764649560,
                  "action": "ACCEPT", "log_status": "OK", "vpc_id": "vpc-0e1f2a3b4c5d6e7f8",
                  "subnet_id": "subnet-01a2b3c4d5e6f7a8b", "instance_id": "i-0123456789abcdef0",
                  "tcp_flags": 2, "type": "IPv4", "pkt_srcaddr": "10.0.0.62", "pkt_dstaddr": "10.0.3.7",
                  "region": "us-east-1", "az_id": "use1-az4", "sublocation_type": None,
                  "sublocation_id": None, "pkt_src_aws_service": None, "pkt_dst_aws_service": None,
                  "flow_direction": "egress", "traffic_path": 1},
                 **NO_ECS, reject_reason=None, resource_id=None, encryption_status=1),
            dict({"version": 10, "account_id": "123456789012", "interface_id": "eni-0c1d2e3f405162738",
                  "srcaddr": "10.0.0.62", "dstaddr": "52.216.10.20", "srcport": 48110, "dstport": 443,
                  "protocol": 6, "packets": 40, "bytes": 9100, "start": 1764649505, "end": 1764649563,
                  "action": "ACCEPT", "log_status": "OK", "vpc_id": "vpc-0e1f2a3b4c5d6e7f8",
                  "subnet_id": "subnet-01a2b3c4d5e6f7a8b", "instance_id": "i-0123456789abcdef0",
                  "tcp_flags": 3, "type": "IPv4", "pkt_srcaddr": "10.0.0.62", "pkt_dstaddr": "52.216.10.20",
                  "region": "us-east-1", "az_id": "use1-az4", "sublocation_type": None,
                  "sublocation_id": None, "pkt_src_aws_service": None, "pkt_dst_aws_service": "S3",
                  "flow_direction": "egress", "traffic_path": 7},
                 **NO_ECS, reject_reason=None, resource_id=None, encryption_status=2),
        ],
        "common": [
            {"ts": "2025-12-02 04:25:02.000", "src_ip": "10.0.0.62", "action": "ACCEPT",
             "ips": ["10.0.0.62", "10.0.3.7"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "success"},
            {"ts": "2025-12-02 04:25:05.000", "src_ip": "10.0.0.62", "action": "ACCEPT",
             "ips": ["10.0.0.62", "52.216.10.20"], "account_id": "123456789012",
             "region": "us-east-1", "outcome": "success"},
        ],
    },
    {
        # Version 11: interface-type of the recording interface, next-hop-* of the interface the
        # flow goes to (egress) or comes from (ingress), and the values of configured tag keys.
        # An instance in apne1-az1 goes out through a NAT gateway in apne1-az4; the second line
        # is the same flow on the NAT gateway's interface (dstaddr: its private address).
        "name": "v11 interface-type next-hop and tag fields",
        "key": "AWSLogs/123456789012/vpcflowlogs/ap-northeast-1/2026/06/15/"
               "123456789012_vpcflowlogs_ap-northeast-1_fl-01f2e3d4c5b6a7980_20260615T1150Z_77e1d0c9.log.gz",
        "content": V2 + " az-id flow-direction interface-type next-hop-interface-id next-hop-subnet-id next-hop-az-id next-hop-vpc-id next-hop-interface-type instance-tag interface-tag\n"
                   "11 123456789012 eni-0e5f6a7b8c9d0e1f2 10.30.1.25 198.51.100.61 52200 443 6 12 2210 1781524203 1781524262 ACCEPT OK apne1-az1 egress - eni-0f6a7b8c9d0e1f2a3 subnet-0a2b4c6d8e0f1a3b5 apne1-az4 vpc-0c3d5e7f9a1b2c4d6 nat_gateway web-prod app-eni\n"
                   "11 123456789012 eni-0f6a7b8c9d0e1f2a3 10.30.1.25 10.30.8.9 52200 443 6 12 2210 1781524204 1781524262 ACCEPT OK apne1-az4 ingress nat_gateway eni-0e5f6a7b8c9d0e1f2 subnet-0b1c2d3e4f5a6b7c8 apne1-az1 vpc-0c3d5e7f9a1b2c4d6 - - -\n",
        "records": [
            {"version": 11, "account_id": "123456789012", "interface_id": "eni-0e5f6a7b8c9d0e1f2",
             "srcaddr": "10.30.1.25", "dstaddr": "198.51.100.61", "srcport": 52200, "dstport": 443,
             "protocol": 6, "packets": 12, "bytes": 2210, "start": 1781524203, "end": 1781524262,
             "action": "ACCEPT", "log_status": "OK", "az_id": "apne1-az1", "flow_direction": "egress",
             "interface_type": None, "next_hop_interface_id": "eni-0f6a7b8c9d0e1f2a3",
             "next_hop_subnet_id": "subnet-0a2b4c6d8e0f1a3b5", "next_hop_az_id": "apne1-az4",
             "next_hop_vpc_id": "vpc-0c3d5e7f9a1b2c4d6", "next_hop_interface_type": "nat_gateway",
             "instance_tag": "web-prod", "interface_tag": "app-eni"},
            {"version": 11, "account_id": "123456789012", "interface_id": "eni-0f6a7b8c9d0e1f2a3",
             "srcaddr": "10.30.1.25", "dstaddr": "10.30.8.9", "srcport": 52200, "dstport": 443,
             "protocol": 6, "packets": 12, "bytes": 2210, "start": 1781524204, "end": 1781524262,
             "action": "ACCEPT", "log_status": "OK", "az_id": "apne1-az4", "flow_direction": "ingress",
             "interface_type": "nat_gateway", "next_hop_interface_id": "eni-0e5f6a7b8c9d0e1f2",
             "next_hop_subnet_id": "subnet-0b1c2d3e4f5a6b7c8", "next_hop_az_id": "apne1-az1",
             "next_hop_vpc_id": "vpc-0c3d5e7f9a1b2c4d6", "next_hop_interface_type": None,
             "instance_tag": None, "interface_tag": None},
        ],
        "common": [
            {"ts": "2026-06-15 11:50:03.000", "src_ip": "10.30.1.25", "ips": ["10.30.1.25", "198.51.100.61"],
             "account_id": "123456789012", "region": "ap-northeast-1", "outcome": "success"},
            {"ts": "2026-06-15 11:50:04.000", "src_ip": "10.30.1.25", "ips": ["10.30.1.25", "10.30.8.9"],
             "account_id": "123456789012", "region": "ap-northeast-1", "outcome": "success"},
        ],
    },
    # ------------------------------------------------------------------ transit gateway (version 6)
    {
        # Transit Gateway flow log records: all 36 fields, version 6, no `action` field (drops
        # show in the packets-lost-* counters instead), so outcome is ''. The second flow is
        # dropped by a blackhole route: no destination VPC, subnet or interface.
        "name": "transit gateway flow log with header",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/03/18/"
               "123456789012_vpcflowlogs_us-east-1_fl-0f1e2d3c4b5a69788_20250318T1745Z_c0ffee12.log.gz",
        "content": TGW + "\n"
                   "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0a1b2c3d4e5f60718 123456789012 210987654321 "
                   "vpc-0e1f2a3b4c5d6e7f8 vpc-0d4c3b2a1f0e9d8c7 subnet-01a2b3c4d5e6f7a8b subnet-0f9e8d7c6b5a43210 "
                   "eni-0a1b2c3d4e5f6a7b8 eni-0b2c3d4e5f6a7b8c9 use1-az1 use1-az2 tgw-attach-0b2c3d4e5f6a7b8c9 "
                   "10.0.1.15 10.40.2.236 39812 80 6 10 1200 1742319902 1742319960 OK IPv4 0 0 0 0 19 us-east-1 ingress - -\n"
                   "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0a1b2c3d4e5f60718 123456789012 - "
                   "vpc-0e1f2a3b4c5d6e7f8 - subnet-01a2b3c4d5e6f7a8b - "
                   "eni-0a1b2c3d4e5f6a7b8 - use1-az1 - - "
                   "10.0.1.15 172.16.9.9 40100 443 6 4 240 1742319905 1742319963 OK IPv4 0 4 0 0 2 us-east-1 ingress - -\n",
        "records": [
            {"version": 6, "resource_type": "TransitGateway", "account_id": "123456789012",
             "tgw_id": "tgw-0123456789abcdef0", "tgw_attachment_id": "tgw-attach-0a1b2c3d4e5f60718",
             "tgw_src_vpc_account_id": "123456789012", "tgw_dst_vpc_account_id": "210987654321",
             "tgw_src_vpc_id": "vpc-0e1f2a3b4c5d6e7f8", "tgw_dst_vpc_id": "vpc-0d4c3b2a1f0e9d8c7",
             "tgw_src_subnet_id": "subnet-01a2b3c4d5e6f7a8b", "tgw_dst_subnet_id": "subnet-0f9e8d7c6b5a43210",
             "tgw_src_eni": "eni-0a1b2c3d4e5f6a7b8", "tgw_dst_eni": "eni-0b2c3d4e5f6a7b8c9",
             "tgw_src_az_id": "use1-az1", "tgw_dst_az_id": "use1-az2",
             "tgw_pair_attachment_id": "tgw-attach-0b2c3d4e5f6a7b8c9",
             "srcaddr": "10.0.1.15", "dstaddr": "10.40.2.236", "srcport": 39812, "dstport": 80,
             "protocol": 6, "packets": 10, "bytes": 1200, "start": 1742319902, "end": 1742319960,
             "log_status": "OK", "type": "IPv4", "packets_lost_no_route": 0,
             "packets_lost_blackhole": 0, "packets_lost_mtu_exceeded": 0,
             "packets_lost_ttl_expired": 0, "tcp_flags": 19, "region": "us-east-1",
             "flow_direction": "ingress", "pkt_src_aws_service": None, "pkt_dst_aws_service": None},
            {"version": 6, "resource_type": "TransitGateway", "account_id": "123456789012",
             "tgw_id": "tgw-0123456789abcdef0", "tgw_attachment_id": "tgw-attach-0a1b2c3d4e5f60718",
             "tgw_src_vpc_account_id": "123456789012", "tgw_dst_vpc_account_id": None,
             "tgw_src_vpc_id": "vpc-0e1f2a3b4c5d6e7f8", "tgw_dst_vpc_id": None,
             "tgw_src_subnet_id": "subnet-01a2b3c4d5e6f7a8b", "tgw_dst_subnet_id": None,
             "tgw_src_eni": "eni-0a1b2c3d4e5f6a7b8", "tgw_dst_eni": None,
             "tgw_src_az_id": "use1-az1", "tgw_dst_az_id": None, "tgw_pair_attachment_id": None,
             "srcaddr": "10.0.1.15", "dstaddr": "172.16.9.9", "srcport": 40100, "dstport": 443,
             "protocol": 6, "packets": 4, "bytes": 240, "start": 1742319905, "end": 1742319963,
             "log_status": "OK", "type": "IPv4", "packets_lost_no_route": 0,
             "packets_lost_blackhole": 4, "packets_lost_mtu_exceeded": 0,
             "packets_lost_ttl_expired": 0, "tcp_flags": 2, "region": "us-east-1",
             "flow_direction": "ingress", "pkt_src_aws_service": None, "pkt_dst_aws_service": None},
        ],
        "common": [
            {"ts": "2025-03-18 17:45:02.000", "src_ip": "10.0.1.15", "ips": ["10.0.1.15", "10.40.2.236"],
             "account_id": "123456789012", "region": "us-east-1", "outcome": ""},
            {"ts": "2025-03-18 17:45:05.000", "src_ip": "10.0.1.15", "ips": ["10.0.1.15", "172.16.9.9"],
             "account_id": "123456789012", "region": "us-east-1", "outcome": ""},
        ],
    },
    # ------------------------------------------------------------------ framing and damage
    {
        # Line 3 lost its last field; line 4 has a word where dstport needs a number.
        "name": "malformed lines among good ones",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/04/30/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20250430T1900Z_0d0e0f10.log.gz",
        "content": V2 + "\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 10.0.1.15 10.0.2.41 40001 6379 6 5 410 1746039601 1746039660 ACCEPT OK\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 10.0.1.15 10.0.2.41 40002 6379 6 5 410 1746039601 1746039660 ACCEPT\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 10.0.1.15 10.0.2.41 40003 http 6 5 410 1746039601 1746039660 ACCEPT OK\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 10.0.2.41 10.0.1.15 6379 40001 6 4 388 1746039602 1746039661 ACCEPT OK\n",
        "records": [
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "10.0.1.15", "dstaddr": "10.0.2.41", "srcport": 40001, "dstport": 6379,
             "protocol": 6, "packets": 5, "bytes": 410, "start": 1746039601, "end": 1746039660,
             "action": "ACCEPT", "log_status": "OK"},
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "10.0.2.41", "dstaddr": "10.0.1.15", "srcport": 6379, "dstport": 40001,
             "protocol": 6, "packets": 4, "bytes": 388, "start": 1746039602, "end": 1746039661,
             "action": "ACCEPT", "log_status": "OK"},
        ],
        "common": [
            {"ts": "2025-04-30 19:00:01.000", "src_ip": "10.0.1.15", "ips": ["10.0.1.15", "10.0.2.41"]},
            {"ts": "2025-04-30 19:00:02.000", "src_ip": "10.0.2.41", "ips": ["10.0.2.41", "10.0.1.15"]},
        ],
        "errors": [(3, "field"), (4, "dstport")],
    },
    {
        # UDP (17) DNS to a self-managed server; the object ends with an extra empty line.
        "name": "empty trailing line",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/05/05/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20250505T0505Z_1a2b3c4d.log.gz",
        "content": V2 + "\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 10.0.1.15 10.0.2.41 40010 53 17 2 140 1746421501 1746421560 ACCEPT OK\n"
                   "2 123456789012 eni-04c7e2a9b1d3f5e68 10.0.2.41 10.0.1.15 53 40010 17 2 320 1746421501 1746421560 ACCEPT OK\n"
                   "\n",
        "records": [
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "10.0.1.15", "dstaddr": "10.0.2.41", "srcport": 40010, "dstport": 53,
             "protocol": 17, "packets": 2, "bytes": 140, "start": 1746421501, "end": 1746421560,
             "action": "ACCEPT", "log_status": "OK"},
            {"version": 2, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "10.0.2.41", "dstaddr": "10.0.1.15", "srcport": 53, "dstport": 40010,
             "protocol": 17, "packets": 2, "bytes": 320, "start": 1746421501, "end": 1746421560,
             "action": "ACCEPT", "log_status": "OK"},
        ],
        "common": [
            {"ts": "2025-05-05 05:05:01.000", "src_ip": "10.0.1.15", "outcome": "success"},
            {"ts": "2025-05-05 05:05:01.000", "src_ip": "10.0.2.41", "outcome": "success"},
        ],
        "errors": [],
    },
    {
        "name": "CRLF line ends",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/08/08/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20250808T0810Z_e5f6a7b8.log.gz",
        "content": V2 + " tcp-flags\r\n"
                   "3 123456789012 eni-04c7e2a9b1d3f5e68 198.51.100.23 10.0.1.15 50600 443 6 6 620 1754640601 1754640660 ACCEPT OK 2\r\n"
                   "3 123456789012 eni-04c7e2a9b1d3f5e68 10.0.1.15 198.51.100.23 443 50600 6 5 3900 1754640601 1754640660 ACCEPT OK 18\r\n",
        "records": [
            {"version": 3, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "198.51.100.23", "dstaddr": "10.0.1.15", "srcport": 50600, "dstport": 443,
             "protocol": 6, "packets": 6, "bytes": 620, "start": 1754640601, "end": 1754640660,
             "action": "ACCEPT", "log_status": "OK", "tcp_flags": 2},
            {"version": 3, "account_id": "123456789012", "interface_id": "eni-04c7e2a9b1d3f5e68",
             "srcaddr": "10.0.1.15", "dstaddr": "198.51.100.23", "srcport": 443, "dstport": 50600,
             "protocol": 6, "packets": 5, "bytes": 3900, "start": 1754640601, "end": 1754640660,
             "action": "ACCEPT", "log_status": "OK", "tcp_flags": 18},
        ],
        "common": [
            {"ts": "2025-08-08 08:10:01.000", "src_ip": "198.51.100.23", "action": "ACCEPT",
             "ips": ["198.51.100.23", "10.0.1.15"], "outcome": "success"},
            {"ts": "2025-08-08 08:10:01.000", "src_ip": "10.0.1.15", "action": "ACCEPT",
             "ips": ["10.0.1.15", "198.51.100.23"], "outcome": "success"},
        ],
        "errors": [],
    },
    {
        "name": "header only without records",
        "key": "AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/05/05/"
               "123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20250505T0510Z_9f8e7d6c.log.gz",
        "content": V2 + "\n",
        "records": [],
        "common": [],
        "errors": [],
    },
    {
        # Hive-compatible S3 prefixes with hourly partitions; the custom format has neither
        # account-id nor region nor version, so account and region come from the key.
        "name": "hive-compatible hourly key and minimal custom format",
        "key": "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/"
               "year=2025/month=10/day=10/hour=10/"
               "123456789012_vpcflowlogs_eu-west-1_fl-07c3d2e1f0a9b8c7d_20251010T1010Z_5a4b3c2d.log.gz",
        "content": "srcaddr dstaddr srcport dstport protocol start end action\n"
                   "10.20.1.5 198.51.100.5 40500 443 6 1760091001 1760091060 ACCEPT\n"
                   "198.51.100.9 10.20.1.5 51515 22 6 1760091003 1760091062 REJECT\n",
        "records": [
            {"srcaddr": "10.20.1.5", "dstaddr": "198.51.100.5", "srcport": 40500, "dstport": 443,
             "protocol": 6, "start": 1760091001, "end": 1760091060, "action": "ACCEPT"},
            {"srcaddr": "198.51.100.9", "dstaddr": "10.20.1.5", "srcport": 51515, "dstport": 22,
             "protocol": 6, "start": 1760091003, "end": 1760091062, "action": "REJECT"},
        ],
        "common": [
            {"ts": "2025-10-10 10:10:01.000", "src_ip": "10.20.1.5", "action": "ACCEPT",
             "ips": ["10.20.1.5", "198.51.100.5"], "account_id": "123456789012",
             "region": "eu-west-1", "outcome": "success"},
            {"ts": "2025-10-10 10:10:03.000", "src_ip": "198.51.100.9", "action": "REJECT",
             "ips": ["198.51.100.9", "10.20.1.5"], "account_id": "123456789012",
             "region": "eu-west-1", "outcome": "failure"},
        ],
    },
]
