"""Idempotency keys: what an API write sent with an ``Idempotency-Key`` header answered, per
learner and key, so a request sent twice (an offline queue replayed) is recorded once."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0009_translation_status"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IdempotentRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64, verbose_name="idempotency key")),
                ("fingerprint", models.CharField(max_length=64, verbose_name="request digest")),
                ("status", models.PositiveSmallIntegerField(verbose_name="response status")),
                ("body", models.JSONField(verbose_name="response body")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="received")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "idempotent request",
                "verbose_name_plural": "idempotent requests",
                "indexes": [
                    models.Index(
                        fields=["user", "created_at"], name="courses_ide_user_id_bd626a_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "key"), name="idempotent_request_user_key"
                    )
                ],
            },
        ),
    ]
