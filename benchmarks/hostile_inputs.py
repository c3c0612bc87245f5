"""Generators of bad inputs for every kind of file erdesign reads (used by benchmarks/fuzz.py and
by the test suite's bounded fuzz). Each generator takes a random.Random and returns a Case: the
files to write (name -> bytes) and the command line, with {dir} standing for the case's folder.

The bases are the repository's own examples and test fixtures; the mutations are what an attacker
or a careless editor would do: flipped bytes, control characters, truncation, anchors and aliases,
deep nesting, huge numbers and strings, odd values in every field, random ARM expressions.
"""
from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


@dataclass
class Case:
    kind: str
    argv: list[str]
    files: dict[str, bytes] = field(default_factory=dict)

    def args(self, folder: str) -> list[str]:
        """The command line; folder '' gives names relative to the case's folder (run there)."""
        return [a.replace("{dir}/", folder + "/" if folder else "") for a in self.argv]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


_BASES: dict[str, list[tuple[str, str]]] = {}


def bases(kind: str) -> list[tuple[str, str]]:
    """(name, text) of the valid inputs a kind starts from."""
    if not _BASES:
        _BASES["design"] = [(p.name, _read(p)) for p in sorted((REPO / "examples").glob("*.yaml"))]
        _BASES["az"] = [(p.name, _read(p)) for p in sorted((FIXTURES / "az").rglob("*.json"))]
        _BASES["arm"] = [("hub.json", _read(FIXTURES / "arm" / "hub.json"))]
        accept = FIXTURES / "accept" / "arm-circuits-copy.json"
        if accept.exists():
            _BASES["arm"].append((accept.name, _read(accept)))
        _BASES["parameters"] = [("hub.parameters.json", _read(FIXTURES / "arm" / "hub.parameters.json"))]
        _BASES["terraform"] = [(p.name, _read(p)) for p in sorted((FIXTURES / "terraform").glob("*.json"))]
        _BASES["pricebook"] = [(p.name, _read(p)) for p in sorted((REPO / "pricing").glob("*.yaml"))]
        _BASES["retail"] = [(p.name, _read(p)) for p in sorted((FIXTURES / "retail_prices").glob("*.json"))]
        _BASES["config_yaml"] = [(".erdesign.yaml", "select: [ALL]\nignore: [BGP005]\nfail-on: warning\n"
                                  "format: text\nseverity:\n  GW001: info\n")]
        _BASES["config_toml"] = [("pyproject.toml", "[project]\nname = 'x'\n\n[tool.erdesign]\nselect = ['ALL']\n"
                                  "ignore = ['BGP005']\nfail-on = 'warning'\n\n[tool.erdesign.severity]\nGW001 = 'info'\n")]
    return _BASES[kind]


# --------------------------------------------------------------------------- odd values

def long_text(rng: random.Random) -> str:
    return rng.choice("xa1.-/ ") * rng.choice([81, 301, 5_000, 100_000])


