"""A small reader of witx, of our own, for checking `spec/` against the
official preview1 definition.

It deliberately shares no code with `spec/`: it reads the witx text into
plain Python values (dicts, tuples, strings), so that comparing them with the
spec's objects means something.

Two layers:

- `parse_sexprs(text)`: the s-expression syntax.  A list is a dict
  `{"list": [...], "doc": str}`, an atom `{"atom": "$fd" | "u8" | "@witx" ...,
  "doc": str}`, a string `{"string": "...", "doc": str}`.  `;;` line comments
  and `(; ;)` block comments are skipped; `;;;` doc comments are collected and
  attached to the next item (list, atom or string) as its `doc`: the comment
  lines without their `;;;` and one following space, joined with "\\n".
- `load(path)`: the witx meaning of one file, following `(use "...")`:
  `{"types": {name: typedef} (in witx order), "functions": [funcdef, ...]}`.

A type reference is a tuple:

    ("named", "size")            $size
    ("builtin", "u32")           u32
    ("string",)                  string
    ("pointer", ref)             (@witx pointer T)
    ("const_pointer", ref)       (@witx const_pointer T)
    ("list", ref)                (list T)
    ("tuple", (ref, ...))        (tuple A B ...)

A typedef is a dict with "name", "doc", "kind" and, by kind:

    alias:   "of": ref
    handle:  -
    enum:    "tag": builtin name, "cases": [(name, doc), ...]
    flags:   "repr": builtin name, "flags": [(name, doc), ...]
    record:  "fields": [(name, ref, doc), ...]
    union:   "tag": enum type name, "variants": [ref, ...] (variant i is tag case i)

A funcdef is a dict: "name", "doc", "params": [(name, ref, doc), ...],
"result": None or {"name", "doc", "ok": ref | None, "error": ref},
"noreturn": bool.
"""

from __future__ import annotations

from pathlib import Path

BUILTIN_NAMES = ("u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64")


class WitxError(ValueError):
    pass


# --- s-expressions -----------------------------------------------------------


def _doc_line(comment: str) -> str:
    """The text of one `;;;` comment line."""
    text = comment[3:]
    return text[1:] if text.startswith(" ") else text


