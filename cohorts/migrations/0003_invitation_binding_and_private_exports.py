import datetime

from django.db import migrations, models

import core.storage


def invitations_expire_thirty_days_after_sending(apps, schema_editor):
    Invitation = apps.get_model("cohorts", "Invitation")
    for invitation in Invitation.objects.filter(expires_at__isnull=True).only("created_at"):
        invitation.expires_at = invitation.created_at + datetime.timedelta(days=30)
        invitation.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("cohorts", "0002_programme_lead_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(
            invitations_expire_thirty_days_after_sending, migrations.RunPython.noop
        ),
        migrations.AlterField(
            model_name="invitation",
            name="expires_at",
            field=models.DateTimeField(),
        ),
        migrations.AddField(
            model_name="invitation",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="declined_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(fields=["email"], name="invitation_email_idx"),
        ),
        migrations.AlterField(
            model_name="cohortexport",
            name="file",
            field=models.FileField(
                blank=True,
                storage=core.storage.private_storage,
                upload_to=core.storage.RandomName("cohort-exports"),
            ),
        ),
        migrations.AddField(
            model_name="cohortexport",
            name="expires_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True),
        ),
    ]
