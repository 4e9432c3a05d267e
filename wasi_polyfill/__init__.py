"""wasi-polyfill: WASI preview1 for web pages and Node, modelled as data.

Subpackages: `spec` (preview1 as Python data), `generator` (renders the JS glue,
types and docs), `refhost` (the pure-Python reference host), `hosts` (the
hosts `wasi-polyfill run` can use), `cli`.
"""

__version__ = "0.1.0"
