from django.contrib.admin.apps import AdminConfig


class MotcuaAdminConfig(AdminConfig):
    """Django's admin with a site whose login is ours (throttled, second factor): identity.admin_site."""

    default_site = "motcua.identity.admin_site.MotcuaAdminSite"
