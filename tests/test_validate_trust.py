"""Untrusted input that must be refused, or accepted and named, before anything is built (issue 11, the
input side; issue 12, the messages a non-programmer misread). Real files on disk, as a pull request
brings them: symbolic links, special files, names Windows cannot check out, invisible characters."""

from __future__ import annotations

import os
import re
import socket

import pytest

from generator import model
from generator.checks import validate
from generator.load.problems import CODES, Level
from validator_kit import CASE, ORGANIZATION, SERVICE as SERVICE_TEXT, CatalogKit

ORG = "catalog/organizations/test-org/organization.yml"
SERVICE = "catalog/organizations/test-org/services/ip-consulting.yml"
STANDARD = "catalog/organizations/test-org/resources/group-standard.yml"
CASE_FILE = "cases/test-org/ip-case.yml"
ENGLISH = re.compile(r"\b(found|expected|while|scanning|parsing|mapping|could not|allowed|token|stream|depth)\b", re.I)


@pytest.fixture
def kit(tmp_path) -> CatalogKit:
    return CatalogKit(tmp_path / "repo")


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def only(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, f"expected {code}, got {[(p.code, p.message) for p in problems]}"
    return found


def other_org(kit: CatalogKit) -> None:
    kit.write("catalog/organizations/other-org/organization.yml",
              ORGANIZATION.replace("id: test-org", "id: other-org").replace("51110108MJ0012342G", "51110108MJ00123509"))
    kit.write("catalog/organizations/other-org/services/secret.yml", SERVICE_TEXT.replace("id: ip-consulting", "id: secret"))


# --- symbolic links and special files --------------------------------------------------------------

def test_a_symlink_to_a_file_outside_the_repository_is_refused_not_read(kit, tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text(SERVICE_TEXT.replace("id: ip-consulting", "id: leaked"), "utf-8")
    link = kit.root / "catalog/organizations/test-org/services/leaked.yml"
    link.symlink_to(outside)
    [p] = only(kit.problems(), "JL110")
    assert p.file == "catalog/organizations/test-org/services/leaked.yml"
    assert "符号链接" in p.message and "不跟随" in p.message
    assert not validate(kit.root).ok
    assert all(s.rel != p.file for s, _ in validate(kit.root).documents)  # never parsed, so never published


def test_a_symlink_in_your_folder_to_another_organizations_entry_is_refused(kit):
    other_org(kit)
    link = kit.root / "catalog/organizations/test-org/services/secret.yml"
    link.symlink_to("../../other-org/services/secret.yml")
    assert link.is_file()  # the link resolves: following it would republish the entry as test-org's
    [p] = only(kit.problems(), "JL110")
    assert p.file.endswith("test-org/services/secret.yml")


def test_a_symlinked_folder_is_refused_and_not_descended(kit):
    other_org(kit)
    (kit.root / "cases/stolen").symlink_to(kit.root / "catalog/organizations/other-org", target_is_directory=True)
    problems = kit.problems()
    [p] = only(problems, "JL110")
    assert p.file == "cases/stolen"
    assert not any(q.file.startswith("cases/stolen/") for q in problems)


def test_a_symlinked_logo_is_refused(kit, tmp_path):
    from PIL import Image

    Image.new("RGB", (200, 200), "red").save(tmp_path / "elsewhere.png")
    (kit.root / "catalog/organizations/test-org/logo.png").symlink_to(tmp_path / "elsewhere.png")
    kit.append(ORG, "logo: logo.png\n")
    [p] = only(kit.problems(), "JL110")
    assert p.file == "catalog/organizations/test-org/logo.png"


def test_fifos_and_sockets_are_refused_without_blocking(kit):
    os.mkfifo(kit.root / "catalog/organizations/test-org/services/pipe.yml")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(kit.root / "cases/test-org/sock.yml"))
    try:
        problems = only(kit.problems(), "JL110")
    finally:
        sock.close()
    messages = {p.file: p.message for p in problems}
    assert "命名管道" in messages["catalog/organizations/test-org/services/pipe.yml"]
    assert "套接字" in messages["cases/test-org/sock.yml"]


def test_a_file_swapped_for_a_symlink_after_discovery_is_not_followed(kit, tmp_path):
    from generator.load import read_regular

    target = tmp_path / "secret.txt"
    target.write_text("secret", "utf-8")
    path = kit.root / SERVICE
    path.unlink()
    path.symlink_to(target)
    with pytest.raises(OSError):
        read_regular(path)


# --- file names --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["con.yml", "AUX.yml", "lpt1.yml", "com9.png", "nul", "report.yml.", "a b .yml ",
                                  "what?.yml", 'quote".yml', "pipe|x.yml", "star*.yml", "colon:x.yml", "lt<x.yml"])
