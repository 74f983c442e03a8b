"""Silencing a warning where a person decided it is fine (issue 11): ``# jianbao: ignore JB711`` on a
line, ``ignore: [JB711]`` in an issue or in jianbao.yaml; ``check --strict`` then passes; an ignore
that silences nothing, names an error or a code that does not exist is reported (JB030, JB031)."""

from __future__ import annotations

from conftest import SERIES, Office

WRONG = "受理5160件，办结4879件，办结率85.25%。"  # 4879 / 5160 = 94.55%


def issue(office: Office, items: list[str], extra: str = "", name: str = "2024-05-13.yaml", number: int = 3):
    date = name[:10]
    body = "".join(f"      - {i}\n" for i in items)
    return office.issue(f"number: {number}\ndate: {date}\n{extra}sections:\n  - title: 工作动态\n    items:\n{body}",
                        name)


def codes(result) -> list[str]:
    import re

    return re.findall(r"^警告 (JB\d+)", result.stderr, re.M) + re.findall(r"^错误 (JB\d+)", result.stderr, re.M)


def test_without_an_ignore_strict_fails_on_the_warning(office, cli):
    path = issue(office, [WRONG])
    r = cli("check", path, "--strict")
    assert r.exit_code == 1 and codes(r) == ["JB711"]


def test_a_comment_on_the_line_silences_that_line_only(office, cli):
    path = issue(office, [WRONG + "  # jianbao: ignore JB711", "本周" + WRONG])
    r = cli("check", path, "--strict")
    assert codes(r) == ["JB711"] and ".yaml:7:" in r.stderr and ".yaml:6:" not in r.stderr  # the second line still warns
    path = issue(office, [WRONG + "  # jianbao: ignore JB711", "本周" + WRONG + "  # jianbao: ignore JB711"])
    assert cli("check", path, "--strict").exit_code == 0
    path = issue(office, [WRONG + "  # jianbao: ignore JB711", "本周" + WRONG + "  #jianbao: ignore JB206 JB711"])
    r = cli("check", path, "--strict")
    assert r.exit_code == 1  # the unused ignore is a warning too
    assert codes(r) == ["JB030"] and "忽略 JB206 没有用到" in r.stderr and ".yaml:7:" in r.stderr  # JB206: nothing


def test_a_comment_on_the_first_line_of_a_folded_string_covers_the_whole_string(office, cli):
    path = office.issue("number: 3\ndate: 2024-05-13\nsections:\n  - title: 工作动态\n    items:\n"
                        "      - >-  # jianbao: ignore JB711\n        受理5160件，办结4879件，\n        办结率85.25%。\n")
    r = cli("check", path, "--strict")
    assert r.exit_code == 0 and codes(r) == [], r.stderr


def test_ignore_in_an_issue_silences_that_issue(office, cli):
    path = issue(office, [WRONG, "本周" + WRONG], extra="ignore: [JB711]\n")
    r = cli("check", path, "--strict")
    assert r.exit_code == 0 and codes(r) == [], r.stderr
    other = issue(office, [WRONG], name="2024-05-20.yaml", number=4)
    r = cli("check", other, "--strict")
    assert codes(r) == ["JB711"]


def test_ignore_in_jianbao_yaml_silences_every_issue(tmp_path, cli):
    office = Office(tmp_path / "o", series=SERIES + "ignore: [JB711]\n")
    issue(office, [WRONG])
    issue(office, ["本周召开会议。"], name="2024-05-20.yaml", number=4)
    r = cli("check", office.root, "--strict")
    assert r.exit_code == 0 and codes(r) == [], r.stderr
    # when no issue has the warning any more, the ignore is reported, once, at jianbao.yaml
    (office.root / "issues" / "2024-05-13.yaml").unlink()
    r = cli("check", office.root)
    assert codes(r) == ["JB030"] and "jianbao.yaml:7" in r.stderr and "各期没有 JB711" in r.stderr


def test_an_ignore_that_silences_nothing_is_reported(office, cli):
    path = issue(office, ["本周召开会议。  # jianbao: ignore JB711"], extra="ignore: [JB206]\n")
    r = cli("check", path)
    assert codes(r) == ["JB030", "JB030"] and ".yaml:3:" in r.stderr and ".yaml:7:" in r.stderr
    assert "这一行没有 JB711 警告" in r.stderr and "这一期没有 JB206 警告" in r.stderr
    assert cli("check", path, "--strict").exit_code == 1


def test_errors_and_unknown_codes_cannot_be_ignored(office, cli):
    path = issue(office, ["一、本周召开会议。  # jianbao: ignore JB110", "待填  # jianbao: ignore"],
                 extra="ignore: [JB999]\n")
    r = cli("check", path)
    assert r.exit_code == 1
    assert "JB110" in codes(r) and "JB205" in codes(r)  # the errors stay
    assert "JB110（文字开头手工输入了序号）是错误，不能忽略" in r.stderr
    assert "没有代码为 JB999 的规则" in r.stderr and "后面没有写警告的代码" in r.stderr


def test_build_prints_no_silenced_warning(office, cli):
    path = issue(office, [WRONG + "  # jianbao: ignore JB711"])
    r = cli("build", path)
    assert r.exit_code == 0 and "JB711" not in r.stderr and "JB030" not in r.stderr
    path.write_text(path.read_text(encoding="utf-8").replace("85.25%", "94.55%"), encoding="utf-8")
    r = cli("build", path)
    assert r.exit_code == 0 and "JB030" in r.stderr  # fixed: the ignore is left over
