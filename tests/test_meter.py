"""The progress meter: one line per stage in logs, one redrawn line on a terminal."""

import io

import pytest

from generator.build.meter import Meter, current, using


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_log_has_one_line_per_stage_with_counts_and_times():
    out, clock = io.StringIO(), Clock()
    plan = {"validate": "校验目录", "render": "渲染", "html": "生成网页"}
    with using(Meter("juli build", plan, stream=out, tty=False, clock=clock)) as meter:
        clock.now = 1.5
        meter.advance(120)
        meter.lap("validate")
        for _ in range(3000):
            meter.advance()
        clock.now = 4.0
        meter.lap("render")
        clock.now = 5.0
    assert out.getvalue().splitlines() == [
        "juli build：校验目录 120 完成，1.5 秒",
        "juli build：渲染 3,000 完成，2.5 秒",
        "juli build：生成网页 完成，1.0 秒",
    ]
    assert "\r" not in out.getvalue()


def test_terminal_line_is_redrawn_at_most_ten_times_a_second():
    out, clock = io.StringIO(), Clock()
    meter = Meter("juli print", stream=out, tty=True, clock=clock)
    meter.stage("排版", total=50)
    for i in range(50):
        clock.now += 0.01
        meter.advance()
    meter.end()
    text = out.getvalue()
    frames = text.split("\r")[1:]
    assert frames[0].startswith("juli print：排版 0/50…")
    assert 5 <= len(frames) <= 9  # start, ~5 redraws in 0.5 s, the completed count, the end line
    assert frames[-1] == "juli print：排版 50/50 完成，0.5 秒\x1b[K\n"  # each frame erases what a longer one left
    assert text.endswith("\n") and text.count("\n") == 1


def test_failed_command_marks_its_stage_interrupted_and_restores_the_silent_meter():
    out = io.StringIO()
    silent = current()
    with pytest.raises(RuntimeError):
        with using(Meter("juli share", {"validate": "校验目录"}, stream=out, tty=False)):
            raise RuntimeError("boom")
    assert out.getvalue().splitlines()[0].startswith("juli share：校验目录 中断")
    assert current() is silent


def test_share_reports_its_stages_on_stderr(sample_copy, capsys):
    from generator.cli import main

    assert main(["share", "--root", str(sample_copy), "--since", "2026-01-01"]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0].startswith("juli share：校验目录 ") and "完成" in lines[0]
    assert [line.split(" ")[1] for line in lines] == ["share：校验目录", "share：建立模型", "share：查找条目"]
    found = int(lines[2].split(" ")[2].replace(",", ""))
    assert f"共 {found} 条" in captured.out
    assert "完成，" not in captured.out  # progress never mixes into what the command prints
