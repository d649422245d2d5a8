from django.core.management.base import BaseCommand

from yiyun.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Seed the demo hospitals, departments, staff and accounts (deterministic, idempotent)."

    def handle(self, *args, **options):
        counts = seed_demo()
        self.stdout.write("演示数据已就绪 Demo data ready: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
        self.stdout.write(f"\n演示账户 Demo accounts (密码 password: {DEMO_PASSWORD}; 短信验证码打印在服务器控制台)")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.phone}  {account.role:<15} {account.name:<8} {account.note}")
