"""A synthetic catalog of any size for the benchmark: valid under `juli validate`, deterministic from a seed.

    python bench/generate.py [--size 10000] [--seed 1] [--out bench/work/catalog-10000]

One entry in ten is an organization; the others are services, resources of every kind and case studies,
spread over the organizations. Texts are composed from domain phrases at the lengths real entries have
(summaries of 60–150 characters, descriptions of several paragraphs and lists). The shipped
`catalog/taxonomy.yml` is reused, and a generated `catalog/programme.yml` names generated organizations.
The output folder is a complete project root (catalog, cases, docs, overrides, mkdocs.yml), ready for
`juli validate --root` and `juli build --root`.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.checks import codes  # noqa: E402
from generator.schemas.fields import resource_kinds  # noqa: E402

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _BaseDumper

PROJECT_FILES = ("docs", "overrides", "mkdocs.yml")
RESOURCE_KINDS = resource_kinds()  # the bench makes realistic values for each: a new kind needs its `_<kind>` here
# Per organization: 5 services, 3 resources, 1 case (with the organization itself: 10 entries).
ENTRY_PATTERN = ("service", "service", "resource", "service", "resource", "service", "case", "resource", "service")

PREFIXES = ("北京", "中关村", "首都", "京津冀", "北京市")
TOPICS = ("人工智能", "集成电路", "生物医药", "智能网联汽车", "绿色能源", "智能制造", "区块链", "先进计算", "虚拟现实",
          "硅基光子", "科技金融", "知识产权", "检验检测", "技术转移", "标准化", "工业互联网", "医疗器械", "新材料",
          "卫星互联网", "数字孪生", "储能", "氢能", "机器人", "量子信息", "数据要素", "网络安全", "创新药", "低空经济")
ORG_SUFFIXES = ("产业创新联盟", "行业协会", "产业技术创新战略联盟", "促进会", "研究会", "服务联盟", "学会", "基金会")
SERVICE_NOUNS = ("咨询诊断", "检测认证", "对接服务", "培训课程", "评估服务", "申报辅导", "成果转化服务", "专利导航",
                 "融资路演", "标准宣贯", "合规指导", "人才测评", "出海服务", "中试服务", "数据服务")
RESOURCE_TITLES = {
    "standard": ("技术要求", "测试方法", "评价规范", "数据接口规范", "安全要求", "服务规范"),
    "platform": ("共性技术服务平台", "公共服务平台", "创新服务平台", "数据共享平台"),
    "report": ("产业发展报告", "技术路线图", "企业发展白皮书", "市场分析报告"),
    "patent_pool": ("专利池", "高价值专利组合", "标准必要专利池"),
    "event": ("供需对接会", "创新大赛", "技术论坛", "政策宣讲会", "产品展示会", "专题培训班"),
    "facility": ("检测实验室", "中试基地", "验证中心", "测试场", "分析测试中心"),
    "cooperation": ("合作备忘录", "战略合作协议", "联合实验室协议"),
    "journal": ("研究", "进展", "评论", "通讯"),
}
CLAUSES = (
    "聚焦企业在技术研发和市场开拓中遇到的堵点痛点", "联合高校院所和龙头企业共同提供专业支撑", "以会员企业需求为导向设计服务流程",
    "建立线上线下相结合的服务机制", "为中小企业提供优惠的服务价格", "定期发布服务清单和典型案例", "组织专家团队开展一对一辅导",
    "推动科技成果在园区落地转化", "对接政府部门和金融机构的政策资源", "支持企业参与国际标准和国际合作", "形成可复制可推广的服务模式",
    "服务覆盖中关村多个分园", "依托行业数据库开展精准匹配", "提供从需求诊断到效果评估的全流程服务", "帮助企业降低研发和合规成本",
    "每季度组织一次专题交流活动", "服务结果向社会公开并接受评价", "积极落实聚力行动的各项任务", "提升产业链上下游协同水平",
    "通过数字化平台提高服务效率", "为初创企业提供首次免费咨询", "培养一批懂技术懂市场的复合型人才", "促进创新链产业链资金链人才链深度融合",
)
BULLETS = (
    "需求诊断与方案设计", "专家评审与现场指导", "数据分析与报告编制", "政策解读与申报辅导", "资源对接与跟踪服务",
    "技术验证与测试评估", "知识产权布局与风险排查", "标准研制与宣贯培训", "融资路演与投资对接", "国际市场调研与渠道推荐",
    "人才培训与能力认证", "成果评价与转化对接",
)
ENTERPRISE_WORDS = ("智联", "芯科", "康源", "绿能", "星图", "数智", "云帆", "恒信", "中科", "睿思", "光合", "远航")
INDUSTRY_STD = ("SJ", "YY", "JB", "GA", "HG", "JT", "YD", "QC", "NB")[:8]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ID_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


class _Dumper(_BaseDumper):
    """Writes entries the way people do: block mappings, flow lists of terms, `|` blocks for Markdown."""


def _represent_str(dumper, value: str):
    if _DATE.fullmatch(value):  # written plain, as people write dates (the loader keeps them as text)
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper, value: list):
    flow = all(isinstance(v, (str, int)) and len(str(v)) < 30 for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def dump(data: dict, schema: str, depth: int) -> bytes:
    head = f"# yaml-language-server: $schema={'../' * depth}generator/schemas/{schema}.schema.json\n"
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096,
                     default_flow_style=False)
    return (head + body).encode("utf-8")


class Catalog:
    """Builds every file of a synthetic catalog in memory: {relative path: bytes}."""

    def __init__(self, size: int, seed: int, taxonomy: dict):
        self.rng = random.Random(seed)
        self.size = size
        self.terms = {key: terms for key, terms in taxonomy.items() if isinstance(terms, list)}
        self.vocab = {key: [t["name"] for t in terms] for key, terms in self.terms.items()}
        self.levels = {t["name"]: t for t in taxonomy["standard_levels"]}
        self.files: dict[str, bytes] = {}
        self.orgs: list[str] = []
        self.entries: dict[str, list[str]] = {}

    # -- small helpers ---------------------------------------------------------------------------
    def pick(self, vocabulary: str, low: int = 1, high: int = 3) -> list[str]:
        terms = self.vocab[vocabulary]
        return self.rng.sample(terms, self.rng.randint(low, min(high, len(terms))))

    def sentence(self, low: int = 2, high: int = 4) -> str:
        return "，".join(self.rng.sample(CLAUSES, self.rng.randint(low, high))) + "。"

    def summary(self, subject: str) -> str:
        text = f"{subject}{self.sentence(2, 3)}"
        while len(text) < 60:
            text += self.sentence(1, 2)
        return text[:150]

    def markdown(self, paragraphs: int = 2, bullets: int = 4) -> str:
        parts = [self.sentence(3, 5) + self.sentence(2, 4) for _ in range(paragraphs)]
        items = "\n".join(f"- {b}；" for b in self.rng.sample(BULLETS, bullets))
        return "\n\n".join(parts[:1] + ["主要内容包括：\n\n" + items] + parts[1:]) + "\n"

    def day(self, start: date, span: int) -> date:
        return start + timedelta(days=self.rng.randint(0, span))

    def dates(self) -> tuple[str, str]:
        published = self.day(date(2022, 1, 1), 1200)
        return published.isoformat(), self.day(published, 500).isoformat()

    def contact(self, org_index: int) -> dict:
        return {"label": self.rng.choice(("秘书处", "服务专线", "联络办公室", "项目组")),
                "phone": f"010-{62000000 + org_index * 37 % 9999999:08d}",
                "email": f"service@org{org_index:05d}.example.org"}

    # -- the kinds -------------------------------------------------------------------------------
    def organization(self, index: int) -> str:
        rng = self.rng
        topic = rng.choice(TOPICS)
        org_id = f"org-{index:05d}-{rng.choice(('alliance', 'association', 'society', 'federation'))}"
        name = f"{rng.choice(PREFIXES)}{topic}{rng.choice(ORG_SUFFIXES)}（示例{index}）"
        district = rng.choice(self.vocab["districts"][1:])
        body = "".join(rng.choice(ID_ALPHABET) for _ in range(8))
        org_code = body + codes.org_code_check_char(body)
        first17 = rng.choice(("51", "52", "53")) + f"11{rng.randint(1, 19):02d}{rng.randint(0, 99):02d}" + org_code
        total = rng.randint(20, 800)
        data = {
            "schema_version": 1, "id": org_id, "name": name, "short_name": f"{topic[:4]}{index}",
            "name_en": f"Beijing {topic} organization {index} (example)", "type": rng.choice(self.vocab["organization_types"]),
            "uscc": first17 + codes.uscc_check_char(first17), "registered_by": f"北京市{district}民政局".replace("区区", "区"),
            "supervisor": f"北京市{topic}主管部门（示例）", "founded": self.day(date(1990, 1, 1), 12000).isoformat(),
            "members": {"total": total, "enterprises": total * 3 // 4, "institutions": total // 5,
                        "individuals": total - total * 3 // 4 - total // 5},
            "fields": self.pick("fields"), "parks": self.pick("parks"), "districts": [district],
            "summary": self.summary(f"{name}汇聚{topic}领域企业、高校院所和投资机构，"),
            "description": self.markdown(3, 5), "website": f"https://org{index:05d}.example.org/",
            "contacts": [self.contact(index) | {"address": f"北京市{district}示例路 {index % 300 + 1} 号（示例地址）"}],
            "logo": "logo.png",
            "international_memberships": [{"name": f"国际{topic}合作组织（示例）", "role": "会员", "since": rng.randint(2005, 2024)}],
            "maintainers": [f"org{index:05d}-bot", f"editor-{index:05d}"],
        }
        folder = f"catalog/organizations/{org_id}"
        self.files[f"{folder}/organization.yml"] = dump(data, "organization", 3)
        self.files[f"{folder}/logo.png"] = png(rng, 96)
        self.files[f"{folder}/figures.yml"] = dump(self.figures(), "figures", 3)
        self.orgs.append(org_id)
        self.entries[org_id] = []
        return org_id

    def figures(self) -> dict:
        rng = self.rng
        levels = [t["id"] for t in self.levels.values()]
        return {"schema_version": 1, "years": [
            {"year": year, "enterprises_served": rng.randint(50, 3000), "events": rng.randint(1, 40),
             "standards": {level: rng.randint(1, 5) for level in sorted(rng.sample(levels, 2))},
             "reports": rng.randint(0, 5), "platforms": rng.randint(0, 3), "cooperation_agreements": rng.randint(0, 4)}
            for year in (2024, 2025)]}

    def service(self, org_id: str, org_index: int, number: int) -> None:
        rng = self.rng
        topic = rng.choice(TOPICS)
        entry_id = f"service-{number:05d}"
        title = f"{topic}{rng.choice(SERVICE_NOUNS)}"
        published, updated = self.dates()
        data = {
            "schema_version": 1, "id": entry_id, "title": title, "service_kinds": self.pick("service_kinds", 1, 2),
            "capabilities": self.pick("capabilities", 1, 2), "fields": self.pick("fields", 1, 2),
            "audiences": self.pick("audiences", 1, 3), "delivery": self.pick("delivery", 1, 2),
            "fee": rng.choice(self.vocab["fees"]), "fee_note": "会员单位享受优惠价格",
            "parks": self.pick("parks", 1, 2), "districts": self.pick("districts", 1, 2),
            "summary": self.summary(f"面向{topic}企业提供{title}，"), "description": self.markdown(2, 4),
            "how_to_apply": f"在线提交申请表，{self.sentence(1, 2)}工作人员在 5 个工作日内联系确认。",
            "apply_url": f"https://org{org_index:05d}.example.org/services/{entry_id}",
            "contact": self.contact(org_index), "published": published, "updated": updated,
            "tags": rng.sample(TOPICS, 3),
        }
        if rng.random() < 0.2:
            data["valid_until"] = self.day(date.fromisoformat(published), 900).isoformat()
        self.write_entry(org_id, "services", entry_id, data)

    def resource(self, org_id: str, org_index: int, number: int, kind: str) -> None:
        rng = self.rng
        topic = rng.choice(TOPICS)
        entry_id = f"{kind.replace('_', '-')}-{number:05d}"
        published, updated = self.dates()
        title = f"{topic}{rng.choice(RESOURCE_TITLES[kind])}"
        data: dict = {"schema_version": 1, "id": entry_id, "kind": kind, "title": title}
        extra = getattr(self, f"_{kind}")(topic, org_index, published)
        data.update(extra)
        data.update({
            "fields": self.pick("fields", 1, 2), "audiences": self.pick("audiences", 1, 3),
            "parks": self.pick("parks", 1, 2), "fee": rng.choice(self.vocab["fees"]),
            "summary": self.summary(f"{title}，"), "description": self.markdown(2, 3),
            "url": extra.get("url", f"https://org{org_index:05d}.example.org/resources/{entry_id}"),
            "published": published, "updated": updated, "tags": rng.sample(TOPICS, 2),
        })
        self.write_entry(org_id, "resources", entry_id, data)

    def _standard(self, topic: str, org_index: int, published: str) -> dict:
        rng = self.rng
        level = rng.choice(list(self.levels))
        year = rng.randint(2015, 2025)
        number = rng.randint(100, 40000)
        numbers = {
            "国际标准": f"ISO/IEC {number}:{year}", "国家标准": f"GB/T {number}—{year}",
            "行业标准": f"{rng.choice(INDUSTRY_STD)}/T {number}—{year}", "地方标准": f"DB11/T {number}—{year}",
            "团体标准": f"T/ORG{org_index % 1000:03d} {number % 200 + 1}—{year}",
        }
        value = numbers[level]
        if not re.match(self.levels[level]["pattern"], value):
            raise AssertionError(f"generated {value} does not match {level}")
        issued = date.fromisoformat(published)
        return {"number": value, "level": level, "status": rng.choice(self.vocab["standard_statuses"][1:4]),
                "issued": issued.isoformat(), "effective": (issued + timedelta(days=rng.randint(30, 180))).isoformat(),
                "drafters": [f"示例{w}科技有限公司" for w in rng.sample(ENTERPRISE_WORDS, 3)]}

    def _platform(self, topic: str, org_index: int, published: str) -> dict:
        return {"platform_type": self.rng.choice(self.vocab["platform_types"]), "offers": self.rng.sample(BULLETS, 4),
                "url": f"https://platform{org_index:05d}.example.org/"}

    def _report(self, topic: str, org_index: int, published: str) -> dict:
        return {"year": int(published[:4]), "pages": self.rng.randint(40, 300),
                "document_url": f"https://org{org_index:05d}.example.org/reports/{published[:4]}.pdf"}

    def _patent_pool(self, topic: str, org_index: int, published: str) -> dict:
        return {"scope": f"{topic}相关的发明专利", "patents": self.rng.randint(50, 3000), "members": self.rng.randint(5, 80),
                "licensing": self.markdown(1, 3)}

    def _event(self, topic: str, org_index: int, published: str) -> dict:
        start = date.fromisoformat(published) + timedelta(days=self.rng.randint(10, 90))
        online = self.rng.random() < 0.3
        data = {"format": self.rng.choice(self.vocab["event_formats"]), "start": f"{start.isoformat()} 09:30",
                "end": f"{(start + timedelta(days=self.rng.randint(0, 2))).isoformat()} 17:00", "online": online,
                "registration_url": f"https://org{org_index:05d}.example.org/events/{start.isoformat()}"}
        if not online:
            data["place"] = f"北京市海淀区示例会议中心 {self.rng.randint(1, 20)} 号厅（示例）"
        return data

    def _facility(self, topic: str, org_index: int, published: str) -> dict:
        return {"facility_type": self.rng.choice(self.vocab["facility_types"]), "booking": self.markdown(1, 3),
                "location": f"北京市{self.rng.choice(self.vocab['districts'][1:])}示例园区 {self.rng.randint(1, 30)} 号楼（示例地址）"}

    def _cooperation(self, topic: str, org_index: int, published: str) -> dict:
        country = self.rng.choice(self.terms["countries"])
        return {"partner": f"{country['name']}{topic}协会（示例）", "partner_en": f"{country['en']} {topic} association (example)",
                "country": country["name"], "signed": published, "scope": "企业互访、联合研究和市场对接"}

    def _journal(self, topic: str, org_index: int, published: str) -> dict:
        issn = f"{self.rng.randint(1000, 9999)}-{self.rng.randint(100, 999)}"
        weights = range(8, 1, -1)
        check = (11 - sum(int(c) * w for c, w in zip(issn.replace("-", ""), weights)) % 11) % 11
        return {"issn": issn + ("X" if check == 10 else str(check)), "frequency": self.rng.choice(("月刊", "双月刊", "季刊")),
                "language": self.rng.choice(("中文", "英文"))}

    def case(self, org_id: str, org_index: int, number: int) -> None:
        rng = self.rng
        topic = rng.choice(TOPICS)
        entry_id = f"case-{number:05d}"
        own = self.entries[org_id]
        other = self.orgs[(org_index * 7 + 3) % len(self.orgs)]
        refs_services = [e for e in own if e.startswith("service-")][:2]
        refs_resources = [e for e in own if not e.startswith("service-")][:1]
        foreign = [e for e in self.entries[other] if e.startswith("service-")][:1] if other != org_id else []
        refs_services += [f"{other}/{e}" for e in foreign]
        served = rng.randint(10, 500)
        when = self.day(date(2023, 1, 1), 900).isoformat()
        data: dict = {
            "schema_version": 1, "id": entry_id, "title": f"{topic}服务助力企业解决发展难题（案例 {number}）", "date": when,
            "organizations": [org_id] + ([other] if other != org_id else []),
            "enterprises": [f"北京示例{w}科技有限公司" for w in rng.sample(ENTERPRISE_WORDS, 2)],
            "fields": self.pick("fields", 1, 2), "capabilities": self.pick("capabilities", 1, 2), "parks": self.pick("parks", 1, 2),
            "summary": self.summary(f"围绕{topic}企业的共性需求，"), "problem": self.markdown(1, 2),
            "approach": self.markdown(2, 4), "effects": f"{self.sentence(2, 3)}累计服务企业 {served} 家。\n",
            "figures": [{"label": "服务企业", "value": served, "unit": "家"},
                        {"label": "成本降低", "value": rng.randint(5, 40), "unit": "%"}],
            "enterprises_served": served,
        }
        if refs_services:
            data["services"] = refs_services
        if refs_resources:
            data["resources"] = refs_resources
        if number % 5 == 0:
            data["images"] = [{"file": f"images/{entry_id}.png", "alt": f"{topic}服务活动现场，企业代表交流",
                               "caption": "服务活动现场"}]
            self.files[f"cases/{org_id}/images/{entry_id}.png"] = png(rng, 320)
        data["body"] = self.markdown(2, 3)
        data["tags"] = rng.sample(TOPICS, 2)
        self.files[f"cases/{org_id}/{entry_id}.yml"] = dump(data, "case", 2)

    def write_entry(self, org_id: str, folder: str, entry_id: str, data: dict) -> None:
        self.files[f"catalog/organizations/{org_id}/{folder}/{entry_id}.yml"] = dump(data, folder[:-1], 4)
        self.entries[org_id].append(entry_id)

    def generate(self, programme: dict) -> dict[str, bytes]:
        n_orgs = max(1, self.size // 10)
        for i in range(n_orgs):
            self.organization(i)
        counters = {"service": 0, "resource": 0, "case": 0}
        pending_cases = []
        for i in range(self.size - n_orgs):
            kind = ENTRY_PATTERN[i % len(ENTRY_PATTERN)]
            org_index = (i // len(ENTRY_PATTERN)) % n_orgs
            org_id = self.orgs[org_index]
            number = counters[kind]
            counters[kind] += 1
            if kind == "service":
                self.service(org_id, org_index, number)
            elif kind == "resource":
                self.resource(org_id, org_index, number, RESOURCE_KINDS[number % len(RESOURCE_KINDS)])
            else:
                pending_cases.append((org_id, org_index, number))
        for org_id, org_index, number in pending_cases:  # cases cite entries, so they come last
            self.case(org_id, org_index, number)
        keys = self.orgs[: min(30, len(self.orgs))]
        programme = dict(programme)
        programme["key_organizations"] = keys
        programme["integrity"] = {org: {"status": "良好", "checked": "2025-06-30"} for org in keys}
        self.files["catalog/programme.yml"] = dump(programme, "programme", 2)
        return self.files


def png(rng: random.Random, side: int) -> bytes:
    """A small deterministic PNG: two colour bands, like a simple logo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (side, side), tuple(rng.randint(0, 255) for _ in range(3)))
    ImageDraw.Draw(image).rectangle((side // 4, side // 4, side * 3 // 4, side * 3 // 4),
                                    fill=tuple(rng.randint(0, 255) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def generate(out: Path, size: int = 10_000, seed: int = 1, project: Path = ROOT) -> dict[str, int]:
    """Write a catalog of `size` entries into `out` (replacing catalog/ and cases/ there); returns counts."""
    taxonomy_text = (project / "catalog/taxonomy.yml").read_bytes()
    taxonomy = yaml.load(taxonomy_text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    programme = yaml.load((project / "catalog/programme.yml").read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    programme = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in programme.items()}
    programme.pop("key_organizations", None)
    programme.pop("integrity", None)
    # The printed edition is measured on its own (bench/print.py): the build is compared with stock
    # mkdocs-material, which makes no PDFs, and typesetting would be most of a cold build's time.
    programme["print"] = {**programme.get("print", {}), "build": False}
    files = Catalog(size, seed, taxonomy).generate(programme)
    files["catalog/taxonomy.yml"] = taxonomy_text
    out.mkdir(parents=True, exist_ok=True)
    for top in ("catalog", "cases") + PROJECT_FILES:
        target = out / top
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for name in PROJECT_FILES:
        source = project / name
        if source.is_dir():
            shutil.copytree(source, out / name)
        elif source.is_file():
            shutil.copy(source, out / name)
    counts = {"organizations": 0, "services": 0, "resources": 0, "cases": 0}
    for rel in files:
        if rel.endswith("/organization.yml"):
            counts["organizations"] += 1
        elif "/services/" in rel:
            counts["services"] += 1
        elif "/resources/" in rel:
            counts["resources"] += 1
        elif rel.startswith("cases/") and rel.endswith(".yml"):
            counts["cases"] += 1
    counts["entries"] = sum(counts.values())
    counts["files"] = len(files)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="number of entries (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="output folder (default bench/work/catalog-<size>)")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "bench" / "work" / f"catalog-{args.size}"
    counts = generate(out, args.size, args.seed)
    print(f"{out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
