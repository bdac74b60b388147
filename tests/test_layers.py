"""The network's rules, cards, messages, minutes and storage run without the Bot Framework.

Every module under those packages is imported in a fresh interpreter and no ``botbuilder`` module
may be loaded by it, directly or through another module: all SDK contact lives in bot/teams (and
the Turn and dialogs built on it), so the rules can be tested, benchmarked and moved to another
SDK without it.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot.rules", "bot.cards", "bot.messages", "bot.minutes", "storage")

_PROBE = """
import importlib, json, sys
found = {}
for name in json.loads(sys.argv[1]):
    before = set(sys.modules)
    importlib.import_module(name)
    # Modules are loaded once: each one is charged with the SDK modules it brought in first.
    found[name] = sorted(m for m in set(sys.modules) - before if m.split(".")[0] == "botbuilder")[:3]
print(json.dumps(found))
"""


def layer_modules() -> list[str]:
    names: list[str] = []
    for package in LAYERS:
        path = ROOT.joinpath(*package.split("."))
        names.append(package)
        names.extend(info.name for info in pkgutil.walk_packages([str(path)], f"{package}."))
    return sorted(names)


def test_layers_do_not_load_the_bot_framework() -> None:
    modules = layer_modules()
    assert "bot.rules.checkins" in modules and "bot.minutes.draft" in modules
    run = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(modules)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    found = json.loads(run.stdout)
    offenders = {name: sdk for name, sdk in found.items() if sdk}
    assert not offenders, f"these modules load botbuilder: {offenders}"
    # botbuilder is importable here, so an empty result means the layers do not reach it.
    assert subprocess.run([sys.executable, "-c", "import botbuilder.core"], cwd=ROOT).returncode == 0
