"""Assist: "is there motion at <camera>?", answered by the camera's motion sensor.

A name that is no camera's but an area's gets Home Assistant's answer for that area.

Home Assistant's own sentences ask about motion "in <area>" or by the sensor's full name
("is Camera01 motion detected?"); none names a device. The sentences in
`custom_sentences/<language>/reolink_http.yaml` route the question to this intent, which
finds the camera by its device name. The spoken answer is the sentence file's template.
"""

import re
from typing import Any, NoReturn

import probatio as vol
from homeassistant.components.binary_sensor.const import DOMAIN as BINARY_SENSOR_DOMAIN
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from .binary_sensor import MOTION_KEY
from .const import DOMAIN

INTENT_MOTION_AT = "ReolinkHttpMotionAt"
SLOT_CAMERA = "camera"


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Called by Home Assistant's intent component once the integration is loaded."""
    intent.async_register(hass, MotionAtCameraIntent())


def spoken_form(name: str) -> str:
    """Letters and digits only: "RLC-810A", "rlc 810a" and "RLC810A?" are the same camera."""
    return re.sub(r"[\W_]+", "", name).casefold()


class MotionAtCameraIntent(intent.IntentHandler):
    """Whether the named camera's motion sensor is on."""

    intent_type = INTENT_MOTION_AT
    description = "Tells whether a Reolink camera, named by its device name, detects motion now"

    def __init__(self) -> None:
        """Offered (e.g. to language models) only where binary sensors are exposed."""
        self.platforms = {BINARY_SENSOR_DOMAIN}

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """The camera's name as said."""
        return {vol.Required(SLOT_CAMERA): intent.non_empty_string}

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Answer from the sensor's state; unknown or hidden cameras are errors."""
        hass = intent_obj.hass
        spoken = self.async_validate_slots(intent_obj.slots)[SLOT_CAMERA]["value"]
        constraints = intent.MatchTargetsConstraints(
            name=spoken,
            domains=[BINARY_SENSOR_DOMAIN],
            assistant=intent_obj.assistant,
        )
        found = motion_sensors_named(hass, spoken)
        if not found:
            return _motion_in_area(intent_obj, spoken)
        if intent_obj.assistant is not None:
            found = [
                (camera, state)
                for camera, state in found
                if async_should_expose(hass, intent_obj.assistant, state.entity_id)
            ]
            if not found:
                _raise_no_match(intent.MatchFailedReason.ASSISTANT, spoken, constraints)
        if len(found) > 1:
            _raise_no_match(intent.MatchFailedReason.DUPLICATE_NAME, spoken, constraints)
        camera, state = found[0]
        return _answer(intent_obj, camera, state)


def motion_sensors_named(hass: HomeAssistant, spoken: str) -> list[tuple[str, State]]:
    """(device name, motion sensor state) of this integration's devices called `spoken`."""
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    wanted = spoken_form(spoken)
    found: list[tuple[str, State]] = []
    for entity in entities.entities.values():
        if (
            entity.platform != DOMAIN
            or entity.domain != BINARY_SENSOR_DOMAIN
            or not entity.unique_id.endswith(f"_{MOTION_KEY}")
            or entity.device_id is None
        ):
            continue
        device = devices.async_get(entity.device_id)
        name = device and (device.name_by_user or device.name)
        state = hass.states.get(entity.entity_id)
        if name and state is not None and spoken_form(name) == wanted:
            found.append((name, state))
    return found


def _motion_in_area(intent_obj: intent.Intent, spoken: str) -> intent.IntentResponse:
    """No camera has that name: answer for the area of that name, as Home Assistant's
    own "is there motion in <area>?" does (its matcher, its exposure rules)."""
    constraints = intent.MatchTargetsConstraints(
        area_name=spoken,
        domains=[BINARY_SENSOR_DOMAIN],
        device_classes=[BinarySensorDeviceClass.MOTION],
        assistant=intent_obj.assistant,
    )
    result = intent.async_match_targets(intent_obj.hass, constraints)
    if result.no_match_reason is intent.MatchFailedReason.INVALID_AREA:
        return _no_such_camera(intent_obj, spoken)
    if not result.is_match:
        raise intent.MatchFailedError(result=result, constraints=constraints)
    response = intent_obj.create_response()
    response.response_type = intent.IntentResponseType.QUERY_ANSWER
    response.async_set_results(
        success_results=[
            intent.IntentResponseTarget(
                type=intent.IntentResponseTargetType.ENTITY, name=state.name, id=state.entity_id
            )
            for state in result.states
        ]
    )
    response.async_set_states(
        matched_states=[state for state in result.states if state.state == STATE_ON],
        unmatched_states=[state for state in result.states if state.state != STATE_ON],
    )
    response.async_set_speech_slots({SLOT_CAMERA: spoken})
    return response


def _raise_no_match(
    reason: intent.MatchFailedReason, spoken: str, constraints: intent.MatchTargetsConstraints
) -> NoReturn:
    """The match error Assist turns into its own "not aware of"/"not exposed" answers."""
    raise intent.MatchFailedError(
        result=intent.MatchTargetsResult(False, reason, no_match_name=spoken),
        constraints=constraints,
    )


def _no_such_camera(intent_obj: intent.Intent, spoken: str) -> intent.IntentResponse:
    """An error without speech, so the sentence file words it in the user's language.

    (A name match error would only get Assist's generic "couldn't understand".)
    """
    response = intent_obj.create_response()
    response.response_type = intent.IntentResponseType.ERROR
    response.error_code = intent.IntentResponseErrorCode.NO_VALID_TARGETS
    response.async_set_speech_slots({SLOT_CAMERA: spoken})
    return response


def _answer(intent_obj: intent.Intent, camera: str, state: State) -> intent.IntentResponse:
    """A query answer: the sensor is a matched state when it sees motion."""
    response = intent_obj.create_response()
    response.response_type = intent.IntentResponseType.QUERY_ANSWER
    response.async_set_results(
        success_results=[
            intent.IntentResponseTarget(
                type=intent.IntentResponseTargetType.ENTITY,
                name=state.name,
                id=state.entity_id,
            )
        ]
    )
    if state.state == STATE_ON:
        response.async_set_states(matched_states=[state])
    else:
        response.async_set_states(matched_states=[], unmatched_states=[state])
    response.async_set_speech_slots({SLOT_CAMERA: camera})
    return response
