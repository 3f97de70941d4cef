"""Throwaway prototype of `mapping check --sample` (docs/design/mapping-language.md, section 5), for the design only:
not part of convoshift, not run by tests. It evaluates the vendor side of a draft mapping on a sample: per rule, the
records (or elements) where its path, with the designed filters [k=v] / [?k=v] and @ / $ references, yields a value;
and the coverage of leaf values: read by a rule (with the filters' own keys), rebuilt on the way back by a from /
const / neutral-to-vendor rule (free in the extension when equal; assumed equal here, except constants), or unmapped.
Usage: python3 docs/design/mapcheck-prototype.py docs/design/intercom.mapping.draft.json test/fixtures/intercom/conversations.jsonl"""
import json, re, sys

def split_path(p):
    segs, i, cur = [], 0, ''
    while i < len(p):
        c = p[i]
        if c == '.':
            if cur: segs.append(('key', cur)); cur = ''
            i += 1
        elif c == '[':
            if cur: segs.append(('key', cur)); cur = ''
            j = p.index(']', i); inner = p[i+1:j]; i = j + 1
            if inner == '': segs.append(('each', None))
            elif inner.isdigit(): segs.append(('index', int(inner)))
            elif inner.startswith('"'): segs.append(('key', json.loads(inner)))
            elif inner.startswith('?'): segs.append(('filter_all', inner[1:]))
            else: segs.append(('filter', inner))
        else:
            cur += c; i += 1
    if cur: segs.append(('key', cur))
    return segs

def lit(v):
    try: return json.loads(v)
    except Exception: return v

def get(obj, path):
    for part in path.split('.'):
        if not isinstance(obj, dict) or part not in obj: return None
        obj = obj[part]
    return obj

def test(el, cond, ctx):
    for c in cond.split(','):
        m = re.match(r'^([\w.]*)(!=|=)?(.*)$', c)
        field, op, rhs = m.group(1), m.group(2), m.group(3)
        val = el if field == '' else get(el, field)
        if op is None:
            if val in (None, '', [], {}): return False
            continue
        options = []
        for alt in rhs.split('|'):
            if alt.startswith('@'): options.append(get(ctx['element'], alt[1:]))
            elif alt.startswith('$.'): options.append(get(ctx['root'], alt[2:]))
            else: options.append(lit(alt))
        hit = val in options
        if (op == '=' and not hit) or (op == '!=' and hit): return False
    return True

CONSUMED = set()
def read(obj, path, ctx, keep_null=False, ptrs=None):
    """All values the path yields (a list); single-valued paths yield at most one. Records leaf pointers read."""
    base = ctx.get('ptr', '')
    if path.startswith('$vendor.'): obj, path, base = ctx['root'], path[len('$vendor.'):], ''
    elif path.startswith('$.'): obj, path, base = ctx['root'], path[2:], ''
    elif path == '$': return [ctx['root']]
    values = [(obj, base)]
    for kind, arg in split_path(path):
        nxt = []
        for v, p in values:
            if kind == 'key':
                if isinstance(v, dict) and arg in v and (keep_null or v[arg] is not None): nxt.append((v[arg], f'{p}/{arg}'))
            elif kind == 'index':
                if isinstance(v, list) and len(v) > arg: nxt.append((v[arg], f'{p}/{arg}'))
            elif kind == 'each':
                if isinstance(v, list): nxt.extend((x, f'{p}/{i}') for i, x in enumerate(v) if x is not None)
            else:
                items = list(enumerate(v)) if isinstance(v, list) else [(None, v)]
                hits = [(x, p if i is None else f'{p}/{i}') for i, x in items if x is not None and test(x, arg, ctx)]
                hits = hits if kind == 'filter_all' else hits[:1]
                for x, hp in hits:  # the filter's own fields are consumed: <- writes them
                    for c in arg.split(','):
                        f = re.match(r'^([\w.]*)', c).group(1)
                        if f and '=' in c: CONSUMED.add(hp + '/' + f.replace('.', '/'))
                nxt.extend(hits)
        values = nxt
    if ptrs is not None: ptrs.extend(p for _, p in values)
    return [v for v, _ in values]

def read_expr(obj, spec, ctx, keep_null=False, ptrs=None):
    if isinstance(spec, str): return read(obj, spec, ctx, keep_null, ptrs)
    if 'first' in spec:
        for p in spec['first']:
            v = [x for x in read(obj, p, ctx) if x not in ('', None)]
            if v: return v[:1]
        return []
    if 'all' in spec: return [x for p in spec['all'] for x in read(obj, p, ctx)]
    if 'join' in spec: return [' '.join(x for p in spec['join'] for x in read(obj, p, ctx) if isinstance(x, str) and x)] or []
    if 'count' in spec: return [len(read(obj, spec['count'], ctx))]
    raise ValueError(spec)

def reads_vendor(rule):
    return 'vendor' in rule and rule.get('direction') != 'fromNeutral' and 'from' not in rule

REBUILT = set()
def leaves(v, p=''):
    if isinstance(v, dict):
        if not v: yield p
        for k, x in v.items(): yield from leaves(x, f'{p}/{k}')
    elif isinstance(v, list):
        if not v: yield p
        for i, x in enumerate(v): yield from leaves(x, f'{p}/{i}')
    else: yield p

