"""Labs, the third kind of course item: ``Item.type`` "lab", a revision item's lab definition
(``RevisionItem.lab``), the number of labs of a revision and the challenges a keys lab hands
out (``LabChallenge``)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="courserevision",
            name="lab_count",
            field=models.PositiveIntegerField(default=0, verbose_name="labs"),
        ),
        migrations.AddField(
            model_name="revisionitem",
            name="lab",
            field=models.JSONField(blank=True, null=True, verbose_name="lab"),
        ),
        migrations.AlterField(
            model_name="item",
            name="type",
            field=models.CharField(
                choices=[("lesson", "Lesson"), ("quiz", "Quiz"), ("lab", "Lab")],
                max_length=8,
                verbose_name="type",
            ),
        ),
        migrations.CreateModel(
            name="LabChallenge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.CharField(max_length=200, unique=True, verbose_name="challenge")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="used")),
                (
                    "enrollment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lab_challenges",
                        to="courses.enrollment",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="courses.item",
                    ),
                ),
            ],
            options={
                "verbose_name": "lab challenge",
                "verbose_name_plural": "lab challenges",
                "indexes": [
                    models.Index(
                        fields=["enrollment", "item", "-created_at"],
                        name="courses_lab_enrollm_24dadd_idx",
                    )
                ],
            },
        ),
    ]