def odd_scalar(rng: random.Random):
    pick = rng.randrange(20)
    if pick == 0:
        return None
    if pick == 1:
        return rng.choice([True, False])
    if pick == 2:
        return rng.choice([0, -1, 1, 2 ** 31, 2 ** 63, -(2 ** 63) - 1, 10 ** rng.randrange(19, 400)])
    if pick == 3:
        return rng.choice([float("inf"), float("-inf"), float("nan"), 1e308, -0.0, 0.5, 1e-300])
    if pick == 4:
        return long_text(rng)
    if pick == 5:
        return rng.choice(["", " ", "\t", "\n", "\x00", "\x07", "\u0085", "\u2028", "\ufeff", "∞", "é" * 90])
    if pick == 6:
        return rng.choice(["192.0.2.97/^0", "192.0.2.97/-1", "192.0.2.97/+30", "192.0.2.97/ 30", "10.0.0.0/33",
                           "0.0.0.0/0", "::/0", "256.1.1.1", "10.0.0.0/255.255.0.0", "fe80::1%eth0/64", "1.2.3.4/32"])
    if pick == 7:
        return rng.choice([".inf", "1e400", "999999999999999Gbps", "0Mbps", "-1Gbps", "1.5Gbps", "NaN", "10 Tbps"])
    if pick == 8:
        return rng.choice(["[concat('a'", "[format('{0,999999999}', 'a')]", "[range(0, 100000)]",
                           "[padLeft('a', 999999999)]", "[json('" + "[" * 3000 + "')]", "[[not an expression]",
                           "[cidrSubnet('10.0.0.0/8', 32, 99999999999)]", "[mul(9223372036854775807, 2)]"])
    if pick == 9:
        return rng.choice(["yes", "no", "on", "off", "null", "~", "0x1F", "0o17", "1_000", "2026-13-45", "12:30:00"])
    if pick == 10:
        return rng.choice(["ErGwScale", "Premium", "UnlimitedData", "eastus", "Washington DC", "AzurePrivatePeering"])
    return rng.choice(["a", "x" * 80, "name with spaces", "../../etc/passwd", "$(rm -rf /)", "%s%n", "{0}"])


def odd_value(rng: random.Random, depth: int = 0):
    pick = rng.randrange(10)
    if pick == 0 and depth < 2:
        return [odd_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if pick == 1 and depth < 2:
        return {str(odd_scalar(rng))[:20]: odd_value(rng, depth + 1) for _ in range(rng.randrange(3))}
    if pick == 2:
        value = odd_scalar(rng)
        for _ in range(rng.choice([5, 50, 150, 300])):
            value = [value]
        return value
    return odd_scalar(rng)


ARM_FUNCTIONS = [
    ("concat", 2), ("format", 2), ("replace", 3), ("padLeft", 2), ("range", 2), ("union", 2), ("createArray", 2),
    ("createObject", 2), ("json", 1), ("string", 1), ("int", 1), ("mul", 2), ("add", 2), ("sub", 2), ("div", 2),
    ("mod", 2), ("cidrSubnet", 3), ("parseCidr", 1), ("substring", 3), ("split", 2), ("take", 2), ("skip", 2),
    ("length", 1), ("if", 3), ("equals", 2), ("copyIndex", 0), ("toLower", 1), ("first", 1), ("last", 1),
    ("coalesce", 2), ("contains", 2), ("resourceId", 2), ("uniqueString", 1), ("variables", 1), ("parameters", 1),
    ("empty", 1), ("min", 2), ("max", 2), ("array", 1), ("trim", 1), ("base64", 1), ("notAFunction", 1),
]
ARM_ATOMS = ["0", "1", "-1", "2147483648", "9223372036854775807", "99999999999999999999", "999999999",
             "'a'", "''", "'{0,999999}'", "'{0:N99999}'", "'{0:D9999}'", "'10.0.0.0/8'", "'2001:db8::/32'",
             "'['", "'{'", "'x'", "'[1,[2,[3]]]'", "'" + "[" * 200 + "'", "true", "null"]


def arm_expression(rng: random.Random, depth: int = 0) -> str:
    if depth >= 4 or rng.random() < 0.3:
        return rng.choice(ARM_ATOMS)
    name, arity = rng.choice(ARM_FUNCTIONS)
    if name in ("variables", "parameters"):
        return f"{name}('{rng.choice(['vnetName', 'location', 'x', 'prefix'])}')"
    args = [arm_expression(rng, depth + 1) for _ in range(arity + rng.choice([0, 0, 0, 1, -1]) if arity else 0)]
    text = f"{name}({', '.join(args)})"
    if rng.random() < 0.1:
        text += rng.choice([".name", "[0]", "['x']", ".properties.id"])
    return text


# --------------------------------------------------------------------------- mutations

SNIPPETS = [
    "&a [*a]", "*undefined", "!!python/object/apply:os.system ['true']", "{{{{", "[[[[[", "'", '"', "\t", "<<: *x",
    ": : :", "- - -", "%YAML 1.1\n", "---\n", "...\n", "\ufeff", "1e400", ".inf", "-.nan", "0x" + "f" * 50,
    "9" * 5000, "\x00", "\x07", "\x1b[31m", "\r", "\u2028", "\\", "//", "/*", "*/", "NaN", "Infinity",
    '"$schema"', "[" * 2000, "{" * 2000, "a: &b {k: v}\nc: *b\n", "? complex key\n: v\n", "!!binary aGVsbG8=",
]


def mutate_text(rng: random.Random, text: str) -> bytes:
    data = text.encode("utf-8")
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(8)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:  # flip a byte
            i = rng.randrange(len(data))
            data = data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
        elif op == 1:
            data = data[:pos] + rng.choice(SNIPPETS).encode("utf-8") + data[pos:]
        elif op == 2:
            data = data[:pos]
        elif op in (3, 4):
            lines = data.split(b"\n")
            i = rng.randrange(len(lines))
            if op == 3:
                del lines[i]
            else:
                lines.insert(i, lines[rng.randrange(len(lines))])
            data = b"\n".join(lines)
        elif op == 5:
            data = data[:pos] + long_text(rng).encode() + data[pos:]
        elif op == 6:
            data = data[:pos] + bytes([rng.choice([0xff, 0xfe, 0xc3, 0x80, 0xed, 0x85, 0x00, 0x07])]) + data[pos:]
        else:
            data = data[:pos] + b"[" + arm_expression(rng).encode() + b"]" + data[pos:]
    return data


def _paths(node, prefix=()):
    yield prefix
    if len(prefix) > 30:
        return
    if isinstance(node, dict):
        for key, value in list(node.items()):
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def mutate_data(rng: random.Random, doc, arm: bool = False):
    doc = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 4)):
        paths = []
        for p in _paths(doc):
            if p:
                paths.append(p)
            if len(paths) > 20_000:
                break
        if not paths:
            return doc
        path = rng.choice(paths)
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        op = rng.randrange(6)
        if op == 0:
            del parent[key]
        elif op == 1 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif op == 2 and isinstance(parent, list) and len(repr(parent[key])) < 2_000:
            for _ in range(rng.choice([10, 1000])):
                parent.append(parent[key])  # shared: YAML dumps it as anchors and aliases
        elif op == 3 and arm:
            parent[key] = "[" + arm_expression(rng) + "]"
        else:
            parent[key] = odd_value(rng)
    return doc


