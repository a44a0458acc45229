"""The models and the committed migrations agree: a model change without its migration fails
here, not on a production deploy."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"models and migrations disagree (makemigrations --check exited {exit_.code})")
