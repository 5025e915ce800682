import { Hive, ValueType, baseBlockChecksum, dirtyPages, encodeLogFile } from '../../src/hive/index.js';
import { fixedClock, sz } from './hives.js';

/** A hive's file image: its bytes up to the end of the bins, hive-bins size set. */
export function imageOf(hive: Hive): Uint8Array {
  const image = hive.bytes.slice(0, 4096 + hive.hiveBinsSize);
  new DataView(image.buffer).setUint32(40, hive.hiveBinsSize, true);
  return image;
}

/**
 * The files of a start state for crash sweeps, named H, H.LOG1, H.LOG2: a clean hive holding `Start`
 * (logs = 0), or that hive marked dirty with one log entry per change as Windows rotates them — LOG1
 * adds `fromLog1`, LOG2 adds `fromLog2` with `log2Keys` subkeys that exist nowhere but in LOG2.
 */
export function startFiles(logs: 0 | 1 | 2, log2Keys = 300): Map<string, Uint8Array> {
  const base = Hive.create({ clock: fixedClock });
  base.root().addSubkey('Start').setValue('v', ValueType.REG_SZ, sz('start'));
  const old = base.serialize();
  if (logs === 0) return new Map([['H', old]]);
  const seq = new DataView(old.buffer).getUint32(8, true);
  const primary = old.slice();
  const view = new DataView(primary.buffer);
  view.setUint32(4, seq + 1, true);
  view.setUint32(508, baseBlockChecksum(view), true);
  const files = new Map<string, Uint8Array>([['H', primary]]);
  const changes = [
    (h: Hive): void => void h.root().addSubkey('fromLog1').setValue('v', ValueType.REG_SZ, sz('one')),
    (h: Hive): void => {
      const k = h.root().addSubkey('fromLog2');
      for (let i = 0; i < log2Keys; i++) k.addSubkey(`only-in-log2-${i}`);
    },
  ];
  let previous = old;
  for (let i = 0; i < logs; i++) {
    const hive = Hive.open(previous, { clock: fixedClock });
    changes[i]!(hive);
    const image = imageOf(hive);
    files.set(`H.LOG${i + 1}`, encodeLogFile(image, seq + 1 + i, hive.hiveBinsSize, dirtyPages(previous, image, hive.hiveBinsSize)));
    previous = image;
  }
  return files;
}
