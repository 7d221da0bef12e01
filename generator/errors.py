"""How `juli` fails: a problem the person can fix is a Chinese message and a non-zero exit, never a
Python traceback; a defect in juli itself is a short message plus the traceback saved to a file.

`cli.main` is the one place that turns exceptions into exit codes:

- `JuliError` (bad arguments, an output folder juli may not write, a busy lock, …): its message, exit 2;
- `OSError` (an unreadable file, a read-only folder, a full disk, a busy port, …): the path and the
  reason in Chinese, exit 1;
- `BrokenPipeError` (`juli share --since … | head`): the reader stopped reading; quiet, exit 141 like
  any program killed by SIGPIPE;
- anything else is a bug: `report_bug` saves the traceback under the system's temporary folder and
  prints its path, exit 70. With `JULI_DEBUG=1` the exception propagates as usual.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import time
import traceback

BUG_EXIT = 70  # EX_SOFTWARE (sysexits.h)

_ERRNO_WORDS = {
    errno.ENOENT: "不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许此操作",
    errno.EROFS: "位于只读的文件系统上",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EISDIR: "是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.EEXIST: "已经存在",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EADDRINUSE: "端口已被占用",
    errno.ENAMETOOLONG: "名称太长",
    errno.ELOOP: "符号链接循环",
    errno.EIO: "读写出错（磁盘或网络文件系统故障）",
    errno.EMFILE: "打开的文件太多",
}


class JuliError(Exception):
    """A problem with the arguments or the environment that the person running juli can fix. The
    message is Chinese, names the file or folder and says what to do."""

    exit_code = 2


def describe_os_error(exc: OSError) -> str:
    """An OSError in Chinese: which path, what went wrong, what to check."""
    words = _ERRNO_WORDS.get(exc.errno or 0, exc.strerror or str(exc))
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    where = "、".join(paths)
    detail = f"（{exc.strerror}）" if exc.strerror and exc.strerror != words else ""
    if exc.errno == errno.EADDRINUSE:
        return f"端口已被占用{detail}：请用 --port 换一个端口，或 --port 0 任选空闲端口。"
    subject = f"{where}：" if where else ""
    return f"{subject}{words}{detail}。请检查这个文件或文件夹是否存在、是否有读写权限、磁盘是否已满，然后重试。"


def report_bug(exc: BaseException, out=None) -> str:
    """Save the traceback of an unexpected exception to a file and print a short message naming it.
    Returns the file's path (empty when it could not be written: then the traceback is printed)."""
    out = out or sys.stderr
    text = "".join(traceback.format_exception(exc))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        handle, path = tempfile.mkstemp(prefix=f"juli-error-{stamp}-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(f"juli {' '.join(sys.argv[1:])}\n\n{text}")
    except OSError:
        print(text, file=out)
        return ""
    print(f"juli 内部错误：{type(exc).__name__}: {exc}\n这多半是 juli 自身的缺陷。完整记录已保存到 {path}，"
          "报告问题时请附上这个文件。", file=out, flush=True)
    return path
