"""Who may log in to the management web app.

In production staff log in through the municipality's identity provider (OIDC, NF6.2; not wired
yet, see docs/web.md). On a demo store (``vptr serve --demo``) there is one documented demo user per
demo role, each acting for that role's demo organisation: what they do is audited under their
own name. The demo users exist only while the store is a demo store.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    login: str
    password: str
    name: str
    role: str  # a demo role of vptr.services.demo.CREDENTIALS

    @property
    def person(self) -> str:
        """How the audit log names the person."""
        return f"{self.name} ({self.login})"


DEMO_USERS = (
    DemoUser("an.beheerder", "demo-beheer", "An Beheerder", "area-manager"),
    DemoUser("pieter.parkplus", "demo-parkplus", "Pieter ParkPlus", "provider"),
    DemoUser("mira.automaten", "demo-automaten", "Mira Automaten", "provider-limited"),
    DemoUser("sam.scanmobiel", "demo-scan", "Sam ScanMobiel", "enforcement"),
)


def demo_user(login: str, password: str) -> DemoUser | None:
    """The demo user with these credentials, compared in constant time."""
    found = None
    for user in DEMO_USERS:
        same_login = hmac.compare_digest(user.login.encode(), login.strip().lower().encode())
        same_password = hmac.compare_digest(user.password.encode(), password.encode())
        if same_login and same_password:
            found = user
    return found
