"""Every admin page writes audit rows, including those of the libraries renkei uses
(django-q2's jobs, django-otp's devices, django-axes' lockouts). The portal's admin module is
imported last (the portal app comes last), so it wraps every class registered before it."""

from django.contrib import admin

from renkei.accounts.admin import AuditMixin

for model, model_admin in list(admin.site._registry.items()):
    if isinstance(model_admin, AuditMixin):
        continue
    admin_class = type(model_admin)
    admin.site.unregister(model)
    admin.site.register(
        model, type(f"Audited{admin_class.__name__}", (AuditMixin, admin_class), {})
    )