def test_names_windows_cannot_check_out_are_refused_before_reading(kit, name):
    rel = f"catalog/organizations/test-org/services/{name}"
    if name == "nul":
        (kit.root / rel).mkdir()
        kit.write(rel + "/x.yml", SERVICE_TEXT)
    else:
        kit.write(rel, "title: [unclosed\n")  # would be a YAML error if it were read
    problems = kit.problems()
    [p] = only(problems, "JL111")
    assert p.file == rel and "Windows" in p.message
    assert not any(q.file.startswith(rel) and q.code != "JL111" for q in problems)


def test_a_chinese_file_name_is_named_first_with_a_pinyin_suggestion(kit):
    kit.write("catalog/organizations/test-org/services/无人机检测.yml",
              SERVICE_TEXT.replace("id: ip-consulting", "id: drone-testing"))
    problems = [p for p in kit.problems() if "无人机检测" in p.file]
    assert codes(problems) == ["JL112"], [(p.code, p.message) for p in problems]  # not JL300 (id ≠ file name)
    [p] = problems
    assert "文件名只能用小写英文字母、数字和连字符" in p.message
    assert "`wu-ren-ji-jian-ce`" in p.message


def test_a_chinese_folder_name_is_named_too(kit):
    kit.write("cases/测试组织/ip-case.yml", CASE)
    [p] = only(kit.problems(), "JL112")
    assert "文件夹名" in p.message and "`ce-shi-zu-zhi`" in p.message


def test_pypinyin_is_a_declared_dependency():
    from validator_kit import ROOT

    assert re.search(r'"pypinyin[><=]', (ROOT / "pyproject.toml").read_text("utf-8"))


# --- characters ----------------------------------------------------------------------------------------

def test_a_raw_control_byte_is_named_in_chinese_at_its_line_and_column(kit):
    kit.edit(SERVICE, "fee: 免费", "fee: 免\x01费")
    result = kit.cli()
    assert result.returncode == 1
    assert f"{SERVICE}:9:7:" in result.stdout and "JL113" in result.stdout and "U+0001" in result.stdout
    assert not ENGLISH.search(result.stdout + result.stderr), result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("raw, code", [("\x7f", "JL113"), ("\x85", "JL113"), ("\u2028", "JL113"),
                                       ("\ufdd0", "JL114"), ("\uffff", "JL114"), ("\U0010ffff", "JL114")])
def test_raw_characters_yaml_cannot_carry_are_located_exactly(kit, raw, code):
    kit.edit(CASE_FILE, "effects: 20 家企业", f"effects: 20 家{raw}企业")
    [p] = only(kit.problems(), code)
    assert (p.line, p.column) == (11, 14)


@pytest.mark.parametrize("escape, code", [(r"\x01", "JL113"), (r"\x08", "JL113"), (r"\x9b", "JL113"),
                                          (r"\uFFFE", "JL114"), (r"\uFDD5", "JL114"), (r"\U0001FFFF", "JL114")])
def test_escaped_control_characters_and_noncharacters_are_refused(kit, escape, code):
    kit.edit(SERVICE, "title: 知识产权咨询", f'title: "知识产权{escape}咨询"')
    [p] = only(kit.problems(), code)
    assert (p.line, p.path) == (3, "title") and "第 5 个字符" in p.message


def test_a_lone_surrogate_escape_gets_a_chinese_message(kit):
    kit.edit(SERVICE, "title: 知识产权咨询", r'title: "知识产权\ud800咨询"')
    [p] = only(kit.problems(), "JL105")
    assert "`\\u`" in p.message and not ENGLISH.search(p.message)


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f"])
def test_bidi_controls_in_a_title_are_refused(kit, char):
    kit.edit(SERVICE, "title: 知识产权咨询", f"title: 知识产权{char}咨询")
    [p] = only(kit.problems(), "JL115")
    assert p.path == "title" and f"U+{ord(char):04X}" in p.message


def test_bidi_overrides_are_refused_in_long_text_too(kit):
    kit.edit(SERVICE, "how_to_apply: 发送邮件预约。", "how_to_apply: 发送邮件\u202e预约。")
    assert only(kit.problems(), "JL115")[0].path == "how_to_apply"


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u2060", "\ufeff", "\u200d"])
def test_zero_width_characters_in_names_are_refused(kit, char):
    kit.edit(ORG, "short_name: 测试协会", f"short_name: 测试{char}协会")
    [p] = only(kit.problems(), "JL115")
    assert p.path == "short_name" and "看不见" in p.message


