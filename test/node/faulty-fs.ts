import type { CommitFileSystem } from '../../src/node/index.js';

/**
 * Fault injection: a file system that can stop a commit before any write, truncate or flush, and that
 * then loses unflushed writes, keeps them, or keeps them torn at a 512-byte boundary. For every crash
 * point and every such outcome, reopening (with log recovery) must give exactly the old or the new
 * state, and a hive the validator finds no error in.
 */

/** Thrown by a FaultyFileSystem at its crash point. */
export class Crash extends Error {}

interface FileState {
  durable: Uint8Array;
  current: Uint8Array;
  pending: { position: number; bytes: Uint8Array }[];
}

export class FaultyFileSystem implements CommitFileSystem {
  readonly files = new Map<string, FileState>();
  operations = 0;
  private crashed = false;
  constructor(private readonly crashAt = Infinity) {}

  seed(path: string, bytes: Uint8Array): void {
    this.files.set(path, { durable: bytes.slice(), current: bytes.slice(), pending: [] });
  }

  /** After the crash nothing more reaches the disk (a clean-up in a catch must not run). */
  private step(): void {
    if (this.crashed || this.operations++ === this.crashAt) {
      this.crashed = true;
      throw new Crash();
    }
  }

  remove(path: string): void {
    this.step();
    this.files.delete(path);
  }

  /** Atomic and durable, as replaceFileAtomically (temporary file, fsync, rename, directory fsync). */
  replace(path: string, bytes: Uint8Array): void {
    this.step();
    this.files.set(path, { durable: bytes.slice(), current: bytes.slice(), pending: [] });
  }

  private file(path: string): FileState {
    let file = this.files.get(path);
    if (file === undefined) {
      file = { durable: new Uint8Array(0), current: new Uint8Array(0), pending: [] };
      this.files.set(path, file);
    }
    return file;
  }

  read(path: string): Uint8Array | undefined {
    return this.files.get(path)?.current.slice();
  }

  write(path: string, position: number, bytes: Uint8Array): void {
    this.step();
    const file = this.file(path);
    file.current = applyWrite(file.current, position, bytes);
    file.pending.push({ position, bytes: bytes.slice() });
  }

  truncate(path: string, length: number): void {
    this.step();
    const file = this.file(path);
    file.current = file.current.slice(0, length);
    file.pending.push({ position: -1, bytes: new Uint8Array(length) });
  }

  flush(path: string): void {
    this.step();
    const file = this.file(path);
    file.durable = file.current.slice();
    file.pending = [];
  }

  /** What a file may hold after a crash: unflushed writes lost, all kept, or the last one torn. */
  survivors(path: string): Uint8Array[] {
    const file = this.files.get(path);
    if (file === undefined) return [new Uint8Array(0)];
    if (file.pending.length === 0) return [file.durable];
    const out = [file.durable, file.current];
    const last = file.pending[file.pending.length - 1];
    if (last !== undefined && last.position >= 0 && last.bytes.length > 512) {
      let base = file.durable;
      for (const w of file.pending.slice(0, -1)) base = w.position < 0 ? base.slice(0, w.bytes.length) : applyWrite(base, w.position, w.bytes);
      for (const keep of [512, Math.floor(last.bytes.length / 1024) * 512]) out.push(applyWrite(base, last.position, last.bytes.subarray(0, keep)));
    }
    return out;
  }
}

function applyWrite(target: Uint8Array, position: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(target.length, position + bytes.length));
  out.set(target);
  out.set(bytes, position);
  return out;
}
