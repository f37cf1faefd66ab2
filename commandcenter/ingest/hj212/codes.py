"""The standard's vocabularies: versions, command codes, data flags, data keys, value ranges.

Kept in one table so that what the hall understands (and what it merely lets through) is
visible at a glance rather than scattered through the parser.
"""

from __future__ import annotations

from enum import StrEnum


class Hj212Version(StrEnum):
    V2005 = "HJ/T 212-2005"
    V2017 = "HJ 212-2017"


# Flag bits (HJ 212-2017: Flag = V5 V4 V3 V2 V1 V0 D A; HJ/T 212-2005 used only D and A).
FLAG_REPLY = 0b01  # A: the sender wants an answer
FLAG_SPLIT = 0b10  # D: the frame is one of several packets (PNUM/PNO present)
VERSION_SHIFT = 2  # V5..V0: 000000 = HJ/T 212-2005, 000001 = HJ 212-2017
VERSION_BITS = {0: Hj212Version.V2005, 1: Hj212Version.V2017}

# Command codes (CN) the hall interprets; other codes are let through and noted.
COMMANDS = {
    "2011": "real-time data",
    "2051": "minute data",
    "2061": "hourly data",
    "2031": "daily data",
    "2021": "equipment run state",
    "9011": "request answer",
    "9012": "execution result",
    "9013": "notification answer",
    "9014": "data answer",
}
ANSWER_COMMANDS = frozenset({"9011", "9012", "9013", "9014"})  # never answered in turn

# Data flags (数据标记) per version. 2017: N normal, F stopped, M maintenance, S manual setting,
# D fault, C calibration, T over range, B communication fault. 2005 had P (power failure) and
# no B.
DATA_FLAGS = {
    Hj212Version.V2017: frozenset("NFMSDCTB"),
    Hj212Version.V2005: frozenset("NFMSDCTP"),
}

# Keys after `code-` in the data area. Numeric ones are parsed as decimals; RS is an equipment
# run state (0 off, 1 running, 2 calibrating, 3 maintenance, 4 alarm, 5 backflush).
NUMERIC_KEYS = frozenset({"Rtd", "Avg", "Min", "Max", "Cou", "ZsRtd", "ZsAvg", "ZsMin", "ZsMax",
                          "RS", "RT", "Ala", "UpValue", "LowValue", "Data", "DayData",
                          "NightData"})
CONCENTRATION_KEYS = frozenset({"Rtd", "Avg", "Min", "Max", "ZsRtd", "ZsAvg", "ZsMin", "ZsMax"})
TEXT_KEYS = frozenset({"EFlag", "SampleTime", "Info"})
MAX_RUN_STATE = 99

OIL_FUME = "a34041"  # 油烟 by industry convention (not in the national code table)
PARTICULATES = "a34000"
NMHC = "a24088"  # non-methane hydrocarbons

# Plausible concentrations in mg/m³; beyond them the sensor is broken, not the kitchen.
PLAUSIBLE = {
    OIL_FUME: (0.0, 100.0),
    PARTICULATES: (0.0, 1000.0),
    NMHC: (0.0, 1000.0),
}

# "No data" stand-ins some devices send instead of leaving the value out.
PLACEHOLDERS = frozenset({-99.0, -9999.0})
