"""The lead's set pages in the Wagtail admin, under /admin/cohorts/<id>/sets/.

Every view loads the cohort through `cohorts.permissions.cohort_for` (and a set through
`permissions.cohort_set_for_lead`), so another lead's cohort or set, or an id that does
not exist, is a 404. Reads come from `overview`; changes go through `services`. Leads see
who is in each set, meetings, attendance and counts: never what members shared.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cohorts.dashboard_views import cohort_nav
from cohorts.permissions import cohort_for

from . import overview, permissions, services
from .admin_forms import FacilitatorForm, MoveForm, SetNameForm, SuggestionForm
from .models import SetMember


class CohortSetsMixin(WagtailAdminTemplateMixin):
    """Pages about one cohort's sets, for its leads and site admins."""

    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.cohort = cohort_for(request.user, kwargs["pk"])
        if self.cohort is None:
            raise Http404
        self.load_objects()
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self) -> None:
        """Load anything else the page is about (404 if the user may not see it)."""

    def get_page_subtitle(self):
        return self.cohort.name

    @cached_property
    def overview_url(self) -> str:
        return reverse("learning_sets_admin:overview", args=[self.cohort.pk])

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("cohort:index"), "label": _("Cohorts")},
            {
                "url": reverse("cohorts_admin:dashboard", args=[self.cohort.pk]),
                "label": self.cohort.name,
            },
        ]
        if self.request.path != self.overview_url:
            items.append({"url": self.overview_url, "label": _("Sets")})
        items.append({"url": "", "label": self.get_page_title()})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.cohort
        context["overview_url"] = self.overview_url
        return context

    def done(self, message: str) -> HttpResponseRedirect:
        messages.success(self.request, message)
        return HttpResponseRedirect(self.overview_url)


class OverviewView(CohortSetsMixin, TemplateView):
    """The cohort's sets, who is in each, meetings, attendance and counts."""

    template_name = "learning_sets/admin/overview.html"
    page_title = gettext_lazy("Action-learning sets")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        board = overview.set_overview(user=self.request.user, cohort=self.cohort)
        context["overview"] = board
        context["cohort_nav"] = cohort_nav(self.cohort, self.request)
        context["move_form"] = MoveForm(
            people=overview.cohort_people(self.request.user, self.cohort),
            sets=[row.learning_set for row in board.sets],
            auto_id="move_%s",
        )
        context["move_url"] = reverse("learning_sets_admin:move", args=[self.cohort.pk])
        return context


class SuggestView(CohortSetsMixin, FormView):
    """A preview of the suggested sets for everyone not yet in one, then "Create these
    sets", which creates exactly what was previewed (or nothing, if the cohort changed)."""

    template_name = "learning_sets/admin/suggest.html"
    page_title = gettext_lazy("Suggest sets")
    form_class = SuggestionForm

    @cached_property
    def suggestion(self) -> overview.SetSuggestion:
        return overview.set_suggestion(user=self.request.user, cohort=self.cohort)

    def get_initial(self):
        return {"fingerprint": self.suggestion.fingerprint}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["suggestion"] = self.suggestion
        return context

    def form_valid(self, form):
        try:
            created = services.sets_create_from_suggestion(
                cohort=self.cohort,
                user=self.request.user,
                fingerprint=form.cleaned_data["fingerprint"],
            )
        except services.SetError as error:
            messages.error(self.request, str(error))
            return HttpResponseRedirect(self.request.path)
        return self.done(
            _("%(count)s sets created. Check them below and move anyone you need to.")
            % {"count": len(created)}
        )

    def form_invalid(self, form):
        messages.error(self.request, _("Check the suggestion below, then create the sets."))
        return HttpResponseRedirect(self.request.path)


