"""The benchmark: a deterministic synthetic archive, timed against plain Pelican."""

import datetime
import io
import os
import random
import re
import subprocess
import sys

import pytest
from conftest import FIXTURE_SITE, ROOT
from seed_articles import read_metadata

from pressroom.content import schema
from pressroom.content.header import parse_header
from pressroom.content.registry import Registry
from pressroom.tools import bench

SECONDS = r"(\d+\.\d\d) s"


def body_words(path):
    return len(path.read_text(encoding="utf-8").split("\n\n", 1)[1].split())


def test_archive_is_deterministic_and_realistic(tmp_path):
    first = bench.generate_archive(tmp_path / "a", 60)
    second = bench.generate_archive(tmp_path / "b", 60)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert len(set(first)) == 60

    metadata = [read_metadata(p) for p in first]
    registry = Registry.load(FIXTURE_SITE / "institutions.yml")
    named = {name.strip() for m in metadata for name in m["institutions"].split(",")}
    assert len(named) >= 5 and all(registry.find(name) for name in named)
    assert 10 <= sum("event" in m for m in metadata) <= 30
    assert len({m["date"][:4] for m in metadata}) >= 5
    assert len({m["category"] for m in metadata}) >= 3
    assert all(380 <= body_words(p) <= 800 for p in first)


def test_every_article_of_a_10000_article_archive_passes_the_content_gate():
    """The archive is drawn without writing it: each header is checked as lint and the build check it."""
    registry = Registry.load(FIXTURE_SITE / "institutions.yml")
    acronyms = [institution.acronym for institution in registry]
    rng = random.Random(bench.SEED)
    today = datetime.date(2026, 1, 1)
    problems = []
    for number in range(1, 10_001):
        relative, text = bench.synthetic_article(rng, number, acronyms)
        check = schema.Check(relative, relative, registry, {}, today)
        problems += schema.check_header(parse_header(text), check)
    assert problems == []


def invoke_bench(*arguments):
    """What `invoke bench` printed, once it succeeded."""
    result = subprocess.run(
        [os.path.join(sys.prefix, "bin", "invoke"), "bench", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.slow  # a whole benchmark (seven builds of 200 articles and a preview): .ci/run's slow step
def test_invoke_bench_prints_both_times_ratio_memory_and_rebuild():
    out = invoke_bench("--articles", "200")
    assert "Archive synthétique : 200 articles" in out
    memory = r"mémoire maximale (\d+) Mio \(tous processus\), (\d+) Mio \(processus principal\)"
    plain = re.search(rf"Pelican seul .*: {SECONDS}, processeur {SECONDS}, {memory}", out)
    full = re.search(rf"Site complet .*: {SECONDS}, processeur {SECONDS}, {memory}", out)
    assert all(float(figure) > 0 for figure in plain.groups() + full.groups())
    plain, full, trees = float(plain[1]), float(full[1]), (int(full[3]), int(plain[3]))
    memory_ratio = float(re.search(r"Mémoire site complet / Pelican seul \(tous processus\) : (\d+\.\d\d)", out)[1])
    assert memory_ratio == pytest.approx(trees[0] / trees[1], rel=0.05)  # the figures are printed rounded
    ratio = float(re.search(r"Rapport site complet / Pelican seul : (\d+\.\d\d)", out)[1])
    assert ratio == pytest.approx(full / plain, rel=0.03)  # the times are printed rounded
    rebuild = re.search(
        rf"Reconstruction après publication d'un nouveau communiqué \(cache\) : {SECONDS} .*, "
        rf"processeur {SECONDS}, {memory}",
        out,
    )
    assert float(rebuild[1]) > 0 and float(rebuild[2]) > 0
    trials = [float(r) for r in re.findall(r"Essai \d : Pelican seul .* rapport (\d+\.\d\d)", out)]
    assert len(trials) == 3 and ratio == sorted(trials)[1]  # the median of three alternated runs
    for what in ("article modifié écrit sur le disque", "nouvel article sur la page d'accueil"):
        line = re.search(rf"Aperçu : {what} {SECONDS} après l'enregistrement \(médiane de 5 : (.*) s\)", out)
        assert line and len(line[2].split(", ")) == 5, out


def test_option_a_times_each_save_on_pelicans_public_api(tmp_path):
    """The preview rebuilt on Pelican's public API alone: each save is a whole run, and the page
    waited for holds the save's marker (checked by the child, which fails otherwise)."""
    bench.generate_archive(tmp_path / "content", 30)
    measure = bench.measure_public_preview(tmp_path / "content", tmp_path / "public", tmp_path / "cache", edits=2)
    assert len(measure.edits) == 2 and len(measure.new_articles) == 2
    assert all(seconds > 0 for seconds in measure.edits + measure.new_articles)
    assert bench.public_line(measure).startswith("Aperçu sur l'API publique de Pelican (option A")


def test_profile_attributes_time_to_our_plugins_and_templates(tmp_path):
    stats = bench.profile(10, workdir=tmp_path, out=io.StringIO(), top=1)
    seconds = bench.time_by_owner(stats)
    assert seconds["plugins/institutions"] > 0
    assert seconds["theme/templates"] > 0
    assert bench.owner(str(ROOT / ".venv" / "lib" / "x.py")) is None


def test_rebuild_from_content_cache_shows_an_edit_and_keeps_plugin_output(content_copy, build, tmp_path):
    first = build(content_copy)
    assert first.status == 0, first.messages
    assert list((tmp_path / "cache").glob("ArticlesGenerator-Readers*"))
    source = content_copy / "articles" / "2024" / "cmss-untm-formation-relations-professionnelles.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Title: CMSS : une centaine", "Title: CMSS : cent vingt"),
        encoding="utf-8",
    )

    second = build(content_copy)
    assert second.status == 0, second.messages
    edited = second.soup("2024/10/cmss-untm-formation-relations-professionnelles/")
    title = edited.find("h1").get_text()
    assert "cent vingt" in title and "centaine" not in title
    unchanged = "2019/11/rma-atelier-national-extension-protection-sociale/"
    assert second.soup(unchanged).select(".institutions a") == first.soup(unchanged).select(".institutions a")
    assert second.soup(unchanged).find("h1") == first.soup(unchanged).find("h1")