def test_zero_width_characters_in_long_text_are_a_warning(kit):
    kit.edit(SERVICE, "how_to_apply: 发送邮件预约。", "how_to_apply: 发送邮件\u200b预约。")
    [p] = only(kit.problems(), "JL116")
    assert p.level is Level.WARNING and validate(kit.root).ok


def test_an_emoji_sequence_joined_by_zwj_is_not_a_hidden_character(kit):
    kit.edit(SERVICE, "title: 知识产权咨询", "title: 知识产权咨询👨\u200d👩\u200d👧")
    assert kit.problems() == []


@pytest.mark.parametrize("title", ['"知识产权咨询\\r"', '"知识产权\\r咨询"', "|\n  知识产权咨询\n",
                                   '"知识产权咨询\\n"', '"知识产权\\u2028咨询"'])
def test_a_title_with_a_carriage_return_or_trailing_newline_is_refused_once(kit, title):
    kit.edit(SERVICE, "title: 知识产权咨询", f"title: {title}".rstrip("\n"))
    problems = kit.problems()
    [p] = only(problems, "JL117")
    assert p.path == "title" and "一行" in p.message
    assert codes(problems) == ["JL117"]


def test_every_one_line_field_refuses_a_trailing_newline(kit):
    kit.append(SERVICE, 'fee_note: "首次咨询免费\\n"\ntags: ["专利\\n"]\n')
    assert {p.path for p in only(kit.problems(), "JL117")} == {"fee_note", "tags[0]"}


def test_patterns_end_at_the_end_of_the_text_not_before_a_final_newline(kit):
    kit.append(SERVICE, 'apply_url: "https://test.example.org/apply\\n"\n')
    [p] = only(kit.problems(), "JL204")
    assert p.path == "apply_url"


def test_multi_line_text_keeps_its_line_breaks(kit):
    kit.append(SERVICE, "description: |\n  第一段。\n\n  第二段。\n")
    assert kit.problems() == []


# --- YAML messages: Chinese only ------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["title: " + "[" * 1200 + "]" * 1200, "title: " + "{a: " * 1200 + "1" + "}" * 1200,
                                  "title: [1, 2", "title: {a: 1", "title: 'x", "title: &", "title: !<x",
                                  'title: "\\q"', 'title: "\\xZZ"', "title: |0\n x", "a: 1\n---\nb: 2",
                                  "%YAML 1.1\n%YAML 1.1\n---\na: 1", "title: %x", "- a\nb: 1", "a:\n  - 1\n b: 2"])
def test_parser_problems_never_reach_a_contributor_in_english(kit, text):
    kit.write(SERVICE, "schema_version: 1\n" + text + "\n")
    problems = [p for p in kit.problems() if p.file == SERVICE]
    assert problems
    for p in problems:
        assert not ENGLISH.search(p.message), p.message
        assert re.search(r"[\u4e00-\u9fff]", p.message)


def test_nesting_depth_is_named_in_chinese(kit):
    kit.write(SERVICE, "schema_version: 1\ntags: " + "[" * 1200 + "]" * 1200 + "\n")
    [p] = only(kit.problems(), "JL105")
    assert "嵌套层数过多" in p.message


def test_a_list_items_key_indented_three_spaces_names_the_key_and_the_count(kit):
    kit.append(CASE_FILE, "figures:\n  - label: 服务企业\n   value: 20\n")
    [p] = only(kit.problems(), "JL105")
    assert (p.line, p.column) == (16, 4)
    assert "`value`" in p.message and "`label`" in p.message and "少缩进了 1 个空格" in p.message
    assert "`- ` 本身的位置是对的" in p.message


def test_a_list_items_key_indented_one_space_too_far(kit):
    kit.append(CASE_FILE, "figures:\n  - label: 服务企业\n     value: 20\n")
    [p] = only(kit.problems(), "JL105")
    assert (p.line, p.column) == (16, 6) and "`value`" in p.message and "多缩进了 1 个空格" in p.message


def test_a_comma_inside_an_unquoted_flow_value_says_to_quote_the_text(kit):
    kit.edit("catalog/programme.yml", "test-org: {status: 良好, checked: 2025-01-01}",
             "test-org: {status: 关注, checked: 2025-01-01, note: 年检材料逾期未报,已督促整改}")
    problems = kit.problems()
    [p] = only(problems, "JL118")
    assert "给整段文字加引号" in p.message and "“已督促整改”" in p.message
    assert '`note: "年检材料逾期未报,已督促整改"`' in p.message
    assert "JL201" not in codes(problems)


def test_the_quoted_fix_is_accepted(kit):
    kit.edit("catalog/programme.yml", "test-org: {status: 良好, checked: 2025-01-01}",
             'test-org: {status: 关注, checked: 2025-01-01, note: "年检材料逾期未报,已督促整改"}')
    assert [p.code for p in kit.problems()] == ["JL380"]  # no error left: the ASCII comma is only a punctuation warning


