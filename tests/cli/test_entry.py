"""The entry point imports only the command it runs: its table of commands must stay true."""

from __future__ import annotations

import sys

from hbeu_transit.cli import app as entry


def test_every_command_is_registered_by_the_module_the_table_names():
    app = entry.app                              # every command module imported
    names = {entry.registered_name(c): c.callback.__module__ for c in app.registered_commands}
    names.update({g.name: g.typer_instance.registered_callback.callback.__module__
                  if g.typer_instance.registered_callback else g.typer_instance.registered_commands[0].callback.__module__
                  for g in app.registered_groups})
    assert set(names) == set(entry.COMMANDS)
    for name, module in names.items():
        assert module == f"hbeu_transit.cli.{entry.COMMANDS[name]}", name


def test_command_name_skips_root_options_and_their_values():
    assert entry.command_name(["--max-feed-mb", "40", "plan", "A", "B"]) == "plan"
    assert entry.command_name(["--max-feed-mb=40", "info"]) == "info"
    assert entry.command_name(["--help"]) is None
    assert entry.command_name([]) is None


def test_a_run_builds_only_its_command_and_leaves_the_app_whole(monkeypatch, capsys):
    before = len(entry.app.registered_commands)
    monkeypatch.setattr(sys, "argv", ["hbeu", "stations", "--help"])
    try:
        entry.main()
    except SystemExit as e:
        assert e.code == 0
    out = capsys.readouterr().out
    assert "stations [OPTIONS]" in out and "--json" in out
    assert len(entry.app.registered_commands) == before


def test_a_command_runs_with_the_raised_gc_threshold(monkeypatch):
    import gc

    from hbeu_transit.cli import quick
    from hbeu_transit.errors import InputError

    seen = []

    def run_plan(args):
        seen.append(gc.get_threshold())
        raise InputError("stop here")

    monkeypatch.setattr(quick, "run_plan", run_plan)
    monkeypatch.setattr(sys, "argv", ["hbeu", "plan", "A", "B"])
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 11, 12)
        try:
            entry.main()
        except SystemExit as e:
            assert e.code == 2
        assert seen == [(entry.GC_THRESHOLD, 11, 12)]
    finally:
        gc.set_threshold(*before)


def test_the_process_freezes_its_objects_at_exit(tmp_path):
    """``gc.freeze`` runs as an exit handler, after those registered after main() started (a
    handler registered before main() sees the objects frozen), so the interpreter's shutdown
    collections skip the command's objects; the command itself runs unfrozen."""
    import subprocess

    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('at exit', gc.get_freeze_count() > 0, file=sys.stderr))\n"
            "from hbeu_transit.cli.app import main\n"
            "sys.argv = ['hbeu', 'plan', '--help']\n"
            "for _ in range(2):\n"
            "    try:\n        main()\n    except SystemExit as e:\n        assert e.code == 0, e.code\n"
            "print('after main', gc.get_freeze_count() > 0, file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[-2:] == ["after main False", "at exit True"], r.stderr
