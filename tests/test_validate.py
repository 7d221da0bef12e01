"""`juli validate`: every check, with a failing input and the message it must produce.

Each case starts from a small valid catalog on disk (tests/validator_kit.py), breaks one thing, and
reads what the validator reports: the code, where (line, column, field) and the Chinese message.
"""

from __future__ import annotations

import pytest

from validator_kit import CatalogKit

ORG = "catalog/organizations/test-org/organization.yml"
SERVICE = "catalog/organizations/test-org/services/ip-consulting.yml"
STANDARD = "catalog/organizations/test-org/resources/group-standard.yml"
CASE = "cases/test-org/ip-case.yml"
PROGRAMME = "catalog/programme.yml"
TAXONOMY = "catalog/taxonomy.yml"


@pytest.fixture
def kit(tmp_path) -> CatalogKit:
    return CatalogKit(tmp_path)


def only(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, f"expected {code}, got {[(p.code, p.message) for p in problems]}"
    return found


def test_the_valid_catalog_has_no_problems(kit):
    assert kit.problems() == []


# --- reading untrusted files -------------------------------------------------------------------

def test_duplicate_key_is_an_error_naming_both_lines(kit):
    kit.edit(SERVICE, "fee: 免费\n", "fee: 免费\nfee: 收费\n")
    [p] = only(kit.problems(), "JL106")
    assert (p.file, p.line, p.column, p.path) == (SERVICE, 10, 1, "fee")
    assert "第一次在第 9 行" in p.message and "丢失" in p.message


def test_anchors_and_aliases_are_refused(kit):
    kit.edit(SERVICE, "fields: [科技服务业]", "fields: &f [科技服务业]\ntags: *f")
    problems = only(kit.problems(), "JL107")
    assert {p.line for p in problems} == {6, 7}


def test_merge_keys_are_refused(kit):
    kit.append(SERVICE, "contact:\n  <<: {phone: 010-62000000}\n")
    assert only(kit.problems(), "JL107")


def test_oversized_file(kit):
    kit.append(SERVICE, "description: |\n" + ("  很长的文字。\n" * 20000))
    [p] = only(kit.problems(), "JL100")
    assert "超过上限" in p.message


def test_gbk_file_is_named_as_such(kit):
    kit.write(SERVICE, kit.read(SERVICE).encode("gbk"))
    [p] = only(kit.problems(), "JL101")
    assert "GBK" in p.message and "UTF-8" in p.fix
    assert p.line == 3


def test_tab_indentation(kit):
    kit.append(SERVICE, "contact:\n\tphone: 010-62000000\n")
    [p] = only(kit.problems(), "JL102")
    assert (p.line, p.column) == (15, 1)
    assert "两个空格" in p.fix


def test_full_width_colon(kit):
    kit.edit(SERVICE, "fee: 免费", "fee：免费")
    [p] = only(kit.problems(), "JL103")
    assert p.line == 9 and "半角冒号" in p.fix


def test_full_width_space_in_indentation(kit):
    kit.append(SERVICE, "contact:\n\u3000phone: 010-62000000\n")
    [p] = only(kit.problems(), "JL104")
    assert p.line == 15


def test_missing_space_after_colon(kit):
    kit.edit(SERVICE, "fee: 免费", "fee:免费")
    [p] = only(kit.problems(), "JL105")
    assert "冒号后缺少空格" in p.message


def test_unquoted_colon_in_text_is_explained(kit):
    kit.edit(SERVICE, "how_to_apply: 发送邮件预约。", "how_to_apply: 电话: 010-62000000 或邮件")
    [p] = only(kit.problems(), "JL105")
    assert p.line == 11 and "引号" in p.message


def test_over_indented_field_is_named_as_such(kit):
    kit.append(SERVICE, "contact:\n  label: 秘书处\n   phone: 010-62000000\n")
    [p] = only(kit.problems(), "JL105")
    assert p.line == 16 and "多缩进了 1 个空格" in p.message


def test_a_list_instead_of_fields(kit):
    kit.write(SERVICE, "- a\n- b\n")
    only(kit.problems(), "JL108")


def test_python_tags_are_refused(kit):
    kit.edit(SERVICE, "fee: 免费", "fee: !!python/object/apply:os.system [ls]")
    only(kit.problems(), "JL109")


# --- schemas -----------------------------------------------------------------------------------

def test_missing_required_field_names_it(kit):
    kit.edit(SERVICE, "how_to_apply: 发送邮件预约。\n", "")
    [p] = only(kit.problems(), "JL200")
    assert "`how_to_apply`" in p.message and p.file == SERVICE


def test_unknown_field_suggests_the_close_one(kit):
    kit.edit(SERVICE, "summary:", "sumary:")
    problems = kit.problems()
    [unknown] = only(problems, "JL201")
    assert unknown.line == 10 and unknown.path == "sumary"
    assert "`summary`" in unknown.message


def test_resource_kind_decides_the_extra_fields(kit):
    kit.append(STANDARD, "patents: 12\n")
    [p] = only(kit.problems(), "JL201")
    assert p.path == "patents"


def test_wrong_type_explains_quoting(kit):
    kit.edit(ORG, "short_name: 测试协会", "short_name: yes")
    [p] = only(kit.problems(), "JL202")
    assert p.path == "short_name" and "引号" in p.message


def test_enum(kit):
    kit.edit(STANDARD, "kind: standard", "kind: standards")
    problems = kit.problems()
    [p] = only(problems, "JL203")
    assert "standard" in p.message and "patent_pool" in p.message


def test_date_format(kit):
    kit.edit(SERVICE, "published: 2025-01-10", "published: 2025/1/10")
    [p] = only(kit.problems(), "JL204")
    assert p.path == "published" and "YYYY-MM-DD" in p.message


def test_date_that_does_not_exist(kit):
    kit.edit(SERVICE, "published: 2025-01-10", "published: 2025-02-30")
    [p] = only(kit.problems(), "JL308")
    assert "2025-02-30" in p.message


def test_event_time_that_does_not_exist(kit):
    kit.event("2025-04-31 09:00", "2025-05-01 17:00")
    [p] = only(kit.problems(), "JL308")
    assert p.path == "start"


def test_length_limits(kit):
    kit.edit(SERVICE, "summary: 为中小企业提供专利布局和知识产权管理咨询服务。", "summary: 太短")
    [p] = only(kit.problems(), "JL205")
    assert "不少于 10" in p.message


def test_duplicate_list_items(kit):
    kit.edit(SERVICE, "delivery: [线上]", "delivery: [线上, 线上]")
    only(kit.problems(), "JL206")


def test_numbers_out_of_range(kit):
    kit.append(ORG, "members:\n  total: -3\n")
    [p] = only(kit.problems(), "JL207")
    assert p.path == "members.total"


def test_unsupported_schema_version(kit):
    kit.edit(SERVICE, "schema_version: 1", "schema_version: 9")
    [p] = only(kit.problems(), "JL208")
    assert "当前版本是 1" in p.message


def test_deprecated_schema_version_is_a_warning(kit, monkeypatch):
    from generator import schemas

    monkeypatch.setattr(schemas, "DEPRECATED_VERSIONS", frozenset({1}))
    problems = kit.problems()
    assert {p.code for p in problems} == {"JL209"}
    assert all(p.level.value == "warning" and p.path == "schema_version" for p in problems)


def test_contact_needs_one_way_to_reach(kit):
    kit.append(SERVICE, "contact:\n  label: 秘书处\n")
    [p] = only(kit.problems(), "JL317")
    assert p.path == "contact" and "`phone`" in p.message


def test_urls_must_be_http(kit):
    kit.append(SERVICE, "apply_url: javascript:alert(1)\n")
    [p] = only(kit.problems(), "JL204")
    assert "http://" in p.message


def test_markdown_links_must_be_http(kit):
    kit.append(SERVICE, "description: 点击[这里](javascript:alert(1))申请\n")
    [p] = only(kit.problems(), "JL313")
    assert p.path == "description"


# --- semantic rules ----------------------------------------------------------------------------

def test_id_must_match_file_name(kit):
    kit.edit(SERVICE, "id: ip-consulting", "id: ip-consult")
    [p] = only(kit.problems(), "JL300")
    assert "ip-consulting" in p.message and p.line == 2


def test_service_and_resource_ids_share_one_namespace(kit):
    text = kit.read(STANDARD).replace("id: group-standard", "id: ip-consulting")
    kit.write("catalog/organizations/test-org/resources/ip-consulting.yml", text)
    only(kit.problems(), "JL301")


def test_references_must_resolve(kit):
    kit.edit(CASE, "services: [ip-consulting]", "services: [ip-consultin, other-org/x]")
    problems = only(kit.problems(), "JL302")
    assert [p.path for p in problems] == ["services[0]", "services[1]"]


def test_case_organizations_must_exist_and_start_with_the_owner(kit):
    kit.edit(CASE, "organizations: [test-org]", "organizations: [ghost-org, test-org]")
    problems = kit.problems()
    assert only(problems, "JL302")[0].path == "organizations[0]"
    assert "test-org" in only(problems, "JL317")[0].message


def test_programme_references_organizations(kit):
    kit.edit(PROGRAMME, "key_organizations: [test-org]", "key_organizations: [test-org, nobody]")
    [p] = only(kit.problems(), "JL302")
    assert p.file == PROGRAMME and p.path == "key_organizations[1]"


def test_taxonomy_terms_suggest_the_chinese_name(kit):
    kit.edit(SERVICE, "fee: 免费", "fee: free")
    [p] = only(kit.problems(), "JL303")
    assert "`免费`" in p.message


def test_taxonomy_terms_suggest_close_names(kit):
    kit.edit(ORG, "parks: [海淀园]", "parks: [海淀]")
    [p] = only(kit.problems(), "JL303")
    assert p.path == "parks[0]" and "海淀园" in p.message


def test_taxonomy_is_data_not_code(kit):
    kit.edit(TAXONOMY, "  - {id: yanqing, name: 延庆园, en: Yanqing Park}",
             "  - {id: yanqing, name: 延庆园, en: Yanqing Park}\n  - {id: test-park, name: 测试园, en: Test}")
    kit.edit(ORG, "parks: [海淀园]", "parks: [测试园]")
    assert kit.problems() == []


def test_taxonomy_itself_is_checked(kit):
    kit.edit(TAXONOMY, "{id: yanqing, name: 延庆园", "{id: yanqing, name: 密云园")
    [p] = only(kit.problems(), "JL320")
    assert p.file == TAXONOMY


@pytest.mark.parametrize("code", ["51100000500000024G", "52110101MJ0018899X", "53440300MJL0167883"])
def test_uscc_check_character(kit, code):
    kit.edit(ORG, "uscc: 51110108MJ0012342G", f"uscc: {code}")
    from generator.checks.codes import uscc_check_char

    [p] = only(kit.problems(), "JL304")
    assert "有一位抄错" in p.message and "逐位核对证书" in p.message
    assert f"`{uscc_check_char(code[:17])}`" not in p.message + p.fix  # naming a character invites a wrong fix


def test_uscc_embedded_organization_code_is_a_warning(kit):
    from generator.checks.codes import uscc_check_char

    first17 = "51110108MJ0012341"  # organization-code check character wrong on purpose
    kit.edit(ORG, "uscc: 51110108MJ0012342G", f"uscc: {first17}{uscc_check_char(first17)}")
    [p] = only(kit.problems(), "JL305")
    assert p.level.value == "warning"


def test_uscc_of_a_company_is_a_warning(kit):
    kit.edit(ORG, "uscc: 51110108MJ0012342G", "uscc: 91350200776049653A")
    [p] = only(kit.problems(), "JL306")
    assert p.level.value == "warning"


@pytest.mark.parametrize("level,number,ok", [
    ("团体标准", "T/ZSA 12—2021", True),
    ("团体标准", "GB/T 1.1—2020", False),
    ("国家标准", "GB/T 1.1—2020", True),
    ("国家标准", "GB/T 1.1 2020", False),
    ("地方标准", "DB11/T 1322—2016", True),
    ("行业标准", "SJ/T 11623-2016", True),
    ("行业标准", "XX/T 11623-2016", False),
    ("国际标准", "ISO/IEC 27001:2022", True),
    ("国际标准", "ITU-T Y.3172", True),
])
def test_standard_numbers_match_their_level(kit, level, number, ok):
    kit.edit(STANDARD, "number: T/TEST 1—2024", f"number: {number}")
    kit.edit(STANDARD, "level: 团体标准", f"level: {level}")
    problems = [p for p in kit.problems() if p.code == "JL307"]
    assert (problems == []) is ok
    if number == "GB/T 1.1—2020" and not ok:
        assert "像是国家标准" in problems[0].message


def test_dates_in_order(kit):
    kit.edit(SERVICE, "updated: 2025-02-01", "updated: 2024-12-01")
    [p] = only(kit.problems(), "JL309")
    assert p.path == "updated"


def test_offline_event_needs_a_place(kit):
    kit.event("2025-05-02 09:00", "2025-05-01 17:00", where="")
    problems = kit.problems()
    assert only(problems, "JL309")[0].path == "end"
    assert only(problems, "JL317")[0].path == "place"


def test_files_must_sit_in_their_place(kit):
    kit.write("catalog/organizations/test-org/service-x.yml", kit.read(SERVICE))
    kit.write("catalog/organizations/test-org/services/notes.yaml", "a: 1\n")
    kit.write("cases/test-org/report.pdf", b"%PDF")
    problems = kit.problems()
    assert only(problems, "JL310")[0].file.endswith("service-x.yml")
    assert only(problems, "JL319")[0].file.endswith("notes.yaml")
    assert only(problems, "JL316")[0].file.endswith("report.pdf")


def test_entries_need_their_organization(kit):
    kit.write("catalog/organizations/nobody/services/x-service.yml", kit.read(SERVICE).replace("ip-consulting", "x-service"))
    [p] = only(kit.problems(), "JL317")
    assert "organization.yml" in p.message


def test_image_paths_stay_inside_the_folder(kit):
    kit.append(ORG, "logo: ../other/logo.png\n")
    [p] = only(kit.problems(), "JL311")
    assert p.path == "logo"


def test_image_files_must_exist(kit):
    kit.append(ORG, "logo: logo.png\n")
    [p] = only(kit.problems(), "JL312")
    assert "catalog/organizations/test-org/logo.png" in p.message


def test_resident_id_number_is_an_error_anywhere(kit):
    kit.append(SERVICE, "description: 联系人身份证 11010519491231002X\n")
    [p] = only(kit.problems(), "JL314")
    assert p.level.value == "error" and "110105" in p.message and "1949" not in p.message


def test_eighteen_digits_failing_the_id_check_are_not_flagged(kit):
    kit.append(SERVICE, "description: 合同编号 110105194912310021\n")
    assert [p for p in kit.problems() if p.code == "JL314"] == []


def test_personal_mobile_number_is_a_warning(kit):
    kit.append(SERVICE, "fee_note: 咨询请拨 13812345678\n")
    [p] = only(kit.problems(), "JL315")
    assert p.level.value == "warning" and "138****5678" in p.message


def test_all_problems_in_one_pass(kit):
    kit.edit(SERVICE, "fee: 免费", "fee: free")
    kit.edit(CASE, "services: [ip-consulting]", "services: [missing]")
    kit.edit(ORG, "uscc: 51110108MJ0012342G", "uscc: 51100000500000024G")
    kit.write("catalog/organizations/test-org/resources/broken.yml", "title: [unclosed\n")
    codes = {p.code for p in kit.problems()}
    assert {"JL303", "JL302", "JL304", "JL105"} <= codes


def test_a_broken_file_does_not_cascade_into_missing_references(kit):
    kit.edit(SERVICE, "fee: 免费", "fee: [unclosed")
    assert {p.code for p in kit.problems()} == {"JL105"}


def test_full_width_indent_inside_block_text_is_legitimate(kit):
    kit.append(SERVICE, "description: |\n  \u3000\u3000本服务面向会员企业。\n  步骤1：准备材料\n")
    assert kit.problems() == []


def test_half_width_punctuation_in_chinese_text_is_a_warning_with_the_fix(kit):
    kit.append(SERVICE, "fee_note: 首次免费,之后按次收费(含报告)\n")
    [p] = only(kit.problems(), "JL380")
    assert p.level.value == "warning" and p.path == "fee_note"
    assert "“首次免费,之后按次收费(含报告)”改为“首次免费，之后按次收费（含报告）”" in p.message
    kit.edit(SERVICE, "fee_note: 首次免费,之后按次收费(含报告)", "fee_note: 首次免费，之后按次收费（含报告）")
    assert [p for p in kit.problems() if p.code == "JL380"] == []
