"""Batches as real firmware takes them: at most 35 commands, -16 split, bad bytes isolated."""

from custom_components.reolink_http.api import (
    Command,
    Events,
    ReolinkCommandError,
    commands,
)
from custom_components.reolink_http.api.client import MAX_BATCH
from custom_components.reolink_http.api.fields import ENC, IR_LIGHTS

from .conftest import SimFactory, api_requests


def md_states(channels: range) -> list[Command]:
    return [commands.get_md_state(channel).command for channel in channels]


ALL_ONLINE = {"channels": {str(channel): {"online": True} for channel in range(16)}}


async def test_long_batch_is_sent_in_chunks_of_35(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """100 commands: three POSTs of at most 35, every answer in the order asked."""
    sim = await start_sim(profile="nvr-16")
    client = await connect(sim, chunk_size=500)
    await client.login()
    sim.patch_state(ALL_ONLINE)
    sim.patch_state({"channels": {"6": {"motion": True}}})
    sim.clear_log()
    sent = md_states(range(16)) * 6 + md_states(range(4))
    results = await client.execute(sent)
    sizes = [len(request["commands"]) for request in api_requests(sim)]
    assert sizes == [35, 35, 30]
    assert max(sizes) <= MAX_BATCH
    assert len(results) == 100
    assert [result.value["state"] for result in results[:16]] == [int(ch == 6) for ch in range(16)]
    assert all(result.ok for result in results if result.cmd == "GetMdState")


async def test_refused_batch_is_split_once(start_sim: SimFactory, connect: SimFactory) -> None:
    """Firmware with a lower limit answers -16: the batch is halved and sent again."""
    sim = await start_sim(profile="nvr-16", max_batch=20)
    client = await connect(sim)
    await client.login()
    sim.patch_state(ALL_ONLINE)
    sim.patch_state({"channels": {"3": {"motion": True}}})
    sim.clear_log()
    results = await client.execute(md_states(range(16)) * 2)
    sizes = [len(request["commands"]) for request in api_requests(sim)]
    assert sizes == [32, 16, 16]
    assert all(result.ok for result in results)
    assert [result.value["state"] for result in results[16:]] == [int(ch == 3) for ch in range(16)]


async def test_batch_still_refused_after_the_split_fails_per_command(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """Split only once: halves over the limit come back as -16 per command, not an exception."""
    sim = await start_sim(profile="nvr-16", max_batch=5)
    client = await connect(sim)
    await client.login()
    sim.clear_log()
    results = await client.execute(md_states(range(16)))
    assert len(api_requests(sim)) == 3
    assert {result.error.code for result in results if result.error} == {-16}
    assert len(results) == 16


async def test_invalid_utf8_spoils_no_answer_of_the_batch(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """A byte that is not UTF-8 in one answer: one POST, every command answered.

    The bad byte becomes U+FFFD where it stands (api/sanitize.py), so the command that
    carries it is read too, and nothing is sent again.
    """
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    await client.login()
    sim.patch_state({"channels": {"0": {"motion": True}}})
    sim.set_fault(invalid_utf8=["GetLocalLink"])
    batch = [
        commands.get_md_state(0),
        commands.get_local_link(),
        commands.get_events(0),
        commands.get_dev_info(),
    ]
    sim.clear_log()
    motion, link, events, info = await client.execute_typed(batch)
    assert [request["commands"] for request in api_requests(sim)] == [
        ["GetMdState", "GetLocalLink", "GetEvents", "GetDevInfo"]
    ]
    assert motion.motion
    assert not isinstance(link, ReolinkCommandError)
    assert "\ufffd" in repr(link)
    assert isinstance(events, Events)
    assert events.motion
    assert info.model == "RLC-810A"


async def test_invalid_utf8_in_a_lone_command_is_read(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """A single command whose answer holds a bad byte still gives its value."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    await client.login()
    sim.set_fault(invalid_utf8=["GetDevInfo"])
    info = await client.run(commands.get_dev_info())
    assert info.model == "RLC-810A"


async def test_an_unchanged_answer_is_not_decoded_again(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """A request sent again, answered with the same bytes, gives back the earlier decoded answer.

    The first answer is not kept (a request sent once, as at setup, may never come again):
    the second is decoded, the third is the second's objects.
    """
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    batch = [ENC.request(0), IR_LIGHTS.request(0)]
    first = await client.execute(batch)
    second = await client.execute(batch)
    again = await client.execute(batch)
    assert [r["commands"] for r in api_requests(sim)].count(["GetEnc", "GetIrLights"]) == 3
    assert all(a.value is not b.value for a, b in zip(first, second, strict=True))
    assert [a.value is b.value for a, b in zip(second, again, strict=True)] == [True, True]
    sim.patch_state({"channels": {"0": {"config": {"IrLights": {"state": "Off"}}}}})
    changed = await client.execute(batch)
    assert all(a.value is not b.value for a, b in zip(again, changed, strict=True))
    assert changed[1].value["IrLights"]["state"] == "Off"
    assert changed[0].value == again[0].value


async def test_typed_commands_fill_the_spare_room_of_a_batch(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """33 plain commands leave room for two more in their request; typed ones go there."""
    sim = await start_sim(profile="nvr-16")
    client = await connect(sim)
    await client.login()
    sim.patch_state(ALL_ONLINE)
    sim.patch_state({"channels": {"1": {"motion": True}}})
    plain = md_states(range(16)) * 2 + md_states(range(1))
    assert client.room_beside(len(plain)) == 2
    assert client.room_beside(MAX_BATCH) == 0
    sim.clear_log()
    results, typed = await client.execute_with_typed(
        plain, [commands.get_events(1), commands.get_dev_info()]
    )
    assert [len(request["commands"]) for request in api_requests(sim)] == [MAX_BATCH]
    assert len(results) == len(plain)
    assert all(result.ok for result in results)
    events, info = typed
    assert isinstance(events, Events)
    assert events.motion
    assert info.model == "RLN16-410"
