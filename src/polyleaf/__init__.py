"""polyleaf: offline pipeline that turns health articles into reviewed, localized patient leaflets."""

__version__ = "0.1.0"
