"""Token lifecycle, back-off and transport failures against the simulator (HTTP and HTTPS)."""

import asyncio
import hashlib
import ssl

import pytest

from custom_components.reolink_http.api import (
    Command,
    ReolinkAuthError,
    ReolinkCertificateError,
    ReolinkConnectionError,
    ReolinkDeviceOfflineError,
    ReolinkLoginLockedError,
    ReolinkNotSupportedError,
    ReolinkRateLimitError,
    ReolinkResponseError,
    ReolinkSessionLimitError,
    ReolinkTimeoutError,
    ReolinkTokenError,
    commands,
)

from .conftest import SimFactory, api_requests

PASSWORD = "password"


@pytest.fixture(params=[False, True], ids=["http", "https"])
def https(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


async def test_concurrent_calls_share_one_login(
    start_sim: SimFactory, connect: SimFactory, https: bool
) -> None:
    sim = await start_sim(profile="ipc", https=https)
    client = await connect(sim)
    states = await asyncio.gather(*(client.run(commands.get_md_state(0)) for _ in range(20)))
    assert all(not s.motion for s in states)
    assert sim.login_count == 1
    await client.run(commands.get_ai_state(0))
    assert sim.login_count == 1


async def test_token_renewed_before_lease_ends(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc", lease=2.0)
    client = await connect(sim, renew_margin=1.0)
    await client.run(commands.get_md_state(0))
    await client.run(commands.get_md_state(0))
    assert sim.login_count == 1
    await asyncio.sleep(1.9)  # past lease - margin (2 s lease → 0.2 s margin): renew first
    await client.run(commands.get_md_state(0))
    assert sim.login_count == 2
    assert not any(r["status"] != 200 for r in api_requests(sim))


async def test_expired_token_relogs_in_once(
    start_sim: SimFactory, connect: SimFactory, https: bool
) -> None:
    sim = await start_sim(profile="ipc", https=https)
    client = await connect(sim)
    await client.run(commands.get_md_state(0))
    sim.set_fault(expire_tokens=True)
    sim.patch_state({"channels": {"0": {"motion": True}}})
    assert (await client.run(commands.get_md_state(0))).motion is True
    assert sim.login_count == 2


async def test_token_error_on_one_element_retries_only_that_element(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    await client.login()
    sim.clear_log()
    sim.set_fault(command_errors={"GetAiState": -21}, count=1)
    md, ai = await client.execute_typed([commands.get_md_state(0), commands.get_ai_state(0)])
    assert md.channel == 0
    assert ai.supported_types
    assert sim.login_count == 1  # counted since clear_log: exactly one new Login
    assert [r["commands"] for r in api_requests(sim)] == [
        ["GetMdState", "GetAiState"],
        ["Login"],
        ["GetAiState"],
    ]


async def test_persistent_token_error_fails_after_one_retry(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    sim.set_fault(command_errors={"GetMdState": -6})
    with pytest.raises(ReolinkTokenError):
        await client.run(commands.get_md_state(0))
    assert sim.login_count == 2


async def test_reboot_relogs_in_after_device_is_back(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    sim = await start_sim(profile="ipc", reboot_seconds=0.3)
    client = await connect(sim, timeout=2.0)
    await client.reboot()
    with pytest.raises(ReolinkConnectionError):
        await client.run(commands.get_md_state(0))
    await sim.wait_online()
    assert not (await client.run(commands.get_md_state(0))).motion
    assert sim.login_count == 2


async def test_wrong_password_is_not_retried(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc", lockout_failures=3)
    client = await connect(sim, password="wrong-pass")
    for _ in range(6):
        with pytest.raises(ReolinkAuthError) as caught:
            await client.run(commands.get_md_state(0))
        assert "wrong-pass" not in str(caught.value)
    assert sim.login_count == 1
    assert caught.value.retry_after > 0


async def test_locked_account_is_told_apart_from_a_wrong_password(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """-506 refuses the right password too: a lock with a wait, not a credential error."""
    sim = await start_sim(profile="ipc", lockout_failures=1, lockout_seconds=30)
    intruder = await connect(sim, password="bad")
    with pytest.raises(ReolinkAuthError):
        await intruder.login()
    client = await connect(sim)
    with pytest.raises(ReolinkLoginLockedError) as caught:
        await client.login()
    assert not isinstance(caught.value, ReolinkAuthError)
    assert caught.value.retry_after > 0
    with pytest.raises(ReolinkLoginLockedError):
        await client.login()
    assert sim.login_count == 2  # the second attempt waited instead of asking the device


async def test_session_limit_backs_off(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc", max_sessions=1)
    first = await connect(sim)
    await first.login()
    second = await connect(sim, backoff_initial=0.3, backoff_max=1.0)
    with pytest.raises(ReolinkSessionLimitError):
        await second.run(commands.get_md_state(0))
    with pytest.raises(ReolinkSessionLimitError) as caught:
        await second.run(commands.get_md_state(0))
    assert 0 < caught.value.retry_after <= 0.3
    assert sim.login_count == 2
    await first.close()  # frees the slot
    await asyncio.sleep(0.35)
    await second.run(commands.get_md_state(0))
    assert sim.login_count == 3


async def test_backoff_grows_exponentially(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc", max_sessions=1)
    await (await connect(sim)).login()
    client = await connect(sim, backoff_initial=0.1, backoff_max=0.3)
    delays = []
    for _ in range(3):
        with pytest.raises(ReolinkSessionLimitError) as caught:
            await client.login()
        delays.append(caught.value.retry_after)
        await asyncio.sleep(caught.value.retry_after + 0.02)
    assert delays == pytest.approx([0.1, 0.2, 0.3])
    assert sim.login_count == 4


async def test_rate_limit_backs_off(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc", login_rate_limit=1, login_rate_window=30)
    await (await connect(sim)).login()
    client = await connect(sim)
    with pytest.raises(ReolinkRateLimitError):
        await client.run(commands.get_md_state(0))
    for _ in range(3):
        with pytest.raises(ReolinkRateLimitError) as caught:
            await client.run(commands.get_md_state(0))
    assert caught.value.retry_after > 0
    assert sim.login_count == 2


async def test_latency_above_timeout(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim, timeout=0.3)
    await client.login()
    sim.set_fault(latency_ms=800, count=1)
    with pytest.raises(ReolinkTimeoutError, match=r"0\.3 s"):
        await client.run(commands.get_md_state(0))
    assert not (await client.run(commands.get_md_state(0))).motion
    assert sim.login_count == 1


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        ({"http_status": 502}, ReolinkResponseError, "HTTP 502"),
        ({"malformed_json": True}, ReolinkResponseError, "not JSON"),
        ({"drop_connection": True}, ReolinkConnectionError, "connection"),
    ],
)
async def test_transport_faults_are_typed(
    start_sim: SimFactory,
    connect: SimFactory,
    https: bool,
    fault: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    sim = await start_sim(profile="ipc", https=https)
    client = await connect(sim)
    await client.login()
    sim.set_fault(count=1, **fault)
    with pytest.raises(error, match=message) as caught:
        await client.run(commands.get_md_state(0))
    assert client._auth.current is not None
    assert client._auth.current not in str(caught.value)
    assert not (await client.run(commands.get_md_state(0))).motion
    assert sim.login_count == 1


async def test_refused_connection(connect: SimFactory, start_sim: SimFactory) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    await sim.stop()
    with pytest.raises(ReolinkConnectionError):
        await client.run(commands.get_md_state(0))


async def test_failing_tls_handshake(start_sim: SimFactory, connect: SimFactory) -> None:
    """A device whose handshakes fail: a connection error, not a changed certificate."""
    sim = await start_sim(profile="ipc", https=True)
    client = await connect(sim)
    await client.login()
    sim.set_fault(tls_failure=True)
    for _ in range(2):  # the open connection is dropped, the new handshake refused
        with pytest.raises(ReolinkConnectionError) as caught:
            await client.run(commands.get_md_state(0))
    assert not isinstance(caught.value, ReolinkCertificateError)
    sim.clear_faults()
    assert not (await client.run(commands.get_md_state(0))).motion
    assert sim.login_count == 1


async def test_peer_fingerprint_and_pinning(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc", https=True)
    client = await connect(sim)
    await client.login()
    pem = await asyncio.to_thread(ssl.get_server_certificate, (sim.host, sim.port))
    expected = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest()
    assert client.peer_fingerprint == expected

    pinned = await connect(sim, cert_fingerprint=expected)
    assert not (await pinned.run(commands.get_md_state(0))).motion

    wrong = await connect(sim, cert_fingerprint="00" * 32)
    with pytest.raises(ReolinkCertificateError, match="mismatch"):
        await wrong.run(commands.get_md_state(0))
    assert sim.login_count == 2  # the pinned client; the wrong one never reached Login


async def test_verify_tls_rejects_self_signed(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc", https=True)
    client = await connect(sim, verify_tls=True)
    with pytest.raises(ReolinkCertificateError):
        await client.login()
    assert sim.login_count == 0


async def test_close_logs_out(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    await client.login()
    await client.close()
    assert api_requests(sim)[-1]["commands"] == ["Logout"]
    await client.close()  # idempotent: no token, no request
    assert api_requests(sim)[-1]["commands"] == ["Logout"]


async def test_batches_split_into_chunks(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="nvr-16")
    client = await connect(sim, chunk_size=10)
    await client.login()
    sim.clear_log()
    batch = [commands.get_md_state(ch) for ch in range(16)] + [
        commands.get_ai_state(ch) for ch in range(9)
    ]
    results = await client.execute_typed(batch)
    assert [len(r["commands"]) for r in api_requests(sim)] == [10, 10, 5]
    assert [getattr(r, "channel", None) for r in results[:16]] == [
        None if ch == 5 else ch for ch in range(16)
    ]
    assert isinstance(results[5], ReolinkDeviceOfflineError)  # channel 5 is offline


async def test_one_failing_command_never_fails_the_batch(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    sim.set_fault(command_errors={"GetIsp": -9})
    results = await client.execute(
        [Command("GetMdState", {"channel": 0}), Command("GetIsp", {"channel": 0})]
    )
    assert results[0].ok
    assert isinstance(results[1].error, ReolinkNotSupportedError)
    sim.set_fault(command_errors={"GetMdState": -9})
    with pytest.raises(ReolinkNotSupportedError):
        await client.run(commands.get_md_state(0))
