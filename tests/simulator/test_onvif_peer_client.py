"""onvif-zeep-async, the ONVIF library of Home Assistant's `onvif` integration, as a peer.

Unmodified `onvif-zeep-async` (pinned in requirements_test.txt at the version Home Assistant
pins) runs its normal discovery against the simulator's ONVIF port, as Home Assistant's
integration does: the device service (GetServices, then GetCapabilities), the event service,
a pull-point subscription and a motion notification.
"""

import datetime as dt
import os
from collections.abc import AsyncIterator
from typing import Any

import onvif
import pytest
from onvif import ONVIFCamera
from zeep.exceptions import Fault

from simulator import Simulator

from .conftest import PASSWORD, USERNAME, StartSim

WSDL_DIR = f"{os.path.dirname(onvif.__file__)}/wsdl/"
EVENTS_NAMESPACE = "http://www.onvif.org/ver10/events/wsdl"
PULL_TIMEOUT = dt.timedelta(seconds=5)


@pytest.fixture
async def camera_of() -> AsyncIterator[Any]:
    """An ONVIFCamera as Home Assistant's integration builds it; closed after the test."""
    cameras: list[ONVIFCamera] = []

    def build(sim: Simulator, password: str = PASSWORD, **options: Any) -> ONVIFCamera:
        camera = ONVIFCamera(
            "127.0.0.1", sim.onvif.port, USERNAME, password, WSDL_DIR, no_cache=True, **options
        )
        cameras.append(camera)
        return camera

    yield build
    for camera in cameras:
        await camera.close()


def notifications(answer: Any) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """(topic, source items, data items) of each notification in a PullMessages answer."""
    found = []
    for message in answer.NotificationMessage:
        body = message.Message._value_1
        found.append(
            (
                message.Topic._value_1,
                {item.Name: item.Value for item in body.Source.SimpleItem},
                {item.Name: item.Value for item in body.Data.SimpleItem},
            )
        )
    return found


async def test_discovery_to_a_motion_notification(start_sim: StartSim, camera_of: Any) -> None:
    """Device service -> capabilities -> events -> pull point -> the motion of a camera."""
    sim = (await start_sim(profile="ipc")).sim
    camera = camera_of(sim)
    await camera.update_xaddrs()
    assert camera.xaddrs[EVENTS_NAMESPACE] == (
        f"http://127.0.0.1:{sim.onvif.port}/onvif/event_service"
    )
    capabilities = await camera.get_capabilities()
    assert capabilities["Events"]["WSPullPointSupport"] is True
    events = await camera.create_events_service()
    properties = await events.GetEventProperties()
    assert properties.FixedTopicSet is True

    lost: list[bool] = []
    manager = await camera.create_pullpoint_manager(
        dt.timedelta(seconds=60), lambda: lost.append(True)
    )
    await manager.set_synchronization_point()  # not offered; the library carries on
    pull_point = manager.get_service()
    announced = []
    for _ in range(2):
        answer = await pull_point.PullMessages({"MessageLimit": 100, "Timeout": PULL_TIMEOUT})
        announced.append(len(answer.NotificationMessage))
    assert announced == [6, 3]

    sim.patch_state({"channels": {"0": {"motion": True}}})
    answer = await pull_point.PullMessages({"MessageLimit": 100, "Timeout": PULL_TIMEOUT})
    assert ("tns1:RuleEngine/CellMotionDetector/Motion", {"IsMotion": "true"}) in [
        (topic, data) for topic, _, data in notifications(answer)
    ]
    await manager.shutdown()
    assert sim.onvif.subscription_count == 0
    assert not lost
    assert sim.onvif.operations[:3] == ["GetServices", "GetCapabilities", "GetEventProperties"]


async def test_nvr_channels_and_a_far_off_clock(start_sim: StartSim, camera_of: Any) -> None:
    """With `adjust_time` the library signs with the device's clock, three hours ahead."""
    sim = (await start_sim(profile="nvr-8")).sim
    await sim.onvif.set_faults(clock_offset=3 * 3600)
    with pytest.raises(Fault):
        await camera_of(sim).update_xaddrs()  # signed with our clock: refused

    camera = camera_of(sim, adjust_time=True)
    await camera.update_xaddrs()
    manager = await camera.create_pullpoint_manager(dt.timedelta(seconds=60), lambda: None)
    pull_point = manager.get_service()
    for _ in range(2):
        await pull_point.PullMessages({"MessageLimit": 1000, "Timeout": PULL_TIMEOUT})
    sim.patch_state({"channels": {"2": {"ai": {"people": True}}}})
    answer = await pull_point.PullMessages({"MessageLimit": 100, "Timeout": PULL_TIMEOUT})
    assert notifications(answer) == [
        ("tns1:RuleEngine/MyRuleDetector/PeopleDetect", {"Source": "002"}, {"State": "true"})
    ]
    await manager.shutdown()
