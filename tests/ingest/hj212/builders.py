"""Frames for the HJ 212 tests: the standard's example and realistic oil-fume uploads, signed
with the real CRC so that each test changes exactly one thing."""

from __future__ import annotations

from typing import Any

from commandcenter.ingest.hj212 import encode_frame

# HJ 212-2017's worked example (a host setting the real-time interval), CRC as printed.
STANDARD_EXAMPLE = (b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;"
                    b"MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n")
STANDARD_REPLY = (b"##0087QN=20160801085857223;ST=91;CN=9014;PW=100000;"
                  b"MN=010000A8900016F000169DC0;Flag=4;CP=&&&&71C0\r\n")

MN = "3206130001000000OIL00001"  # 24 characters, the 2017 maximum
MN_2005 = "32061300000001"  # 14 characters, as HJ/T 212-2005 had them
QN = "20261128165800123"

OIL_2011_CP = ("DataTime=20261128165800;a34041-Rtd=1.23,a34041-Flag=N;"
               "a34000-Rtd=0.87,a34000-Flag=N;a24088-Rtd=3.41,a24088-Flag=N;SB1-RS=1;SB2-RS=1")
OIL_2051_CP = ("DataTime=20261128165000;"
               "a34041-Min=0.95,a34041-Avg=1.12,a34041-Max=1.40,a34041-Flag=N;"
               "a34000-Min=0.61,a34000-Avg=0.80,a34000-Max=1.02,a34000-Flag=N;"
               "a24088-Min=2.90,a24088-Avg=3.35,a24088-Max=3.80,a24088-Flag=N")
STATE_2021_CP = "DataTime=20261128165800;SB1-RS=1;SB2-RS=0"


def segment(cp: str, *, cn: str = "2011", qn: str | None = QN, st: str = "31",
            pw: str = "123456", mn: str = MN, flag: int | None = 5,
            extra: str = "") -> str:
    """A data segment in the standard's field order; `flag=None`/`qn=None` leave them out."""
    head = [f"QN={qn}"] if qn is not None else []
    head += [f"ST={st}", f"CN={cn}", f"PW={pw}", f"MN={mn}"]
    if flag is not None:
        head.append(f"Flag={flag}")
    if extra:
        head.append(extra)
    return ";".join(head) + f";CP=&&{cp}&&"


def frame(cp: str = OIL_2011_CP, **kw: Any) -> bytes:
    return encode_frame(segment(cp, **kw))


def oil_2011(**kw: Any) -> bytes:
    return frame(OIL_2011_CP, **kw)


def oil_2051(**kw: Any) -> bytes:
    return frame(OIL_2051_CP, cn="2051", **kw)


def oil_2005(cp: str = "DataTime=20261128165800;a34041-Rtd=1.05,a34041-Flag=N;"
                       "a34000-Rtd=0.70,a34000-Flag=P", **kw: Any) -> bytes:
    """An HJ/T 212-2005 upload: no QN, no Flag, a 14-character MN, the 2005-only P flag."""
    kw = {"qn": None, "flag": None, "mn": MN_2005, **kw}
    return frame(cp, **kw)


def resign(raw: bytes, segment_bytes: bytes | None = None) -> bytes:
    """Re-wrap a (changed) data segment with a correct length and CRC."""
    data = segment_bytes if segment_bytes is not None else raw[6:-6]
    return encode_frame(data)
