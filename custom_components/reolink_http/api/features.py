"""The GetAbility (3.1.1) features the integration asks about, spelled as firmware does."""

from collections.abc import Mapping
from enum import StrEnum


class Feature(StrEnum):
    """A key of GetAbility's answer; `Abilities.supports` reads its `ver`."""

    AI_TRACK = "aiTrack"
    ALARM_AUDIO = "alarmAudio"
    ALARM_MD = "alarmMd"
    AUTO_MAINT = "autoMaint"
    # A camera on battery (behind a Home Hub or NVR): it sleeps, GetBatteryInfo answers.
    BATTERY = "battery"
    DISABLE_AUTO_FOCUS = "disableAutoFocus"
    DISK = "disk"
    EMAIL = "email"
    ENC = "enc"
    FLOOD_LIGHT = "floodLight"
    FTP = "ftp"
    FTP_TEST = "ftpTest"
    ISP_3D_NR = "isp3Dnr"
    ISP_ANTI_FLICK = "ispAntiFlick"
    ISP_BACK_LIGHT = "ispBackLight"
    ISP_BRIGHT = "ispBright"
    ISP_CONTRAST = "ispContrast"
    ISP_DAY_NIGHT = "ispDayNight"
    ISP_EXPOSURE_MODE = "ispExposureMode"
    ISP_FLIP = "ispFlip"
    ISP_HUE = "ispHue"
    ISP_MIRROR = "ispMirror"
    ISP_SATRUATION = "ispSatruation"
    ISP_SHARPEN = "ispSharpen"
    LED_CONTROL = "ledControl"
    # Motion is sensed by a PIR sensor (GetPirInfo/SetPirInfo).
    MD_WITH_PIR = "mdWithPir"
    MASK = "mask"
    NTP = "ntp"
    OSD = "osd"
    P2P = "p2p"
    PERFORMANCE = "performance"
    POWER_LED = "powerLed"
    PTZ_PATROL = "ptzPatrol"
    PTZ_PRESET = "ptzPreset"
    PTZ_TYPE = "ptzType"
    PUSH = "push"
    REBOOT = "reboot"
    REC_CFG = "recCfg"
    REC_EXTENSION_TIME_LIST = "recExtensionTimeList"
    REC_OVER_WRITE = "recOverWrite"
    REC_PACK_DURATION = "recPackDuration"
    REC_PRE_RECORD = "recPreRecord"
    SCHEDULE_VERSION = "scheduleVersion"
    SD_CARD = "sdCard"
    SUPPORT_AI = "supportAi"
    SUPPORT_AI_ANIMAL = "supportAiAnimal"
    SUPPORT_AI_DOG_CAT = "supportAiDogCat"
    SUPPORT_AI_FACE = "supportAiFace"
    SUPPORT_AI_PACKAGE = "supportAiPackage"
    SUPPORT_AI_PEOPLE = "supportAiPeople"
    SUPPORT_AI_SENSITIVITY = "supportAiSensitivity"
    SUPPORT_AI_STAY_TIME = "supportAiStayTime"
    SUPPORT_AI_TRACK_LIMIT = "supportAITrackLimit"
    SUPPORT_AI_VEHICLE = "supportAiVehicle"
    SUPPORT_AO_ADJUST = "supportAoAdjust"
    # A dual-lens tracker behind an NVR: its telephoto lens streams on the same channel.
    SUPPORT_AUTO_TRACK_STREAM = "supportAutoTrackStream"
    SUPPORT_AUDIO_FILE_LIST = "supportAudioFileList"
    SUPPORT_AUTO_REPLY = "supportAutoReply"
    SUPPORT_BUZZER = "supportBuzzer"
    SUPPORT_DING_DONG_CTRL = "supportDingDongCtrl"
    SUPPORT_DOORBELL = "supportDoorbell"
    SUPPORT_FL_BRIGHTNESS = "supportFLBrightness"
    SUPPORT_FL_SCHEDULE = "supportFLSchedule"
    SUPPORT_FL_SWITCH = "supportFLswitch"
    SUPPORT_ISP_BINNING = "supportIspBinningModeCfg"
    SUPPORT_ISP_HDR = "supportIspHdr"
    SUPPORT_PTZ_CHECK = "supportPtzCheck"
    SUPPORT_THRESHOLD_ADJUST = "supportThresholdAdjust"
    TIME = "time"
    UPGRADE = "upgrade"
    UPNP = "upnp"
    WATER_MARK = "waterMark"
    WIFI = "wifi"


# A white LED: real firmware announces it by any of these (RLC-811A/823A report
# `floodLight` version 0 with `supportFLswitch` 1).
SPOTLIGHT_FEATURES = (Feature.FLOOD_LIGHT, Feature.SUPPORT_FL_SWITCH, Feature.SUPPORT_FL_BRIGHTNESS)

# The features that announce each detection kind of GetAiState (3.11.3).
AI_KIND_FEATURES: Mapping[str, tuple[Feature, ...]] = {
    "people": (Feature.SUPPORT_AI_PEOPLE,),
    "vehicle": (Feature.SUPPORT_AI_VEHICLE,),
    "dog_cat": (Feature.SUPPORT_AI_DOG_CAT, Feature.SUPPORT_AI_ANIMAL),
    "face": (Feature.SUPPORT_AI_FACE,),
    "package": (Feature.SUPPORT_AI_PACKAGE,),
    # Doorbells report the button press in GetAiState too.
    "visitor": (Feature.SUPPORT_DOORBELL,),
}

# What each detection kind is called where people read it (events, pictures, recordings).
AI_KIND_NAMES: Mapping[str, str] = {
    "people": "person",
    "vehicle": "vehicle",
    "dog_cat": "animal",
    "face": "face",
    "package": "package",
    "non-motor vehicle": "non_motor_vehicle",
    "visitor": "visitor",
}
