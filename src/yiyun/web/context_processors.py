def site(request):
    return {"elder_mode": getattr(request, "elder_mode", False), "site_name": "医云"}
