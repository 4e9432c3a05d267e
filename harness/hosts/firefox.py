"""`--host firefox`: the browser host in Firefox ESR (harness/browsers/firefox.py)."""

from .engine import host

available, run = host("firefox", "Firefox")