def parse_sexprs(text: str) -> list[dict]:
    """All top-level s-expressions of `text`."""
    stack: list[list] = [[]]
    pending: list[str] = []
    i, n = 0, len(text)

    def take_doc() -> str:
        doc = "\n".join(pending).rstrip()
        pending.clear()
        return doc

    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
        elif text.startswith(";;", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            comment = text[i:end].rstrip()
            if comment.startswith(";;;"):
                pending.append(_doc_line(comment))
            # a plain `;;` comment is skipped, and neither ends nor joins a doc
            i = end
        elif text.startswith("(;", i):
            depth, i = 1, i + 2
            while depth:
                if i >= n:
                    raise WitxError("unterminated block comment")
                if text.startswith("(;", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith(";)", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "(":
            node = {"list": [], "doc": take_doc()}
            stack[-1].append(node)
            stack.append(node["list"])
            i += 1
        elif c == ")":
            if len(stack) == 1:
                raise WitxError(f"unbalanced ')' at offset {i}")
            pending.clear()  # a doc comment before ')' documents nothing
            stack.pop()
            i += 1
        elif c == '"':
            j, chars = i + 1, []
            while True:
                if j >= n:
                    raise WitxError("unterminated string")
                if text[j] == '"':
                    break
                if text[j] == "\\":
                    esc = text[j + 1]
                    chars.append({"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}[esc])
                    j += 2
                else:
                    chars.append(text[j])
                    j += 1
            stack[-1].append({"string": "".join(chars), "doc": take_doc()})
            i = j + 1
        else:
            j = i
            while j < n and text[j] not in ' \t\r\n()";':
                j += 1
            stack[-1].append({"atom": text[i:j], "doc": take_doc()})
            i = j
    if len(stack) != 1:
        raise WitxError("unbalanced '('")
    return stack[0]


# --- witx meaning ------------------------------------------------------------


def _is_list(node: dict, head: str | None = None) -> bool:
    if "list" not in node:
        return False
    return head is None or (bool(node["list"]) and node["list"][0].get("atom") == head)


def _atom(node: dict) -> str:
    if "atom" not in node:
        raise WitxError(f"expected an atom, got {node!r}")
    return node["atom"]


def _dollar(node: dict) -> str:
    a = _atom(node)
    if not a.startswith("$"):
        raise WitxError(f"expected a $name, got {a!r}")
    return a[1:]


def _annotation(node: dict) -> tuple[str, list[dict]] | None:
    """(`name`, rest) for `(@witx name ...)`, else None."""
    if _is_list(node, "@witx"):
        items = node["list"]
        return _atom(items[1]), items[2:]
    return None


def type_ref(node: dict) -> tuple:
    if "atom" in node:
        a = node["atom"]
        if a.startswith("$"):
            return ("named", a[1:])
        if a in BUILTIN_NAMES:
            return ("builtin", a)
        if a == "string":
            return ("string",)
        raise WitxError(f"unknown type {a!r}")
    ann = _annotation(node)
    if ann is not None:
        kind, rest = ann
        if kind in ("pointer", "const_pointer") and len(rest) == 1:
            return (kind, type_ref(rest[0]))
        raise WitxError(f"unknown annotation type {kind!r}")
    items = node["list"]
    head = _atom(items[0])
    if head == "list" and len(items) == 2:
        return ("list", type_ref(items[1]))
    if head == "tuple":
        return ("tuple", tuple(type_ref(i) for i in items[1:]))
    raise WitxError(f"unknown type constructor {head!r}")


def _typedef(name: str, doc: str, body: dict) -> dict:
    out = {"name": name, "doc": doc}
    if "atom" in body or _annotation(body) is not None or _is_list(body, "list"):
        out.update(kind="alias", of=type_ref(body))
        return out
    items = body["list"]
    head = _atom(items[0])
    rest = items[1:]
    if head == "handle":
        out.update(kind="handle")
    elif head in ("enum", "flags"):
        key = "tag" if head == "enum" else "repr"
        ann = _annotation(rest[0])
        if ann is None or ann[0] != key:
            raise WitxError(f"{name}: {head} without (@witx {key} ...)")
        out.update(kind=head)
        out[key] = _atom(ann[1][0])
        out["cases" if head == "enum" else "flags"] = [(_dollar(c), c["doc"]) for c in rest[1:]]
    elif head == "record":
        fields = []
        for f in rest:
            if not _is_list(f, "field") or len(f["list"]) != 3:
                raise WitxError(f"{name}: bad field {f!r}")
            fields.append((_dollar(f["list"][1]), type_ref(f["list"][2]), f["doc"]))
        out.update(kind="record", fields=fields)
    elif head == "union":
        ann = _annotation(rest[0])
        if ann is None or ann[0] != "tag":
            raise WitxError(f"{name}: union without (@witx tag ...)")
        out.update(kind="union", tag=_dollar(ann[1][0]))
        out["variants"] = [type_ref(v) for v in rest[1:]]
    else:
        raise WitxError(f"{name}: unknown type {head!r}")
    return out


def _expected(node: dict) -> tuple[tuple | None, tuple]:
    items = node["list"]
    if _atom(items[0]) != "expected":
        raise WitxError(f"result is not (expected ...): {node!r}")
    ok = None
    rest = items[1:]
    if len(rest) == 2:
        ok = type_ref(rest[0])
        rest = rest[1:]
    if len(rest) != 1 or not _is_list(rest[0], "error"):
        raise WitxError(f"bad (expected ...): {node!r}")
    return ok, type_ref(rest[0]["list"][1])


def _function(node: dict) -> dict:
    items = node["list"]  # (@interface func (export "name") ...)
    export = items[2]
    if not _is_list(export, "export"):
        raise WitxError(f"func without (export ...): {node!r}")
    f = {
        "name": export["list"][1]["string"],
        "doc": node["doc"],
        "params": [],
        "result": None,
        "noreturn": False,
    }
    for item in items[3:]:
        if _is_list(item, "param"):
            _, pname, ptype = item["list"]
            f["params"].append((_dollar(pname), type_ref(ptype), item["doc"]))
        elif _is_list(item, "result"):
            _, rname, rtype = item["list"]
            ok, error = _expected(rtype)
            f["result"] = {"name": _dollar(rname), "doc": item["doc"], "ok": ok, "error": error}
        elif _annotation(item) == ("noreturn", []):
            f["noreturn"] = True
        else:
            raise WitxError(f"{f['name']}: unknown item {item!r}")
    return f


def load(path: str | Path) -> dict:
    """The types and functions of the witx file at `path` and of the files it
    `use`s (resolved relative to it)."""
    path = Path(path)
    out: dict = {"types": {}, "functions": []}
    for top in parse_sexprs(path.read_text(encoding="utf-8")):
        if not _is_list(top):
            raise WitxError(f"top-level atom {top!r}")
        head = _atom(top["list"][0])
        if head == "use":
            used = load(path.parent / top["list"][1]["string"])
            out["types"].update(used["types"])
            out["functions"].extend(used["functions"])
        elif head == "typename":
            _, name, body = top["list"]
            name = _dollar(name)
            if name in out["types"]:
                raise WitxError(f"type {name} defined twice")
            out["types"][name] = _typedef(name, top["doc"], body)
        elif head == "module":
            for item in top["list"][2:]:
                if _is_list(item, "import"):
                    continue  # (import "memory" (memory))
                if _is_list(item, "@interface") and _atom(item["list"][1]) == "func":
                    out["functions"].append(_function(item))
                else:
                    raise WitxError(f"unknown module item {item!r}")
        else:
            raise WitxError(f"unknown top-level form {head!r}")
    return out
