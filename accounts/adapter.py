from allauth.account.adapter import DefaultAccountAdapter

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
