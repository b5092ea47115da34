import ipaddress

import pytest

from actions.runner.guard import Allowlist, TargetRefused, check_target, classify_entry, is_public


async def _no_dns(host: str, port: int) -> list[str]:
    raise OSError("no DNS in unit tests")


class TestIsPublic:
    @pytest.mark.parametrize(
        "address",
        [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1",
        ],
    )
    def test_non_public_addresses(self, address: str) -> None:
        assert not is_public(ipaddress.ip_address(address))

    @pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])
    def test_public_addresses(self, address: str) -> None:
        assert is_public(ipaddress.ip_address(address))


class TestClassifyEntry:
    @pytest.mark.parametrize(
        ("entry", "expected"),
        [
            ("10.1.2.3/16", ("cidr", "10.1.0.0/16")),
            ("10.1.2.3", ("cidr", "10.1.2.3/32")),
            ("fd00::/8", ("cidr", "fd00::/8")),
            ("ERP.internal.", ("host", "erp.internal")),
        ],
    )
    def test_valid(self, entry: str, expected: tuple[str, str]) -> None:
        assert classify_entry(entry) == expected

    @pytest.mark.parametrize("entry", ["", "a b", "-bad.host", "x" * 300, "http://x"])
    def test_invalid(self, entry: str) -> None:
        with pytest.raises(ValueError):
            classify_entry(entry)


class TestCheckTarget:
    async def test_a_public_literal_passes_and_is_pinned(self) -> None:
        target = await check_target(
            "https://93.184.216.34/x", Allowlist(), allow_private=False, resolver=_no_dns
        )
        assert (target.address, target.port) == ("93.184.216.34", 443)

    async def test_one_private_answer_among_public_ones_refuses(self) -> None:
        async def mixed(host: str, port: int) -> list[str]:
            return ["93.184.216.34", "10.0.0.7"]

        with pytest.raises(TargetRefused, match=r"10\.0\.0\.7"):
            await check_target("http://mixed.example/", Allowlist(), allow_private=False, resolver=mixed)

    async def test_an_unresolvable_host_refuses(self) -> None:
        with pytest.raises(TargetRefused, match="does not resolve"):
            await check_target("http://nowhere.example/", Allowlist(), allow_private=False, resolver=_no_dns)

    async def test_credentials_in_the_url_refuse(self) -> None:
        with pytest.raises(TargetRefused, match="credentials"):
            await check_target(
                "http://u:p@93.184.216.34/", Allowlist(), allow_private=False, resolver=_no_dns
            )

    async def test_the_allowlist_permits_its_networks_only(self) -> None:
        allow = Allowlist.parse(["10.1.0.0/16"])
        await check_target("http://10.1.9.9/", allow, allow_private=False, resolver=_no_dns)
        with pytest.raises(TargetRefused):
            await check_target("http://10.2.0.1/", allow, allow_private=False, resolver=_no_dns)

    async def test_with_private_targets_on_a_company_allowlist_still_decides(self) -> None:
        allow = Allowlist.parse(["127.0.0.1/32"])
        target = await check_target("http://127.0.0.1:9900/", allow, allow_private=True, resolver=_no_dns)
        assert target.address == "127.0.0.1"
        for url in ("http://[::1]:9900/", "http://127.0.0.2/", "http://10.0.0.1/"):
            with pytest.raises(TargetRefused):
                await check_target(url, allow, allow_private=True, resolver=_no_dns)

    async def test_with_private_targets_on_and_no_allowlist_loopback_is_reachable(self) -> None:
        for url in ("http://127.0.0.1:9900/", "http://[::1]:9900/"):
            await check_target(url, Allowlist(), allow_private=True, resolver=_no_dns)
