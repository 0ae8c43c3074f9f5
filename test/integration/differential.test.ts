// THE DIFFERENTIAL TEST. One config folder (test/fixtures/nut-conf: ups.conf, upsd.users, .dev and
// .seq files) is served by real NUT 2.8.0 (upsd + dummy-ups) and by upsgate; every session script
// of the corpus (nut-corpus.ts) runs against both, and each reply must match byte for byte after
// the normalisations of test/helpers/allowed-differences.ts (the only place differences are
// forgiven).
//
// UPSGATE_TEST_TARGET=upsd runs the reference against a second real NUT (the harness checking
// itself). UPSGATE_DIFF_DUMP=1 prints every step with both replies.
import { suite } from 'uvu';
import { normaliseReply } from '../helpers/allowed-differences.js';
import { failure } from '../helpers/fail.js';
import { LineClient } from '../helpers/line-client.js';
import { sleep } from '../helpers/nut-sandbox.js';
import { describeStep, runScript, type Outcome, type Script } from '../helpers/session-script.js';
import { startPair } from '../helpers/targets.js';
import { CORPUS, login, on, settled } from './nut-corpus.js';
import { setUp } from '../helpers/suite-setup.js';

const diff = suite('differential: real upsd vs upsgate');

const need = setUp(diff, () => startPair({ fixture: 'nut-conf' }), (pair) => pair.stop());

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? l : prefix + l))
    .join('\n');
}

function compare(script: Script, ref: Outcome[], got: Outcome[], targetName: string): string[] {
  const problems: string[] = [];
  script.steps.forEach((step, i) => {
    const a = ref[i];
    const b = got[i];
    if (a === undefined || b === undefined) {
      problems.push(`step ${i + 1} ${describeStep(step)}: no outcome (upsd ${a === undefined ? 'missing' : 'ok'}, ${targetName} ${b === undefined ? 'missing' : 'ok'})`);
      return;
    }
    if ('sync' in step && step.sync) return;
    const na = normaliseReply(a.request, a.reply);
    const nb = normaliseReply(b.request, b.reply);
    if (process.env.UPSGATE_DIFF_DUMP) {
      process.stdout.write(`\n${na === nb ? ' ' : '!'} ${i + 1} ${describeStep(step)}\n    upsd: ${indent(a.reply, '          ')}\n`);
      if (na !== nb) process.stdout.write(`    ${targetName}: ${indent(b.reply, '          ')}\n`);
    }
    if (na !== nb) {
      const pad = ' '.repeat(Math.max(0, targetName.length - 4));
      problems.push(
        `step ${i + 1}: ${describeStep(step)}\n` +
          `      upsd said${pad}: ${indent(a.reply, `                ${pad}`)}\n` +
          `      ${targetName} said: ${indent(b.reply, `                ${pad}`)}`,
      );
    }
  });
  return problems;
}

diff('both servers list the same UPSes', async () => {
  const { reference, target } = need();
  const [a, b] = await Promise.all([
    runScript(reference.port, { name: 'list', steps: [{ c: 'a', send: 'LIST UPS' }] }),
    runScript(target.port, { name: 'list', steps: [{ c: 'a', send: 'LIST UPS' }] }),
  ]);
  if (a[0]?.reply !== b[0]?.reply) throw failure(`LIST UPS differs:\nupsd:\n${a[0]?.reply}\n${target.kind}:\n${b[0]?.reply}`);
});

for (const script of CORPUS) {
  diff(script.name, async () => {
    const { reference, target } = need();
    const targetName = target.kind === 'upsd' ? 'upsd#2' : 'upsgate';
    // Both servers run the script at the same time (each has its own state), so waits overlap.
    const [ref, got] = await Promise.all([runScript(reference.port, script), runScript(target.port, script)]);
    // Let both servers notice the closed connections before the next script counts logins.
    await sleep(100);
    const problems = compare(script, ref, got, targetName);
    if (problems.length > 0) {
      throw failure(`${problems.length} of ${script.steps.length} steps differ in "${script.name}":\n\n  ${problems.join('\n\n  ')}\n`);
    }
  });
}

