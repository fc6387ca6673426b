"""Access checks and upload checks raise domain errors; the API and the UI each present them."""

from __future__ import annotations

import pytest

from assistant.access import AccessDenied, TokenMissing, check_admin, check_read
from assistant.settings import Settings
from assistant.uploads import UploadRejected, check_filename


def test_admin_off_missing_and_wrong_token_are_told_apart(tmp_path):
    with pytest.raises(AccessDenied) as off:
        check_admin(Settings(home=tmp_path), "x")
    assert not isinstance(off.value, TokenMissing) and "avstängd" in str(off.value)
    settings = Settings(home=tmp_path, admin_token="hemlig", read_token="läs")
    with pytest.raises(TokenMissing):
        check_admin(settings, "")
    with pytest.raises(AccessDenied, match="Fel administratörsnyckel"):
        check_admin(settings, "läs")
    check_admin(settings, "hemlig")
    check_read(settings, "hemlig")  # the admin token reads too
    with pytest.raises(TokenMissing):
        check_read(settings, None)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("../etc.pdf", "name"), (".dold.pdf", "name"), ("", "name"), ("program.exe", "type"), ("utan-ändelse", "type")],
)
def test_bad_upload_names_are_rejected_with_their_kind(name, kind):
    with pytest.raises(UploadRejected) as rejected:
        check_filename(name)
    assert rejected.value.kind == kind and str(rejected.value)


def test_a_plain_name_is_kept_as_is():
    assert check_filename("Vägledning del 1.pdf") == "Vägledning del 1.pdf"
