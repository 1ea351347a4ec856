"""The sources file: a valid file round-trips, defaults apply, every bad file names the file and the key."""
import dataclasses

import pytest

from backtrail.core.config import AwsConfig, QueueConfig, WorkerConfig, load_config
from backtrail.core.errors import ConfigError

SOURCE = '''
[[sources]]
name = "trail"
type = "cloudtrail"
objects = "s3://trail-bucket/AWSLogs/"
queues = [{ url = "http://127.0.0.1:5000/123456789012/trail-live", role = "live" }]
'''
QUEUES = SOURCE.splitlines()[-1]

FULL = '''
[aws]
endpoint_url = "http://127.0.0.1:5000"
region = "us-east-1"
[store]
data_dir = "./.backtrail"
[worker]
visibility_timeout = 600
max_bytes_in_flight = 1048576
threads = 4
[[sources]]
name = "trail"
type = "cloudtrail"
objects = "s3://trail-bucket/AWSLogs/"
queues = [ { url = "http://127.0.0.1:5000/123456789012/trail-live", role = "live" },
           { url = "sqlite:///abs/path/queue.db?name=trail-backfill", role = "backfill" } ]
max_receives = 7
[[sources]]
name = "flows"
type = "vpcflow"
objects = "file:///data/logs/flows/"
queues = [ { url = "sqlite:///abs/my%20dir/queue.db?name=flows_live", role = "live" } ]
'''


