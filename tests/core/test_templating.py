"""Templates compiled once per machine: jinja2's cache on disk gives the same pages, follows edits, and a
machine without a safe temporary folder still renders."""
from __future__ import annotations

import os
import tempfile

import jinja2

from perfeval_lib.core import templating


def _fresh_environment(monkeypatch, folder):
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return templating._environment(autoescape=True)


def test_a_second_process_loads_the_compiled_template_and_renders_the_same(tmp_path, monkeypatch):
    first = _fresh_environment(monkeypatch, tmp_path)
    page = first.get_template("html/note.html.j2").render(text="<没有数据>")
    cached = list((tmp_path / f"_jinja2-cache-{os.getuid()}").glob("__perfeval_html_*.cache"))
    assert len(cached) == 1 and oct(cached[0].parent.stat().st_mode & 0o777) == "0o700"
    second = _fresh_environment(monkeypatch, tmp_path)
    loaded = []
    original = second.bytecode_cache.load_bytecode
    monkeypatch.setattr(second.bytecode_cache, "load_bytecode",
                        lambda bucket: (original(bucket), loaded.append(bucket.code is not None)))
    assert second.get_template("html/note.html.j2").render(text="<没有数据>") == page
    assert loaded == [True]                                               # from the cache, not compiled
    assert page == '<p class="pe-note">&lt;没有数据&gt;</p>'


def test_an_edited_template_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    source = {"t.j2": "旧 {{ x }}"}
    env = jinja2.Environment(loader=jinja2.DictLoader(source), bytecode_cache=templating.bytecode_cache("text"))
    assert env.get_template("t.j2").render(x=1) == "旧 1"
    source["t.j2"] = "新 {{ x }}"
    env = jinja2.Environment(loader=jinja2.DictLoader(source), bytecode_cache=templating.bytecode_cache("text"))
    assert env.get_template("t.j2").render(x=1) == "新 1"


def test_html_and_text_templates_are_cached_apart(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    html, text = templating.bytecode_cache("html"), templating.bytecode_cache("text")
    assert html.pattern != text.pattern and "%s" in html.pattern and "%s" in text.pattern


def test_without_a_safe_temporary_folder_templates_are_compiled_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / f"_jinja2-cache-{os.getuid()}").write_text("not a folder")   # what jinja2 refuses to use
    assert templating.bytecode_cache("html") is None
    env = templating._environment(autoescape=True)
    assert env.bytecode_cache is None
    assert env.get_template("html/note.html.j2").render(text="x") == '<p class="pe-note">x</p>'
