// A writer process for the lock and SIGKILL tests. Runs against the built library (npm test builds
// first). Usage: node writer.mjs DIST_NODE_INDEX MODE HIVE [ARGS...]
//   writes HIVE TAG COUNT WAIT   COUNT commits, each adding value TAG-j under \Concurrent
//   hold HIVE MS                 take the lock, print "locked", keep it MS ms (or until killed)
//   batches HIVE                 commit batch 0, 1, 2 … forever, printing "committed N" after each
const [, , library, mode, hive, ...args] = process.argv;
const { HiveFile, acquireHiveLock } = await import(library);
const REG_DWORD = 4;
const REG_SZ = 1;

function utf16z(text) {
  const out = new Uint8Array((text.length + 1) * 2);
  for (let i = 0; i < text.length; i++) out[2 * i] = text.charCodeAt(i);
  return out;
}

if (mode === 'writes') {
  const [tag, count, wait] = args;
  for (let j = 0; j < Number(count); j++) {
    const file = HiveFile.openForWriting(hive, { recover: true, wait: Number(wait) });
    try {
      file.hive
        .root()
        .ensurePath('Concurrent')
        .setValue(`${tag}-${j}`, REG_DWORD, Uint8Array.of(j & 0xff, j >> 8, 0, 0));
      file.commit();
    } finally {
      file.close();
    }
  }
} else if (mode === 'hold') {
  const lock = acquireHiveLock(hive, { wait: 10 });
  process.stdout.write('locked\n');
  setTimeout(() => {
    lock.release();
    process.exit(0);
  }, Number(args[0]));
} else if (mode === 'batches') {
  process.stdout.write('ready\n');
  // Never outlive a test that died before killing us: stop by ourselves after 20 s.
  const deadline = Date.now() + 20_000;
  for (let batch = 0; Date.now() < deadline; batch++) {
    const file = HiveFile.openForWriting(hive, { recover: true, wait: 10 });
    try {
      const key = file.hive.root().ensurePath(`Batches\\batch-${batch}`);
      for (let v = 0; v < 40; v++) key.setValue(`v${v}`, REG_SZ, utf16z(`batch ${batch} value ${v} `.repeat(1 + (v % 7))));
      file.commit();
    } finally {
      file.close();
    }
    process.stdout.write(`committed ${batch}\n`);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
