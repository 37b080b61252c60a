#!/usr/bin/env python3
"""A small check of the sources, for what a compiler does not see:

- no assignment inside an `if` condition (assign first, then test);
- each message's Chinese and English formats take the same arguments, in the
  same order (glmsg_set, glmsg_prefix, cli_tr; and every translation in
  assets/po against its English original).

Each rule is first shown to catch a planted fault, so that the check cannot
pass by reading nothing.  Prints "source: N passed, M failed".
  python3 tests/source.py            (from the repository root)
"""
import os
import re
import sys

SPEC = re.compile(r'%(%|[-+ #0]*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|z|j|t|L)?([diouxXeEfgGcspn]))')
MESSAGE_CALLS = {'glmsg_set': 1, 'glmsg_prefix': 2, 'cli_tr': 1}   # arguments before the zh format


def blank(src):
    """The source with comments, strings and character constants blanked
    (their lengths and line breaks kept), for looking at the code alone."""
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith('/*', i):
            j = src.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', src[i:j]))
            i = j
        elif src.startswith('//', i):
            j = src.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif src[i] in '"\'':
            q, j = src[i], i + 1
            while j < n and src[j] != q:
                j += 2 if src[j] == '\\' else 1
            out.append(q + ' ' * (j - i - 1) + q)
            i = j + 1
        else:
            out.append(src[i])
            i += 1
    return ''.join(out)


def line_of(src, pos):
    return src.count('\n', 0, pos) + 1


def assignments_in_if(path, src):
    """Yields (line, condition) for each `if` whose condition assigns."""
    code = blank(src)
    for m in re.finditer(r'\bif\s*\(', code):
        depth, j = 1, m.end()
        while depth and j < len(code):
            depth += {'(': 1, ')': -1}.get(code[j], 0)
            j += 1
        cond = code[m.end():j - 1]
        if re.search(r'(?<![=!<>+\-*/%&|^])=(?!=)', cond):
            yield line_of(src, m.start()), ' '.join(cond.split())[:90]


def args_of(src, start, count):
    """The first count top-level arguments of a call whose '(' ends at start."""
    args, cur, depth, j = [], [], 0, start
    while j < len(src) and len(args) < count:
        c = src[j]
        if c in '"\'':
            k = j + 1
            while src[k] != c:
                k += 2 if src[k] == '\\' else 1
            cur.append(src[j:k + 1])
            j = k + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            if depth == 0:
                args.append(''.join(cur))
                break
            depth -= 1
        elif c == ',' and depth == 0:
            args.append(''.join(cur))
            cur = []
            j += 1
            continue
        cur.append(c)
        j += 1
    return args


def conversions(fmt):
    """The argument each conversion takes: its type, and '*' for a width or
    precision taken from the arguments."""
    out = []
    for m in SPEC.finditer(fmt):
        if m.group(1) == '%':
            continue
        if m.group(2) == '*':
            out.append('*')
        if m.group(4) == '*':
            out.append('*')
        out.append(((m.group(5) or '') + m.group(6)).replace('i', 'd'))
    return out


def literal(arg):
    """The text of an argument made of adjacent string literals and macros
    (macros count as empty), or None if it is not one."""
    if '"' not in arg:
        return None
    rest = re.sub(r'"((?:[^"\\]|\\.)*)"', '', arg).strip()
    if rest and not re.fullmatch(r'[A-Z_0-9 ]*', rest):
        return None
    return ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', arg))


def message_mismatches(path, src):
    """Yields (line, call, zh conversions, en conversions) where they differ."""
    for name, before in MESSAGE_CALLS.items():
        for m in re.finditer(r'\b' + name + r'\s*\(', src):
            args = args_of(src, m.end(), before + 2)
            if len(args) < before + 2:
                continue
            zh, en = literal(args[before]), literal(args[before + 1])
            if zh is None or en is None:
                continue
            if conversions(zh) != conversions(en):
                yield line_of(src, m.start()), name, conversions(zh), conversions(en)


def po_mismatches(text):
    """Yields (msgid, conversions of msgid, of msgstr) for translations whose
    conversions differ."""
    def unquote(block):
        return ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    for m in re.finditer(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', text, re.M):
        msgid, msgstr = unquote(m.group(1)), unquote(m.group(2))
        if msgid and msgstr and conversions(msgid) != conversions(msgstr):
            yield msgid[:60], conversions(msgid), conversions(msgstr)


def main():
    passed = failed = 0

    def result(ok, what, details=()):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print('FAIL source: ' + what)
            for d in details:
                print('  ' + d)

    # The rules catch what they are for.
    planted = 'int f(void)\n{\n\tif ((p = malloc(1)) == NULL)\n\t\treturn -1;\n\tif (a == b || c <= d)\n\t\treturn 0;\n}\n'
    result([l for l, _ in assignments_in_if('planted.c', planted)] == [3], 'the assignment rule finds a planted one')
    planted = 'glmsg_set(err, "第 %d 行：%s", "%s at line %d", path, n);\nglmsg_set(err, "%s%.0s", "%.0s%s", a, b);\n'
    result([l for l, *_ in message_mismatches('planted.c', planted)] == [1], 'the message rule finds a planted one')
    result(len(list(po_mismatches('msgid "%s of %d"\nmsgstr "%d 之 %s"\n'))) == 1, 'the translation rule finds a planted one')

    files = []
    for root, _, names in os.walk('src'):
        files += [os.path.join(root, n) for n in sorted(names) if n.endswith('.c')]
    if not files:
        result(False, 'no sources found: run from the repository root')
    for path in sorted(files):
        src = open(path, encoding='utf-8').read()
        bad = ['%s:%d: if (%s)' % (path, l, c) for l, c in assignments_in_if(path, src)]
        result(not bad, '%s: no assignment inside an if condition' % path, bad)
        bad = ['%s:%d: %s: zh %s, en %s' % (path, l, n, z, e) for l, n, z, e in message_mismatches(path, src)]
        result(not bad, '%s: each message\'s zh and en formats take the same arguments' % path, bad)
    for po in sorted(os.listdir('assets/po')):
        text = open(os.path.join('assets/po', po), encoding='utf-8').read()
        bad = ['"%s": %s, translated %s' % m for m in po_mismatches(text)]
        result(not bad, 'assets/po/%s: each translation takes its original\'s arguments' % po, bad)
    print('source: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
