"""The « diffusion » accounts of the registry: each network's account checked by the loader
itself (so lint, the build and `invoke diffusion` refuse the same typo), one French line each."""

import pytest

from pressroom.content.registry import Registry, RegistryError

HEAD = "INPS:\n  nom: Institut National de Prévoyance Sociale\n  diffusion:\n"


def load(tmp_path, lines):
    path = tmp_path / "institutions.yml"
    path.write_text(HEAD + "".join(f"    {line}\n" for line in lines), encoding="utf-8")
    return Registry.load(path)


def problems(tmp_path, lines):
    with pytest.raises(RegistryError) as raised:
        load(tmp_path, lines)
    return str(raised.value).splitlines()


def test_the_three_networks_are_read_in_a_fixed_order(tmp_path):
    registry = load(
        tmp_path, ["bluesky: inps.example.ml", "telegram: '@inps_mali'", "mastodon: https://social.example.org/@inps"]
    )
    institution = registry.find("INPS")
    assert institution.channels == (
        ("telegram", "@inps_mali"),
        ("mastodon", "https://social.example.org/@inps"),
        ("bluesky", "inps.example.ml"),
    )
    assert institution.public_channels == [
        ("Telegram", "https://t.me/inps_mali", "@inps_mali"),
        ("Mastodon", "https://social.example.org/@inps", "@inps@social.example.org"),
        ("Bluesky", "https://bsky.app/profile/inps.example.ml", "@inps.example.ml"),
    ]


def test_a_numeric_telegram_chat_id_is_accepted_unquoted_and_has_no_public_link(tmp_path):
    institution = load(tmp_path, ["telegram: -1001234567890"]).find("INPS")
    assert institution.channels == (("telegram", "-1001234567890"),)
    assert institution.public_channels == []


@pytest.mark.parametrize(
    "line, expected",
    [
        ("telegram: inps_mali", ":4: INPS: diffusion: telegram: compte « inps_mali » refusé — écrivez le nom public"),
        ("telegram: '@in'", ":4: INPS: diffusion: telegram: compte « @in » refusé"),
        ("mastodon: http://social.example.org/@inps", ":4: INPS: diffusion: mastodon: compte « http://social"),
        ("mastodon: https://social.example.org/inps", ":4: INPS: diffusion: mastodon: compte « https://social"),
        ("mastodon: javascript:alert(1)", ":4: INPS: diffusion: mastodon: compte « javascript:alert(1) » refusé"),
        ("bluesky: '@inps.bsky.social'", ":4: INPS: diffusion: bluesky: compte « @inps.bsky.social » refusé — "),
        ("bluesky: inps", ":4: INPS: diffusion: bluesky: compte « inps » refusé"),
        ("bluesky: [a, b]", ":4: INPS: diffusion: bluesky: compte « liste » refusé"),
        ("whatsapp: https://whatsapp.com/channel/x", ":4: INPS: diffusion: whatsapp: réseau inconnu — réseaux"),
    ],
)
def test_a_malformed_account_is_one_french_line_naming_file_line_and_field(tmp_path, line, expected):
    lines = problems(tmp_path, [line])
    assert len(lines) == 1 and expected in lines[0], lines
    assert lines[0].startswith("institutions.yml") or "/institutions.yml:" in lines[0]


def test_a_network_written_twice_and_a_text_instead_of_accounts_are_refused(tmp_path):
    lines = problems(tmp_path, ["telegram: '@inps_mali'", "telegram: '@inps_bis'"])
    assert any(":5: INPS: diffusion: telegram: champ écrit deux fois (déjà ligne 4)" in line for line in lines)
    path = tmp_path / "institutions.yml"
    path.write_text(HEAD.replace("diffusion:\n", "diffusion: '@inps_mali'\n"), encoding="utf-8")
    with pytest.raises(RegistryError) as raised:
        Registry.load(path)
    assert ":3: INPS: diffusion: doit être une liste de champs (telegram, mastodon, bluesky)" in str(raised.value)
