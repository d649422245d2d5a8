from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "yiyun.accounts"
    verbose_name = "账户与角色"

    def ready(self) -> None:
        from yiyun.accounts.roles import sync_roles_after_migrate

        # Every app's post_migrate: permissions of apps migrated later exist only then.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="yiyun.sync_roles")
