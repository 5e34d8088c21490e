"""Command table: every command of the guide except the session ones (3.2.1/2/7/8)."""

from typing import Any

from simulator.commands import (
    ai,
    alarm,
    audio,
    battery,
    hub,
    network,
    ptz,
    record,
    security,
    system,
    video,
)
from simulator.commands.base import (
    MISSING_PARAM,
    Call,
    CommandReply,
    Family,
    Reply,
    Spec,
    merge_validated,
    ok,
)
from simulator.errors import ApiError

FAMILIES: tuple[Family, ...] = (
    *system.FAMILIES,
    *security.FAMILIES,
    *network.FAMILIES,
    *video.FAMILIES,
    *record.FAMILIES,
    *ptz.FAMILIES,
    *alarm.FAMILIES,
    *ai.FAMILIES,
    *audio.FAMILIES,
    *battery.FAMILIES,
    *hub.FAMILIES,
)


def _family_get(family: Family) -> Any:
    def handler(call: Call) -> Reply:
        device = call.device
        settings = device.settings(family.store, call.channel)
        if family.present is not None:
            settings = family.present(call, settings)
        if call.action != 1:
            return CommandReply(settings if not family.wrap else {family.key: settings})
        initial = device.initial(family.store, call.channel)
        if family.split:
            initial = {**device.initial(family.store, None), **initial}
        limits: Any = device.range_of(family.store, call.channel)
        if family.per_channel and not family.list_range:
            # Real devices name the channel in the range too (captured GetRec, GetPtzPreset).
            limits = {"channel": call.channel, **limits}
        if family.list_range:
            limits = [limits]
        if family.wrap:
            return CommandReply({family.key: settings}, {family.key: initial}, {family.key: limits})
        return CommandReply(settings, initial, limits)

    return handler


def _family_set(family: Family) -> Any:
    def handler(call: Call) -> Reply:
        update = call.section(family.key) if family.wrap else dict(call.param)
        for key in family.fixed:
            update.pop(key, None)
        device = call.device
        if family.split:
            _set_split(family, call, update)
            return ok()
        current = device.config(family.store, call.channel)
        if not family.wrap and not any(key in current for key in update):
            raise ApiError(MISSING_PARAM)  # SetTime/SetAiCfg without any setting
        limits = device.range_of(family.store, call.channel)
        merged = merge_validated(current, update, limits)
        device.set_config(family.store, call.channel, merged)
        if family.on_set is not None:
            try:
                family.on_set(call, update)
            except ApiError:
                # A refused Set changes nothing (SetTime with a date that does not exist).
                device.set_config(family.store, call.channel, current)
                raise
        return ok()

    return handler


def _set_split(family: Family, call: Call, update: dict[str, Any]) -> None:
    """Device-wide keys to the device, the channel's own keys to that channel."""
    device = call.device
    limits = device.range_of(family.store, call.channel)
    own = {key: value for key, value in update.items() if key in family.channel_keys}
    wide = {key: value for key, value in update.items() if key not in family.channel_keys}
    # Both validated before either is stored, so a refused Set changes nothing.
    merged_wide = merge_validated(device.config(family.store, None), wide, limits)
    merged_own = merge_validated(device.config(family.store, call.channel), own, limits)
    device.set_config(family.store, None, merged_wide)
    device.set_config(family.store, call.channel, merged_own)


def _family_specs(family: Family) -> list[Spec]:
    specs = [Spec(family.get_cmd, _family_get(family), family.gate, per_channel=family.per_channel)]
    if family.set_cmd:
        specs.append(
            Spec(
                family.set_cmd,
                _family_set(family),
                family.gate,
                per_channel=family.per_channel,
                # A device-wide switch needs no channel: {"Rec": {"enable": 0}}.
                channel_required=family.per_channel and not family.split,
            )
        )
    return specs


def _build_specs() -> dict[str, Spec]:
    specs: list[Spec] = [spec for family in FAMILIES for spec in _family_specs(family)]
    for module in (system, security, network, video, record, ptz, alarm, ai, audio, battery, hub):
        specs.extend(module.SPECS)
    table: dict[str, Spec] = {}
    for spec in specs:
        if spec.name.lower() in table:
            raise RuntimeError(f"command {spec.name} defined twice")
        table[spec.name.lower()] = spec
    return table


SPECS: dict[str, Spec] = _build_specs()

__all__ = ["FAMILIES", "SPECS", "ok"]
