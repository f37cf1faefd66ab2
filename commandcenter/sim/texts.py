"""What simulated citizens, cameras and officers say, in the words the hall actually reads.

Kept apart from the logic so a trainer can reword the demo without touching the simulation.
`{place}` and `{spot}` are filled from the place a signal happens at.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where at a place of each kind something is seen ("民安花苑" + "北门").
SPOTS: dict[str, tuple[str, ...]] = {
    "estate": ("北门", "南门", "东门", "西门", "门口", "小区门口"),
    "market": ("门口", "东侧路边", "西侧路边", "南门"),
    "plaza": ("东广场", "北侧", "地下车库入口", "南门"),
    "street": ("北段", "南段", "路口", "人行道上"),
    "school": ("校门口", "东侧路边"),
}


@dataclass(frozen=True, slots=True)
class ReportTemplate:
    """One kind of citizen report; `hours` limits it to local hours (e.g. barbecue at night).

    `variants` pairs each title with its own description, so the two never contradict.
    """

    category: str
    severity: str
    kinds: frozenset[str]
    variants: tuple[tuple[str, str], ...]
    weight: float = 1.0
    hours: frozenset[int] | None = None


_EVENING = frozenset({*range(17, 24), 0, 1})
_MORNING = frozenset(range(5, 10))

# 随手拍 (WeChat mini-program): free text written by a citizen on a phone.
CITIZEN_REPORTS: tuple[ReportTemplate, ...] = (
    ReportTemplate(
        "0501", "minor", frozenset({"estate", "market", "street", "school", "plaza"}),
        (("{place}{spot}有流动摊贩占道经营",
          "摊贩把货摊摆在路中间，上下班时间特别堵，存在安全隐患。"),
         ("{place}{spot}三轮车摆摊卖水果堵路",
          "几辆三轮车在路边摆摊卖水果蔬菜，占了半条车道，行人和电动车只能绕行。")),
        weight=2.5,
    ),
    ReportTemplate(
        "0501", "minor", frozenset({"estate", "market", "street", "school"}),
        (("{place}{spot}流动早点摊占道",
          "早上有流动摊贩在这里卖早点，人行道被占满了，请尽快派人处理。"),),
        hours=_MORNING,
    ),
    ReportTemplate(
        "0502", "minor", frozenset({"street", "market"}),
        (("{place}{spot}店外经营，占用人行道",
          "沿街商铺把货架和商品摆到人行道上，推婴儿车都过不去。"),
         ("{place}{spot}饭店跨门经营", "饭店在门外摆桌椅营业，把盲道也占了。")),
        weight=2.0,
    ),
    ReportTemplate(
        "0101", "warning", frozenset({"estate", "market", "school"}),
        (("{place}{spot}暴露垃圾未清运", "垃圾桶满了，垃圾堆在地上两天没人清运，气味很大。"),
         ("{place}{spot}垃圾堆放无人清运", "装修垃圾和生活垃圾混在一起堆在路边，招苍蝇。")),
        weight=1.5,
    ),
    ReportTemplate(
        "0101", "warning", frozenset({"estate"}),
        (("小区门口暴露垃圾未清运（{place}）", "小区门口的垃圾桶早就满了，一直没人来清运。"),),
        weight=0.5,
    ),
    ReportTemplate(
        "0504", "minor", frozenset({"estate", "street", "plaza"}),
        (("{place}{spot}露天烧烤油烟扰民", "晚上路边有人摆烧烤摊，油烟飘进楼里，窗户都不敢开。"),
         ("{place}{spot}夜间露天烧烤", "烧烤摊一直开到后半夜，烟熏火燎，还很吵。")),
        weight=1.5,
        hours=_EVENING,
    ),
    ReportTemplate(
        "0105", "warning", frozenset({"street", "market"}),
        (("{place}{spot}店铺门前脏乱", "商户门口堆满纸箱和泡沫箱，杂物一直没人收拾。"),
         ("{place}{spot}商户门前污水横流", "商户把污水直接倒在门口路边，地上全是油污。")),
    ),
    ReportTemplate(
        "0201", "warning", frozenset({"estate", "street"}),
        (("{place}{spot}贴满非法小广告", "楼道和电线杆上贴满了办证、开锁、疏通下水道的小广告。"),
         ("{place}{spot}墙面乱贴小广告", "刚清理过又贴上了，墙面上一大片。")),
    ),
    ReportTemplate(
        "0503", "minor", frozenset({"estate", "school", "plaza", "street"}),
        (("{place}{spot}违章停车占用消防通道", "好几辆车停在消防通道上，救护车都进不来。"),
         ("{place}{spot}车辆乱停堵塞通道",
          "车辆停在人行道和路口，视线被挡住，过马路很危险。")),
    ),
)

# QR-code feedback (扫码反馈): a short form posted at markets and estates.
QR_FEEDBACK: tuple[ReportTemplate, ...] = (
    ReportTemplate("0501", "minor", frozenset({"market", "estate"}),
                   (("{place}扫码反馈：门口流动摊贩占道",
                     "反馈类型：占道经营。内容：{spot}有流动摊贩，影响通行。"),)),
    ReportTemplate("0101", "warning", frozenset({"market", "estate"}),
                   (("{place}扫码反馈：垃圾未及时清运",
                     "反馈类型：环境卫生。内容：{spot}垃圾堆放，未及时清运。"),)),
    ReportTemplate("0105", "warning", frozenset({"market"}),
                   (("{place}扫码反馈：摊位周边脏乱",
                     "反馈类型：市容秩序。内容：{spot}摊位周边污水、杂物多。"),)),
    ReportTemplate("0502", "minor", frozenset({"market"}),
                   (("{place}扫码反馈：摊位越线经营",
                     "反馈类型：店外经营。内容：{spot}摊位越出划线，占用通道。"),)),
)


@dataclass(frozen=True, slots=True)
class CameraLabel:
    """What a camera's analytics reports for a category, and how often (relative weight)."""

    label: str
    description: str
    severity: str
    weight: float


