"""What Wagtail keeps about the staff who edit the site: page ownership and locks,
revisions, comments, workflow decisions, uploads and editing sessions.

`home` is the site-wide content app, so it answers for Wagtail's content-editing records
across every page type (ours and Wagtail's). Registered from `HomeConfig.ready`; see
`accounts.privacy` for the contract. Content stays when its editor erases their account;
only the link to them, and anything they wrote as free text, goes.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from wagtail.admin.models import EditingSession, FormState
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Comment,
    CommentReply,
    Page,
    PageSubscription,
    Revision,
    TaskState,
    UploadedFile,
    WorkflowState,
)

from accounts.privacy import Claim, Provider, iso

STAFF = "Staff who may edit or moderate the content."
KEPT = "While the content exists."
UNLINKED = "The content stays; the link to the person is removed."


class EditingPrivacy(Provider):
    section = "content_editing"
    claims = (
        Claim(
            model="wagtailcore.Page",
            fields=("owner", "locked_by"),
            purpose="Who owns a page and who has locked it for editing.",
            visible_to=STAFF,
            retention=KEPT,
            erasure=UNLINKED + " Their locks are released.",
        ),
        Claim(
            model="wagtailcore.Revision",
            fields=("user",),
            purpose="Who saved each version of a page or self-assessment.",
            visible_to=STAFF,
            retention=KEPT,
            erasure=UNLINKED,
        ),
        Claim(
            model="wagtailcore.Comment",
            fields=("user", "text", "resolved_by"),
            purpose="Comments editors leave on a page while editing it.",
            visible_to=STAFF,
            retention="Until resolved and deleted, or the page is deleted.",
            erasure="Their comments (and the replies to them) are deleted; comments they "
            "resolved stay, no longer linked to them.",
        ),
        Claim(
            model="wagtailcore.CommentReply",
            fields=("user", "text"),
            purpose="Replies to editors' comments.",
            visible_to=STAFF,
            retention="As the comment.",
            erasure="Deleted.",
        ),
        Claim(
            model="wagtailcore.PageSubscription",
            fields=("user", "comment_notifications"),
            purpose="Whether an editor is emailed about comments on a page.",
            visible_to="The person.",
            retention="While the account exists.",
            erasure="Deleted.",
        ),
        Claim(
            model="wagtailcore.WorkflowState",
            fields=("requested_by",),
            purpose="Who submitted a page for moderation.",
            visible_to=STAFF,
            retention=KEPT,
            erasure=UNLINKED,
        ),
        Claim(
            model="wagtailcore.TaskState",
            fields=("finished_by", "comment"),
            purpose="Who approved or rejected a page in moderation, with their comment.",
            visible_to=STAFF,
            retention=KEPT,
            erasure="The decision stays; the link to them and their comment are removed.",
        ),
        Claim(
            model="wagtailimages.Image",
            fields=("uploaded_by_user",),
            purpose="Who uploaded an image.",
            visible_to=STAFF,
            retention=KEPT,
            erasure=UNLINKED,
        ),
        Claim(
            model="wagtaildocs.Document",
            fields=("uploaded_by_user",),
            purpose="Who uploaded a document.",
            visible_to=STAFF,
            retention=KEPT,
            erasure=UNLINKED,
        ),
        Claim(
            model="wagtailcore.UploadedFile",
            fields=("uploaded_by_user", "file"),
            purpose="A file uploaded in the admin and not yet turned into an image or document.",
            visible_to="The person uploading it.",
            retention="Until used or abandoned.",
            erasure="Deleted, file included.",
        ),
        Claim(
            model="wagtailadmin.EditingSession",
            fields=("user", "last_seen_at"),
            purpose="Who is editing a page right now, to warn others.",
            visible_to=STAFF,
            retention="Minutes; Wagtail deletes stale sessions.",
            erasure="Deleted.",
        ),
        Claim(
            model="wagtailadmin.FormState",
            fields=("user", "data"),
            purpose="An editor's unsaved changes in an admin form, kept so they are not lost.",
            visible_to="The person.",
            retention="Until saved or discarded.",
            erasure="Deleted.",
        ),
    )

    def export(self, user) -> dict[str, Any]:
        Image, Document = get_image_model(), get_document_model()
        return {
            "pages_owned": [
                {"title": page.title, "id": page.pk}
                for page in Page.objects.filter(owner=user).order_by("path").only("title")
            ],
            "pages_locked": [
                {"title": page.title, "locked": iso(page.locked_at)}
                for page in Page.objects.filter(locked_by=user).order_by("path")
            ],
            "revisions_saved": [
                {"of": revision.object_str, "saved": iso(revision.created_at)}
                for revision in Revision.objects.filter(user=user)
                .order_by("created_at")
                .only("object_str", "created_at")
            ],
            "comments": [
                {"text": comment.text, "written": iso(comment.created_at)}
                for comment in Comment.objects.filter(user=user).order_by("created_at")
            ],
            "comment_replies": [
                {"text": reply.text, "written": iso(reply.created_at)}
                for reply in CommentReply.objects.filter(user=user).order_by("created_at")
            ],
            "moderation_decisions": [
                {
                    "status": task_state.status,
                    "comment": task_state.comment,
                    "finished": iso(task_state.finished_at),
                }
                for task_state in TaskState.objects.filter(finished_by=user).order_by("pk")
            ],
            "submitted_for_moderation": WorkflowState.objects.filter(requested_by=user).count(),
            "images_uploaded": list(
                Image.objects.filter(uploaded_by_user=user)
                .order_by("pk")
                .values_list("title", flat=True)
            ),
            "documents_uploaded": list(
                Document.objects.filter(uploaded_by_user=user)
                .order_by("pk")
                .values_list("title", flat=True)
            ),
        }

    def erase(self, user) -> None:
        Image, Document = get_image_model(), get_document_model()
        Page.objects.filter(owner=user).update(owner=None)
        Page.objects.filter(locked_by=user).update(locked=False, locked_by=None, locked_at=None)
        Revision.objects.filter(user=user).update(user=None)
        Comment.objects.filter(resolved_by=user).update(resolved_by=None)
        CommentReply.objects.filter(user=user).delete()
        Comment.objects.filter(user=user).delete()
        PageSubscription.objects.filter(user=user).delete()
        WorkflowState.objects.filter(requested_by=user).update(requested_by=None)
        TaskState.objects.filter(finished_by=user).update(finished_by=None, comment="")
        Image.objects.filter(uploaded_by_user=user).update(uploaded_by_user=None)
        Document.objects.filter(uploaded_by_user=user).update(uploaded_by_user=None)
        for upload in UploadedFile.objects.filter(uploaded_by_user=user):
            if upload.file:
                name, storage = upload.file.name, upload.file.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
            upload.delete()
        EditingSession.objects.filter(user=user).delete()
        FormState.objects.filter(user=user).delete()
