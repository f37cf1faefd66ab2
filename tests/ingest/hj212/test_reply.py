"""The 9014 data answer: the standard's layout, a valid frame itself, only when asked."""

from __future__ import annotations

from commandcenter.ingest.hj212 import Hj212Version, build_reply, parse_frame
from commandcenter.ingest.hj212.reply import reply_segment
from tests.ingest.hj212.builders import (
    MN,
    MN_2005,
    QN,
    STANDARD_EXAMPLE,
    STANDARD_REPLY,
    oil_2005,
    oil_2011,
)


def test_the_standards_example_gets_the_standards_answer() -> None:
    reply = build_reply(parse_frame(STANDARD_EXAMPLE).frame)
    assert reply == STANDARD_REPLY


def test_the_answer_round_trips_through_the_parser() -> None:
    answer = parse_frame(STANDARD_REPLY).frame
    assert (answer.qn, answer.st, answer.cn, answer.flag) == ("20160801085857223", "91", "9014",
                                                             4)
    assert answer.version is Hj212Version.V2017 and answer.known_command
    assert not answer.reply_requested and build_reply(answer) is None  # answers end the talk


def test_an_oil_fume_upload_asking_for_an_answer() -> None:
    reply = build_reply(parse_frame(oil_2011(flag=5)).frame)
    assert reply is not None
    assert reply_segment(parse_frame(oil_2011()).frame) == (
        f"QN={QN};ST=91;CN=9014;PW=123456;MN={MN};Flag=4;CP=&&&&")
    assert parse_frame(reply).frame.qn == QN


def test_no_answer_unless_flag_bit_a_is_set() -> None:
    assert build_reply(parse_frame(oil_2011(flag=4)).frame) is None
    assert build_reply(parse_frame(oil_2005()).frame) is None


def test_a_2005_answer_carries_the_request_in_the_data_area() -> None:
    frame = parse_frame(oil_2005(qn="20261128165800001", flag=1)).frame
    assert reply_segment(frame) == (f"ST=91;CN=9014;PW=123456;MN={MN_2005};Flag=0;"
                                    "CP=&&QN=20261128165800001;CN=2011&&")
    reply = build_reply(frame)
    assert reply is not None
    answer = parse_frame(reply).frame
    assert answer.version is Hj212Version.V2005 and answer.cp == {"QN": "20261128165800001",
                                                                  "CN": "2011"}
