"""A random id for every revision, which names its data in caches (ids can recur)."""

import uuid

from django.db import migrations, models


def fill_uids(apps, schema_editor):
    revisions = apps.get_model("courses", "CourseRevision")
    for revision in revisions.objects.only("pk").iterator():
        revisions.objects.filter(pk=revision.pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_cohorts")]

    operations = [
        migrations.AddField(
            model_name="courserevision",
            name="uid",
            field=models.UUIDField(null=True, editable=False, verbose_name="unique id"),
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="courserevision",
            name="uid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="unique id"
            ),
        ),
    ]