def write(tmp_path, text: str, name: str = "sources.toml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_full_file_round_trip(tmp_path):
    path = write(tmp_path, FULL)
    config = load_config(path, known_types={"cloudtrail", "vpcflow"})
    assert config.path == path
    assert config.aws == AwsConfig(endpoint_url="http://127.0.0.1:5000", region="us-east-1")
    assert config.data_dir == "./.backtrail"
    assert config.worker == WorkerConfig(visibility_timeout=600, max_bytes_in_flight=1048576, threads=4)
    assert [s.name for s in config.sources] == ["trail", "flows"]
    trail = config.source("trail")
    assert (trail.type, trail.objects, trail.max_receives) == ("cloudtrail", "s3://trail-bucket/AWSLogs/", 7)
    assert trail.live == (QueueConfig("http://127.0.0.1:5000/123456789012/trail-live", "live"),)
    assert trail.live[0].kind == "sqs"
    (backfill,) = trail.backfill
    assert (backfill.kind, backfill.sqlite_path, backfill.sqlite_name) == ("sqlite", "/abs/path/queue.db",
                                                                          "trail-backfill")
    flows = config.source("flows")
    assert flows.backfill == () and flows.max_receives == 5
    assert (flows.live[0].sqlite_path, flows.live[0].sqlite_name) == ("/abs/my dir/queue.db", "flows_live")
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.sources = ()  # type: ignore[misc]


def test_defaults(tmp_path):
    config = load_config(write(tmp_path, SOURCE))
    assert config.aws == AwsConfig(None, None)
    assert config.data_dir is None
    assert config.worker == WorkerConfig(visibility_timeout=300, max_bytes_in_flight=256 * 1024 * 1024, threads=2)
    assert config.sources[0].max_receives == 5
    assert config.sources[0].backfill == ()


def test_known_types_come_from_the_caller(tmp_path):
    path = write(tmp_path, SOURCE)
    wanted = r'sources\[0\]\.type: must be "alb", "s3access" or "vpcflow", not "cloudtrail"'
    with pytest.raises(ConfigError, match=wanted):
        load_config(path, known_types={"vpcflow", "s3access", "alb"})
    assert load_config(path, known_types=["alb", "cloudtrail"]).sources[0].type == "cloudtrail"


def test_unknown_source_name_lists_known(tmp_path):
    config = load_config(write(tmp_path, SOURCE))
    with pytest.raises(ConfigError, match=r"sources\.toml: no source named 'nope'; known: trail"):
        config.source("nope")


def test_unreadable_files(tmp_path):
    with pytest.raises(ConfigError, match=r"absent\.toml: cannot read: No such file or directory"):
        load_config(str(tmp_path / "absent.toml"))
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(ConfigError, match=r"dir\.toml: cannot read: Is a directory"):
        load_config(str(tmp_path / "dir.toml"))
    (tmp_path / "latin1.toml").write_bytes(b'x = "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"latin1\.toml: invalid TOML: 'utf-8' codec can't decode"):
        load_config(str(tmp_path / "latin1.toml"))


BAD = [  # ((old, new): an edit of SOURCE, the key path named, words in the message)
    (("[[sources]]", '[[sources]]\nobjecst = "s3://x"'), "sources[0].objecst",
     "unknown key; known: name, type, objects, queues, max_receives"),
    (('role = "live"', 'role = "lvie"'), "sources[0].queues[0].role",
     'must be "live" or "backfill", not "lvie"'),
    (('role = "live" }', 'role = "live", url2 = "x" }'), "sources[0].queues[0].url2",
     "unknown key; known: url, role"),
    (('type = "cloudtrail"\n', ""), "sources[0].type", "required key missing"),
    (('type = "cloudtrail"', 'type = "alb"'), "sources[0].type", 'must be "cloudtrail", not "alb"'),
    (('name = "trail"', 'name = "Trail!"'), "sources[0].name", "must be 1 to 64 of a-z 0-9 _ -, not \"Trail!\""),
    (('name = "trail"', "name = 7"), "sources[0].name", "must be a string, not an integer"),
    (("s3://trail-bucket/AWSLogs/", "file://relative/dir"), "sources[0].objects", "s3://bucket[/prefix]"),
    (("s3://trail-bucket/AWSLogs/", "s3://B/x"), "sources[0].objects", "s3://bucket[/prefix]"),
    (("http://127.0.0.1:5000/123456789012/trail-live", "sqlite://rel/queue.db?name=x"),
     "sources[0].queues[0].url", "sqlite:///abs/path?name=NAME"),
    (("http://127.0.0.1:5000/123456789012/trail-live", "sqlite:///abs/q.db?name=a b"),
     "sources[0].queues[0].url", "sqlite:///abs/path?name=NAME"),
    ((QUEUES, "queues = []"), "sources[0].queues", "must be a non-empty array of tables, not []"),
    ((QUEUES, 'queues = ["http://q/1/a"]'), "sources[0].queues[0]", "must be a table, not a string"),
    (("[[sources]]", "[[sources]]\nmax_receives = 0"), "sources[0].max_receives",
     "must be between 1 and 1000, not 0"),
    (("[[sources]]", "[worker]\nthreads = 17\n[[sources]]"), "worker.threads", "must be between 1 and 16, not 17"),
    (("[[sources]]", "[worker]\nvisibility_timeout = 300.0\n[[sources]]"), "worker.visibility_timeout",
     "must be an integer, not a float"),
    (("[[sources]]", "[worker]\nthreads = true\n[[sources]]"), "worker.threads",
     "must be an integer, not a boolean"),
    (("[[sources]]", "[worker]\nmax_bytes_in_flight = 1000\n[[sources]]"), "worker.max_bytes_in_flight",
     "must be at least 1048576 (1 MiB), not 1000"),
    (("[[sources]]", '[aws]\nendpoint = "http://x"\n[[sources]]'), "aws.endpoint",
     "unknown key; known: endpoint_url, region"),
    (("[[sources]]", '[aws]\nendpoint_url = "127.0.0.1:5000"\n[[sources]]'), "aws.endpoint_url",
     "must be an http(s) URL"),
    (("[[sources]]", 'aws = "us-east-1"\n[[sources]]'), "aws", "must be a table, not a string"),
    (("[[sources]]", '[alerts]\nwebhook = "hooks.example.com"\n[[sources]]'), "alerts.webhook",
     "must be an http(s) URL"),
    (("[[sources]]", '[alerts]\nrules = "rules/"\n[[sources]]'), "alerts.rules", "must be an array"),
    (("[[sources]]", '[stroe]\ndata_dir = "x"\n[[sources]]'), "stroe",
     "unknown key; known: aws, store, worker, alerts, scaling, sources"),
    (("[[sources]]", "[scaling]\nmax_workers = 0\n[[sources]]"), "scaling.max_workers",
     "must be between 1 and 1000, not 0"),
    (("[[sources]]", "[scaling]\nmin_workers = 5\nmax_workers = 4\n[[sources]]"), "scaling.min_workers",
     "must be at most max_workers (4)"),
    (("[[sources]]", "[scaling]\nobjects_per_worker_s = 2.5\n[[sources]]"), "scaling.objects_per_worker_s",
     "must be an integer, not a float"),
    (("[[sources]]", "[scaling]\ndrain_within = 10\n[[sources]]"), "scaling.drain_within",
     "must be between 60 and 604800 (seconds), not 10"),
    (("[[sources]]", "[scaling]\nmax_replicas = 3\n[[sources]]"), "scaling.max_replicas",
     "unknown key; known: min_workers, max_workers, objects_per_worker_s, drain_within, scale_down_after"),
    ((SOURCE, SOURCE + SOURCE.replace("trail-live", "other")), "sources[1].name",
     "duplicate 'trail', already at sources[0].name"),
    ((SOURCE, SOURCE + SOURCE.replace('"trail"', '"other"')), "sources[1].queues[0].url",
     "duplicate 'http://127.0.0.1:5000/123456789012/trail-live', already at sources[0].queues[0].url"),
    ((SOURCE, "sources = []"), "sources", "must be a non-empty array of tables ([[sources]]), not []"),
    ((SOURCE, "[aws]\n"), "sources", "required key missing"),
    ((SOURCE, '[sources]\nname = "x"'), "sources", "must be an array, not a table"),
    ((SOURCE, 'x = "unterminated\n'), "invalid TOML", "(at line 1, column"),
]


@pytest.mark.parametrize("edit, key, words", BAD, ids=[f"{key}:{words[:24]}" for _, key, words in BAD])
def test_rejected_with_file_and_key(tmp_path, edit, key, words):
    old, new = edit
    assert old in SOURCE
    path = write(tmp_path, SOURCE.replace(old, new, 1))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}"), message
    assert words in message, message