def _dump_yaml(doc) -> bytes:
    return yaml.dump(doc, sort_keys=False, allow_unicode=True, width=10_000).encode("utf-8")


def _dump_json(doc, rng: random.Random) -> bytes:
    return json.dumps(doc, indent=rng.choice([None, 1]), allow_nan=True).encode("utf-8")


def _mutated(rng: random.Random, text: str, as_yaml: bool, arm: bool = False) -> bytes:
    if rng.random() < 0.45:
        return mutate_text(rng, text)
    doc = yaml.safe_load(text) if as_yaml else json.loads(text)
    doc = mutate_data(rng, doc, arm=arm)
    try:
        return _dump_yaml(doc) if as_yaml else _dump_json(doc, rng)
    except (ValueError, RecursionError, yaml.YAMLError):
        return mutate_text(rng, text)


# --------------------------------------------------------------------------- cases, one per input kind

def design_case(rng):
    name, text = rng.choice(bases("design"))
    command = rng.choice(["lint", "lint", "cost", "import"])
    return Case("design", [command, "{dir}/" + name, "-o", "{dir}/out.txt"], {name: _mutated(rng, text, True)})


def az_case(rng):
    name, text = rng.choice(bases("az"))
    command = rng.choice(["lint", "import", "cost"])
    return Case("az", [command, "{dir}/" + name, "-o", "{dir}/out.txt"], {name: _mutated(rng, text, False)})


