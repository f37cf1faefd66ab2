"""The hall's answer to a frame whose Flag asks for one: the 9014 data answer (数据应答).

HJ 212-2017 (the standard's example exchange for uploaded data): the answer repeats the
upload's QN, PW and MN with ST=91 (system interaction), CN=9014 and Flag=4 (version 2017, no
answer wanted), and an empty data area:
`QN=20160801085857223;ST=91;CN=9014;PW=100000;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&`.
HJ/T 212-2005 had no QN in the header of its answers and no version bits: the upload's QN and
CN go into the data area instead, `ST=91;CN=9014;PW=…;MN=…;Flag=0;CP=&&QN=…;CN=2011&&`.
Without the answer a device resends the same upload until it gives up.
"""

from __future__ import annotations

from commandcenter.ingest.hj212.codes import VERSION_SHIFT, Hj212Version
from commandcenter.ingest.hj212.envelope import encode_frame
from commandcenter.ingest.hj212.frame import Hj212Frame

SYSTEM_INTERACTION = "91"
DATA_ANSWER = "9014"


def reply_segment(frame: Hj212Frame) -> str:
    """The answer's data segment, before the envelope."""
    if frame.version is Hj212Version.V2017:
        flag = 1 << VERSION_SHIFT  # = 4
        return (f"QN={frame.qn};ST={SYSTEM_INTERACTION};CN={DATA_ANSWER};PW={frame.pw};"
                f"MN={frame.mn};Flag={flag};CP=&&&&")
    request = f"QN={frame.qn};CN={frame.cn}" if frame.qn else f"CN={frame.cn}"
    return (f"ST={SYSTEM_INTERACTION};CN={DATA_ANSWER};PW={frame.pw};MN={frame.mn};Flag=0;"
            f"CP=&&{request}&&")


def build_reply(frame: Hj212Frame) -> bytes | None:
    """The complete answer frame, or None when the frame asks for none (or is an answer)."""
    if not frame.reply_requested:
        return None
    return encode_frame(reply_segment(frame))
