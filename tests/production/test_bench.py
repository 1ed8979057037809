"""The benchmark's own helpers (the full run is documented in docs/performance.md)."""

import importlib.util

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location("bench_run", settings.BASE_DIR / "bench" / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

FORM = """
<form method="get"><input name="q"></form>
<form method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <select name="organization" required>
    <option value="">---</option><option value="7">A</option>
  </select>
  <select name="name_order">
    <option value="a">A</option><option value="b" selected>B</option>
  </select>
  <select name="replaces"><option value="">---</option><option value="3">X</option></select>
  <input type="radio" name="kind" value="contact_person">
  <input type="radio" name="kind" value="expert">
  <input name="email" type="email"><input name="website">
  <input type="checkbox" name="consent_to_publish">
  <input type="submit" value="Send">
</form>
"""


def test_form_parser_reads_the_post_form_only():
    parser = bench.FormParser()
    parser.feed(FORM)
    fields = parser.fields
    assert "q" not in fields
    assert fields["csrfmiddlewaretoken"]["value"] == "tok"
    assert fields["organization"]["options"] == ["7"]
    assert fields["organization"]["required"]
    assert fields["name_order"]["value"] == "b"
    assert fields["kind"]["value"] == "contact_person"


def test_percentiles():
    result = bench.Result(label="x", path="/", latencies=[i / 1000 for i in range(1, 101)])
    result.elapsed = 2.0
    assert result.percentile(50) == pytest.approx(50, abs=1)
    assert result.percentile(95) == pytest.approx(95, abs=1)
    assert result.percentile(99) == pytest.approx(99, abs=1)
    assert result.rps == 50


def test_refuses_a_remote_or_sqlite_database():
    with pytest.raises(SystemExit):
        bench.main(["--database-url", "sqlite:///x.sqlite3"])
    with pytest.raises(SystemExit):
        bench.main(["--database-url", "postgres://user@db.example.org/anso"])


@pytest.mark.django_db
def test_mixed_report_counts_cache_hits_and_fails_on_a_5xx_write(capsys):
    page = bench.Result(label="home", path="/", latencies=[0.01, 0.02], elapsed=1.0)
    report = bench.MixedReport(
        results={"/": page},
        cache={"hit": 2, "stale": 1, "miss": 1},
        writes={"check-in": {200: 4}},
        accepted={},
        reads=[(10.0, 0.01), (20.5, 0.2), (30.0, 0.02)],
        edits=[20.0],
    )
    assert bench.print_mixed(report, {"/": 5}, 0, markdown=True) == 0
    out = capsys.readouterr().out
    assert "answered from the cache (hit or stale) 75.0%" in out
    assert "reads within 2 s after an admin edit: 1, p50 200.0 ms" in out
    report.writes["registration"] = {302: 1, 500: 1}
    assert bench.print_mixed(report, {}, 0, markdown=False) == 1


@pytest.mark.django_db
def test_mixed_report_gives_each_page_its_rate_as_a_share_of_the_floor(capsys):
    """In the mixed run every page gets about as many requests, so the share is that of the
    mean latencies: a page twice as slow as the floor is at 0.50 (it printed 0.00)."""
    floor = bench.Result(label="floor", path="/bench/floor", latencies=[0.01] * 4, elapsed=1.0)
    page = bench.Result(label="home", path="/", latencies=[0.02] * 4, elapsed=1.0)
    report = bench.MixedReport(
        results={floor.path: floor, page.path: page},
        cache={"hit": 4},
        writes={},
        accepted={},
        reads=[],
        edits=[],
    )
    assert bench.print_mixed(report, {}, 0, markdown=True) == 0
    rows = {line.split(" | ")[0]: line for line in capsys.readouterr().out.splitlines()}
    assert rows["| floor"].endswith("| 1.00 |")
    assert rows["| home"].endswith("| 0.50 |")


def test_the_floor_answers_only_when_the_benchmark_turns_it_on(client, settings):
    assert client.get("/bench/floor").status_code == 404
    settings.BENCH_FLOOR = True
    response = client.get("/bench/floor")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "X-Page-Cache" not in response
