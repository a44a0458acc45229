"""The authors' publishing loop: previews of pushes to other branches (per source, on by
default; a run remembers its branch), and webhook deliveries that record the previous commit,
whether the push was forced, and why one was refused (an older commit than the live one)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0010_idempotent_requests'),
    ]

    operations = [
        migrations.AddField(
            model_name='coursesource',
            name='previews',
            field=models.BooleanField(default=True, help_text="A push to any other branch builds a preview that only staff and the source's maintainers can open, and its address is e-mailed to the commit's author.", verbose_name='previews of other branches'),
        ),
        migrations.AddField(
            model_name='importrun',
            name='branch',
            field=models.CharField(blank=True, max_length=255, verbose_name='branch'),
        ),
        migrations.AddField(
            model_name='webhookdelivery',
            name='before',
            field=models.CharField(blank=True, max_length=64, verbose_name='previous commit'),
        ),
        migrations.AddField(
            model_name='webhookdelivery',
            name='forced',
            field=models.BooleanField(default=False, verbose_name='forced push'),
        ),
        migrations.AddField(
            model_name='webhookdelivery',
            name='reason',
            field=models.CharField(blank=True, max_length=500, verbose_name='reason'),
        ),
        migrations.AlterField(
            model_name='importrun',
            name='status',
            field=models.CharField(choices=[('pending', 'Pending'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('unchanged', 'Unchanged'), ('failed', 'Failed'), ('refused', 'Refused')], default='pending', max_length=16, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='webhookdelivery',
            name='outcome',
            field=models.CharField(choices=[('queued', 'Import queued'), ('preview', 'Preview queued'), ('ignored', 'Ignored'), ('refused', 'Refused')], max_length=16, verbose_name='outcome'),
        ),
    ]
