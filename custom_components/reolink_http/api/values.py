"""The words and numbers devices use for operations and states, named once.

The integration passes and compares these members; how the firmware spells them stays
here, beside the commands and fields that carry them.
"""

from enum import IntEnum, StrEnum


class PtzOp(StrEnum):
    """3.7.5 PtzCtrl `op`."""

    LEFT = "Left"
    RIGHT = "Right"
    UP = "Up"
    DOWN = "Down"
    LEFT_UP = "LeftUp"
    LEFT_DOWN = "LeftDown"
    RIGHT_UP = "RightUp"
    RIGHT_DOWN = "RightDown"
    # The guide's text swaps ZoomInc/ZoomDec; devices zoom in on ZoomInc.
    ZOOM_IN = "ZoomInc"
    ZOOM_OUT = "ZoomDec"
    STOP = "Stop"
    # The head scans on its own until stopped.
    AUTO = "Auto"
    TO_PRESET = "ToPos"
    START_PATROL = "StartPatrol"
    STOP_PATROL = "StopPatrol"


class LensOp(StrEnum):
    """3.7.13 StartZoomFocus `op`: move the lens to an absolute position."""

    ZOOM = "ZoomPos"
    FOCUS = "FocusPos"


class LedState(StrEnum):
    """IrLights.state, PowerLed.state and the doorbell's PowerLed.eDoorbellLightState."""

    AUTO = "Auto"
    ON = "On"
    OFF = "Off"
    # Doorbell LED only.
    KEEP_ON = "KeepOn"
    KEEP_OFF = "KeepOff"
    ALWAYS = "Always"


class WhiteLedMode(IntEnum):
    """3.10.6 WhiteLed.mode, as the guide names them (other codes exist on some models)."""

    NIGHT = 0
    ON_MOTION = 1
    SCHEDULE = 2


class PtzCheckState(IntEnum):
    """3.7.16 GetPtzCheckState."""

    IDLE = 0
    RUNNING = 1
    FINISHED = 2
