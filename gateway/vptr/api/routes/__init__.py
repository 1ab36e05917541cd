"""One router per resource or question; ``ROUTERS`` is what the app mounts, in this order."""
