from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from core.mail import email_queue

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        populate = getattr(form, "populate_user", None)
        if populate is not None:
            user = populate(user)
        if commit:
            user.save()
            services.user_add_default_role(user=user)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the email here, with the request, and queue it for the worker to send
        once the transaction commits: a mail server that is down never fails the sign-up,
        password reset or change that asked for it."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        email_queue(self.render_mail(template_prefix, email, ctx))
