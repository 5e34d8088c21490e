"""What the settings platforms (switch, select, number, light, siren) share.

When a feature is supported, reading the answers before entities are created (one
batch for all platforms), optimistic writes. Fields and their writes are the client's
(`api/fields.py`).
"""

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import (
    CommandResult,
    ReolinkClient,
    ReolinkInvalidChannelError,
    ReolinkNotSupportedError,
    ReolinkParamError,
)
from .api import fields as f
from .api.features import Feature
from .api.fields import Field, Source
from .capabilities import Supported, ability, both, legacy, schedule_v20
from .entity import (
    ReolinkSettingDescription,
    ReolinkSettingEntity,
    setting_key,
    supported_targets,
)

if TYPE_CHECKING:
    from . import ReolinkConfigEntry, ReolinkData


def slug(option: Any) -> str:
    """An option as a translation-friendly key: "Black&White" -> "black_white"."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", str(option))
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@dataclass(frozen=True, kw_only=True)
class ReolinkValueDescription[T](ReolinkSettingDescription):
    """A setting of type `T`: `value_fn` reads it from the Get answer, `set_fn` writes it.

    `value_fn` gives None where the answer does not tell. `exists_fn` decides from the
    first answer whether the entity is created; when the device could not say (offline
    channel, connection trouble) `create_unread` decides.
    """

    value_fn: Callable[[Any], T | None]
    set_fn: Callable[[ReolinkClient, int | None, T], Awaitable[Any]]
    exists_fn: Callable[[CommandResult], bool] = lambda result: True
    create_unread: bool = True


def _device_refuses(result: CommandResult) -> bool:
    return isinstance(
        result.error, (ReolinkNotSupportedError, ReolinkParamError, ReolinkInvalidChannelError)
    )


def _creates(description: ReolinkValueDescription[Any], result: CommandResult | None) -> bool:
    if result is None or (result.error is not None and not _device_refuses(result)):
        return description.create_unread
    return result.ok and description.exists_fn(result)


async def async_setup_settings[D: ReolinkValueDescription[Any]](
    entry: ReolinkConfigEntry,
    descriptions: Iterable[D],
    factory: Callable[[ReolinkData, D, int | None], ReolinkSettingEntity],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the entities of `descriptions` the abilities and the device's answers allow.

    Per-channel settings get one entity per channel, device-wide ones one on the
    camera or NVR hub.
    """
    data = entry.runtime_data
    device = data.device
    candidates = supported_targets(device, descriptions)
    # Read before the entities exist (fields present, ranges); the settings coordinator
    # joins the platforms' reads into one batch.
    answers = await data.settings.async_read_keys(
        setting_key(description, channel) for description, channel in candidates
    )
    async_add_entities(
        factory(data, description, channel)
        for description, channel in candidates
        if _creates(description, answers.get(setting_key(description, channel)))
    )


def has_field(field: Field[Any]) -> Callable[[CommandResult], bool]:
    """Exists when the answer carries the field."""
    return lambda result: field.read(result.value) is not None


class FieldDescriber[D](Protocol):
    """Builds the description of a setting kept in one field (`field_switch`, `field_select`)."""

    def __call__(
        self, *, key: str, field: Field[Any], supported_fn: Supported, enabled: bool
    ) -> D: ...


def recording_option[D](
    describe: FieldDescriber[D],
    key: str,
    field_of: Callable[[Source], Field[Any]],
    feature: Feature,
) -> tuple[D, D]:
    """A recording option of both schedule versions (GetRecV20 and GetRec), created disabled.

    The two share key and unique ID: the abilities create only the one the device speaks.
    """
    supported = ability(Feature.REC_CFG, feature)
    v20 = both(supported, schedule_v20)
    return (
        describe(key=key, field=field_of(f.REC_V20), supported_fn=v20, enabled=False),
        describe(key=key, field=field_of(f.REC), supported_fn=legacy(supported), enabled=False),
    )


class ReolinkValueEntity[T](ReolinkSettingEntity):
    """A settings entity that shows its value optimistically right after a Set."""

    entity_description: ReolinkValueDescription[T]
    # What the last Set wrote, shown until the next answer arrives.
    _optimistic: T | None = None

    @property
    def current(self) -> T | None:
        """The value just written, else the one last read from the device."""
        if self._optimistic is not None:
            return self._optimistic
        value = self.answer_value
        return None if value is None else self.entity_description.value_fn(value)

    @property
    def available(self) -> bool:
        """Unavailable while the answer lacks the field."""
        return super().available and self.current is not None

    async def async_write_setting(self, new: T, shown: T) -> None:
        """Send `new` with the description's Set; show `shown` until the re-read arrives."""
        set_fn = self.entity_description.set_fn

        async def write(client: ReolinkClient) -> None:
            await set_fn(client, self.channel, new)
            self._optimistic = shown
            self.async_write_ha_state()

        await self.async_apply(write)

    @callback
    def _handle_coordinator_update(self) -> None:
        self._optimistic = None
        super()._handle_coordinator_update()
