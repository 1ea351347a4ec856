"""Log types by name, and recognition of a type from an object key."""
from __future__ import annotations

from ..core.errors import ConfigError
from .base import LogType
from .alb import LoadBalancer
from .cloudfront import CloudFrontLogs
from .cloudtrail import CloudTrail
from .cloudwatch import CloudWatchSubscription
from .guardduty import GuardDutyFindings
from .ndjson import JsonLines
from .route53resolver import ResolverQueryLogs
from .s3access import S3AccessLogs
from .vpcflow import FlowLogs
from .waf import WafLogs

LOG_TYPES: dict[str, LogType] = {t.name: t for t in (CloudTrail(), LoadBalancer(), FlowLogs(), ResolverQueryLogs(),
                                                       WafLogs(), GuardDutyFindings(), CloudWatchSubscription(),
                                                       S3AccessLogs(), CloudFrontLogs(), JsonLines())}


def get(name: str) -> LogType:
    try:
        return LOG_TYPES[name]
    except KeyError:
        raise ConfigError(f"unknown log type {name!r}; known: {', '.join(sorted(LOG_TYPES))}") from None


def recognise(key: str) -> LogType | None:
    return next((t for t in LOG_TYPES.values() if t.recognises(key)), None)
