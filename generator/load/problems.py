"""Problems found in contributed files, and the catalogue of their codes and Chinese messages.

Every message a contributor may see is defined here once, with a stable code, so the contributor
guide can list them all and tools can match on codes rather than on wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    level: Level
    title: str
    fix: str


def _codes(*rows: tuple[str, Level, str, str]) -> dict[str, Code]:
    return {r[0]: Code(*r) for r in rows}


E, W = Level.ERROR, Level.WARNING

CODES: dict[str, Code] = _codes(
    # reading the file
    ("JL100", E, "文件过大", "把长文本拆短，或把附件放到网站上用链接引用。"),
    ("JL101", E, "文件不是 UTF-8 编码", "用编辑器把文件另存为 UTF-8 编码（不要用 GBK/ANSI）。"),
    ("JL102", E, "用了 Tab 缩进", "YAML 只能用空格缩进：把 Tab 换成两个空格。"),
    ("JL103", E, "用了全角冒号", "字段名后的冒号要用英文半角冒号 `:`，并在冒号后加一个空格。"),
    ("JL104", E, "用了全角空格", "把全角空格（中文输入法下的空格）换成半角空格。"),
    ("JL105", E, "YAML 语法错误", "检查这一行及上一行的缩进、冒号和引号是否成对。"),
    ("JL106", E, "字段重复", "同一层级的字段名只能出现一次：删除或合并重复的字段。"),
    ("JL107", E, "不允许使用锚点和别名", "把 `&名字` / `*名字` 引用的内容直接写出来。"),
    ("JL108", E, "文件为空或不是字段表", "文件应以 `schema_version: 1` 开头，按模板逐项填写字段。"),
    ("JL109", E, "不支持的 YAML 标签", "去掉 `!` 开头的标签，直接写值。"),
    ("JL110", E, "不是普通文件（符号链接等）", "删除这个链接或特殊文件，把真正的文件内容放在这里（复制文件，而不是链接）。"),
    ("JL111", E, "文件名在 Windows 上无法使用", "改名：不要用 con、prn、aux、nul、com1–com9、lpt1–lpt9 作文件名，不要以句点或空格结尾，不要含 < > : \" | ? * \\，也不要让两个文件名只有大小写不同。"),
    ("JL112", E, "文件名不能作为标识", "把文件（或文件夹）改名为小写英文字母、数字和连字符，如拼音 `wu-ren-ji-jian-ce.yml`，并把 `id` 改成同样的名字。"),
    ("JL113", E, "含有控制字符", "删除这个看不见的字符：在编辑器中把这段文字删掉重新输入；双引号中不要写 `\\x01` 之类的转义。"),
    ("JL114", E, "含有非字符", "删除这个字符（U+FFFE、U+FFFF、U+FDD0–FDEF 或 `\\ud800` 之类的转义不代表任何文字）。"),
    ("JL115", E, "含有隐形字符或文字方向控制符", "删除看不见的字符：把这段文字删掉重新输入，不要从网页或文档中复制。"),
    ("JL116", W, "正文中含有隐形字符", "把这段文字删掉重新输入，或用编辑器的“显示不可见字符”找到并删除它。"),
    ("JL117", E, "单行字段中有换行", "写成一行：删除换行，不要用 `|` 或 `>` 多行写法；双引号中不要写 `\\n`、`\\r`。"),
    ("JL118", E, "逗号把文字分成了两段", "给整段文字加引号：`note: \"年检材料逾期未报,已督促整改\"`，或改用中文逗号“，”。"),
    ("JL119", W, "整个值被中文引号括起来", "删除首尾的中文引号 “ ”：YAML 不需要它们，它们会原样出现在标题和分享文字中；需要引号时用英文引号。"),
    ("JL120", W, "封面字体缺少字形", "换一种写法（如用中文或英文写出），或请项目办公室在 share.font 中配置覆盖这些文字的字体。"),
    # schema
    ("JL200", E, "缺少必填字段", "按模板补上这个字段。"),
    ("JL201", E, "未知字段", "检查字段名拼写，或删除这个字段。"),
    ("JL202", E, "值的类型不对或没有填写", "按提示填写，或改成正确的类型；文字中含有冒号、# 等符号时请加引号。"),
    ("JL203", E, "值不在允许范围内", "从提示的可选值中选一个。"),
    ("JL204", E, "格式不对", "按提示的格式改写。"),
    ("JL205", E, "长度或数量不符合要求", "按提示增减文字或条目。"),
    ("JL206", E, "列表中有重复项", "删除重复的项。"),
    ("JL207", E, "数值超出范围", "按提示改为范围内的数值。"),
    ("JL208", E, "不支持的格式版本", "把 `schema_version` 改为当前版本。"),
    ("JL209", W, "格式版本已过时", "按当前模板更新字段，并把 `schema_version` 改为当前版本。"),
    # semantic
    ("JL300", E, "标识与文件名不一致", "把 `id` 改成与文件名（或文件夹名）相同。"),
    ("JL301", E, "标识重复", "换一个未被使用的标识，并同步修改文件名。"),
    ("JL302", E, "引用的条目不存在", "检查标识拼写；引用其他组织的条目写 `组织标识/条目标识`。"),
    ("JL303", E, "不在分类词表中", "从 catalog/taxonomy.yml 对应的词表中选一个词，写中文名称。"),
    ("JL304", E, "统一社会信用代码校验位错误", "有一位抄错，请逐位核对证书上的 18 位代码（常见的是 0 与 D、1 与 7、8 与 B 看错）。"),
    ("JL305", W, "统一社会信用代码中的组织机构代码校验不通过", "对照登记证书核对第 9–17 位。"),
    ("JL306", W, "统一社会信用代码不像社会组织", "社会组织的代码以 51、52、53 或 59 开头；请核对。"),
    ("JL307", E, "标准号与标准级别不符", "按该级别的编号格式改写标准号，或改正 `level`。"),
    ("JL308", E, "日期不存在", "写一个真实存在的日期，格式 YYYY-MM-DD。"),
    ("JL309", E, "日期先后顺序不对", "开始日期应不晚于结束日期，发布日期应不晚于更新日期。"),
    ("JL310", E, "文件放错了位置", "把文件移到所属组织的文件夹中对应的子文件夹。"),
    ("JL311", E, "图片路径越出本组织文件夹", "只写本文件夹内的相对路径，不要用 `..` 或 `/` 开头。"),
    ("JL312", E, "图片文件不存在", "把图片放到所写的路径，或改正文件名（注意大小写）。"),
    ("JL313", E, "网址不是 http(s) 链接", "网址必须以 http:// 或 https:// 开头。"),
    ("JL314", E, "含有居民身份证号码", "删除身份证号码：目录只能公开机构信息（《个人信息保护法》）。"),
    ("JL315", W, "含有手机号码", "请改用机构的办公电话，或确认该号码可以公开。"),
    ("JL316", E, "不支持的文件", "目录中只放规定位置的 .yml 文件和图片；删除或移走这个文件。"),
    ("JL317", E, "缺少必要信息", "按提示补充信息。"),
    ("JL318", W, "条目已过期", "更新 `valid_until`，或删除已不再提供的条目。"),
    ("JL319", E, "文件扩展名应为 .yml", "把文件扩展名改为 .yml。"),
    ("JL320", E, "词表本身有误", "由项目办公室修正 catalog/taxonomy.yml。"),
    ("JL321", E, "图片格式不被接受", "只接受 PNG、JPEG、WebP 图片：SVG、GIF、HEIC 等请用图片软件另存为 PNG 或 JPEG。"),
    ("JL322", E, "图片扩展名与内容不符", "把扩展名改成与图片真实格式一致（如 .jpg），并同步修改条目中的文件名。"),
    ("JL323", E, "图片文件过大", "把图片压缩到 5 MB 以内（网站最大只显示 1600 像素宽）。"),
    ("JL324", E, "图片像素过多", "把图片缩小到 4000 万像素以内、单边不超过 12000 像素后再提交。"),
    ("JL325", E, "图片已损坏", "重新导出或下载这张图片，确认能用看图软件打开后再提交。"),
    ("JL326", W, "图片太小", "换一张更清晰的图片：标志短边至少 64 像素，案例图片至少 320 像素。"),
    ("JL327", W, "图片含有拍摄地点", "网站发布时会自动删除，但仓库中的原图仍可下载：请换成不含位置信息的图片（手机导出时关闭“位置信息”）。"),
    ("JL340", W, "用了词表中的旧名称", "词已改名，旧名称仍然有效：方便时改写为提示的新名称。"),
    ("JL380", W, "中文句子中用了半角标点", "中文句子中的逗号、冒号、分号、括号等改用全角（，：；（））：按提示替换。"),
)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located as precisely as the input allows (line and column are 1-based)."""

    file: str
    line: int
    column: int
    code: str
    message: str
    path: str = ""
    level: Level = field(default=Level.ERROR, compare=False)

    @property
    def fix(self) -> str:
        return CODES[self.code].fix

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "level": self.level.value,
            "code": self.code,
            "path": self.path,
            "title": CODES[self.code].title,
            "message": self.message,
            "fix": self.fix,
        }


def problem(code: str, file: str, line: int, column: int, message: str, path: str = "") -> Problem:
    return Problem(file, line, column, code, message, path, CODES[code].level)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.level is Level.ERROR for p in problems)