CAMERA_LABELS: dict[str, CameraLabel] = {
    "0503": CameraLabel("疑似违章停车",
                        "AI识别：机动车在禁停区域停留超过5分钟，置信度 {conf:.2f}。",
                        "minor", 0.45),
    "0501": CameraLabel("疑似流动摊贩占道经营", "AI识别：道路上有摊贩经营，置信度 {conf:.2f}。",
                        "minor", 0.30),
    "0502": CameraLabel("疑似店外经营", "AI识别：商铺门外摆放商品、桌椅，置信度 {conf:.2f}。",
                        "warning", 0.235),
    "0401": CameraLabel("人群聚集预警",
                        "AI识别：画面内约 {people} 人聚集，超过预警阈值 {threshold} 人。",
                        "critical", 0.015),
}

# What an officer writes when closing out a case, by category.
HANDLED_NOTES: dict[str, tuple[str, ...]] = {
    "0501": ("已劝离摊贩，现场已恢复", "已教育流动摊贩并引导至疏导点经营，现场已恢复"),
    "0502": ("已责令商户将商品收回店内，现场已恢复",),
    "0503": ("已张贴违停告知单，车主已挪车", "已联系车主挪车，通道已畅通"),
    "0504": ("已劝停露天烧烤，暂扣烤炉一台", "已责令停止露天烧烤，现场已清理"),
    "0101": ("已通知环卫清运，现场已清理",),
    "0105": ("已督促商户清理门前卫生，现场已恢复",),
    "0201": ("已清除小广告，已记录号码移交处理",),
    "0401": ("已配合公安疏导人群，现场秩序正常",),
    "0601": ("已督促餐馆清洗油烟净化器，复测达标", "已责令餐馆停用故障净化器并限期整改"),
}
DEFAULT_HANDLED = ("已处置完毕，现场已恢复",)

REJECT_NOTES = ("正在处置其他案件", "车辆故障，请改派", "不在辖区，请改派就近队员")
QUEUED_NOTE = "当前案件处置完毕后前往"

# Mobile prefixes for masked reporter numbers (138****5521).
PHONE_PREFIXES = ("130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                  "155", "158", "159", "177", "180", "182", "186", "187", "188", "189", "199")
