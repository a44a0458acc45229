"""Translation status: each text of a revision keeps where it stands against the default
language's, worked out from Git at import (``ItemText.translation``), and a course source
names the maintainers who may see its courses' translation pages
(``CourseSource.maintainers``). Revisions imported before keep ``{}``: unknown until the next
import."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_labs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="coursesource",
            name="maintainers",
            field=models.ManyToManyField(
                blank=True,
                help_text="Authors who may see the translation status of this source's courses.",
                related_name="maintained_sources",
                to=settings.AUTH_USER_MODEL,
                verbose_name="maintainers",
            ),
        ),
        migrations.AddField(
            model_name="itemtext",
            name="translation",
            field=models.JSONField(blank=True, default=dict, verbose_name="translation status"),
        ),
    ]