def run(mapping, records):
    counts = {}
    def level(rules, collections, element, root, where, n, ptr=''):
        ctx = {'root': root, 'element': element, 'ptr': ptr}
        for i, rule in enumerate(rules, 1):
            key = f'{where}rule {i}'
            counts.setdefault(key, [0, 0, rule])
            if 'vendor' in rule and isinstance(rule['vendor'], str) and not reads_vendor(rule):
                rebuilt = []  # <- rebuilds it (from, a neutral field, a const): consumed when it agrees; counted apart
                got = read(element, rule['vendor'], ctx, keep_null=True, ptrs=rebuilt)
                if 'const' in rule: rebuilt = [p for p, v in zip(rebuilt, got) if v == rule['const']]
                REBUILT.update(rebuilt)
            if not reads_vendor(rule): continue
            counts[key][1] += 1
            ptrs = []
            is_const = 'const' in rule and 'neutral' not in rule
            vals = read_expr(element, rule['vendor'], ctx, keep_null=is_const or None in rule.get('missing', []), ptrs=ptrs)
            if is_const: vals = [v for v in vals if v == rule['const']]
            if vals: CONSUMED.update(ptrs)
            if (is_const and vals) or (any(v is not None for v in vals) and not all(v in rule.get('missing', []) for v in vals)): counts[key][0] += 1
        for j, c in enumerate(collections or [], 1):
            name = c['vendor'] if isinstance(c['vendor'], str) else json.dumps(c['vendor'])
            elements = [element] if c.get('one') and c['vendor'] == '$' else read_expr(element, c['vendor'], ctx)
            if c.get('one'): elements = elements[:1]
            elif isinstance(c['vendor'], str) and not any(k in c['vendor'] for k in ('[?', '[]')):
                elements = [x for e in elements for x in (e if isinstance(e, list) else [e])]
            if c.get('distinct'):
                seen, uniq = set(), []
                for e in elements:
                    k = e.get(c['distinct']) if isinstance(e, dict) else e
                    if k not in seen: seen.add(k); uniq.append(e)
                elements = uniq
            cond = (c.get('if') or {}).get('vendor:type')
            if cond: elements = [e for e in elements if isinstance(e, dict) and e.get('type') in cond]
            cw = f'{where}collection {j} "{name}" '
            counts.setdefault(cw + '(elements)', [0, 0, None])
            counts[cw + '(elements)'][0] += len(elements); counts[cw + '(elements)'][1] += 1
            if isinstance(c['vendor'], str) and c['vendor'] != '$' and not c.get('one'):
                cp = []; cv = read(element, c['vendor'], ctx, ptrs=cp)
                CONSUMED.update(p for p, v in zip(cp, cv) if v in ([], {}))  # an empty list: <- writes it empty
            eptrs = []
            if c.get('one') and c['vendor'] != '$': read(element, c['vendor'], ctx, ptrs=eptrs)
            elif isinstance(c['vendor'], str) and c['vendor'] != '$':
                base = read(element, c['vendor'], ctx, ptrs=eptrs)
                if base and isinstance(base[0], list) and not any(k in c['vendor'] for k in ('[?', '[]')):
                    eptrs = [f'{p}/{i}' for p, b in zip(eptrs, base) for i in range(len(b))]
            else:
                eptrs = [None] * len(elements)
            for e, p in zip(elements, eptrs if len(eptrs) == len(elements) else [None] * len(elements)):
                if isinstance(e, dict) and p is not None and not c.get('distinct'):
                    level2(c, e, root, cw, p)
                elif isinstance(e, dict): level(c.get('rules', []), c.get('collections'), e, root, cw, n)
    def level2(c, e, root, cw, p):
        level(c.get('rules', []), c.get('collections'), e, root, cw, 1, p)
    total = mapped = rebuilt = 0; unmapped = {}
    for k, r in enumerate(records):
        CONSUMED.clear(); REBUILT.clear()
        level(mapping.get('rules', []), mapping.get('collections'), r, r, '', 1)
        for leaf in leaves(r):
            total += 1
            if any(leaf == c or leaf.startswith(c + '/') for c in CONSUMED): mapped += 1
            elif any(leaf == c or leaf.startswith(c + '/') for c in REBUILT): rebuilt += 1
            else:
                key = re.sub(r'/\d+', '[]', leaf).lstrip('/').replace('/', '.')
                unmapped[key] = unmapped.get(key, 0) + 1
    print(f'coverage over {len(records)} records, {total} leaf values: {mapped/total:.1%} read by a rule, '
          f'{rebuilt/total:.1%} rebuilt on <- (from/const/neutral, free when equal), {(total-mapped-rebuilt)/total:.1%} unmapped (extension)')
    print('top unmapped:', ', '.join(f'{k} ({v})' for k, v in sorted(unmapped.items(), key=lambda kv: -kv[1])[:10]))
    return counts

if __name__ == '__main__':
    mapping = json.load(open(sys.argv[1]))
    records = []
    for path in sys.argv[2:]:
        text = open(path).read()
        if path.endswith('.jsonl'): records += [json.loads(l) for l in text.splitlines() if l.strip()]
        else:
            doc = json.loads(text)
            env = next((k for k in mapping.get('envelope', []) if isinstance(doc, dict) and k in doc), None)
            records += doc[env] if env else (doc if isinstance(doc, list) else [doc])
    counts = run(mapping, records)
    never = []
    for key, (hit, seen, rule) in counts.items():
        if rule is None: print(f'{key}: {hit} elements over {seen} parents'); continue
        if seen == 0: continue
        v = rule['vendor'] if isinstance(rule['vendor'], str) else json.dumps(rule['vendor'])
        print(f'{key}: {v} -> {rule.get("neutral", "(const)")}: matched {hit} of {seen}')
        if hit == 0: never.append(key)
    print('never matched:', ', '.join(never) or 'none')
