"""Notifications: the in-app inbox (消息中心) and SMS through the pluggable sender."""
