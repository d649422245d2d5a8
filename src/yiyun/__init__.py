"""医云 Yiyun: an open-source internet-hospital platform."""

__version__ = "0.1.0"
