"""Moderation: course editors submit lessons and modules, content approvers publish them.

Replaces Wagtail's default "Moderators approval" workflow (its Moderators group is gone)
with "Course moderation", whose one task is approved by the "Content approver" group,
and applies it to the whole page tree.
"""

from django.db import migrations

WORKFLOW_NAME = "Course moderation"
TASK_NAME = "Content approval"


def create_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Page = apps.get_model("wagtailcore", "Page")

    approvers, _ = Group.objects.get_or_create(name="Content approver")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.set([approvers])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    Workflow.objects.filter(name="Moderators approval").update(active=False)


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Workflow.objects.filter(name="Moderators approval").update(active=True)


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0001_programmes_modules_lessons_and_answers"),
        ("accounts", "0002_create_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
