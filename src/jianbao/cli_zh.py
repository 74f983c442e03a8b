"""Chinese for what click (vendored by typer) prints in English: usage errors and help headings.

click has no catalogue to translate (typer's copy formats its messages with f-strings), so the
two places where it speaks are wrapped: ``UsageError.show`` (every usage error: unknown option,
missing argument, bad value …; the exit status stays 2) and the help formatter (``Usage:``,
``Options:``, ``Show this message and exit.``).  A message not in the table is shown as click
wrote it, after a Chinese lead-in, never dropped.
"""

from __future__ import annotations

import re
import sys

#: click's messages (regular expressions, anchored) → Chinese, ``{0}``… the groups.
MESSAGES = [
    (r"No such option: (\S+?)(?: \(Possible options: (.+)\))?", "没有这个选项：{0}", "（是不是要写 {1}？）"),
    (r"No such option '?(\S+?)'?\.?", "没有这个选项：{0}", None),
    (r"No such command '(.+)'\.", "没有这个命令：{0}（运行 jianbao -h 查看全部命令）", None),
    (r"Missing argument '(.+)'\.", "缺少参数 {0}", None),
    (r"Missing option '(.+)'\.", "缺少选项 {0}", None),
    (r"Missing command\.", "缺少命令（运行 jianbao -h 查看全部命令）", None),
    (r"Option '(.+)' requires an argument\.", "选项 {0} 后面要写一个值", None),
    (r"Option '(.+)' requires (\d+) arguments\.", "选项 {0} 后面要写 {1} 个值", None),
    (r"Option '(.+)' does not take a value\.", "选项 {0} 后面不能写值", None),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", "多余的参数：{0}", None),
    (r"Invalid value for (.+?): (.+)", "{0} 的值不对：{1}", None),
    (r"Invalid value: (.+)", "值不对：{0}", None),
]
_VALUES = [
    (r"Input should be a valid integer.*", "应为整数"),
    (r"Input should be a valid number.*", "应为数字"),
    (r"Input should be greater than or equal to (\S+)", "不能小于 {0}"),
    (r"Input should be less than or equal to (\S+)", "不能大于 {0}"),
    (r"'?(.+?)'? is not a valid integer\.", "“{0}”不是整数"),
    (r"'?(.+?)'? is not a valid float\.", "“{0}”不是数字"),
    (r"(.+) is not in the range (.+)\.", "{0} 超出允许的范围（{1}）"),
    (r"'(.+)' is not one of (.+)\.", "“{0}”不是可选的值（{1}）"),
    (r"'(.+)' is not (.+)\.", "“{0}”不是可选的值（{1}）"),
    (r"(?:File|Path|Directory) '(.+)' does not exist\.", "文件不存在：{0}"),
]
HEADINGS = {"Options": "选项", "Arguments": "参数", "Commands": "命令", "Positional arguments": "参数"}
HELP_TEXTS = {
    "Show this message and exit.": "显示这段帮助并退出。",
    "Install completion for the current shell.": "为当前的命令行（shell）安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.":
        "显示当前命令行（shell）的补全脚本，可复制或自行安装。",
}


def _value_zh(text: str) -> str:
    for pattern, zh in _VALUES:
        m = re.fullmatch(pattern, text.strip(), flags=re.S)
        if m:
            return zh.format(*m.groups())
    return text


def message_zh(text: str) -> str:
    """*text*, a click usage message, in Chinese (or as it was, when the table has no entry)."""
    for pattern, zh, extra in MESSAGES:
        m = re.fullmatch(pattern, text.strip(), flags=re.S)
        if m:
            groups = [g for g in m.groups()]
            if pattern.startswith("Invalid value for"):
                groups[0] = groups[0].replace("'", "")
                groups[1] = _value_zh(groups[1])
            elif pattern.startswith("Invalid value"):
                groups[0] = _value_zh(groups[0])
            out = zh.format(*groups)
            if extra and len(groups) > 1 and groups[1]:
                out += extra.format(*groups)
            return out + ("" if out.endswith(("）", "。")) else "。")
    return text


def _usage_zh(text: str) -> str:
    return (text.replace("Usage: ", "用法：").replace("[OPTIONS]", "[选项]")
            .replace("COMMAND [ARGS]...", "命令 [参数]..."))


def _show(self, file=None) -> None:
    """``UsageError.show``, in Chinese."""
    if file is None:
        file = sys.stderr
    ctx = getattr(self, "ctx", None)
    if ctx is not None:
        file.write(_usage_zh(ctx.get_usage()) + "\n")
        if ctx.command.get_help_option(ctx) is not None:
            file.write(f"运行 {ctx.command_path} {ctx.help_option_names[0]} 查看帮助。\n")
        file.write("\n")
    file.write(f"错误：{message_zh(self.format_message())}\n")


def install() -> None:
    """Wrap the usage errors and help formatter of every click that typer may use: its own copy
    (``typer._click``), and the real ``click`` only when something has imported it already (typer
    ≥ 0.2x never does; importing it just to patch it would cost every run ~15 ms: issue 17)."""
    mods = []
    for name in ("typer._click", "click"):
        if name == "click" and name not in sys.modules:
            continue
        try:
            mods.append(__import__(name, fromlist=["exceptions", "formatting"]))
        except ImportError:
            continue
    for mod in mods:
        exceptions = getattr(mod, "exceptions", None)
        formatting = getattr(mod, "formatting", None)
        if exceptions is not None and hasattr(exceptions, "UsageError"):
            exceptions.UsageError.show = _show
        if formatting is not None and hasattr(formatting, "HelpFormatter"):
            _wrap_formatter(formatting.HelpFormatter)


def _wrap_formatter(cls) -> None:
    if getattr(cls, "_jianbao_zh", False):
        return
    write_usage, write_heading, write_dl = cls.write_usage, cls.write_heading, cls.write_dl  # noqa: F841

    def usage(self, prog, args="", prefix=None):
        return write_usage(self, prog, _usage_zh(args), "用法：" if prefix is None else prefix)

    def heading(self, text):
        if text in HEADINGS:
            return self.write(f"{'':>{self.current_indent}}{HEADINGS[text]}：\n")
        return write_heading(self, text)

    def dl(self, rows, *args, **kw):
        rows = [(term, _help_zh(help_text)) for term, help_text in rows]
        return write_dl(self, rows, *args, **kw)

    cls.write_usage, cls.write_heading, cls.write_dl = usage, heading, dl
    cls._jianbao_zh = True


def _help_zh(text: str) -> str:
    for en, zh in HELP_TEXTS.items():
        text = text.replace(en, zh)
    return text.replace("[default: ", "[默认：").replace("[required]", "[必填]")