// The one place upsgate answers differently on purpose (README, "values set while running"):
// NUT 2.8.0's dummy-ups hands a value set at run time back to upsd unescaped, so upsd garbles
// quotes and backslashes and drops a value with `#`. upsgate serves what was set. Both behaviours
// are asserted, so a NUT that fixes this (or an upsgate that starts garbling) is noticed.
diff('values set while running: upsgate keeps them intact where upsd 2.8.0 garbles them', async () => {
  const { reference, target } = need();
  const values = ['"say \\"hi\\""', '"hash \\# here"', '"back\\\\slash"', '"two\\\\\\\\slashes"'];
  const steps = [...login('a', 'admin', 'adminpass')];
  for (const v of values) steps.push(...on('a', `SET VAR dummy ups.test.result ${v}`), ...settled('a'), ...on('a', 'GET VAR dummy ups.test.result'));
  const script: Script = { name: 'escaping round trip', steps };
  const [ref, got] = await Promise.all([runScript(reference.port, script), runScript(target.port, script)]);
  const reads = (o: Outcome[]) => o.filter((x) => x.request === 'GET VAR dummy ups.test.result').map((x) => x.reply);
  const intact = values.map((v) => `VAR dummy ups.test.result ${v}`);
  const garbled = ['VAR dummy ups.test.result "say "', 'VAR dummy ups.test.result "say "', 'VAR dummy ups.test.result "backslash"', 'VAR dummy ups.test.result "two\\\\slashes"'];
  const check = (name: string, actual: string[], expected: string[]) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw failure(`${name} read back:\n  ${actual.join('\n  ')}\nexpected:\n  ${expected.join('\n  ')}`);
    }
  };
  check('upsd', reads(ref), garbled);
  check(target.kind === 'upsd' ? 'upsd#2' : 'upsgate', reads(got), target.kind === 'upsd' ? garbled : intact);
});

diff('a .dev file rewritten while running is re-read (dummy-once follows the mtime)', async () => {
  const { reference, target } = need();
  // plain.dev feeds NoDesc and fsdups (whose FSD latch is set by now).
  const content = '# rewritten by the test\nups.status: OB LB\nbattery.charge: 5\nups.model: ""\nbattery.runtime: 60\n';
  await Promise.all([reference.conf.writeFile('plain.dev', content), target.conf.writeFile('plain.dev', content)]);
  const script: Script = {
    name: 'after rewriting plain.dev',
    steps: [
      { c: 'a', send: 'GET VAR NoDesc battery.runtime', until: /"60"$/, untilMs: 15000 },
      { c: 'a', send: 'GET VAR fsdups battery.runtime', until: /"60"$/, untilMs: 15000 },
      { c: 'a', send: 'LIST VAR NoDesc' },
      { c: 'a', send: 'LIST VAR fsdups' },
      { c: 'a', send: 'GET VAR NoDesc ups.model' },
      { c: 'a', send: 'GET TYPE NoDesc battery.runtime' },
    ],
  };
  const [ref, got] = await Promise.all([runScript(reference.port, script), runScript(target.port, script)]);
  const problems = compare(script, ref, got, target.kind === 'upsd' ? 'upsd#2' : 'upsgate');
  if (problems.length > 0) throw failure(`${problems.length} steps differ after rewriting plain.dev:\n\n  ${problems.join('\n\n  ')}\n`);
});

diff('servers are still running after the corpus', async () => {
  const { reference, target } = need();
  for (const s of [reference, target]) {
    const c = await LineClient.connect(s.port);
    try {
      const r = await c.request('NETVER');
      if (r !== '1.3') throw failure(`${s.kind} on port ${s.port} answered NETVER with ${r}\n${s.logs()}`);
    } finally {
      await c.close();
    }
  }
});

diff.run();
