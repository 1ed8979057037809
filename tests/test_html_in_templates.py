"""HTML is written in templates, which escape every value by themselves, never put together
in Python and declared safe: a text built from parts (an f-string, `%` or `+` on a string,
`str.format`, `"".join`) and passed to `mark_safe`, `SafeString` or `Markup`, or given to
`format_html` as its format, escapes only what its author remembered to escape. A hot fragment
uses a Jinja2 template (anso/fragments.py, docs/architecture.md).

The check reads the source of the site's modules: a call of one of those on a built text, or
on a name that such a text (or a list it was appended to) was stored in within the same
function, is a finding."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("anso", "members", "meetings")
#: Calls that declare their argument safe HTML.
DECLARE_SAFE = {"mark_safe", "SafeString", "Markup"}
#: Calls whose first argument is a format that the other arguments are escaped into.
FORMATS = {"format_html"}


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _builds_text(node: ast.AST, built: set[str]) -> bool:
    """Whether the expression puts a string together from parts, or reads a name that holds
    one (`built`)."""
    for part in ast.walk(node):
        if isinstance(part, ast.JoinedStr):
            return True
        if (
            isinstance(part, ast.BinOp)
            and isinstance(part.op, ast.Mod | ast.Add)
            and (_is_text(part.left) or _is_text(part.right))
        ):
            return True
        if (
            isinstance(part, ast.Call)
            and isinstance(part.func, ast.Attribute)
            and part.func.attr in ("format", "join")
            and _is_text(part.func.value)
        ):
            return True
        if isinstance(part, ast.Name) and part.id in built:
            return True
    return False


def _stores(node: ast.AST) -> tuple[list[ast.AST], list[ast.AST]]:
    """The targets a statement or call stores into, and the values it stores."""
    if isinstance(node, ast.Assign):
        return node.targets, [node.value]
    if isinstance(node, ast.AugAssign | ast.AnnAssign) and node.value is not None:
        return [node.target], [node.value]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("append", "extend", "insert")
    ):
        return [node.func.value], node.args
    return [], []


def _built_names(scope: ast.AST) -> set[str]:
    """The names in `scope` that hold a text built from parts, or a list of such texts."""
    built: set[str] = set()
    while True:
        found = set(built)
        for node in ast.walk(scope):
            targets, values = _stores(node)
            if any(_builds_text(value, built) for value in values):
                for target in targets:
                    found.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        if found == built:
            return built
        built = found


def html_built_in_python(source: str) -> list[int]:
    """The lines of `source` that declare safe (or format) HTML built from parts."""
    tree = ast.parse(source)
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
    lines = set()
    for scope in scopes:
        built = _built_names(scope)
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = _called_name(node)
            if name in DECLARE_SAFE | FORMATS and _builds_text(node.args[0], built):
                lines.add(node.lineno)
    return sorted(lines)


def test_no_module_declares_html_built_in_python_safe():
    findings = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if (lines := html_built_in_python(path.read_text()))
    }
    assert findings == {}, "HTML put together in Python; write it in a template"


@pytest.mark.parametrize(
    "source",
    [
        'def f(x):\n    return mark_safe(f"<b>{escape(x)}</b>")\n',
        "def f(rows):\n"
        "    out = []\n"
        "    for row in rows:\n"
        '        out.append(f"<li>{escape(row)}</li>")\n'
        '    return mark_safe("".join(out))\n',
        "def f(rows):\n"
        '    out = ["<ul>"]\n'
        "    out += [format_html('<li>{}</li>', row) for row in rows]\n"
        '    return mark_safe("".join(out))\n',
        'def f(x):\n    html = "<p>%s</p>" % escape(x)\n    return SafeString(html)\n',
        'def f(x):\n    return mark_safe("<p>{}</p>".format(escape(x)))\n',
        'def f(x):\n    text = "<p>" + escape(x)\n    text += "</p>"\n    return Markup(text)\n',
        'def f(x):\n    return format_html(f"<b>{x}</b>")\n',
    ],
    ids=["f-string", "appended f-strings", "joined", "%", "format", "+", "format_html"],
)
def test_the_check_finds_html_built_in_python(source):
    assert html_built_in_python(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "def f(name, context):\n    return mark_safe(engine.get_template(name).render(context))\n",
        'def f(x):\n    return format_html("<b>{}</b>", x)\n',
        "def f(obj):\n    return mark_safe(lang_attribute(fallback_lang(obj)))\n",
        'def f(x):\n    html = f"<b>{x}</b>"\n    return escape(html)\n',
    ],
    ids=["template", "format_html", "helper", "not declared safe"],
)
def test_the_check_leaves_templates_and_escaping_helpers_alone(source):
    assert html_built_in_python(source) == []
