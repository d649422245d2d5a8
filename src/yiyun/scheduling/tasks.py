from celery import shared_task

from yiyun.scheduling import services


@shared_task
def generate_sessions() -> int:
    """Keep the booking horizon filled from the weekly templates."""
    return services.generate_sessions()