# --- issue 12's misread messages ----------------------------------------------------------------------------

def test_a_title_in_chinese_quotes_is_a_warning_with_the_fix(kit):
    kit.edit(SERVICE, "title: 知识产权咨询", "title: “低空经济政策宣讲培训”")
    [p] = only(kit.problems(), "JL119")
    assert p.level is Level.WARNING and p.path == "title"
    assert "`title: 低空经济政策宣讲培训`" in p.message and "引号" in CODES["JL119"].fix


def test_quotes_inside_a_title_are_fine(kit):
    kit.edit(SERVICE, "title: 知识产权咨询", "title: “专精特新”企业知识产权咨询")
    assert kit.problems() == []


def test_a_hyphen_in_a_standard_number_is_accepted_and_published_with_the_dash(kit):
    kit.edit(STANDARD, "number: T/TEST 1—2024", "number: T/TEST 001-2025")
    validation = validate(kit.root)
    assert validation.problems == []
    [standard] = [e for e in model.build(validation).resources if e.id == "group-standard"]
    assert standard.number == "T/TEST 001—2025"


def test_an_international_standards_part_hyphen_is_kept():
    from generator.model import Term, standard_number

    iso = Term("standard_levels", "international", "国际标准", pattern=r"^ISO \d+(-\d+)*(:\d{4})?$", example="ISO 9001:2015")
    assert standard_number("ISO 8000-2", iso) == "ISO 8000-2"


def test_a_doubled_dash_in_a_standard_number_is_named_as_such(kit):
    kit.edit(STANDARD, "number: T/TEST 1—2024", "number: T/TEST 001——2025")
    [p] = only(kit.problems(), "JL307")
    assert "破折号重复" in p.message and "`——`" in p.message


def test_a_wrong_uscc_check_character_never_names_the_expected_one(kit):
    from generator.checks.codes import uscc_check_char

    kit.edit(ORG, "uscc: 51110108MJ0012342G", "uscc: 51110108MJ0012343G")
    [p] = only(kit.problems(), "JL304")
    assert "有一位抄错，请逐位核对证书" in p.message
    assert f"`{uscc_check_char('51110108MJ0012343')}`" not in p.message + p.fix


# --- no traceback, whatever the input -----------------------------------------------------------------------

def test_the_cli_reports_hostile_files_in_chinese_without_a_traceback(kit, tmp_path):
    (kit.root / "catalog/organizations/test-org/services/link.yml").symlink_to(tmp_path)
    kit.write("catalog/organizations/test-org/services/con.yml", SERVICE_TEXT)
    kit.write("catalog/organizations/test-org/services/无人机.yml", SERVICE_TEXT)
    kit.edit(CASE_FILE, "effects: 20", "effects: \x0c20")
    result = kit.cli()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert {"JL110", "JL111", "JL112", "JL113"} <= set(re.findall(r"JL\d{3}", result.stdout))
    assert not ENGLISH.search(result.stdout)


def test_letters_the_cover_font_lacks_are_a_warning_not_an_error(kit):
    kit.edit(SERVICE, "title: 知识产权咨询", "title: 泰语培训 ภาษาไทย 🚀")
    [p] = only(kit.problems(), "JL120")
    assert p.level is Level.WARNING and p.path == "title"
    assert "ภ" in p.message and "🚀" not in p.message and "〓" in p.message
    assert validate(kit.root).ok


def test_a_blank_title_is_named_without_a_regular_expression(kit):
    kit.edit(SERVICE, "title: 知识产权咨询", 'title: "\u3000 \u3000"')
    problems = [p for p in kit.problems() if p.path == "title"]
    assert problems and all("^" not in p.message and "\\S" not in p.message for p in problems)
    assert "不能只有空格" in " ".join(p.message for p in problems)


def test_names_that_differ_only_in_case_are_refused(kit):
    from PIL import Image

    folder = kit.root / "catalog/organizations/test-org"
    Image.new("RGB", (200, 200), "red").save(folder / "logo.png")
    Image.new("RGB", (200, 200), "blue").save(folder / "Logo.png")
    [p] = only(kit.problems(), "JL111")
    assert p.file == "catalog/organizations/test-org/logo.png" and "`Logo.png`" in p.message


def test_a_programme_that_fails_to_parse_is_not_also_called_missing(kit):
    kit.edit("catalog/programme.yml", "test-org: {status: 良好, checked: 2025-01-01}",
             "test-org: {status: 关注, note: 年检材料逾期未报,已督促整改}")
    assert codes([p for p in kit.problems() if p.file == "catalog/programme.yml"]) == ["JL118"]
