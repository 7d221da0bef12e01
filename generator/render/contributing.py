"""The contributor guide's list of every validator message (`contributing/messages/`), generated from
`generator.checks.problems.CODES` so it always matches what `juli validate` says. The rest of the guide is
hand-written in docs/contributing/."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from ..checks.problems import CODES, Level
from . import Context, Output
from .frontmatter import page

URL = "contributing/messages/"
DOCS_PATH = "contributing/messages.md"  # next to the hand-written guide, which links to it as `messages.md`
GROUPS = (("JL1", "读取文件时发现的问题"), ("JL2", "字段和格式的问题"), ("JL3", "内容的问题"))

# What each message means, in a contributor's words: when it appears and why it matters.
MEANINGS = {
    "JL100": "单个文件超过 256 KB。条目文件只应包含文字,长篇材料放到网站上用链接引用。",
    "JL101": "文件用 GBK 等编码保存,网站无法正确读出中文。Windows 记事本、WPS 的默认编码常是这种情况。",
    "JL102": "YAML 用空格表示层级,Tab 在不同编辑器里宽度不同,会让层级错乱。",
    "JL103": "在中文输入法下输入了 `：`。YAML 只认英文冒号,全角冒号会让整行变成一段文字。",
    "JL104": "缩进里混入了中文输入法的全角空格,看起来和半角空格一样,但 YAML 不认。",
    "JL105": "文件不符合 YAML 语法,通常是缩进不齐、冒号后少了空格、引号不成对,或文字里的冒号没加引号。提示里的行号指向出错位置或它的下一行。",
    "JL106": "同一层级写了两次同一个字段,后一个会覆盖前一个,造成内容丢失。",
    "JL107": "YAML 的 `&` 锚点和 `*` 别名会让内容在别处展开,审核时看不出,也可能被用来制造超大文件,因此不允许。",
    "JL108": "文件是空的,或者只有一段文字而不是 `字段: 值` 的形式。",
    "JL109": "写了 `!` 开头的 YAML 标签(如 `!!python/object`),目录不接受任何标签。",
    "JL200": "这一类条目必须填写的字段没有写。提示会说明缺的是哪个字段及其含义。",
    "JL201": "写了格式中没有的字段,常见原因是拼写错误(如 `summery`)或把字段放错了层级;组织也不能自行添加“重点组织”“诚信状况”等由项目办公室维护的字段。",
    "JL202": "值的类型不对:该写列表的写成了文字,该写文字的写成了数字或真假值,或者字段后面什么也没写。",
    "JL203": "值只能从固定的几个选项中选一个,例如资源类型 `kind`。",
    "JL204": "值的写法不符合规定格式,例如标识含大写字母、网址不以 http 开头、日期不是 YYYY-MM-DD、图片不是 png/jpg/webp。",
    "JL205": "文字太短或太长,或者列表的项数太少或太多,例如简介要 10–300 个字。",
    "JL206": "列表里同一个词写了两次。",
    "JL207": "数字超出了合理范围,例如年份早于 1949 或数量为负数。",
    "JL208": "`schema_version` 写成了目录不认识的版本号。",
    "JL209": "文件按旧版格式填写,仍可发布,但请按当前模板更新。",
    "JL300": "`id` 必须与文件名(组织为文件夹名)一致,网址和引用都靠它。",
    "JL301": "同一组织内已有相同标识的条目(服务产品和资源共用一套标识),或年度数据中同一年写了两次。",
    "JL302": "案例或设置中引用的组织或条目找不到,通常是标识拼错,或者引用其他组织的条目时没有写 `组织标识/`。",
    "JL303": "分类字段只能使用 catalog/taxonomy.yml 词表中的词,并写中文名称。提示会给出最接近的词。",
    "JL304": "统一社会信用代码的最后一位校验位与前 17 位算出的不一致,几乎总是抄错了某一位。",
    "JL305": "代码第 9–17 位(组织机构代码)的校验不通过。可以发布,但请核对登记证书。",
    "JL306": "社会组织的代码以 51、52、53 或 59 开头;其他开头的是企业或事业单位。可以发布,但请核对。",
    "JL307": "标准号的写法与所选标准级别不符,例如把团体标准号 `T/…` 标为国家标准。",
    "JL308": "日期格式正确,但这一天不存在,例如 2 月 30 日。",
    "JL309": "开始晚于结束、发布晚于更新等先后顺序错误。",
    "JL310": "`.yml` 文件放在了不属于任何条目类型的位置。",
    "JL311": "图片路径用了 `..` 或 `/` 开头,指向了本组织文件夹以外的地方。",
    "JL312": "条目中写的图片文件在所写位置找不到;注意文件名大小写必须一致。",
    "JL313": "Markdown 链接用了 http/https 以外的协议(如 `javascript:`),为安全起见不允许。",
    "JL314": "文字中出现了居民身份证号码。目录公开发布,依照《个人信息保护法》不能包含个人身份信息。",
    "JL315": "文字中出现了像个人手机号码的数字。可以发布,但请确认可以公开,最好改用机构电话。",
    "JL316": "目录中只能放规定位置的 `.yml` 条目和图片,其他文件(如 Word、PDF、SVG)不能放入。",
    "JL317": "缺少在某些情况下必需的信息,例如线下活动没写地点、联系方式一项都没写、案例的第一个组织不是本组织。",
    "JL318": "条目的 `valid_until` 已过,网站会标记为已过期。",
    "JL319": "条目文件的扩展名必须是 `.yml`,不能是 `.yaml`。",
    "JL320": "项目办公室维护的词表本身有错误,组织无需处理。",
    "JL321": "图片不是 PNG、JPEG 或 WebP。SVG 矢量图可以包含在网站上运行的脚本,一律不接受;GIF、HEIC、BMP 也不接受。目录按文件内容判断格式,改扩展名没有用。",
    "JL322": "图片的扩展名与真实格式不一致,例如内容是 JPEG 却叫 `logo.png`。",
    "JL323": "图片文件超过 5 MB。",
    "JL324": "图片像素过多(超过 4000 万像素或单边超过 12000 像素),可能是“解压炸弹”,打开时会耗尽服务器内存,因此拒绝。",
    "JL325": "图片文件不完整或已损坏,无法读取。",
    "JL326": "图片尺寸太小,放大显示会模糊。可以发布。",
    "JL380": "中文句子里混用了英文半角标点，如逗号、冒号、分号、括号。网站和公众号上会显得不齐整，也不符合国家标准《标点符号用法》。",
    "JL327": "照片的 EXIF 信息里有拍摄地点。网站发布的是去掉全部元数据后重新生成的图片,但仓库中的原图仍然公开。",
}


def render(ctx: Context) -> Iterable[Output]:
    lines = [
        "# 校验提示一览",
        "",
        "`juli validate` 和拉取请求的自动检查发现问题时,会给出 **文件:行:列**、提示编号、说明和修改方法,例如:",
        "",
        "```text",
        "catalog/organizations/示例组织/services/示例服务.yml:9:6: 错误 JL303 字段 fee:`free` 不在词表 `fees` 中,请写中文名称 `免费`。",
        "    修改方法:从 catalog/taxonomy.yml 对应的词表中选一个词,写中文名称。",
        "```",
        "",
        "**错误** 必须改正,条目才能发布;**警告** 不影响发布,但请核对。下面按编号列出全部提示(本页由校验程序自动生成,与程序始终一致)。",
        "",
    ]
    for prefix, heading in GROUPS:
        lines += [f"## {heading}", ""]
        for code in sorted(c for c in CODES if c.startswith(prefix)):
            info = CODES[code]
            level = "错误" if info.level is Level.ERROR else "警告"
            lines += [f"### {code} {info.title} {{#{code.lower()}}}", "",
                      f"- **级别**:{level}",
                      f"- **含义**:{MEANINGS.get(code, info.title + '。')}",
                      f"- **修改方法**:{info.fix}", ""]
    out = page(URL, "校验提示一览", "聚力目录校验程序的全部提示:每条提示的含义和修改方法。", "\n".join(lines), hide=("navigation",))
    yield replace(out, path=DOCS_PATH)
