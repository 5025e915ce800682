import { describe, expect, it } from 'vitest';
import { BugCheck, DISPATCH_LEVEL, Environment, RELEASES, WDF_VIOLATION, WdfObject, failureCodeNumber } from '../../src/netadapter/index.js';

describe('environment and verifier (netadaptercx-config.md §2)', () => {
  it('numbers the failure codes per release as §2 tabulates them', () => {
    const table = RELEASES.map((r) => [
      r,
      failureCodeNumber('IrqlIsNotPassive', r),
      failureCodeNumber('ParameterCantBeNull', r),
      failureCodeNumber('InvalidQueryUlongFlag', r),
    ]);
    expect(table).toEqual([
      ['1703', 1, 15, 16],
      ['1803', 1, 15, 16],
      ['1809', 1, 15, 16],
      ['1903', 1, 14, 15],
      ['2004', 1, 14, 15],
      ['2100', 1, 15, 16],
    ]);
  });

  it('bug-checks 0x19E with P1 = IrqlIsNotPassive and P2 = the IRQL above PASSIVE_LEVEL (case 16)', () => {
    const environment = new Environment();
    expect(() => environment.requirePassive()).not.toThrow();
    try {
      environment.atIrql(DISPATCH_LEVEL, () => environment.requirePassive());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BugCheck);
      expect((error as BugCheck).code).toBe(0x19e);
      expect((error as BugCheck).parameters).toEqual([1, 2, 0, 0]);
    }
    expect(environment.irql).toBe(0);
  });
});

describe('WDF objects (§1.3, §1.4)', () => {
  it('deletes children before the parent, runs each cleanup once, and invalidates every handle', () => {
    const environment = new Environment();
    const adapter = new WdfObject(environment, 'NETADAPTER', environment.driver);
    const config = new WdfObject(environment, 'NETCONFIGURATION', adapter);
    const sub = new WdfObject(environment, 'NETCONFIGURATION', config);
    const text = new WdfObject(environment, 'WDFSTRING', config);
    const order: string[] = [];
    config.onCleanup(() => order.push('config'));
    sub.onCleanup(() => order.push('sub'));
    text.onCleanup(() => order.push('string'));
    config.delete();
    expect(order).toEqual(['string', 'sub', 'config']);
    for (const object of [config, sub, text]) expect(object.deleted).toBe(true);
    expect(adapter.childObjects()).toEqual([]);
    try {
      sub.assertValid();
      expect.unreachable();
    } catch (error) {
      expect((error as BugCheck).code).toBe(WDF_VIOLATION);
    }
    expect(() => config.delete()).toThrow(BugCheck);
    expect(() => new WdfObject(environment, 'WDFMEMORY', config)).toThrow(BugCheck);
  });

  it('an object parented to the driver survives the deletion of the configuration that made it', () => {
    const environment = new Environment();
    const config = new WdfObject(environment, 'NETCONFIGURATION', environment.driver);
    const driverOwned = new WdfObject(environment, 'WDFSTRING', environment.driver);
    config.delete();
    expect(driverOwned.deleted).toBe(false);
  });
});

describe('deferred children (WdfObject.deferChild)', () => {
  const setup = () => {
    const environment = new Environment();
    const parent = new WdfObject(environment, 'WDFDRIVER', undefined);
    const made: string[] = [];
    const make = (tag: string): void => {
      made.push(tag);
      new WdfObject(environment, 'WDFMEMORY', parent);
    };
    return { environment, parent, made, make };
  };

  it('are made, oldest first, before the children are read or another child is added', () => {
    const { environment, parent, made, make } = setup();
    parent.deferChild(make, 'a');
    parent.deferChild(make, 'b');
    expect(made).toEqual([]);
    const later = new WdfObject(environment, 'WDFSTRING', parent);
    expect(made).toEqual(['a', 'b']);
    parent.deferChild(make, 'c');
    expect(parent.childObjects().map((c) => c.type)).toEqual(['WDFMEMORY', 'WDFMEMORY', 'WDFSTRING', 'WDFMEMORY']);
    expect(parent.childObjects()[2]).toBe(later);
  });

  it('are made and deleted with the parent', () => {
    const { parent, made, make } = setup();
    parent.deferChild(make, 'a');
    parent.delete();
    expect(made).toEqual(['a']);
    expect(parent.deleted).toBe(true);
  });
});
