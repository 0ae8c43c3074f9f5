import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileWholeMatch } from '../../../../src/drivers/usbhid/transport/posix-regex.js';

/**
 * The real peer: glibc's own regcomp(REG_EXTENDED | REG_ICASE) and regexec, called through
 * Python's ctypes, judged as NUT's match_regex judges (the match must cover the whole string).
 */
const GLIBC = `
import ctypes, json, sys
libc = ctypes.CDLL("libc.so.6")
class M(ctypes.Structure): _fields_ = [("so", ctypes.c_int), ("eo", ctypes.c_int)]
out = []
for pat, subj in json.load(sys.stdin):
    buf = ctypes.create_string_buffer(1024)
    if libc.regcomp(buf, pat.encode(), 1 | 2) != 0:
        out.append("error"); continue
    m = M(); s = subj.encode()
    r = libc.regexec(buf, s, 1, ctypes.byref(m), 0)
    out.append("no" if r or m.so != 0 or m.eo != len(s) else "yes")
    libc.regfree(buf)
print(json.dumps(out))
`;

function glibc(cases: Array<[string, string]>): string[] {
  const r = spawnSync('python3', ['-c', GLIBC], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

function ours(pattern: string, subject: string): string {
  let re: RegExp;
  try {
    re = compileWholeMatch(pattern);
  } catch {
    return 'error';
  }
  return re.test(subject) ? 'yes' : 'no';
}

const CASES: Array<[string, string]> = [
  ['051d', '051d'], ['051D', '051d'], ['05', '051d'], ['1d', '051d'], ['051d|0764', '0764'], ['(051d|0764)', '051d'],
  ['0[0-9]{3}', '0764'], ['0[0-9]{3}', '051d'], ['[0-9a-f]{4}', '09ae'], ['x{,2}', 'xx'], ['x{2,}', 'xxx'], ['x{1,2}', 'xxx'],
  ['Back-UPS.*', 'Back-UPS ES 700G'], ['back-ups', 'Back-UPS'], ['Back', 'Back-UPS'], ['.*UPS.*', 'Smart-UPS 1500'],
  ['American Power Conversion', 'American Power Conversion'], ['CPS|Cyber.*', 'CPS'], ['CPS|Cyber.*', 'CyberPower'],
  ['[[:alnum:]]+', 'AB0427'], ['[[:digit:]]+', 'AB0427'], ['[[:xdigit:]]{4}', '051D'], ['[[:upper:]]+', 'abc'],
  ['[^0-9]+', 'abc'], ['[]x]+', ']x]'], ['a[\\]b', 'a\\b'], ['a[\\]b', 'a]b'], ['a[.-.]b', 'a-b'], ['a[=e=]', 'ae'],
  ['UPS \\(USB\\)', 'UPS (USB)'], ['UPS (USB)', 'UPS (USB)'], ['UPS (USB)', 'UPS USB'], ['a)', 'a)'], ['a\\.b', 'a.b'],
  ['a\\.b', 'axb'], ['a.b', 'axb'], ['\\w+', 'ab_1'], ['x\\sy', 'x y'], ['\\S+', 'abc'], ['\\W', '-'], ['\\<ab\\>', 'ab'],
  ['(a)\\1', 'aa'], ['(a)\\1', 'ab'], ['\\D', 'd'], ['\\Q', 'q'], ['\\0', '0'], ['\\-', '-'], ['a**', 'aaa'], ['a+*', 'aa'],
  ['a*{2}', 'aa'], ['(ab)+', 'ababab'], ['^abc$', 'abc'], ['a^b', 'a^b'], ['', ''], ['', 'x'], ['()', ''],
  ['AB0427******', 'AB0427******'], ['AB0427\\*\\*', 'AB0427**'], ['3B[0-9]+X', '3B1234X'],
  // refused by both
  ['(', ''], ['(a', 'a'], ['[abc', 'a'], ['*a', 'a'], ['+a', 'a'], ['?a', 'a'], ['a|*b', 'b'], ['(*a)', 'a'], ['^*a', 'a'],
  ['a{', 'a{'], ['a{2', 'aa'], ['{a', '{a'], ['a{}', 'a'], ['a{2,1}', 'aa'], ['\\1', '1'], ['(a)\\2', 'aa'], ['a\\', 'a'],
  ['[[:bogus:]]', 'a'], ['(?:a)', 'a'],
];

test('the translated regular expressions decide as glibc regcomp/regexec do', () => {
  const expected = glibc(CASES);
  const differences = CASES.map(([p, s], i) => ({ p, s, glibc: expected[i], ours: ours(p, s) })).filter((c) => c.glibc !== c.ours);
  assert.equal(differences, []);
});

test('an escaped small letter (\\d, \\n, \\t) matches nothing in glibc; upsgate refuses it with a hint', () => {
  const letters = [...'acdefghijklmnopqrtuvxyz'];
  assert.equal(glibc(letters.map((l) => [`\\${l}`, l])), letters.map(() => 'no'));
  assert.equal(glibc([['\\d', '1']]), ['no']);
  for (const l of letters) assert.throws(() => compileWholeMatch(`\\${l}`), /has no meaning in NUT's regular expressions/);
});

test.run();
