"""`--host webkit`: the browser host in WebKitGTK (harness/browsers/webkit.py)."""

from .engine import host

available, run = host("webkit", "WebKit")
