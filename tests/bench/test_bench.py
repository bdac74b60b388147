"""The benchmark harness: its pieces on their own, and one tiny end-to-end run (slow)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bench import pg, report, scenarios
from bench.connector import BenchConnector
from bench.load import LoadResult, run_load
from bench.seed import TenYearSpec, build_ten_years, ten_year_store

ROOT = Path(__file__).resolve().parents[2]


def test_percentiles_and_throughput() -> None:
    result = LoadResult(concurrency=1, elapsed=2.0, latencies=[i / 1000 for i in range(1, 101)])
    assert result.throughput == 50.0
    assert result.p50 == pytest.approx(0.0505)
    assert result.p99 == pytest.approx(0.099)


async def test_load_is_bounded_in_count_and_refuses_other_hosts() -> None:
    connector = BenchConnector()
    url = await connector.start()
    try:
        result = await run_load(url + "v3/conversations/c/activities", lambda i: b"{}", concurrency=3,
                                duration=10.0, max_requests=7)
        assert result.requests == 7 and result.errors == 0
        with pytest.raises(ValueError):
            await run_load("http://example.com/", lambda i: b"{}", concurrency=1, duration=1, max_requests=1)
    finally:
        await connector.stop()


async def test_load_over_several_urls_deals_the_workers_out_evenly() -> None:
    a, b = BenchConnector(), BenchConnector()
    urls = [await a.start(), await b.start()]
    try:
        result = await run_load([u + "v3/conversations/c/activities" for u in urls], lambda i: b"{}", concurrency=4,
                                duration=10.0, max_requests=40)
        assert result.requests == 40 and result.errors == 0
        assert a.stats()["sends"] > 0 and b.stats()["sends"] > 0
        assert a.stats()["sends"] + b.stats()["sends"] == 40
        with pytest.raises(ValueError):
            await run_load([urls[0], "http://example.com/"], lambda i: b"{}", concurrency=2, duration=1, max_requests=2)
    finally:
        await a.stop()
        await b.stop()


async def test_connector_answers_429_beyond_teams_limits() -> None:
    connector = BenchConnector(enforce=True, per_conversation=7, per_app=50)
    url = await connector.start()
    try:
        async with aiohttp.ClientSession() as session:
            statuses = []
            for _ in range(9):
                async with session.post(url + "v3/conversations/one/activities", json={"text": "x"}) as resp:
                    statuses.append(resp.status)
                    retry_after = resp.headers.get("Retry-After")
        assert statuses == [200] * 7 + [429, 429] and retry_after == "1"
        stats = connector.stats()
        assert stats["sends"] == 7 and stats["throttled"] == 2 and stats["max_per_conversation_second"] == 7
        assert stats["last_texts"] == ["x", "x", "x"]
    finally:
        await connector.stop()


async def test_ten_year_store_is_generated_through_the_repositories_and_cached(tmp_path: Path) -> None:
    spec = TenYearSpec(teams=2, years=1, meetings_per_year=2, checkins=3, action_items=2, decisions=1, members=4)
    first, built = await ten_year_store(spec, tmp_path / "a", cache_dir=tmp_path / "cache")
    second, built_again = await ten_year_store(spec, tmp_path / "b", cache_dir=tmp_path / "cache")
    assert built and not built_again
    from storage.store import Store
    from storage.tinydb_engine import TinyDBEngine

    store = Store(TinyDBEngine(second, read_only=True))
    (key, _other) = sorted(t.key for t in await store.teams.all_teams())
    meetings = await store.meetings.all(key)
    assert len(meetings) == 2
    assert len(await store.checkins.answers(key, meetings[0].id)) == 3
    assert len(await store.actions.for_meeting(key, meetings[0].id)) == 2
    assert len(await store.decisions.for_meeting(key, meetings[0].id)) == 1
    assert await store.minutes.latest(key, meetings[0].id) is not None
    # One file per meeting, beside the team file: what the check-in write relies on.
    assert len(list(second.rglob("meetings/*.json"))) == 4


async def test_build_is_deterministic_for_a_date(tmp_path: Path) -> None:
    spec = TenYearSpec(teams=1, years=1, meetings_per_year=1, checkins=1, action_items=1, decisions=1, members=2)
    await build_ten_years(spec, tmp_path / "d", today=datetime(2026, 11, 23, tzinfo=UTC).date())
    assert sorted(p.name for p in (tmp_path / "d").rglob("meetings/*.json")) == ["20250110.json"]


def test_report_keeps_hand_written_notes(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    rep = report.Report(command="make bench", started=report.now())
    report.write(out, rep)
    text = out.read_text()
    assert text.startswith("# Performance") and report.NOTES_MARKER in text
    out.write_text(text.replace("(Hand-written: what was changed to meet the targets, and how it was found.)",
                                "Our own notes."))
    report.write(out, rep)
    assert out.read_text().count("Our own notes.") == 1


def test_purge_log_line_is_read_from_the_service_log() -> None:
    text = ("2026-11-23 09:03:41,777 INFO bot.ops.privacy: check-in retention purge (answers before 2025-11-23): 25740 "
            "deleted; 1300 meeting partitions read, 0 unchanged skipped, 1287 rewritten; 13 networks in 3.27 s\n")
    assert scenarios.purge_log("nothing yet") is None
    assert scenarios.purge_log(text) == scenarios.PurgeLog(25740, 1300, 0, 1287, 13, 3.27)


def test_other_processes_cpu_is_the_machine_busy_time_minus_ours() -> None:
    start = scenarios.CpuSnapshot(busy=100.0, ours=10.0, loadavg=0.5)
    end = scenarios.CpuSnapshot(busy=150.0, ours=40.0, loadavg=1.5)
    load = scenarios.machine_load(start, end, 50.0)
    assert load is not None and load.other_cpu == 20.0
    assert load.other_share == pytest.approx(20.0 / (50.0 * load.cpus))
    assert scenarios.cpu_snapshot() is None or scenarios.cpu_snapshot().busy > 0


def _run(throughput: float) -> LoadResult:
    return LoadResult(concurrency=8, elapsed=1.0, latencies=[0.01] * int(throughput))


def test_throughput_target_is_the_median_of_paired_ratios() -> None:
    suite = scenarios.HttpSuite()
    for echo, skis in ((60, 270), (50, 60), (70, 350)):  # the middle pair hit by a burst of other work
        suite.pairs.append(scenarios.PairedRun(_run(echo), _run(skis), 0.015, 0.005))
    assert suite.pair_ratio == pytest.approx(4.5)
    assert suite.pair_cpu_ratio == pytest.approx(3.0)
    rep = report.Report(command="make bench", started=report.now(), http=suite)
    (target,) = rep.targets()
    assert target.met and target.ratio == "4.50×" and target.target == "≥ 4×"
    assert "median of 3 paired runs; ratios 1.20–5.00" in target.what
    text = rep.markdown()
    assert "| 2 | 50 | 60 | 1.20× |" in text and "Median ratio 4.50×" in text
    suite.pairs[2] = scenarios.PairedRun(_run(70), _run(210), 0.015, 0.005)
    (target,) = report.Report(command="make bench", started=report.now(), http=suite).targets()
    assert target.ratio == "3.00×" and not target.met


def test_uppgifter_is_a_target_against_the_echo_bot_in_the_same_run() -> None:
    suite = scenarios.HttpSuite()
    echo = scenarios.Measurement("echo", "echo bot (stock SDK)", 8, runs=[_run(70), _run(80)])
    suite.measurements[("echo", echo.scenario, 8)] = echo
    for throughput, met in ((150, True), (140, False)):
        items = scenarios.Measurement("skis", "uppgifter (200 öppna)", 8, runs=[_run(throughput)])
        suite.measurements[("skis", items.scenario, 8)] = items
        targets = report.Report(command="make bench", started=report.now(), http=suite).targets()
        (row,) = [t for t in targets if t.what.startswith("uppgifter")]
        assert row.measured == f"{throughput} turns/s" and row.baseline == "75 turns/s (stock echo bot)"
        assert row.target == "≥ 2×" and row.met is met


def test_a_busy_machine_is_said_in_the_report() -> None:
    rep = report.Report(command="make bench", started=report.now())
    rep.load = scenarios.MachineLoad(seconds=100.0, other_cpu=60.0, cpus=2, loadavg_start=1.0, loadavg_end=2.0)
    assert "**The machine was busy with other work**" in rep.markdown()
    rep.load = scenarios.MachineLoad(seconds=100.0, other_cpu=2.0, cpus=2, loadavg_start=0.1, loadavg_end=0.2)
    assert "busy with other work" not in rep.markdown() and "(1% of 2 CPUs)" in rep.markdown()


def test_start_up_target_includes_the_first_start() -> None:
    suite = scenarios.StartupSuite(first_tenyear=3.4, tenyear=[1.5, 1.6], empty=[1.0], echo=[0.5])
    suite.first_purge = scenarios.PurgeLog(25740, 1300, 0, 1287, 13, 3.27)
    suite.healthz_during_purge = [0.002, 0.004, 0.030]
    rep = report.Report(command="make bench", started=report.now(), startup=suite)
    (target,) = rep.targets()
    assert target.measured == "3.40 s" and target.met is False
    text = rep.markdown()
    assert "deleted 25,740 answers" in text and "30.00 ms at most" in text


@pytest.mark.slow
def test_quick_bench_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out), "--cache-dir", str(tmp_path / "cache")],
                          cwd=ROOT, capture_output=True, text=True, timeout=360)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    text = out.read_text()
    for heading in ("## Targets", "## Turns over HTTP", "## Storage growth", "## Reminder fan-out", "## Start-up and memory",
                    "## Check-in on PostgreSQL", "## Two instances on one database", "## Storage growth on PostgreSQL"):
        assert heading in text
    assert "not measured" not in text.split("## Turns over HTTP")[0]  # every target has its figure
    assert "| Check-in on PostgreSQL against TinyDB" in text and "| Two instances on one PostgreSQL database" in text
    assert "check-in on PostgreSQL: HTTP 200, “Tack" in text  # the PostgreSQL bot really saved the answer
    assert "Migrated " in text and "No process is pinned in this suite" in text
    assert "echo bot (stock SDK)" in text and "errors" in text
    assert "| incheckning <svar> | 8 |" in text
    assert "paired runs" in text and "| pair | echo turns/s |" in text
    assert "background" in text and "Other work on the machine" in text


def test_the_parse_suite_is_a_target_against_its_budget() -> None:
    rows = [("dates.split_when", "kl 9 ", 7.0), ("recording.parse_action_text", "till ", 60.0)]
    rep = report.Report(command="make bench", started=datetime(2026, 12, 3, tzinfo=UTC), parse=rows)
    (target,) = rep.targets()
    assert "recording.parse_action_text" in target.what and target.met is False
    assert "## Parsing long messages" in rep.markdown()
    rep.parse = rows[:1]
    assert rep.targets()[0].met is True


def test_py_spy_samples_are_summed_per_function() -> None:
    from bench.profile import summarise

    lines = [
        "main (bot/cli.py:114);post (bot/teams/http.py:136);fsync (storage/files.py:87) 30",
        "main (bot/cli.py:114);post (bot/teams/http.py:136);post (bot/teams/http.py:136) 10",
        "main (bot/cli.py:114) 5",
        "",
        "not a sample line",
    ]
    total, inclusive, own = summarise(lines)
    assert total == 45
    assert inclusive["main (bot/cli.py:114)"] == 45
    assert inclusive["post (bot/teams/http.py:136)"] == 40  # counted once per stack, recursion or not
    assert own == {"fsync (storage/files.py:87)": 30, "post (bot/teams/http.py:136)": 10, "main (bot/cli.py:114)": 5}


def _pg_run(throughput: float, bot_cpu: float | None = 0.005, db_cpu: float | None = 0.002) -> pg.Run:
    return pg.Run(_run(throughput), bot_cpu, db_cpu)


def test_postgres_targets_are_median_ratios_against_echo_and_tinydb_of_the_same_rounds() -> None:
    suite = pg.PostgresSuite(concurrency=8)
    for echo, tiny, onpg in ((60, 200, 150), (40, 210, 100), (70, 180, 140)):  # round 2 hit by other work
        suite.rounds.append(pg.Triple(_pg_run(echo), _pg_run(tiny), _pg_run(onpg), "echo, tinydb, postgres"))
    rep = report.Report(command="make bench", started=report.now(), postgres=suite)
    vs_echo, vs_tiny = rep.targets()
    assert vs_echo.ratio == "2.50×" and vs_echo.met and vs_echo.target == "≥ 2×"
    assert vs_echo.measured == "140 turns/s" and vs_echo.baseline == "60 turns/s (stock echo bot)"
    assert "median of 3 rounds; ratios 2.00–2.50" in vs_echo.what
    assert vs_tiny.ratio == "0.75×" and vs_tiny.met and vs_tiny.target == "within 1.5× (≥ 0.67×)"
    suite.rounds[0] = pg.Triple(_pg_run(60), _pg_run(200), _pg_run(110), "postgres, tinydb, echo")
    suite.rounds[2] = pg.Triple(_pg_run(70), _pg_run(180), _pg_run(126), "echo, tinydb, postgres")
    vs_echo, vs_tiny = report.Report(command="make bench", started=report.now(), postgres=suite).targets()
    assert vs_echo.ratio == "1.83×" and not vs_echo.met
    assert vs_tiny.ratio == "0.55×" and not vs_tiny.met
    assert "| 1 | postgres, tinydb, echo | 60 | 200 | 110 |" in report.Report(
        command="make bench", started=report.now(), postgres=suite).markdown()


def test_two_instances_target_is_the_median_of_paired_ratios() -> None:
    suite = pg.InstancesSuite(concurrency=16, networks=8, cpus=2)
    for one, two in ((150, 210), (150, 180), (100, 140)):
        suite.pairs.append(pg.InstancesPair(_pg_run(one), _pg_run(two), "one, two"))
    rep = report.Report(command="make bench", started=report.now(), instances=suite)
    (target,) = rep.targets()
    assert target.ratio == "1.40×" and target.met and target.target == "≥ 1.3×"
    assert "nothing pinned, 2 CPUs shared" in target.what
    suite.pairs[0] = pg.InstancesPair(_pg_run(150), _pg_run(150), "two, one")
    (target,) = report.Report(command="make bench", started=report.now(), instances=suite).targets()
    assert target.ratio == "1.20×" and not target.met


def test_ten_year_database_target_compares_median_latencies() -> None:
    def measured(name: str, p50: float) -> scenarios.Measurement:
        return scenarios.Measurement("skis", name, 1, runs=[LoadResult(1, 1.0, [p50] * 3)])

    suite = pg.PgGrowthSuite(spec_label="x", empty=measured("check-in, empty database", 0.008),
                             tenyear=measured("check-in, ten-year database", 0.0096))
    (target,) = report.Report(command="make bench", started=report.now(), pg_growth=suite).targets()
    assert target.measured == "9.60 ms" and target.ratio == "1.20×" and target.met
    suite.tenyear = measured("check-in, ten-year database", 0.0112)
    (target,) = report.Report(command="make bench", started=report.now(), pg_growth=suite).targets()
    assert target.ratio == "1.40×" and not target.met


@pytest.mark.postgres
def test_the_bench_server_may_use_every_cpu_while_the_bench_is_pinned() -> None:
    import os

    if pg.ALL_CPUS is None or len(pg.ALL_CPUS) < 2:
        pytest.skip("needs two CPUs and sched_setaffinity")
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(pg.ALL_CPUS)})
    server = pg.LazyServer()
    try:
        assert server.cpu_seconds() is None
        started = server.get()
        assert server.get() is started  # one server for the run
        assert os.sched_getaffinity(0) == {min(pg.ALL_CPUS)}  # the bench's own pinning is back
        master = int((started.root / "data" / "postmaster.pid").read_text().split()[0])
        assert os.sched_getaffinity(master) == pg.ALL_CPUS
        url = started.create_database()
        import psycopg

        with psycopg.connect(url) as conn:
            for _ in range(200):
                conn.execute("SELECT md5(repeat('x', 10000))").fetchone()
        cpu = server.cpu_seconds()
        assert cpu is not None and cpu > 0
    finally:
        server.stop()
        os.sched_setaffinity(0, before)


async def test_connector_answers_the_bot_connector_routes_over_one_kept_alive_connection() -> None:
    """The routes of bot/dev/fake_connector.py, as the bot's connector client calls them."""
    connector = BenchConnector()
    url = await connector.start()
    conversation = "19:abc;messageid=1@thread.tacv2"
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as session:
            cid = "19%3Aabc%3Bmessageid%3D1%40thread.tacv2"
            answers = []
            for method, path, body in [
                ("POST", f"v3/conversations/{cid}/activities", {"text": "skickat"}),
                ("POST", f"v3/conversations/{cid}/activities/a1", {"text": "svar"}),
                ("PUT", f"v3/conversations/{cid}/activities/a1", {"text": "ändrat"}),
                ("POST", "v3/conversations", {"members": [{"id": "29:anna"}]}),
                ("GET", f"v3/conversations/{cid}/pagedmembers", None),
                ("GET", f"v3/conversations/{cid}/members", None),
                ("GET", f"v3/conversations/{cid}/members/29:bo", None),
                ("DELETE", f"v3/conversations/{cid}/activities/a1", None),
                ("GET", "nowhere", None),
            ]:
                async with session.request(method, url + path, json=body) as resp:
                    answers.append((resp.status, await resp.json()))
        assert [status for status, _ in answers] == [200, 200, 200, 200, 200, 200, 404, 404, 404]
        assert answers[0][1] == {"id": "activity-1"} and answers[2][1] == {"id": "activity-3"}
        assert answers[3][1]["id"] == "a:personal-29:anna"
        assert answers[4][1] == {"members": [], "continuationToken": None} and answers[5][1] == []
        stats = connector.stats()
        assert stats["calls"] == {"send": 1, "reply": 1, "update": 1, "create_conversation": 1, "paged_members": 1,
                                  "members": 1, "member": 1}
        assert stats["sends"] == 3 and stats["conversations"] == 1 and stats["last_texts"] == ["skickat", "svar", "ändrat"]
        assert conversation in connector.conversations
    finally:
        await connector.stop()


async def test_connector_answers_malformed_http_with_400_and_closes() -> None:
    import asyncio

    connector = BenchConnector()
    url = await connector.start()
    try:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"NOT HTTP AT ALL\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(), timeout=5)
        writer.close()
        assert answer.startswith(b"HTTP/1.1 400 ") and b"Connection: close" in answer
    finally:
        await connector.stop()
