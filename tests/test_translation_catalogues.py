"""The domains' English catalogues agree: the app merges them into one, so a message id
translated two ways in two domains would show one domain's English on the other's pages
(a list headed "Product", a step of the order called "Ship")."""
from pathlib import Path

from babel.messages.pofile import read_po

import marketplace

CATALOGUES = sorted(Path(marketplace.__file__).parent.glob("**/en/LC_MESSAGES/messages.po"))


def _translations():
    found = {}
    for path in CATALOGUES:
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not message.id or not message.string or message.fuzzy:
                    continue
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                english = message.string if isinstance(message.string, str) \
                    else message.string[0]
                found.setdefault((message.context, msgid), {}).setdefault(
                    english, []).append(path.parts[-5])
    return found


def test_every_domain_catalogue_is_found():
    assert len(CATALOGUES) >= 12


def test_a_message_id_has_one_english_everywhere_unless_its_context_says_otherwise():
    conflicts = {key: ways for key, ways in _translations().items() if len(ways) > 1}
    assert not conflicts, "\n".join(f"{key}: {ways}" for key, ways in conflicts.items())