class AddSetView(CohortSetsMixin, FormView):
    template_name = "learning_sets/admin/form.html"
    page_title = gettext_lazy("Add a set")
    form_class = SetNameForm
    submit_label = gettext_lazy("Add the set")

    def form_valid(self, form):
        try:
            learning_set, created = services.set_create(
                cohort=self.cohort, user=self.request.user, name=form.cleaned_data["name"]
            )
        except services.SetError as error:
            form.add_error("name", str(error))
            return self.form_invalid(form)
        if not created:
            return self.done(_("The set %(name)s already exists.") % {"name": learning_set.name})
        return self.done(
            _("Set %(name)s added. Move people into it below.") % {"name": learning_set.name}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submit_label"] = self.submit_label
        return context


class MoveView(CohortSetsMixin, FormView):
    """Put one person in a set (moving them out of any other), or out of every set."""

    template_name = "learning_sets/admin/form.html"
    page_title = gettext_lazy("Move someone")
    form_class = MoveForm
    submit_label = gettext_lazy("Move")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "people": overview.cohort_people(self.request.user, self.cohort),
            "sets": list(permissions.cohort_sets(self.request.user, self.cohort)),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submit_label"] = self.submit_label
        context["intro"] = _(
            "Moving someone out of a set deletes the commitments and check-ins they shared "
            "there, as if they had left it."
        )
        return context

    def form_valid(self, form):
        person = form.cleaned_data["person"]
        destination = form.cleaned_data["destination"]
        name = person.get_full_name() or person.email
        try:
            if destination is None:
                current = (
                    SetMember.objects.filter(cohort=self.cohort, learner=person)
                    .select_related("learning_set__cohort")
                    .first()
                )
                if current is not None:
                    services.set_member_remove(
                        learning_set=current.learning_set, learner=person, user=self.request.user
                    )
                return self.done(_("%(name)s is not in a set now.") % {"name": name})
            services.set_member_place(
                learning_set=destination, learner=person, user=self.request.user
            )
        except services.SetError as error:
            form.add_error("person", str(error))
            return self.form_invalid(form)
        return self.done(_("%(name)s is in %(set)s now.") % {"name": name, "set": destination.name})


class SetMixin(CohortSetsMixin):
    """Pages about one of the cohort's sets."""

    def load_objects(self) -> None:
        self.learning_set = permissions.cohort_set_for_lead(
            self.request.user, self.cohort, self.kwargs["set_id"]
        )
        if self.learning_set is None:
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["learning_set"] = self.learning_set
        context["submit_label"] = self.submit_label
        return context


class RenameView(SetMixin, FormView):
    template_name = "learning_sets/admin/form.html"
    page_title = gettext_lazy("Rename a set")
    form_class = SetNameForm
    submit_label = gettext_lazy("Save")

    def get_initial(self):
        return {"name": self.learning_set.name}

    def form_valid(self, form):
        try:
            services.set_rename(
                learning_set=self.learning_set,
                user=self.request.user,
                name=form.cleaned_data["name"],
            )
        except services.SetError as error:
            form.add_error("name", str(error))
            return self.form_invalid(form)
        return self.done(_("Set renamed %(name)s.") % {"name": self.learning_set.name})


class FacilitatorView(SetMixin, FormView):
    template_name = "learning_sets/admin/form.html"
    page_title = gettext_lazy("Choose the facilitator")
    form_class = FacilitatorForm
    submit_label = gettext_lazy("Save")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "choices": overview.facilitator_choices(self.learning_set),
        }

    def get_initial(self):
        return {"facilitator": self.learning_set.facilitator_id}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = _(
            "The facilitator schedules the set's meetings and records who came. They see who "
            "is in the set and how many commitments and check-ins there are, but not what "
            "members wrote, unless they are a member of the set."
        )
        return context

    def form_valid(self, form):
        facilitator = form.cleaned_data["facilitator"]
        try:
            services.set_facilitator_choose(
                learning_set=self.learning_set, user=self.request.user, facilitator=facilitator
            )
        except services.SetError as error:
            form.add_error("facilitator", str(error))
            return self.form_invalid(form)
        if facilitator is None:
            return self.done(_("%(set)s has no facilitator now.") % {"set": self.learning_set.name})
        return self.done(
            _("%(name)s facilitates %(set)s now.")
            % {
                "name": facilitator.get_full_name() or facilitator.email,
                "set": self.learning_set.name,
            }
        )


class DeleteView(SetMixin, TemplateView):
    template_name = "learning_sets/admin/delete.html"
    page_title = gettext_lazy("Delete a set")
    submit_label = gettext_lazy("Yes, delete the set")

    def post(self, request, *args, **kwargs):
        name = self.learning_set.name
        services.set_delete(learning_set=self.learning_set, user=request.user)
        return self.done(
            _("Set %(name)s deleted. Its members are not in a set now.") % {"name": name}
        )