def test_bench_prints_the_time_of_typography_for_three_sizes_of_text():
    out = io.StringIO()
    times = bench.typography_times(out)
    assert [label for _, label, _ in times] == ["100 Ko", "1 Mo", "3 Mo"]
    assert [len(bench.typography_text(size)) for size, _, _ in times] == [100_007, 1_000_007, 3_000_007]
    line, seconds = out.getvalue(), r"\d+\.\d{3} s"
    assert re.search(rf"Typographie d'un paragraphe : 100 Ko en {seconds}, 1 Mo en {seconds} \(×[\d.]+ pour ×10", line)
    assert re.search(rf"3 Mo en {seconds} \(×[\d.]+ pour ×3\)", line)


def test_the_report_names_what_a_build_left_out_and_prints_both_memory_figures():
    trial = bench.Trial(bench.Measure(10.0, 90.0, 80.0, 9.5), bench.Measure(5.0, 600.0, 900.0, 8.25))
    rebuild = bench.Measure(3.0, 610.0, 905.0, 4.5)
    off = bench.without("recherche, legere")
    lines = "\n".join(bench.Report(10_000, [trial], rebuild, None, off=off).lines())
    assert (
        "Site complet (nos réglages, extensions et thème, sans index de recherche, sans édition légère) : "
        "5.00 s, processeur 8.25 s" in lines
    )
    assert "mémoire maximale 900 Mio (tous processus), 600 Mio (processus principal)" in lines
    assert "Mémoire site complet / Pelican seul (tous processus) : 11.25" in lines
    assert "Rapport site complet / Pelican seul : 0.50 (médiane des rapports 0.50" in lines
    assert "(60% de la construction complète), processeur 4.50 s" in lines and "Aperçu" not in lines


@pytest.mark.slow  # ten builds of 200 articles and two merges: .ci/run's slow step
def test_invoke_bench_prints_each_part_of_a_split_build_and_its_longest_path():
    out = invoke_bench("--articles", "200", "--essais", "1", "--sans-apercu", "--parties", "2")
    whole = float(re.search(rf"Site complet .*: {SECONDS}", out)[1])
    cold, warm = out.split("Après un nouveau communiqué")
    timed = re.findall(rf"^  (\S+) : {SECONDS} \(processeur", cold, flags=re.M)
    names = [name for name, _ in timed]
    assert len(names) == 3 and names[-1] == "communes" and names[-2].endswith("-2099")
    merges = re.findall(rf"fusion : {SECONDS} ; la partie la plus longue puis la fusion {SECONDS}, (\d+)% ", out)
    assert len(merges) == 2
    merge, total, share = merges[0]
    assert float(total) == pytest.approx(max(float(t) for _, t in timed) + float(merge), abs=0.02)
    assert abs(int(share) - 100 * float(total) / whole) <= 1
    assert re.findall(r"^  (\S+) : \d+\.\d\d s \(", warm, flags=re.M) == names


def test_leaving_out_switches_off_each_named_setting_and_refuses_an_unknown_name():
    assert bench.switched_off(bench.without("gzip,recherche")) == {"gzip_copies": False, "search_index": False}
    assert bench.without("") == ()
    with pytest.raises(ValueError, match="« photos » inconnu ; valeurs possibles : recherche, legere, gzip"):
        bench.without("legere,photos")


def test_invoke_bench_refuses_an_unknown_part_to_leave_out_in_french_before_building():
    done = subprocess.run(
        [os.path.join(sys.prefix, "bin", "invoke"), "bench", "--articles", "10", "--sans", "tout"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("Mesure impossible : --sans : « tout » inconnu") and "Traceback" not in done.stderr
    assert "Génération" not in done.stdout


def test_a_build_is_described_with_the_files_it_wrote(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "index.html").write_bytes(b"x" * 700_000)
    (tmp_path / "a" / "b" / "index.html.gz").write_bytes(b"y" * 400_000)
    measure = bench.Measure(5.0, 600.0, 900.0, 8.25, bench.output_size(tmp_path))
    assert measure.output == (2, 1_100_000)
    assert measure.described().endswith("600 Mio (processus principal), 2 fichiers écrits (1 Mio)")
    assert "fichiers" not in bench.Measure(5.0, 600.0, 900.0, 8.25).described()
