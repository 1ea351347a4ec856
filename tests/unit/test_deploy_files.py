"""deploy/k8s and deploy/systemd agree with backtrail and with each other: the sources file loads,
every command line parses, KEDA scales on the sources file's backfill queues at its policy's rate."""
from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import yaml

from backtrail import cli
from backtrail.core.config import load_config
from backtrail.ingest.scaling import Policy
from backtrail.logtypes.registry import LOG_TYPES

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _docs() -> dict[tuple[str, str], dict]:
    docs = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if path.name == "kustomization.yaml":
                continue
            assert doc["apiVersion"] and doc["metadata"]["name"], path
            docs[(doc["kind"], doc["metadata"]["name"])] = doc
    return docs


DOCS = _docs()


def _config(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(DOCS[("ConfigMap", "backtrail-sources")]["data"]["sources.toml"])
    return load_config(str(path), known_types=LOG_TYPES)


def _pod(name: str) -> dict:
    return DOCS[("Deployment", name)]["spec"]["template"]["spec"]


def test_kustomization_lists_every_manifest() -> None:
    listed = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(p.name for p in (DEPLOY / "k8s").glob("*.yaml") if p.name != "kustomization.yaml")


def test_the_scaled_object_scales_on_the_backfill_queues_at_the_policy_rate(tmp_path) -> None:
    config = _config(tmp_path)
    policy = Policy.of(config.scaling)
    scaled = DOCS[("ScaledObject", "backtrail-worker")]["spec"]
    triggers = scaled["triggers"]
    assert {t["type"] for t in triggers} == {"aws-sqs-queue"}
    assert sorted(t["metadata"]["queueURL"] for t in triggers) == sorted(
        q.url for s in config.sources for q in s.backfill)
    assert {t["metadata"]["queueLength"] for t in triggers} == {str(policy.queue_length)}
    assert {t["metadata"]["awsRegion"] for t in triggers} == {config.aws.region}
    assert (scaled["minReplicaCount"], scaled["maxReplicaCount"]) == (policy.min_workers, policy.max_workers)
    behavior = scaled["advanced"]["horizontalPodAutoscalerConfig"]["behavior"]
    assert behavior["scaleDown"]["stabilizationWindowSeconds"] == policy.scale_down_after_s
    assert scaled["scaleTargetRef"]["name"] in {name for kind, name in DOCS if kind == "Deployment"}
    auth = {t["authenticationRef"]["name"] for t in triggers}
    assert auth == {name for kind, name in DOCS if kind == "TriggerAuthentication"}


def test_the_worker_waits_out_its_batches_and_runs_a_command_backtrail_knows(tmp_path) -> None:
    config = _config(tmp_path)
    worker = _pod("backtrail-worker")
    assert worker["terminationGracePeriodSeconds"] == config.worker.visibility_timeout
    for name in ("backtrail-worker", "backtrail-server"):
        pod = _pod(name)
        container = pod["containers"][0]
        args = cli._parser().parse_args(container["args"])  # an unknown flag would exit here
        mount = next(m["mountPath"] for m in container["volumeMounts"] if m["name"] == "sources")
        assert args.config == f"{mount}/sources.toml"
        volume = next(v for v in pod["volumes"] if v["name"] == "sources")
        assert ("ConfigMap", volume["configMap"]["name"]) in DOCS
        assert ("ServiceAccount", pod["serviceAccountName"]) in DOCS
        for env in container["env"]:
            if "valueFrom" in env:
                ref = env["valueFrom"]["secretKeyRef"]
                assert ref["key"] in DOCS[("Secret", ref["name"])]["stringData"], env
        assert {e["name"] for e in container["env"]} >= {"BACKTRAIL_STORE"}
        assert pod["securityContext"]["runAsUser"] == 10001 and pod["securityContext"]["runAsNonRoot"]
    assert cli._parser().parse_args(_pod("backtrail-worker")["containers"][0]["args"]).run is cli.cmd_worker
    service = DOCS[("Service", "backtrail")]["spec"]
    server = _pod("backtrail-server")["containers"][0]
    assert service["ports"][0]["targetPort"] == server["ports"][0]["name"]
    assert int(server["args"][server["args"].index("--port") + 1]) == server["ports"][0]["containerPort"]


def test_the_image_runs_backtrail_as_the_pods_user() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["backtrail"]' in dockerfile and "USER 10001" in dockerfile


def test_systemd_units_run_commands_backtrail_knows_with_hardening() -> None:
    for name, command in (("backtrail-worker.service", cli.cmd_worker), ("backtrail-serve.service", cli.cmd_serve)):
        unit = configparser.ConfigParser(interpolation=None, strict=True)
        unit.optionxform = str  # systemd keys are case-sensitive
        unit.read(DEPLOY / "systemd" / name)
        service = unit["Service"]
        argv = shlex.split(service["ExecStart"])
        assert argv[0].endswith("/backtrail")
        assert cli._parser().parse_args(argv[1:]).run is command
        assert int(service["TimeoutStopSec"]) == _pod("backtrail-worker")["terminationGracePeriodSeconds"]
        assert service["KillSignal"] == "SIGTERM" and service["User"] == "backtrail"
        for key, value in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                           ("PrivateTmp", "yes"), ("CapabilityBoundingSet", "")):
            assert service[key] == value, (name, key)
        assert unit["Install"]["WantedBy"] == "multi-user.target"
