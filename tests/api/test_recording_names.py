"""What started a recording, read from its file name (3.6.5 Search)."""

import pytest
from reolink_aio.typings import VOD_trigger, parse_file_name

from custom_components.reolink_http.api.models import recording_triggers

# Names from the guide's examples and from reolink_aio's comments on real devices (camera,
# camera with format version 7, Home Hub), and names that are not recordings at all.
NAMES = [
    "Mp4Record/2020-12-21/RecM01_20201221_122057_202123_6D28C08_E4B0AE.mp4",
    "Mp4Record/2020-12-21/RecM01_20201221_123339_123342_6D28808_2D9AF5.mp4",
    "Mp4Record/2020-12-21/RecM01_20201221_123349_123849_6D28C18_98ADFF.mp4",
    "Mp4Record/2023-04-26/RecS02_DST20230426_145918_150032_2B14808_32F1DF.mp4",
    "RecS07_20250219_111146_111238_0_A714C0A000_21E67C.mp4",
    "/mnt/sda/UID-NAME/Mp4Record/2024-08-27/RecM02_DST20240827_090302_090334_0_800_800_033C820000_61B6F0.mp4",
]
# reolink_aio's names of the triggers this integration reads.
AIO_NAMES = {
    "PERSON": "person",
    "VEHICLE": "vehicle",
    "ANIMAL": "animal",
    "TIMER": "timer",
    "MOTION": "motion",
    "DOORBELL": "doorbell",
    "PACKAGE": "package",
}


@pytest.mark.parametrize("name", NAMES)
def test_triggers_agree_with_reolink_aio(name: str) -> None:
    """reolink_aio decodes these names for Home Assistant core on real devices."""
    parsed = parse_file_name(name)
    assert parsed is not None
    expected = {
        AIO_NAMES[t.name] for t in VOD_trigger if t.name in AIO_NAMES and t in parsed.triggers
    }
    assert recording_triggers(name) - {"face"} == expected


def test_guide_examples() -> None:
    """6D28808 is motion; 6D28C08 adds a person; 6D28C18 also the schedule."""
    assert recording_triggers(NAMES[1]) == {"motion"}
    assert recording_triggers(NAMES[0]) == {"motion", "person"}
    assert recording_triggers(NAMES[2]) == {"motion", "person", "timer"}


@pytest.mark.parametrize(
    "name",
    ["", "fragment_01_20240101120000_main.mp4", "RecM01_x_y_z_NOTHEX_1.mp4", "RecM01.mp4", "a/b"],
)
def test_other_names_have_no_triggers(name: str) -> None:
    """Names of another form, or damaged ones, tell nothing."""
    assert recording_triggers(name) == frozenset()
