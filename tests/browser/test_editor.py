"""The content editor end to end: in a temporary git repository, `juli edit` runs Decap CMS's local
backend with the live preview; headless Chromium adds a new organization with a logo, two services, a
standard, an event and a case through the forms (a wrong USCC is shown in the form and not saved); then
tools/ci-check.sh (the script every pull request runs, with author and base) passes on the change and
the built site shows the new organization. Nothing leaves 127.0.0.1.

With JULI_EDITOR_SHOTS=<folder> the walkthrough also saves the screenshots the contributor guide uses.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from PIL import Image

from generator.checks import codes
from projects import ROOT, copy_project

pytestmark = pytest.mark.slow
ORG = "bj-drone-test-alliance"
PINYIN_ID = "wu-ren-ji-ying-yong-chang-jing-dui-jie"  # 无人机应用场景对接
SHOTS = Path(os.environ["JULI_EDITOR_SHOTS"]) if os.environ.get("JULI_EDITOR_SHOTS") else None


def uscc(org8: str) -> str:
    """A valid USCC of a social organization (prefix 51) registered in Haidian, from the validator's rules."""
    org_code = org8 + codes.org_code_check_char(org8)
    first17 = "51" + "110108" + org_code
    return first17 + codes.uscc_check_char(first17)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(root: Path, *argv: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", "-C", str(root), *argv], check=True, capture_output=True, text=True, env=env).stdout


class Form:
    """Drives one Decap entry form by field name (Decap gives each input the id `<name>-field-<n>`), so the
    test does not depend on the labels, which come from the schemas' titles."""

    def __init__(self, page, base: str, scratch: Path):
        self.page, self.base, self.filled, self.scratch = page, base, 0, scratch

    def open(self, collection: str) -> None:
        self.page.goto(f"{self.base}#/collections/{collection}/new")
        self.page.wait_for_function(  # the new, empty form (not the previous entry's, still leaving)
            """() => { const ids = document.querySelectorAll('input[id^="id-field-"]');
                       return ids.length === 1 && ids[0].value === ""; }""")
        self.filled = 0

    def new_resource(self, collection: str, id: str, title: str, summary: str, day: str = "2026-11-20") -> None:
        """A new entry of a resource collection with what every entry starts with: id, title, summary, dates."""
        self.open(collection)
        self.text("id", id)
        self.text("title", title)
        self.text("summary", summary)
        self.date("published", day)
        self.date("updated", day)

    def input(self, name: str, nth: int = 0):
        return self.page.locator(f'input[id^="{name}-field-"], textarea[id^="{name}-field-"]').nth(nth)

    def text(self, name: str, value: str, nth: int = 0) -> None:
        self.input(name, nth).fill(value)
        self.filled += 1

    def select(self, name: str, *values: str) -> None:
        """Choose each value in a select widget, and see it chosen: on a busy machine a click on the option
        can be lost while the menu redraws, so the choice is made again (at most three times)."""
        box = self.input(name)
        control = box.locator("xpath=ancestor::div[contains(@class, '-control')][1]")
        for value in values:
            chosen = control.locator('[class*="multiValue"], [class*="singleValue"]', has_text=value).first
            for _ in range(3):
                box.click()
                box.fill(value)
                self.page.locator('[class*="-option"]', has_text=re.compile(f"^{re.escape(value)}$")).first.click()
                try:
                    chosen.wait_for(timeout=3000)
                    break
                except PlaywrightTimeout:
                    continue
            else:
                raise AssertionError(f"{name}: {value} could not be chosen")
        self.filled += 1

    def date(self, name: str, value: str) -> None:
        self.input(name).fill(value)
        self.filled += 1

    def add_item(self, name: str) -> None:
        self.page.locator(f'[id^="{name}-field-"]').locator("button", has_text="新增").first.click()

    def image(self, name: str, path: Path, nth: int = 0) -> None:
        label = self.page.locator(f'label[for^="{name}-field-"]')
        field = self.page.locator('[aria-label="image field"]').filter(has=label).nth(nth)
        field.get_by_role("button", name="选择图片").click()
        self.page.locator('input[type="file"]').set_input_files(str(path))
        self.page.get_by_role("button", name="选用已选中项目").click()
        self.filled += 1

    def publish(self) -> None:
        self.page.get_by_role("button", name="发布").first.click()
        self.page.get_by_text("立即发布").click()

    def published(self) -> None:
        """Waits until the entry is saved (Decap then shows the saved entry's URL)."""
        try:
            self.page.wait_for_url(re.compile(r"#/collections/[^/]+/entries/"), timeout=20000, wait_until="commit")
        except Exception:
            errors = self.page.locator('[class*="ControlErrorsList"] li, .Toastify__toast-body').all_inner_texts()
            self.page.screenshot(path=str(self.scratch / "not-saved.png"), full_page=True)
            raise AssertionError(f"the entry was not saved (see {self.scratch / 'not-saved.png'}): {errors}") from None

    def shot(self, name: str, near: str | None = None) -> None:
        """A screenshot for the guide, with the field `near` in the middle of the window."""
        if SHOTS:
            SHOTS.mkdir(parents=True, exist_ok=True)
            if near:
                self.input(near).evaluate("e => e.scrollIntoView({block: 'center'})")
            self.page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.fixture
def project(tmp_path):
    root = copy_project(tmp_path / "p")
    for name in (".github", "schemas", "tools"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, root / name)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "join")
    return root