def arm_case(rng):
    name, text = rng.choice(bases("arm"))
    return Case("arm", [rng.choice(["lint", "import"]), "{dir}/" + name, "-o", "{dir}/out.txt"],
                {name: _mutated(rng, text, False, arm=True)})


def parameters_case(rng):
    name, text = bases("parameters")[0]
    template = bases("arm")[0][1].encode("utf-8")
    return Case("parameters", ["lint", "{dir}/hub.json", "-p", "{dir}/" + name, "-o", "{dir}/out.txt"],
                {"hub.json": template, name: _mutated(rng, text, False, arm=True)})


def terraform_case(rng):
    name, text = rng.choice(bases("terraform"))
    return Case("terraform", [rng.choice(["lint", "import"]), "{dir}/" + name, "-o", "{dir}/out.txt"],
                {name: _mutated(rng, text, False)})


def pricebook_case(rng):
    name, text = rng.choice(bases("pricebook"))
    seed = bases("design")[-1]
    return Case("pricebook", ["cost", "{dir}/" + seed[0], "--pricing", "{dir}/" + name, "-o", "{dir}/out.txt"],
                {seed[0]: seed[1].encode("utf-8"), name: _mutated(rng, text, True)})


def config_case(rng):
    toml = rng.random() < 0.5
    name, text = bases("config_toml" if toml else "config_yaml")[0]
    seed = bases("design")[-1]
    if toml:
        data = mutate_text(rng, text)
    else:
        data = _mutated(rng, text, True)
    argv = ["lint", "{dir}/" + seed[0], "-o", "{dir}/out.txt"] + (["--config", "{dir}/" + name] if rng.random() < 0.5
                                                                   else [])
    return Case("config", argv, {seed[0]: seed[1].encode("utf-8"), name: data})


def retail_case(rng):
    name, text = rng.choice(bases("retail"))
    return Case("retail", ["pricing", "import", "{dir}/" + name, "-o", "{dir}/out.yaml"],
                {name: _mutated(rng, text, False)})


GENERATORS = {
    "design": design_case, "az": az_case, "arm": arm_case, "parameters": parameters_case,
    "terraform": terraform_case, "pricebook": pricebook_case, "config": config_case, "retail": retail_case,
}


def random_case(rng: random.Random) -> Case:
    while True:
        kind = rng.choice(list(GENERATORS))
        try:
            return GENERATORS[kind](rng)
        except RecursionError:  # a mutation nested too deep for the generator itself: draw again
            continue


# --------------------------------------------------------------------------- judging a run

import re  # noqa: E402

LOCATED = re.compile(r"^\S.*?:\d+:\d+: ", re.MULTILINE)
MAX_LINE = 300


def judge(code, out: str, err: str, wrote_output: bool) -> str:
    """'' for a good run (exit 0/1, or exit 2 with one located line per problem), else why it is bad."""
    if code is None:
        return "hang (over the time limit)"
    if "Traceback" in err or "Traceback" in out:
        return "traceback"
    if "internal error" in err:
        return "internal error: " + next(line for line in err.splitlines() if "internal error" in line)[:200]
    if code not in (0, 1, 2):
        return f"exit code {code}"
    if code == 2:
        if not LOCATED.search(err):
            return "exit 2 without file:line:col: " + (err.strip().splitlines() or [""])[-1][:200]
        if wrote_output:
            return "exit 2 but the output file was written"
    # every error line, and every finding line (those that start with a location), is short;
    # evidence, notes and sources in reports may be longer by design
    for line in err.splitlines() + [line for line in out.splitlines() if LOCATED.match(line)]:
        if len(line) > MAX_LINE:
            return f"a line of {len(line)} characters: {line[:120]}…"
    return ""
