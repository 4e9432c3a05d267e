"""What `generator/` renders from `spec/` for the reference host (committed;
`python -m harness generate --check` fails if stale): `layouts` (records and
unions in guest memory), `imports` (the 46 import functions), `trace` (the
syscall trace). The twins of polyfill/src/generated/."""