@pytest.fixture
def editor(project):
    port, backend = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = (project.parent / "edit.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "generator", "edit", "--root", str(project), "--port", str(port),
                                "--backend-port", str(backend)], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 180
        text = ""
        while time.monotonic() < deadline and "编辑器地址" not in text and process.poll() is None:
            time.sleep(0.3)
            text = (project.parent / "edit.log").read_text("utf-8")
        assert "编辑器地址" in text, text
        url = re.search(r"编辑器地址\uff1a(http\S+?)\uff08", text).group(1)
        assert url == f"http://127.0.0.1:{port}/admin/?backend={backend}"
        yield url
    finally:
        process.terminate()  # juli edit stops its decap-server too
        process.wait(10)
        log.close()
    assert not _listening(backend), "decap-server outlived juli edit"


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_join_through_the_editor(project, editor, new_page, tmp_path):
    started = time.perf_counter()
    page = new_page(width=1280, height=900)
    page.goto(editor)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="组织简介").first.wait_for()
    first_load = len(page.traffic.requests)
    form = Form(page, editor, tmp_path)
    form.shot("editor-collections")

    # The organization: a wrong check character is shown while typing and blocks saving.
    form.open("organization")
    form.text("id", ORG)
    form.text("name", "北京无人机检测技术创新联盟")
    form.text("short_name", "无人机检测联盟")
    form.select("type", "要素类")
    good = uscc("MJ123456")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    form.text("uscc", bad)
    alert = page.locator(".juli-check")
    assert "有一位抄错" in alert.inner_text()
    form.text("registered_by", "北京市民政局")
    form.date("founded", "2021-06-18")
    form.select("fields", "智能制造与装备", "人工智能")
    form.text("summary", "联合检测机构和整机企业，为无人机企业提供适航检测、标准宣贯和场景对接服务。")
    form.add_item("maintainers")
    form.text("item", "drone-alliance", nth=0)
    logo = tmp_path / "logo.png"
    shutil.copy(ROOT / "catalog/organizations/bj-ai-industry-alliance/logo.png", logo)
    form.image("logo", logo)
    form.shot("editor-uscc-error", near="uscc")
    form.publish()
    page.get_by_text("有一位抄错").first.wait_for()
    assert not (project / f"catalog/organizations/{ORG}/organization.yml").exists()
    form.text("uscc", good)
    assert page.locator(".juli-check").count() == 0
    form.publish()
    form.published()
    org_fields = form.filled - 1  # the corrected USCC was typed twice

    service_fields = []
    for sid, title, kinds in (("drone-airworthiness-testing", "无人机适航检测服务", ("检验检测",)),
                              (PINYIN_ID, "无人机应用场景对接", ("市场对接", "信息咨询"))):
        form.open("service")
        assert form.input("_org").input_value() == ORG  # remembered from the organization just saved
        form.text("title", title)
        if sid == PINYIN_ID:  # the file name offered from the Chinese title
            form.input("id").focus()
            page.get_by_role("button", name=re.compile("用拼音作标识")).click()
            assert form.input("id").input_value() == PINYIN_ID
            form.filled += 1
        else:
            form.text("id", sid)
        form.select("service_kinds", *kinds)
        form.select("capabilities", "搭建科技服务平台")
        form.select("fields", "智能制造与装备")
        form.select("audiences", "中小企业")
        form.select("delivery", "线下")
        form.select("fee", "优惠")
        form.text("summary", f"{title}：面向无人机整机和零部件企业，提供一站式服务。")
        form.text("how_to_apply", "发送企业简介至联盟秘书处邮箱，五个工作日内安排对接。")
        form.date("published", "2026-11-20")
        form.date("updated", "2026-11-20")
        if sid == "drone-airworthiness-testing":
            form.shot("editor-service", near="title")
        form.publish()
        form.published()
        service_fields.append(form.filled)

    form.new_resource("resource-standard", "group-standard-drone-noise", "民用无人机噪声测试方法",
                      "规定民用多旋翼无人机噪声测试的场地、仪器和数据处理方法。")
    form.select("level", "团体标准")
    form.text("number", "T/BJDA 001——2026")
    assert "重复" in page.locator(".juli-check").inner_text()  # the doubled dash an IME types, named as such
    form.text("number", "T/BJDA 001—2026")
    form.select("status", "发布")
    form.publish()
    form.published()

    form.new_resource("resource-event", "drone-testing-open-day-2026", "无人机检测实验室开放日",
                      "开放检测实验室，现场讲解适航检测流程并解答企业提问。")
    form.date("start", "2026-12-10T09:30")
    form.date("end", "2026-12-10T16:00")
    form.select("format", "产品展示")
    form.text("place", "海淀区中关村软件园")
    form.publish()
    form.published()

    form.open("case")
    form.text("id", "drone-inspection-sme")
    form.text("title", "帮助中小企业通过无人机适航检测")
    form.date("date", "2026-10-15")
    form.add_item("organizations")
    form.text("item", ORG, nth=0)
    form.select("fields", "智能制造与装备")
    form.select("capabilities", "搭建科技服务平台")
    form.text("summary", "联盟组织检测机构为三家中小企业完成适航检测，产品顺利上市。")
    form.text("problem", "中小无人机企业缺少检测设备，送检周期长、费用高。")
    form.text("approach", "联盟统筹成员单位的检测资源，按批次集中送检并提供整改辅导。")
    form.text("effects", "检测周期由两个月缩短到三周，三家企业的产品全部通过检测。")
    form.add_item("images")
    photo = tmp_path / "inspection.png"
    Image.radial_gradient("L").resize((640, 480)).convert("RGB").save(photo)
    form.image("file", photo)
    form.text("alt", "检测人员在实验室测试无人机")
    form.publish()
    form.published()
    walkthrough = time.perf_counter() - started

    # The live preview shows the new organization; its "修改此条目 / 纠错" opens the form for its file.
    preview = editor.split("admin/")[0] + f"organizations/{ORG}/"
    deadline = time.monotonic() + 120
    while page.goto(preview).status != 200 and time.monotonic() < deadline:
        time.sleep(1)
    assert "北京无人机检测技术创新联盟" in page.content()
    page.get_by_role("link", name="修改此条目 / 纠错").click()
    page.wait_for_function("""() => { const i = document.querySelector('input[id^="uscc-field-"]');
                                      return i && i.value.length === 18; }""")
    assert form.input("uscc").input_value() == good

    added = sorted(git(project, "status", "--porcelain", "--untracked-files=all", "catalog", "cases").split("\n"))
    assert [line[3:] for line in added if line] == sorted([
        f"cases/{ORG}/drone-inspection-sme.yml", f"cases/{ORG}/images/inspection.png",
        f"catalog/organizations/{ORG}/logo.png", f"catalog/organizations/{ORG}/organization.yml",
        f"catalog/organizations/{ORG}/resources/drone-testing-open-day-2026.yml",
        f"catalog/organizations/{ORG}/resources/group-standard-drone-noise.yml",
        f"catalog/organizations/{ORG}/services/drone-airworthiness-testing.yml",
        f"catalog/organizations/{ORG}/services/{PINYIN_ID}.yml"])
    organization = yaml.safe_load((project / f"catalog/organizations/{ORG}/organization.yml").read_text("utf-8"))
    assert organization["uscc"] == good and organization["logo"] == "logo.png"
    assert organization["maintainers"] == ["drone-alliance"]
    service = (project / f"catalog/organizations/{ORG}/services/{PINYIN_ID}.yml").read_text("utf-8").splitlines()
    assert service[:3] == ["# yaml-language-server: $schema=../../../../schemas/service.schema.json",
                           "schema_version: 1", f"id: {PINYIN_ID}"]  # as a contributor would write it, schema order
    assert not any(line.rstrip().endswith((": ''", ": []", ": {}")) for line in service)  # nothing left empty

    # What the form saved is what every pull request is checked with.
    git(project, "add", "-A", "catalog", "cases")
    git(project, "commit", "-q", "-m", "Join: drone testing alliance")
    env = {**os.environ, "JULI": f"{sys.executable} -m generator", "JULI_AUTHOR": "drone-alliance",
           "JULI_BASE": "main", "PYTHONPATH": str(ROOT), "JULI_OUT": "ci-site"}
    ci = subprocess.run([str(project / "tools/ci-check.sh")], capture_output=True, text=True, env=env, cwd=project)
    assert "JL" not in ci.stdout.split("== 代码所有者")[0], ci.stdout  # juli validate: no error, no warning
    page_file = project / f"ci-site/organizations/{ORG}/index.html"
    assert page_file.is_file(), ci.stdout + ci.stderr
    profile = page_file.read_text("utf-8")
    assert "北京无人机检测技术创新联盟" in profile and "无人机适航检测服务" in profile

    bundle = sum(r.sizes()["responseBodySize"] for r in page.traffic.requests[:first_load] if "/admin/" in r.url)
    print(f"\nEDITOR-MEASURE walkthrough={walkthrough:.1f}s organization_fields={org_fields} "
          f"service_fields={service_fields} editor_first_load_bytes={bundle}")
    assert ci.returncode == 0, ci.stdout + ci.stderr

